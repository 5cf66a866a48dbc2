#!/usr/bin/env python3
"""Insider campaign: someone who can write every file of the ledger directory but holds no operator
key (a back-office account, a backup, a compromised server: Specs/trust.md section 2) tries to
append, lie and escape, against a real (not simulated) ledger of a fund.

  A. appending as another operator: with their own key, another operator's key, no key, or the
     operator's real key found inside the ledger directory (every path to it): refused, the log
     byte-identical;
  B. forging lines with a whole chain but no signature, their own key's, or a signature replayed;
     in the middle of the log; a line and a snapshot for it both signed by their own key; the
     genesis rewritten; the whole log re-signed with new keys:
     `verify` must flag each with the kind and seq Specs/log-format.md (sections 8, 10) gives it
     (the independent verifier agrees), except the whole rewrite, which only a checkpoint kept by
     an auditor catches (FORKED); every report refuses a line its operator did not sign (exit 5,
     nothing printed) and so does the writer (the log byte-identical); an unsigned end is an
     unfinished append: in no report, and the next writer rolls it back;
  C. forged or planted caches: state snapshot cores with the figures of another history (grafted,
     flipped, re-sealed with the insider's key), projections' parts and bulk tables of another
     history or edited (page hashes recomputed), a stale snapshot of a longer log, the proof cache
     of another history (headers pointed at this log) or re-sealed, the cache of another history
     whole, a genuine older cache;
  D. symbolic and hard links planted at every name a writer creates, truncates or replaces (the
     log, the lock, append.pending, torn/ and the file a torn tail goes to, cache/, cache/snapshots/
     and every cache file, the next snapshot names, temporary names), pointing outside the directory;
  E. the clock of a real ledger: LEDGER_NOW far behind, far ahead, at the end of time, a few
     minutes ahead; periods closed before they are over;
  F. the lock: ledger.lock is 0600 (0660 in a writers' group directory), so another user who can
     read the directory cannot flock it and stop the writers (run as `nobody` with setpriv; without
     root this part is skipped, with the reason).

After each forgery the reports (balances in every grouping and at a cut, fund status, projects,
a statement, ballots, an audit trail, the CSV export, the bare checkpoint) run as a reader would,
trusting what caches they find, and must print exactly what `--from-log` prints on a clean copy
(the checkpoint: the tree head computed here from the log): a difference is a LIE. Then the
treasurer tries what only a forged figure would allow (reversing 500.00 of a contribution of
20.00, or of a forged one): it must be refused with the log byte-identical, and `verify` must
still exit 0 where the log itself was not touched. Files outside the ledger directory are hashed
before and after every link scenario: none may change.

Counters (all must be 0): lies printed, rule-breaking records appended, files outside touched.
Findings tied to a known issue (known_issues.py) are counted and shown, and fail the run only with
--strict.

Usage: insider.py [--quick] [--bin PATH] [--seed N] [--strict] [--keep]
"""
import base64
import calendar
import datetime
import hashlib
import json
import os
import random
import shutil
import stat
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
import hostile  # noqa: E402  (its "fund" setup history, with the keys of its operators)
from known_issues import KnownIssues  # noqa: E402

DEFAULT_SEED = 20260607
ADMIN, TREASURER, CLERK = common.OPERATOR, "OP-TRES", "OP-CLERK"
INSIDER = "INSIDER"            # a key pair the insider made for themselves (ledger keygen)
TARGET = "VIR-TARGET"          # the last contribution, 20.00: the forgeries make it 1,000,000.00
TRUE_AMOUNT, FORGED_AMOUNT = 2_000, 100_000_000
TEMPTING = "500.00"            # more than TARGET holds: only a forged figure would allow it
# Every append of the campaign saves a sealed snapshot and rewrites the bulk base, so that each
# cache a reader trusts exists (Specs/reports.md section 6).
EAGER = {"LEDGER_SNAPSHOT_TAIL_MIN": "1", "LEDGER_SNAPSHOT_BASE_MIN": "1"}
NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


class Fund:
    """The fund's ledgers: the pristine one (P), a fork where the last contribution is a million
    (F: its caches hold the figures an insider wants), P one append longer (L), and P before its
    last append (B). All real: the system clock, every append signed by its operator."""

    def __init__(self, binary, workdir, contributions):
        self.binary, self.workdir = binary, workdir
        self.keys = common.Keyring.install(binary, workdir)
        self.pristine = os.path.join(workdir, "pristine")
        self.fork = os.path.join(workdir, "fork")
        self.longer = os.path.join(workdir, "longer")
        self.before = os.path.join(workdir, "before")
        self.build(contributions)

    def append(self, directory, events, operator, env=None):
        result = common.run(self.binary, ["append", "--ledger", directory, "--batch", "-", "--json"],
                            stdin="\n".join(common.event_line(e) for e in events).encode(),
                            env=dict(self.keys.env(operator), **(env or {})))
        if result.status != 0:
            sys.exit("insider: cannot build the fund (%s): %s" % (operator, result.describe()))
        return result.json_lines()

    def build(self, contributions):
        common.init_ledger(self.binary, self.pristine)
        _, setups, _ = hostile.load_rules()
        for step in hostile.resolve_keys(setups, self.keys)["fund"]:
            self.append(self.pristine, step["events"], step["operator"])
        events = [contribution("P-%04d" % (1 + number % 3), 100 + number, "VIR-%06d" % number)
                  for number in range(contributions)]
        for start in range(0, len(events), 2000):
            # The last batch leaves a sealed snapshot of every record so far: a genuine older cache.
            self.append(self.pristine, events[start:start + 2000], TREASURER, EAGER if start + 2000 >= len(events) else None)
        shutil.copytree(self.pristine, self.before)
        shutil.copytree(self.pristine, self.fork)
        # Without their snapshots, the last appends fold the log from the genesis and seal a snapshot
        # (core, projections' part and bulk base) of every record: this log's, and the fork's figures.
        for directory, amount in ((self.pristine, TRUE_AMOUNT), (self.fork, FORGED_AMOUNT)):
            shutil.rmtree(os.path.join(directory, "cache", "snapshots"))
            self.append(directory, [contribution("P-0001", amount, TARGET)], TREASURER, EAGER)
        shutil.copytree(self.pristine, self.longer)
        shutil.rmtree(os.path.join(self.longer, "cache", "snapshots"))
        self.append(self.longer, [contribution("P-0002", FORGED_AMOUNT, "VIR-LATER")], TREASURER, EAGER)
        self.log = common.read_log(self.pristine)
        self.records = [json.loads(line) for line in self.log.split(b"\n")[:-1]]
        for directory in (self.before, self.pristine, self.fork, self.longer):
            self.check_snapshot(directory)

    @staticmethod
    def check_snapshot(directory):
        """Each ledger must hold a whole snapshot of all its records, or the forgeries prove nothing."""
        records = common.read_log(directory).count(b"\n")
        names = os.listdir(os.path.join(directory, "cache", "snapshots"))
        for prefix in ("state-", "views-", "bulk-"):
            if not any(n.startswith(prefix) and n.rsplit("-", 1)[1].split(".")[0] == str(records) for n in names):
                sys.exit("insider: %s has no %s file of its %d records: %s" % (directory, prefix, records, names))


def contribution(party, amount, ref):
    return {"type": "contribution.recorded",
            "payload": {"amount": amount, "fund": "citoyens", "instrument": "donation", "party": party, "ref": ref}}


# ----- the bytes of the caches (Specs/reports.md section 6, Specs/proofs.md section 9, log-format 10.5) -----

def core_fields(data):
    """Offsets in a state snapshot core: magic, version field, covered bytes and records, last
    hash, seal (104 bytes), payload field, SHA-256 checksum (StateSnapshots.save)."""
    version_length = struct.unpack_from("<Q", data, 8)[0]
    covered_at = 16 + version_length
    seal_at = covered_at + 16 + 32
    payload_at = seal_at + 104 + 8
    payload_length = struct.unpack_from("<Q", data, seal_at + 104)[0]
    return {"records": struct.unpack_from("<Q", data, covered_at + 8)[0], "last_hash": data[covered_at + 16:seal_at],
            "seal_at": seal_at, "payload_at": payload_at, "payload_end": payload_at + payload_length}


def with_checksum(data):
    """Anyone can recompute the checksum: only the seal needs a key."""
    data = bytearray(data)
    data[-32:] = hashlib.sha256(bytes(data[:-32])).digest()
    return bytes(data)


def graft_payload(core, payload):
    """A core with this log's header and seal, but another state's payload (another history's figures)."""
    fields = core_fields(core)
    head = bytearray(core[:fields["payload_at"]])
    struct.pack_into("<Q", head, fields["seal_at"] + 104, len(payload))
    return with_checksum(bytes(head) + payload + b"\0" * 32)


def cache_seal(what, records, last_hash_hex, digest_hex, first_seq, seed):
    """Log-format 10.5: key (32) | first seq (8, LE) | Ed25519 signature (64) of the seal text."""
    text = b"ledger.cache-seal.v1\n%s\n%d\n%s\n%s\n" % (what, records, last_hash_hex.encode(), digest_hex.encode())
    return common.ed25519_public(seed) + struct.pack("<Q", first_seq) + common.ed25519_sign(seed, text)


def reseal_core(core, seed, first_seq):
    """The core sealed by the insider's own key over its (forged) payload: a seal that holds in
    itself, by a key that did not sign the last covered append."""
    fields = core_fields(core)
    digest = hashlib.sha256(core[fields["payload_at"]:fields["payload_end"]]).hexdigest()
    seal = cache_seal(b"snapshot", fields["records"], fields["last_hash"].hex(), digest, first_seq, seed)
    data = bytearray(core)
    data[fields["seal_at"]:fields["seal_at"] + 104] = seal
    return with_checksum(bytes(data))


def table_flip(data, rng):
    """A byte of a bulk table file's rows changed, and the hash of its page and of its group of
    pages recomputed (TableFile layout): only the digest the core keeps can tell."""
    data = bytearray(data)
    rows, hashes = struct.unpack_from("<QQ", data, 24)[:2]
    offset = rng.randrange(rows)
    data[4096 + offset] ^= 0x01
    page = offset // 4096
    page_hashes = 4096 + rows
    data[page_hashes + 32 * page:page_hashes + 32 * page + 32] = hashlib.sha256(
        bytes(data[4096 + 4096 * page:4096 + min(4096 * (page + 1), rows)])).digest()
    meta = page_hashes + hashes
    tables = struct.unpack_from("<Q", data, meta)[0]
    group = page // 128
    groups_at = meta + 8 + 32 * tables
    pages = hashes // 32
    data[groups_at + 32 * group:groups_at + 32 * group + 32] = hashlib.sha256(
        bytes(data[page_hashes + 32 * 128 * group:page_hashes + 32 * min(128 * (group + 1), pages)])).digest()
    return bytes(data)


def point_at_log(data, last_hash, seal=False):
    """A proof cache file of another history with this log's last hash in its header (and the
    header's checksum recomputed), as the engine's own test plants it."""
    data = bytearray(data)
    if seal:
        data[16:48] = last_hash
    else:
        data[32:64] = last_hash
        data[96:128] = hashlib.sha256(bytes(data[:96])).digest()
    return bytes(data)


def tree_head(records):
    """RFC 9162 Merkle tree head of the records' leaves (log-format section 9), computed here."""
    level = [common.tlog_verify.leaf_hash(bytes.fromhex(record["hash"])) for record in records]

    def head(nodes):
        if len(nodes) == 1:
            return nodes[0]
        split = 1 << (len(nodes) - 1).bit_length() - 1
        return common.tlog_verify.node_hash(head(nodes[:split]), head(nodes[split:]))
    return head(level) if level else hashlib.sha256(b"").digest()


# ----- the campaign ------------------------------------------------------------------------------------

class Insider:
    def __init__(self, binary, workdir, fund, rng, checks, known, quick):
        self.binary, self.workdir, self.fund, self.rng = binary, workdir, fund, rng
        self.checks, self.known, self.quick = checks, known, quick
        self.keys = fund.keys
        self.scratch = os.path.join(workdir, "scratch")
        self.outside = os.path.join(workdir, "outside")   # the sentinel tree (part D)
        os.makedirs(self.scratch)
        self.counts = {"lies": 0, "lies_known": 0, "rule_breaking": 0, "rule_breaking_known": 0,
                       "outside_touched": 0, "scenarios": 0, "crashes": 0, "reports_compared": 0,
                       "warnings_seen": 0}
        self.rows = []          # (part, scenario, outcome)
        self.skipped = []       # (scenario, reason)
        self.copies = 0
        self.n = len(fund.records)
        self.reports = self.report_list()
        self.truth = self.compute_truth()

    # ----- running -----

    def run(self, args, env=None, stdin=None, operator=ADMIN):
        result = common.run(self.binary, args, env=dict(self.keys.env(operator), **(env or {})), stdin=stdin)
        if result.crashed:
            self.counts["crashes"] += 1
            self.checks.check(False, "CRASH: %s: %s" % (" ".join(map(str, args))[:200], result.describe()))
        return result

    def copy(self, source=None, name="case"):
        """A fresh copy of a ledger (the pristine one by default), caches included."""
        self.copies += 1
        target = os.path.join(self.scratch, "%s-%d" % (name, self.copies))
        shutil.copytree(source or self.fund.pristine, target, symlinks=True)
        return target

    def row(self, part, scenario, outcome):
        self.counts["scenarios"] += 1
        self.rows.append([part, scenario, outcome])

    # ----- what a reader prints, and the truth -----

    def report_list(self):
        """(name, arguments, takes --from-log): the reports of Specs/reports.md and fund status."""
        cut = str(self.n - 3)
        return [
            ("balances", ["balances", "--json"], True), ("balances by pool", ["balances", "--by", "pool", "--json"], True),
            ("balances by instrument", ["balances", "--by", "instrument", "--json"], True),
            ("balances by year", ["balances", "--by", "year", "--json"], True),
            ("balances by territory", ["balances", "--by", "territory", "--json"], True),
            ("balances at a cut", ["balances", "--at", cut, "--json"], True),
            ("fund status", ["fund", "status", "--json"], True), ("project list", ["project", "list", "--json"], True),
            ("project show", ["project", "show", "PRJ-IDF", "--json"], True),
            ("party statement", ["party", "statement", "P-0001", "--json"], True),
            ("ballots", ["ballots", "--json"], True), ("audit", ["audit", "C-1", "--json"], True),
            ("export csv", ["export", "--format", "csv"], False),
        ]

    @staticmethod
    def normalized(result):
        """What a report says, without the line that says what it trusted."""
        if result.status != 0:
            return "exit %d" % result.status
        text = result.stdout.decode("utf-8", "replace")
        if text.startswith("{"):
            document = json.loads(text)
            document.pop("trusted", None)
            return json.dumps(document, sort_keys=True)
        return text

    def compute_truth(self):
        """--from-log on a clean copy (the export, which has no --from-log: a copy without cache/);
        the checkpoint: the tree head of the pristine log, computed here."""
        clean = self.copy(name="truth")
        bare = self.copy(name="truth-nocache")
        shutil.rmtree(os.path.join(bare, "cache"))
        truth = {}
        for name, args, from_log in self.reports:
            ledger = clean if from_log else bare
            result = self.run(args + ["--ledger", ledger] + (["--from-log"] if from_log else []))
            self.checks.check(result.status == 0, "truth: %s: %s" % (name, result.describe()))
            truth[name] = self.normalized(result)
        truth["checkpoint"] = self.checkpoint_text(self.fund.records)
        # The reports must trust the sealed snapshot of the pristine ledger (else the forgeries
        # below would prove nothing), and print the truth from it.
        result = self.run(["balances", "--json", "--ledger", clean])
        trusted = json.loads(result.stdout).get("trusted", {}) if result.status == 0 else {}
        self.checks.check(trusted.get("source") == "snapshot" and trusted.get("sealed_by") == TREASURER,
                          "the pristine ledger's reports do not read its sealed snapshot: %s" % trusted)
        self.lies("the pristine ledger (control)", clean, truth=truth)
        self.controls(truth)
        return truth

    def controls(self, truth):
        """The checks below can fail: on the fork, where the million is real, the reports differ from
        the truth and the tempting reversal is accepted. A forged cache trusted would do the same."""
        fork = self.copy(self.fund.fork, name="control")
        differ = [name for name, args, _ in self.reports
                  if self.normalized(self.run(args + ["--ledger", fork])) != truth[name]]
        money = {"balances", "balances by pool", "balances by instrument", "balances by year", "fund status",
                 "party statement", "export csv"}
        self.checks.check(money <= set(differ), "control: the fork's money reports do not show its million: "
                                                "only %s differ" % differ)
        result = self.run(["contribution", "reverse", "--ledger", fork, "--contribution", TARGET, "--amount", TEMPTING,
                           "--ref", "RBT-CONTROL", "--reason", "refund"], operator=TREASURER)
        self.checks.check(result.status == 0, "control: on the fork the reversal is refused: %s" % result.describe())

    def checkpoint_text(self, records):
        return "%s\n%d\n%s\n" % (common.ORIGIN, len(records), base64.b64encode(tree_head(records)).decode())

    def lies(self, scenario, directory, issue=None, truth=None):
        """Runs every report as a reader (trusting caches); returns the names of those that differ
        from the truth. A difference is a lie: counted, and a failed check (or a known issue)."""
        truth = truth or self.truth
        wrong, warnings = [], 0
        for name, args, _ in self.reports:
            result = self.run(args + ["--ledger", directory])
            warnings += b"ignored" in result.stderr or b"rebuilt" in result.stderr
            if self.normalized(result) != truth[name]:
                wrong.append(name)
        checkpoint = self.run(["checkpoint", "--ledger", directory])
        warnings += b"ignored" in checkpoint.stderr or b"rebuilt" in checkpoint.stderr
        if checkpoint.status == 0 and checkpoint.stdout.decode() != truth["checkpoint"]:
            wrong.append("checkpoint")
        self.counts["reports_compared"] += len(self.reports) + 1
        self.counts["warnings_seen"] += warnings
        self.counts["lies"] += len(wrong)
        message = "%s: %d report(s) printed figures the log does not hold: %s" % (scenario, len(wrong), wrong)
        if issue:
            if wrong and not self.known.strict:
                self.counts["lies_known"] += len(wrong)
            self.known.check(self.checks, not wrong, issue, message)
        else:
            self.checks.check(not wrong, message)
        return wrong, warnings

    # ----- what a writer does -----

    def tempting_reversal(self, scenario, directory, reference=TARGET, issue=None, expected_status=4):
        """The treasurer reverses 500.00 of a contribution that holds 20.00 (or does not exist):
        only a forged figure allows it. Returns True if it was (rightly) refused."""
        before = common.read_log(directory)
        result = self.run(["contribution", "reverse", "--ledger", directory, "--contribution", reference, "--amount",
                           TEMPTING, "--ref", "RBT-%d" % self.copies, "--reason", "refund"], operator=TREASURER)
        refused = result.status == expected_status and common.read_log(directory) == before
        self.last_refusal = result.stderr.decode("utf-8", "replace").strip().split(": ", 2)[-1]
        if not refused:
            self.counts["rule_breaking"] += result.status == 0
            if result.status == 0 and issue and not self.known.strict:
                self.counts["rule_breaking_known"] += 1
        message = "%s: the reversal of %s %s that only a forged figure allows: %s" % (
            scenario, TEMPTING, reference, result.describe())
        if issue:
            self.known.check(self.checks, refused, issue, message)
        else:
            self.checks.check(refused, message)
        return refused

    def verify(self, directory, checkpoint=None):
        args = ["verify", "--ledger", directory, "--json"] + (["--checkpoint", checkpoint] if checkpoint else [])
        result = self.run(args)
        failure = json.loads(result.stdout).get("failure", {}) if result.stdout.strip() else {}
        return result.status, failure.get("kind"), failure.get("seq")

    def independent(self, directory):
        result = subprocess.run([sys.executable, os.path.join(common.REPO, "scripts", "independent_verify.py"), directory],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        words = result.stdout.decode().split()
        fields = dict(word.split("=", 1) for word in words[1:] if "=" in word)
        return (words[0] if words else "?"), fields

    # ----- A. appending as another operator --------------------------------------------------

    def impersonation(self):
        directory = self.copy(name="impersonate")
        tres_key = self.keys.key(TREASURER)
        inside = {"the ledger directory": os.path.join(directory, "tres.key"),
                  "cache/": os.path.join(directory, "cache", "tres.key")}
        for path in inside.values():
            shutil.copy(tres_key, path)
            os.chmod(path, 0o600)
        outside_link = os.path.join(self.scratch, "link-to-inside.key")
        os.symlink(inside["the ledger directory"], outside_link)
        alias = os.path.join(self.scratch, "alias-of-ledger")
        os.symlink(directory, alias)
        note = ["note", "add", "--text", "written by the insider"]
        attempts = [
            ("as the treasurer, with the insider's own key", ["--key", self.keys.key(INSIDER)], directory, 4),
            ("as the treasurer, with the clerk's key", ["--key", self.keys.key(CLERK)], directory, 4),
            ("as the treasurer, with no key", [], directory, 2),
            ("with the treasurer's key copied into the ledger directory", ["--key", inside["the ledger directory"]],
             directory, 2),
            ("with the treasurer's key copied into cache/", ["--key", inside["cache/"]], directory, 2),
            ("with that key through a path with ..", ["--key", os.path.join(directory, "cache", "..", "tres.key")],
             directory, 2),
            ("with that key through a link outside the directory", ["--key", outside_link], directory, 2),
            ("with that key, the ledger named through a link", ["--key", inside["the ledger directory"]], alias, 2),
        ]
        for scenario, key, ledger, expected in attempts:
            self.refused_append("A", scenario, directory, ["--ledger", ledger] + key, note, expected)
        self.refused_append("A", "LEDGER_KEY naming the key inside the directory", directory, ["--ledger", directory],
                            note, 2, env={"LEDGER_KEY": inside["the ledger directory"]})
        # The insider tries to give themselves a key, as the administrator, signing with their own.
        register = ["operator", "register", "--id", "OP-INSIDER", "--role", "treasurer", "--public-key",
                    self.keys.pub(INSIDER), "--key", self.keys.key(INSIDER)]
        self.refused_append("A", "registering their own key as the administrator", directory, ["--ledger", directory],
                            register, 4, operator=ADMIN)
        rotate = ["operator", "rotate-key", "--id", TREASURER, "--public-key", self.keys.pub(INSIDER), "--key",
                  self.keys.key(INSIDER)]
        self.refused_append("A", "rotating the treasurer's key to their own", directory, ["--ledger", directory],
                            rotate, 4, operator=ADMIN)
        status = self.verify(directory)[0]
        self.checks.check(status == 0, "A: verify after the attempts: exit %d" % status)

    def refused_append(self, part, scenario, directory, ledger_args, command, expected, env=None, operator=TREASURER):
        """An append that must be refused with `expected`, a `ledger:` message, the log unchanged."""
        before = common.read_log(directory)
        environment = {"LEDGER_KEY": None}
        environment.update(env or {})
        result = self.run(command[:2] + ledger_args + command[2:], env=environment, operator=operator)
        appended = common.read_log(directory) != before
        good = result.status == expected and result.stderr.startswith(b"ledger:") and not appended
        if appended:
            self.counts["rule_breaking"] += 1
        self.checks.check(good, "%s: %s: %s (expected exit %d, log %s)" % (
            part, scenario, result.describe(), expected, "CHANGED" if appended else "unchanged"))
        self.row(part, scenario, "exit %d%s" % (result.status, ", log CHANGED" if appended else ""))

    # ----- B. forged lines ------------------------------------------------------------------

    def forged_record(self, prev, actor, payload, kind="contribution.recorded"):
        record = {"actor": actor, "effective": prev["effective"], "payload": payload, "prev": prev["hash"],
                  "recorded_at": prev["recorded_at"], "seq": prev["seq"] + 1, "type": kind, "v": 2}
        record["hash"] = common.record_hash(record)
        return record

    def forged_contribution(self, prev, actor=TREASURER):
        return self.forged_record(prev, actor, contribution("P-0001", FORGED_AMOUNT, "VIR-FORGED")["payload"])

    def write_log(self, directory, records):
        with open(os.path.join(directory, "log.jsonl"), "wb") as handle:
            handle.write(b"".join(common.canonical(record) + b"\n" for record in records))

    def forged_lines(self):
        records = [dict(r) for r in self.fund.records]
        last = records[-1]
        insider = self.keys.seed(INSIDER)
        n = self.n

        unsigned = self.forged_contribution(last)
        self.forged_case("an unsigned contribution at the end", records + [unsigned], ("UNFINISHED_BATCH", n),
                         rolled_back=True)
        signed = self.forged_contribution(last)
        common.sign_append([signed], insider)
        self.forged_case("a contribution signed by the insider's key", records + [signed], ("BAD_SIGNATURE", n),
                         reports_refuse=True, reversal=True)
        replayed = dict(self.forged_contribution(last), sig=last["sig"])
        self.forged_case("a contribution carrying the last append's signature", records + [replayed],
                         ("BAD_SIGNATURE", n), reports_refuse=True, reversal=True)
        stranger = self.forged_record(last, "OP-INSIDER", {"text": "I was never registered"}, "note.recorded")
        common.sign_append([stranger], insider)
        # The rules refuse it (A1.operator-unknown, step 10 before 11): readers and writers refuse the log.
        self.forged_case("a note by an operator never registered", records + [stranger], ("RULE_VIOLATION", n),
                         reports_refuse=True)
        registration = self.forged_record(last, ADMIN, {"key": base64.b64encode(common.ed25519_public(insider)).decode(),
                                                        "operator": "OP-INSIDER", "role": "treasurer"},
                                          "operator.registered")
        common.sign_append([registration], insider)
        then = self.forged_contribution(registration, actor="OP-INSIDER")
        common.sign_append([then], insider)
        self.forged_case("the insider's key registered in the administrator's name, then used",
                         records + [registration, then], ("BAD_SIGNATURE", n),
                         reports_refuse=True, reversal=True)
        rotation = self.forged_record(last, ADMIN, {"key": base64.b64encode(common.ed25519_public(insider)).decode(),
                                                    "operator": TREASURER}, "operator.key_rotated")
        common.sign_append([rotation], insider)
        then = self.forged_contribution(rotation)
        common.sign_append([then], insider)
        self.forged_case("the treasurer's key rotated to the insider's, then used", records + [rotation, then],
                         ("BAD_SIGNATURE", n), reports_refuse=True, reversal=True)
        self.forged_in_the_middle(records)
        self.own_key_sealed_snapshot(records)
        self.genesis_claims_simulated(records)
        self.whole_log_resigned(records)

    def forged_in_the_middle(self, records):
        """An unsigned contribution inserted after an append's end, the chain re-hashed after it:
        it joins the next append, which fails where its actor changes or at its signature."""
        ends = [r["seq"] for r in records if "sig" in r]
        at = ends[len(ends) // 2] + 1
        edited = [dict(r) for r in records]
        edited.insert(at, self.forged_contribution(edited[at - 1]))
        for index in range(at + 1, len(edited)):
            edited[index]["seq"] = index
            edited[index]["prev"] = edited[index - 1]["hash"]
            edited[index]["hash"] = common.record_hash(edited[index])
        failing = next(index for index in range(at + 1, len(edited))
                       if edited[index]["actor"] != TREASURER or "sig" in edited[index])
        self.forged_case("an unsigned contribution inserted mid-log, the chain re-hashed", edited,
                         ("BAD_SIGNATURE", failing), reports_refuse=True, reversal=True)

    def own_key_sealed_snapshot(self, records):
        """The insider's own key on a line and on a snapshot for it: the longer ledger's last
        record (a contribution of FORGED_AMOUNT) re-signed by the insider (same hash, same
        length), and the longer ledger's snapshot re-sealed by the insider. The seal holds for
        that line; only the key registry (cache/keys.evidence, log-format 10.6) says the key is
        nobody's, so no reader may trust the snapshot."""
        insider = self.keys.seed(INSIDER)
        longer = [json.loads(line) for line in common.read_log(self.fund.longer).split(b"\n")[:-1]]
        forged = {key: value for key, value in longer[-1].items() if key != "sig"}
        common.sign_append([forged], insider)
        files = self.snapshot_files(self.fund.longer)

        def plant(directory):
            folder = os.path.join(directory, "cache", "snapshots")
            shutil.rmtree(folder)
            os.makedirs(folder)
            self.plant_files(directory, [files["views"]] + files["bulks"])
            with open(os.path.join(folder, os.path.basename(files["core"])), "wb") as handle:
                handle.write(reseal_core(open(files["core"], "rb").read(), insider, forged["seq"]))
            said = self.run(["balances", "--ledger", directory]).stderr
            self.checks.check(b"keys.evidence" in said, "B: own key: the reader did not say why it ignored the "
                              "snapshot: %r" % said[:300])

        self.forged_case("a contribution signed by the insider's key, with a snapshot sealed by it", records + [forged],
                         ("BAD_SIGNATURE", self.n), reports_refuse=True, reversal=True, plant=plant)

    def genesis_claims_simulated(self, records):
        """The genesis made to say the clock is simulated (so that LEDGER_NOW would be taken): its
        own signature then fails (log-format section 4)."""
        edited = [dict(r) for r in records]
        edited[0] = dict(edited[0], payload=dict(edited[0]["payload"], clock="simulated"))
        for index, record in enumerate(edited):
            if index:
                record["prev"] = edited[index - 1]["hash"]
            record["hash"] = common.record_hash(record)
        # Its figures are the same; the hashes it prints (audit, export, checkpoint) are the forgery's.
        self.forged_case("the genesis made to claim a simulated clock, the chain re-hashed", edited,
                         ("BAD_SIGNATURE", 0), reports_refuse=True)

    def whole_log_resigned(self, records):
        """What remains possible (Specs/trust.md section 2): the whole log rewritten with keys of the
        insider's own, a contribution inflated. It verifies; a checkpoint kept by an auditor
        before does not: FORKED."""
        checkpoint = os.path.join(self.scratch, "kept-checkpoint")
        with open(checkpoint, "w") as handle:
            handle.write(self.truth["checkpoint"])
        edited = [json.loads(json.dumps(r)) for r in records]
        seeds = {}
        for record in edited:
            if record["seq"] == 0 or record["type"] in ("operator.registered", "operator.key_rotated"):
                who = record["actor"] if record["seq"] == 0 else record["payload"]["operator"]
                seeds[who] = hashlib.sha256(b"insider rewrite " + who.encode()).digest()
                record["payload"]["key"] = base64.b64encode(common.ed25519_public(seeds[who])).decode()
            if record["type"] == "contribution.recorded" and record["payload"]["ref"] == TARGET:
                record["payload"]["amount"] = FORGED_AMOUNT
        first = 0
        for index, record in enumerate(edited):
            if index:
                record["prev"] = edited[index - 1]["hash"]
            record["hash"] = common.record_hash(record)
            if "sig" in record:
                common.sign_append(edited[first:index + 1], seeds[record["actor"]])
                first = index + 1
        directory = self.copy(name="rewritten")
        shutil.rmtree(os.path.join(directory, "cache"))
        self.write_log(directory, edited)
        status, kind, _ = self.verify(directory)
        kept = self.verify(directory, checkpoint)
        self.checks.check(status == 0, "B: the whole log re-signed verifies (what only a checkpoint catches): "
                                       "exit %d %s" % (status, kind))
        self.checks.check(kept[:2] == (1, "FORKED") and kept[2] == self.n - 1,
                          "B: the whole log re-signed, against the checkpoint an auditor kept: %s" % (kept,))
        self.row("B", "the whole log re-signed with the insider's keys (documented: only a checkpoint tells)",
                 "verify exit %d; with the kept checkpoint: %s at seq %s" % (status, kept[1], kept[2]))

    def forged_case(self, scenario, records, expected, reversal=False, rolled_back=False,
                    reports_refuse=False, plant=None):
        """Writes a forged log into a copy (and `plant(directory)`, if given, forges its caches);
        verify must flag it as derived, the independent verifier agree; then readers and the
        treasurer meet it."""
        directory = self.copy(name="forged")
        self.write_log(directory, records)
        if plant:
            plant(directory)
        status, kind, seq = self.verify(directory)
        expected_status = common.UNFINISHED if expected[0] == "UNFINISHED_BATCH" else 1
        self.checks.check((status, kind, seq) == (expected_status,) + expected,
                          "B: %s: verify gave exit %d %s at seq %s, expected %s at seq %d" % (
                              scenario, status, kind, seq, expected[0], expected[1]))
        theirs, fields = self.independent(directory)
        self.checks.check(theirs == expected[0] and fields.get("seq") == str(expected[1]),
                          "B: %s: the independent verifier says %s %s" % (scenario, theirs, fields))
        outcome = "verify %s at seq %s" % (kind, seq)
        if reports_refuse:
            refusing = self.reports_refuse(directory)
            self.checks.check(refusing == len(self.reports), "B: %s: %d of %d reports refuse the log (exit 5, nothing "
                              "printed) or print the truth (a cut before it)" % (scenario, refusing, len(self.reports)))
            outcome += "; %d/%d reports refuse it (exit 5) or print the truth" % (refusing, len(self.reports))
        else:
            wrong, _ = self.lies("B: " + scenario, directory)
            outcome += "; reports %s" % ("printed the forged figures (%d)" % len(wrong) if wrong else "right")
        if rolled_back:
            self.honest_writer_rolls_back(scenario, directory)
            outcome += "; the next writer rolled it back"
        elif reversal:
            # The writer folds the same log: it stops (exit 5, the log is damaged), appends nothing.
            refused = self.tempting_reversal("B: " + scenario, directory, reference="VIR-FORGED", expected_status=5)
            outcome += "; a reversal of the forged contribution %s" % (
                "refused (%s)" % self.last_refusal[:60] if refused else "APPENDED")
        self.row("B", scenario, outcome)

    def reports_refuse(self, directory):
        """How many reports refuse the log (exit 5, nothing on stdout: Specs/reports.md section 1)
        or print the truth (a cut before the forged line); any other output is a lie."""
        refusing, truthful = 0, 0
        for name, args, _ in self.reports:
            result = self.run(args + ["--ledger", directory])
            refusing += result.status == 5 and not result.stdout
            truthful += result.status == 0 and self.normalized(result) == self.truth[name]
        self.counts["reports_compared"] += len(self.reports)
        self.counts["lies"] += len(self.reports) - refusing - truthful
        return refusing + truthful

    def honest_writer_rolls_back(self, scenario, directory):
        """The next append sets an unfinished (unsigned) append aside; the forged contribution is
        then unknown to the rules, and verify exits 0."""
        refused = self.tempting_reversal("B: " + scenario, directory, reference="VIR-FORGED")
        torn = os.listdir(os.path.join(directory, "torn")) if os.path.isdir(os.path.join(directory, "torn")) else []
        status = self.verify(directory)[0]
        self.checks.check(refused and torn and status == 0 and common.read_log(directory) == self.fund.log,
                          "B: %s: after the next writer: refused %s, torn/ %s, verify exit %d, log %s" % (
                              scenario, refused, torn, status,
                              "as acknowledged" if common.read_log(directory) == self.fund.log else "CHANGED"))
        self.lies("B: %s, once rolled back" % scenario, directory)

    # ----- C. forged and planted caches --------------------------------------------------------

    def snapshot_files(self, directory):
        folder = os.path.join(directory, "cache", "snapshots")
        names = sorted(os.listdir(folder))
        pick = lambda prefix: next(os.path.join(folder, n) for n in names if n.startswith(prefix))  # noqa: E731
        # The base is one or two files (Specs/reports.md section 6): "bulk" is the first name
        # (the upper file if there is one), "bulk_lower" the lower file, "bulks" all.
        bulks = [os.path.join(folder, n) for n in names if n.startswith("bulk-")]
        return {"core": pick("state-"), "views": pick("views-"), "bulk": bulks[0], "bulk_lower": bulks[-1], "bulks": bulks}

    def cache_forgeries(self):
        fund = self.fund
        mine, fork, longer = self.snapshot_files(fund.pristine), self.snapshot_files(fund.fork), \
            self.snapshot_files(fund.longer)
        core = open(mine["core"], "rb").read()
        fork_core = open(fork["core"], "rb").read()
        fork_payload = fork_core[core_fields(fork_core)["payload_at"]:core_fields(fork_core)["payload_end"]]
        insider = self.keys.seed(INSIDER)
        last_append_first_seq = self.n - 1   # the last append is one record
        flips = 1 if self.quick else 12

        def write(directory, kind, data):
            """`data` in place of this ledger's snapshot file of that kind (the same name in the copy)."""
            with open(os.path.join(directory, os.path.relpath(mine[kind], fund.pristine)), "wb") as handle:
                handle.write(data)

        cases = [
            ("core: another history's figures grafted, checksum recomputed",
             lambda d: write(d, "core", graft_payload(core, fork_payload))),
            ("core: another history's figures, re-sealed with the insider's key",
             lambda d: write(d, "core", reseal_core(graft_payload(core, fork_payload), insider, last_append_first_seq))),
            ("core: its own figures re-sealed with the insider's key",
             lambda d: write(d, "core", reseal_core(core, insider, last_append_first_seq))),
            ("core: another history's, whole (its own seal, another last record)",
             lambda d: write(d, "core", fork_core)),
            ("views part: another history's", lambda d: write(d, "views", open(fork["views"], "rb").read())),
            ("bulk tables: another history's", lambda d: write(d, "bulk", open(fork["bulk"], "rb").read())),
            ("bulk tables: a page edited, hashes left", lambda d: write(d, "bulk", self.page_edited(mine["bulk"]))),
            ("bulk tables' lower file: another history's", lambda d: write(d, "bulk_lower", open(fork["bulk_lower"], "rb").read())),
            ("bulk tables' lower file: a page edited, hashes left",
             lambda d: write(d, "bulk_lower", self.page_edited(mine["bulk_lower"]))),
            ("a stale snapshot of a longer log planted beside",
             lambda d: self.plant_files(d, [longer["core"], longer["views"]] + longer["bulks"])),
            ("the whole cache/ of another history", lambda d: self.replace_cache(d, fund.fork)),
            ("proof cache: another history's, pointed at this log", lambda d: self.planted_proof_cache(d)),
            ("proof cache: re-sealed with the insider's key", lambda d: self.resealed_proof_cache(d, insider)),
            ("proof cache: a longer log's (stale)", lambda d: self.replace_proof_cache(d, fund.longer)),
        ]
        for number in range(1, flips + 1):
            tag = " (#%d)" % number if flips > 1 else ""
            cases.append(("core: a payload byte flipped, checksum recomputed" + tag,
                          lambda d: write(d, "core", self.payload_flipped(core))))
            cases.append(("views part: a byte flipped" + tag, lambda d: write(d, "views", self.flipped(mine["views"]))))
            cases.append(("bulk tables: a row byte edited, page and group hashes recomputed" + tag,
                          lambda d: write(d, "bulk", table_flip(open(mine["bulk"], "rb").read(), self.rng))))
        for scenario, forge in cases:
            self.cache_case(scenario, forge)
        self.cache_case("a genuine older cache (before the last append): trusted, then the tail folded",
                        lambda d: self.replace_cache(d, fund.before), warned=False, trusted_records=self.n - 1)

    def payload_flipped(self, core):
        fields = core_fields(core)
        data = bytearray(core)
        data[self.rng.randrange(fields["payload_at"], fields["payload_end"])] ^= 1 << self.rng.randrange(8)
        return with_checksum(bytes(data))

    def flipped(self, path):
        data = bytearray(open(path, "rb").read())
        data[self.rng.randrange(len(data))] ^= 1 << self.rng.randrange(8)
        return bytes(data)

    def page_edited(self, path):
        data = bytearray(open(path, "rb").read())
        rows = struct.unpack_from("<Q", data, 24)[0]
        data[4096 + self.rng.randrange(rows)] ^= 0x01
        return bytes(data)

    def plant_files(self, directory, paths):
        for path in paths:
            shutil.copy(path, os.path.join(directory, "cache", "snapshots", os.path.basename(path)))

    def replace_cache(self, directory, source):
        shutil.rmtree(os.path.join(directory, "cache"))
        shutil.copytree(os.path.join(source, "cache"), os.path.join(directory, "cache"))

    def replace_proof_cache(self, directory, source):
        for name in ("merkle.hashes", "offsets", "merkle.seal"):
            shutil.copy(os.path.join(source, "cache", name), os.path.join(directory, "cache", name))

    def planted_proof_cache(self, directory):
        """The fork's proof cache (same size, another tree) with this log's last hash in its headers
        and its seal: only the seal's signature (over the fork's hash) can tell."""
        last = bytes.fromhex(self.fund.records[-1]["hash"])
        for name in ("merkle.hashes", "offsets", "merkle.seal"):
            data = open(os.path.join(self.fund.fork, "cache", name), "rb").read()
            with open(os.path.join(directory, "cache", name), "wb") as handle:
                handle.write(point_at_log(data, last, seal=name == "merkle.seal"))

    def resealed_proof_cache(self, directory, seed):
        """The fork's proof cache pointed at this log and sealed by the insider's key."""
        self.planted_proof_cache(directory)
        path = os.path.join(directory, "cache", "merkle.seal")
        data = bytearray(open(path, "rb").read())
        records, last, head = struct.unpack_from("<Q", data, 8)[0], bytes(data[16:48]), bytes(data[48:80])
        data[80:184] = cache_seal(b"merkle", records, last.hex(), head.hex(), self.n - 1, seed)
        with open(path, "wb") as handle:
            handle.write(bytes(data))

    def cache_case(self, scenario, forge, warned=True, trusted_records=None):
        """One forged cache: no report lies, the reader says it ignored something, the tempting
        reversal is refused, verify exits 0; then an honest append, and the reports again."""
        directory = self.copy(name="cache")
        forge(directory)
        if trusted_records:
            # A genuine sealed cache is trusted (not thrown away): the control of "ignored" above.
            result = self.run(["balances", "--json", "--ledger", directory])
            trusted = json.loads(result.stdout).get("trusted", {}) if result.status == 0 else {}
            self.checks.check(trusted.get("records") == trusted_records and trusted.get("sealed_by") == TREASURER,
                              "C: %s: the reader trusted %s" % (scenario, trusted))
        wrong, warnings = self.lies("C: " + scenario, directory)
        if warned:
            self.checks.check(warnings > 0, "C: %s: no reader said it ignored or rebuilt a cache" % scenario)
        refused = self.tempting_reversal("C: " + scenario, directory)
        status = self.verify(directory)[0]
        self.checks.check(status == 0, "C: %s: verify exit %d" % (scenario, status))
        # The next writer folds what it trusts, appends, and seals a snapshot of its own.
        note = self.run(["note", "add", "--ledger", directory, "--text", "after " + scenario], env=EAGER)
        self.checks.check(note.status == 0, "C: %s: an honest append after it: %s" % (scenario, note.describe()))
        after = {}
        for name, args, from_log in self.reports:
            if from_log:
                after[name] = self.normalized(self.run(args + ["--ledger", directory, "--from-log"]))
        after_checkpoint = self.checkpoint_text([json.loads(line) for line in common.read_log(directory).splitlines()])
        later = [name for name, args, from_log in self.reports if from_log and
                 self.normalized(self.run(args + ["--ledger", directory])) != after[name]]
        checkpoint = self.run(["checkpoint", "--ledger", directory])
        if checkpoint.stdout.decode() != after_checkpoint:
            later.append("checkpoint")
        self.counts["lies"] += len(later)
        self.checks.check(not later, "C: %s: after an honest append, reports differ from the log: %s" % (scenario, later))
        self.row("C", scenario, "%s; %d warning(s); reversal %s; verify exit %d" % (
            "no lie" if not wrong + later else "LIES: %s" % (wrong + later), warnings,
            "refused" if refused else "APPENDED", status))

    # ----- D. links planted at the names a writer uses -----------------------------------------

    def sentinel(self):
        """Every entry under the sentinel tree: type, mode, size, content hash, link target."""
        state = {}
        for root, folders, files in os.walk(self.outside):
            for name in folders + files:
                path = os.path.join(root, name)
                info = os.lstat(path)
                # Not st_nlink: a writer that replaces a planted hard link (rightly) lowers it.
                entry = (stat.S_IFMT(info.st_mode), stat.S_IMODE(info.st_mode), info.st_size)
                if stat.S_ISREG(info.st_mode):
                    entry += (common.sha256_file(path),)
                elif stat.S_ISLNK(info.st_mode):
                    entry += (os.readlink(path),)
                state[os.path.relpath(path, self.outside)] = entry
        return state

    def writer_names(self, directory):
        """Every name a writer creates, truncates or replaces in a ledger like this one (log-format
        section 1): the fixed ones, the cache files there are, the next snapshot's (the writer is made
        to save one: the current core removed), the torn tail's, and temporary names. Real temporary
        names carry 64 random bits (DirectoryHandle.createTemporaryFile), so links can only be
        planted at guesses: the predictable forms a regression would use, and random ones."""
        cache = os.path.join(directory, "cache")
        fixed = ["log.jsonl", "ledger.lock", "append.pending"]
        cached = ["cache/" + n for n in sorted(os.listdir(cache)) if os.path.isfile(os.path.join(cache, n))]
        snapshots = ["cache/snapshots/" + n for n in sorted(os.listdir(os.path.join(cache, "snapshots")))]
        layout = os.path.basename(self.snapshot_files(directory)["core"])[:-len(".snap")].rsplit("-", 1)[0]
        upcoming = ["cache/snapshots/%s-%d.snap" % (layout, self.n + 1)]
        upcoming += ["cache/snapshots/%s-%s-%d.%s" % (kind, layout.split("-", 2)[-1], self.n + 1, suffix)
                     for kind, suffix in (("views", "part"), ("bulk", "tables"))]
        # A base's upper file over the current lower one: bulk-LAYOUT-LOWER-N.tables.
        lowers = [n for n in sorted(os.listdir(os.path.join(cache, "snapshots")))
                  if n.startswith("bulk-") and n.count("-") == 2]
        upcoming += ["cache/snapshots/%s-%d.tables" % (n[:-len(".tables")], self.n + 1) for n in lowers]
        temporaries = []
        for target in ["append.pending", "cache/merkle.hashes", "cache/merkle.seal", "cache/offsets"] + upcoming:
            folder, base = os.path.split(target)
            guesses = [".%s.tmp" % base, ".%s.0000000000000000.tmp" % base]
            if not self.quick:
                guesses += ["%s.tmp" % base, "%s.new" % base]
                guesses += [".%s.%016x.tmp" % (base, self.rng.getrandbits(64)) for _ in range(4)]
            temporaries += [os.path.join(folder, guess) for guess in guesses]
        names = [(name, "copy") for name in fixed + cached + snapshots]
        names += [(name, "dangling") for name in fixed[1:] + upcoming + temporaries + ["torn/TORN-NAME"]]
        names += [(name, "hardlink") for name in fixed + cached + snapshots]
        names += [(name, "directory") for name in ["cache", "cache/snapshots", "torn"]]
        return names, set(upcoming)

    def links(self):
        os.makedirs(self.outside)
        names, upcoming = self.writer_names(self.copy(name="probe"))
        for name, kind in names:
            self.link_case(name, kind, fresh_snapshot=name in upcoming)

    def plant(self, directory, name, kind):
        """A link at `name` to a new entry of the sentinel tree (a copy of what was there, if anything)."""
        path = os.path.join(directory, name)
        target = os.path.join(self.outside, "%d-%s" % (self.copies, name.replace("/", "_")))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if kind == "directory":
            if os.path.isdir(path):
                shutil.copytree(path, target)
                shutil.rmtree(path)
            else:
                os.makedirs(target)
            os.symlink(target, path)
        elif kind == "hardlink":
            if os.path.exists(path):
                shutil.copy2(path, target)
                os.remove(path)
            else:
                open(target, "wb").close()
            os.link(target, path)
        else:
            if kind == "copy" and os.path.exists(path):
                shutil.copy2(path, target)
            if os.path.lexists(path):
                os.remove(path)
            os.symlink(target, path)
        return path

    def link_case(self, name, kind, fresh_snapshot=False):
        """Plants a link at `name` pointing outside; runs the writers (a single append and a batch,
        saving snapshots), a checkpoint, a report, verify. Nothing outside may change; a writer
        that succeeded went through the names it always rewrites (the link replaced, never
        followed), so that the scenario is not vacuous."""
        directory = self.copy(name="links")
        if fresh_snapshot:
            os.remove(self.snapshot_files(directory)["core"])   # the next append saves a snapshot
        torn_tail = name.startswith("torn")
        if torn_tail:
            tail = b'{"actor":"OP-TRES","effective":"2026-01-15","hash":"' + b"7" * 40
            offset = os.path.getsize(os.path.join(directory, "log.jsonl"))
            with open(os.path.join(directory, "log.jsonl"), "ab") as handle:
                handle.write(tail)
            name = name.replace("TORN-NAME", "tail-at-%d-%s.bin" % (offset, hashlib.sha256(tail).hexdigest()[:16]))
        path = self.plant(directory, name, kind)
        before, log_before = self.sentinel(), common.read_log(directory)
        outcomes, statuses = self.exercise_writers(directory)
        after = self.sentinel()
        changed = sorted(set(before) ^ set(after) | {k for k in before if k in after and before[k] != after[k]})
        self.counts["outside_touched"] += len(changed)
        self.checks.check(not changed, "D: link at %s (%s): files outside the ledger changed: %s" % (name, kind, changed))
        log_after = common.read_log(directory)
        grew = log_after.startswith(log_before) and log_after.endswith(b"\n")
        status = self.verify(directory)[0]
        # Either the writers refused (the log as it was) or they appended whole, verified lines.
        sound = (log_after == log_before) or (grew and status == 0) or (torn_tail and status == 0)
        self.checks.check(sound, "D: link at %s (%s): log %s, verify exit %d" % (
            name, kind, "unchanged" if log_after == log_before else "changed", status))
        # Replaced by a file of its own, or gone (a later snapshot of the same writers removes the
        # older one): either way no longer the planted link.
        replaced = not os.path.islink(path) and (not os.path.lexists(path) or os.stat(path).st_nlink == 1)
        always_rewritten = name in ("append.pending", "cache/merkle.seal") or fresh_snapshot
        if always_rewritten and kind != "directory" and statuses["batch"] == 0:
            self.checks.check(replaced, "D: link at %s (%s): the writers succeeded without replacing it" % (name, kind))
        if torn_tail and statuses["append"] == 0:
            kept = [n for n in os.listdir(os.path.join(directory, "torn")) if not os.path.islink(
                os.path.join(directory, "torn", n)) and open(os.path.join(directory, "torn", n), "rb").read() == tail]
            self.checks.check(len(kept) == 1, "D: link at %s (%s): the torn tail was not kept in torn/" % (name, kind))
        self.row("D", "%s link at %s" % (kind, name), "%s; %s; outside changed: %d" % (
            outcomes, ("replaced by a file" if os.path.lexists(path) else "replaced, then removed") if replaced
            else "left as it was", len(changed)))

    def exercise_writers(self, directory):
        """The writers and readers that touch every name; returns their exit statuses."""
        statuses = {}
        single = self.run(["note", "add", "--ledger", directory, "--text", "single"], env=EAGER)
        batch = self.run(["append", "--ledger", directory, "--batch", "-"], env=EAGER, stdin=b"\n".join(
            common.event_line({"type": "note.recorded", "payload": {"text": "batch %d" % i}}).encode() for i in range(2)))
        checkpoint = self.run(["checkpoint", "--ledger", directory])
        report = self.run(["balances", "--ledger", directory])
        for what, result in (("append", single), ("batch", batch), ("checkpoint", checkpoint), ("balances", report)):
            self.checks.check(result.status in (0, 7) and (result.status == 0 or result.stderr.startswith(b"ledger:")),
                              "D: %s: %s" % (what, result.describe()))
            statuses[what] = result.status
        return ", ".join("%s %d" % item for item in statuses.items()), statuses

    # ----- E. the clock of a real ledger ---------------------------------------------------------

    def clock(self):
        now = datetime.datetime.now(datetime.timezone.utc)
        stamp = lambda moment: moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")  # noqa: E731
        for scenario, text in (("a day behind", stamp(now - datetime.timedelta(days=1))),
                               ("a year ahead", stamp(now + datetime.timedelta(days=365))),
                               ("the end of time", "9999-12-31T23:59:59.999999Z"),
                               ("the first day", "0001-01-01T00:00:00.000000Z"),
                               ("four minutes ahead (inside the tolerance)", stamp(now + datetime.timedelta(minutes=4)))):
            self.clock_case(scenario, text)
        today = now.date()
        for scenario, through in (("tomorrow", today + datetime.timedelta(days=1)),
                                  ("today (not over yet)", today),
                                  ("the last possible day", datetime.date(9999, 12, 30))):
            directory = self.copy(name="close")
            effective = min(through + datetime.timedelta(days=1), datetime.date(9999, 12, 31))
            before = common.read_log(directory)
            result = self.run(["period", "close", "--ledger", directory, "--through", str(through), "--date",
                               str(effective)], operator=TREASURER)
            refused = result.status == 4 and b"I10.close-order" in result.stderr and common.read_log(directory) == before
            self.counts["rule_breaking"] += result.status == 0
            self.checks.check(refused, "E: a period closed through %s: %s" % (scenario, result.describe()))
            self.row("E", "a period closed through %s, in advance" % scenario, "exit %d%s" % (
                result.status, " (I10.close-order)" if b"I10.close-order" in result.stderr else ""))
        # The control: a period that is over closes (the refusals above are about time, not closes).
        directory = self.copy(name="close")
        yesterday = today - datetime.timedelta(days=1)
        result = self.run(["period", "close", "--ledger", directory, "--through", str(yesterday), "--date", str(today)],
                          operator=TREASURER)
        self.checks.check(result.status == 0 and self.verify(directory)[0] == 0,
                          "E: a period that is over (through yesterday) does not close: %s" % result.describe())
        self.row("E", "a period closed through yesterday (control)", "exit %d" % result.status)
        status = self.run(["verify", "--ledger", self.fund.pristine, "--json"])
        self.checks.check(status.status == 0 and "clock" not in json.loads(status.stdout),
                          "E: verify calls the real ledger simulated: %s" % status.stdout[:200])
        theirs = self.independent(self.fund.pristine)
        self.checks.check(theirs[0] == "INTACT" and "clock=simulated" not in self.run(["verify", "--ledger",
                                                                                        self.fund.pristine]).stdout.decode(),
                          "E: the real ledger's verdicts: %s" % (theirs,))

    def clock_case(self, scenario, text):
        """LEDGER_NOW on a real ledger is refused, or the time recorded is the system's (within the
        five minutes of tolerance, Specs/trust.md 2.6): never the time given when it is further off."""
        directory = self.copy(name="clock")
        before = common.read_log(directory)
        started = time.time()
        result = self.run(["note", "add", "--ledger", directory, "--text", "clock " + scenario],
                          env={"LEDGER_NOW": text})
        ended = time.time()
        after = common.read_log(directory)
        if result.status == 0:
            recorded = json.loads(after.split(b"\n")[-2])["recorded_at"]
            seconds = calendar.timegm(time.strptime(recorded[:19], "%Y-%m-%dT%H:%M:%S"))
            honest = started - 301 <= seconds <= ended + 301
            outcome = "accepted, recorded %s" % recorded
        else:
            honest = after == before and result.stderr.startswith(b"ledger:")
            outcome = "refused (exit %d)" % result.status
        self.counts["rule_breaking"] += result.status == 0 and not honest
        self.checks.check(honest, "E: LEDGER_NOW %s (%s) on a real ledger: %s" % (scenario, text, outcome))
        self.row("E", "LEDGER_NOW %s" % scenario, outcome)

    # ----- F. the lock ----------------------------------------------------------------------------

    def lock(self):
        directory = self.copy(name="lock")
        mode = stat.S_IMODE(os.stat(os.path.join(directory, "ledger.lock")).st_mode)
        self.checks.check(mode == 0o600, "F: ledger.lock has mode %o, not 600" % mode)
        group = self.copy(name="lock-group")
        os.chmod(group, 0o775)
        os.remove(os.path.join(group, "ledger.lock"))
        self.run(["note", "add", "--ledger", group, "--text", "a writers' group"])
        group_mode = stat.S_IMODE(os.stat(os.path.join(group, "ledger.lock")).st_mode)
        self.checks.check(group_mode == 0o660, "F: in a group-writable directory ledger.lock has mode %o, not 660"
                          % group_mode)
        self.row("F", "ledger.lock's mode, alone / in a writers' group", "%o / %o" % (mode, group_mode))
        reason = self.cannot_act_as_nobody()
        if reason:
            self.skipped.append(("F: another user flocking ledger.lock", reason))
            self.row("F", "another user flocks ledger.lock", "skipped: " + reason)
            return
        os.chmod(self.workdir, 0o755)
        os.chmod(self.scratch, 0o755)
        readable = os.path.join(directory, "readable.lock")
        open(readable, "w").close()
        os.chmod(readable, 0o644)
        # The control: the same probe locks a file it may read (so a refusal below is the mode's doing).
        control = self.flock_as_nobody(readable)
        self.checks.check(control == "locked", "F: nobody cannot flock even a readable file: %s" % control)
        probe = self.flock_as_nobody(os.path.join(directory, "ledger.lock"))
        self.checks.check(probe.startswith("refused"), "F: another user could flock ledger.lock: %s" % probe)
        reader = subprocess.run(NOBODY + [self.binary, "verify", "--ledger", directory], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        self.checks.check(reader.returncode == 0, "F: another user cannot verify: %s" % reader.stderr[:200])
        writer = self.run(["note", "add", "--ledger", directory, "--text", "not blocked", "--lock-timeout", "2000"])
        self.checks.check(writer.status == 0, "F: the writer after the probe: %s" % writer.describe())
        self.row("F", "nobody flocks ledger.lock (a readable file: %s)" % control,
                 "%s; nobody verifies: exit %d; the writer: exit %d" % (probe, reader.returncode, writer.status))

    def cannot_act_as_nobody(self):
        if os.geteuid() != 0:
            return "not root: cannot act as another user (setpriv needs root)"
        if shutil.which("setpriv") is None:
            return "no setpriv (util-linux)"
        if not os.path.exists("/usr/bin/python3"):
            return "no /usr/bin/python3 for the probe as nobody"
        return None

    def flock_as_nobody(self, path):
        code = ("import fcntl, os, sys\n"
                "try:\n"
                "    fd = os.open(sys.argv[1], os.O_RDONLY)\n"
                "    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)\n"
                "    print('locked')\n"
                "except OSError as error:\n"
                "    print('refused: %s' % error.strerror)\n")
        result = subprocess.run(NOBODY + ["/usr/bin/python3", "-c", code, path], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        return result.stdout.decode().strip() or "probe failed: %s" % result.stderr.decode()[:200]


def main():
    parser = common.base_arguments(__doc__.split("\n")[0])
    parser.add_argument("--strict", action="store_true", help="known issues fail the campaign too")
    parser.add_argument("--contributions", type=int, default=None, help="contributions in the fund (full 6000, quick 40)")
    options = parser.parse_args()
    binary = common.find_binary(options.bin)
    seed = DEFAULT_SEED if options.seed is None else options.seed
    contributions = options.contributions if options.contributions is not None else (40 if options.quick else 6000)
    workdir = common.make_workdir("insider", options.workdir)
    print("insider campaign: seed %d, a fund of %d contributions, binary %s, work %s, running as uid %d"
          % (seed, contributions, binary, workdir, os.geteuid()))
    sys.stdout.flush()
    checks, known = common.Checks(keep=40), KnownIssues(options.strict)
    started = time.monotonic()
    fund = Fund(binary, workdir, contributions)
    insider = Insider(binary, workdir, fund, random.Random(seed), checks, known, options.quick)
    for part in (insider.impersonation, insider.forged_lines, insider.cache_forgeries, insider.links, insider.clock,
                 insider.lock):
        part()
        sys.stdout.flush()
    seconds = time.monotonic() - started
    titles = {"A": "A. appending as another operator", "B": "B. forged lines", "C": "C. forged and planted caches",
              "D": "D. links at the writer's names", "E": "E. the clock of a real ledger", "F": "F. the lock"}
    for part, title in titles.items():
        common.print_table(title, ["scenario", "outcome"], [row[1:] for row in insider.rows if row[0] == part])
    c = insider.counts
    rows = [["records in the fund", fund.records[-1]["seq"] + 1], ["scenarios", c["scenarios"]],
            ["reports compared with --from-log", c["reports_compared"]],
            ["warnings seen (a cache ignored or rebuilt)", c["warnings_seen"]],
            ["lies printed (must be 0) / explained by a known issue", "%d / %d" % (c["lies"], c["lies_known"])],
            ["rule-breaking records appended (must be 0) / explained by a known issue",
             "%d / %d" % (c["rule_breaking"], c["rule_breaking_known"])],
            ["files outside the ledger touched (must be 0)", c["outside_touched"]],
            ["crashes", c["crashes"]], ["skipped", "; ".join("%s (%s)" % s for s in insider.skipped) or "none"],
            ["seconds", "%.1f" % seconds]]
    common.print_table("Insider campaign summary (seed %d)" % seed, ["what", "count"], rows)
    known_counts = known.report()
    totals = {"seed": seed, "records": fund.records[-1]["seq"] + 1, "scenarios": c["scenarios"],
              "reports_compared": c["reports_compared"], "lies_printed": c["lies"],
              "lies_unexplained": c["lies"] - c["lies_known"], "rule_breaking_appended": c["rule_breaking"],
              "rule_breaking_unexplained": c["rule_breaking"] - c["rule_breaking_known"],
              "files_outside_touched": c["outside_touched"], "crashes": c["crashes"], "crashes_unexpected": c["crashes"],
              "skipped": [name for name, _ in insider.skipped], "known_issues": known_counts, "seconds": round(seconds, 1)}
    return common.finish("insider", checks, totals, options.totals_file, workdir=workdir, keep=options.keep)


if __name__ == "__main__":
    sys.exit(main())

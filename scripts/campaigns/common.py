"""Shared helpers for the reliability campaigns (Python 3 standard library only).

Every campaign finds our binary the same way (never `ledger` on PATH: Debian's ledger-cli has
the same name), works in a fresh /tmp/campaigns-* directory, prints a summary table, and ends
with one machine-readable line:

    TOTALS {"campaign": "...", "passed": true, ...}

and exits 1 if any check failed.

Ledgers are version 2 (Specs/log-format.md section 10, Specs/trust.md): every operator has an
Ed25519 key pair made by `ledger keygen` in the campaign's `keys/` directory, outside every
ledger directory, and every append is signed with its operator's key (`LEDGER_KEY`). A real
ledger takes its time from the system clock; a campaign that needs a fixed clock creates its
ledger with `init --simulated-clock` and sets LEDGER_NOW.
"""
import argparse
import base64
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO, "scripts"))
import tlog_verify  # noqa: E402  (the independent verifier's strict Ed25519, for forging signatures)

# The documented exit statuses (Sources/LedgerCLI/ExitCode.swift, `ledger help`).
EXIT_STATUSES = {0, 1, 2, 3, 4, 5, 6, 7, 8}
UNFINISHED = 8  # verify: an append cut by a crash follows the last acknowledged one

# What a Swift trap or a sanitizer leaves on standard error.
CRASH_MARKERS = (
    "Fatal error", "Illegal instruction", "Segmentation fault", "Stack dump", "Trace/breakpoint",
    "Precondition failed", "Assertion failed", "AddressSanitizer", "UndefinedBehaviorSanitizer",
    "Current stack trace", "*** Signal",
)

OPERATOR = "OP-CAMPAIGN"
ORIGIN = "ledger.campaigns.example/fund"
ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")  # an identifier (Specs/log-format.md section 4)


def find_binary(explicit=None):
    """--bin, else $LEDGER_BIN, else the repo's release build."""
    candidates = [explicit, os.environ.get("LEDGER_BIN"), os.path.join(REPO, ".build", "release", "ledger")]
    for path in candidates:
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return os.path.abspath(path)
    sys.exit("campaign: no ledger binary; build it (swift build -c release) or pass --bin PATH / set LEDGER_BIN")


def base_arguments(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--bin", help="path to our ledger binary (default: $LEDGER_BIN or .build/release/ledger)")
    parser.add_argument("--quick", action="store_true", help="CI size")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: fixed per campaign)")
    parser.add_argument("--workdir", default=None, help="where ledgers go (default: a fresh /tmp/campaigns-*)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--totals-file", default=None, help="also append the TOTALS JSON line to this file")
    return parser


def make_workdir(name, explicit=None):
    if explicit:
        shutil.rmtree(explicit, ignore_errors=True)
        os.makedirs(explicit)
        return explicit
    return tempfile.mkdtemp(prefix="campaigns-%s-" % name, dir="/tmp")


class Result:
    """The outcome of one run of the binary."""

    def __init__(self, argv, status, stdout, stderr, seconds):
        self.argv, self.status, self.stdout, self.stderr, self.seconds = argv, status, stdout, stderr, seconds

    @property
    def crashed(self):
        text = self.stderr.decode("utf-8", "replace")
        return self.status < 0 or self.status >= 128 or any(marker in text for marker in CRASH_MARKERS)

    def json_lines(self):
        return [json.loads(line) for line in self.stdout.decode("utf-8").splitlines() if line.strip()]

    def describe(self):
        return "exit %s, stderr %r" % (self.status, self.stderr.decode("utf-8", "replace")[:300])


def environment(env=None, keyed=True):
    """The environment of a run: ours without any LEDGER_* setting of the caller's shell, then
    the campaign's operator and (`keyed`, once a keyring is installed) its key, then `env`. A
    value None in `env` removes the variable."""
    result = {name: value for name, value in os.environ.items() if not name.startswith("LEDGER_")}
    result["LEDGER_OPERATOR"] = OPERATOR
    if keyed and Keyring.default is not None:
        result["LEDGER_KEY"] = Keyring.default.key(OPERATOR)
    for name, value in (env or {}).items():
        if value is None:
            result.pop(name, None)
        else:
            result[name] = value
    return result


def run(binary, args, env=None, stdin=None, timeout=120, cwd=None):
    """Runs `binary args...`; args may be str or bytes (bytes reach argv unchanged)."""
    argv = [binary] + list(args)
    environment_ = environment(env)
    started = time.monotonic()
    completed = subprocess.run(argv, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=environment_, timeout=timeout, cwd=cwd)
    return Result(argv, completed.returncode, completed.stdout, completed.stderr, time.monotonic() - started)


def sha256_file(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def read_log(directory):
    with open(os.path.join(directory, "log.jsonl"), "rb") as handle:
        return handle.read()


def init_ledger(binary, directory, now=None, name="Campaign fund", operator=OPERATOR, origin=ORIGIN):
    """A new version-2 ledger founded by `operator` with their key. With `now` (LEDGER_NOW text)
    it is a simulation (`--simulated-clock`): the only kind of ledger that takes a fixed clock."""
    args = ["init", "--ledger", directory, "--origin", origin, "--name", name, "--currency", "EUR", "--json"]
    env = {"LEDGER_OPERATOR": operator, "LEDGER_KEY": Keyring.default.key(operator)}
    if now:
        args.append("--simulated-clock")
        env["LEDGER_NOW"] = now
    result = run(binary, args, env=env)
    if result.status != 0:
        sys.exit("campaign: cannot create a ledger in %s: %s" % (directory, result.describe()))
    return result.json_lines()[0]


def operator_event(operator, role, keyring=None):
    """`operator.registered` with the operator's public key (Specs/events.md, version 2)."""
    keyring = keyring or Keyring.default
    return {"type": "operator.registered",
            "payload": {"key": keyring.public_key(operator), "operator": operator, "role": role}}


# ----- keys (Specs/proofs.md section 3, Specs/log-format.md section 10) ---------------------------

class Keyring:
    """One Ed25519 key pair per operator, made by `ledger keygen` on first use, in a directory of
    the campaign's that is outside every ledger directory (the engine refuses a signer key file
    inside the ledger). `Keyring.default` signs for `run` when the caller names no key."""

    default = None

    def __init__(self, binary, directory):
        self.binary, self.directory = binary, directory
        os.makedirs(directory, exist_ok=True)

    @classmethod
    def install(cls, binary, workdir):
        """The campaign's keyring, in WORKDIR/keys, used by `run` and `init_ledger` by default."""
        cls.default = cls(binary, os.path.join(workdir, "keys"))
        return cls.default

    def prefix(self, operator):
        prefix = os.path.join(self.directory, operator)
        if not os.path.exists(prefix + ".key"):
            result = subprocess.run([self.binary, "keygen", "--name", operator, "--output", prefix],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment(keyed=False))
            if result.returncode != 0:
                sys.exit("campaign: ledger keygen failed for %s: %s" % (operator, result.stderr.decode()[:300]))
        return prefix

    def key(self, operator):
        """The signer key file (PREFIX.key, mode 0600)."""
        return self.prefix(operator) + ".key"

    def pub(self, operator):
        """The verifier key file (PREFIX.pub), as `operator register --public-key` takes it."""
        return self.prefix(operator) + ".pub"

    def env(self, operator):
        """The environment that makes `operator` append with their own key."""
        return {"LEDGER_OPERATOR": operator, "LEDGER_KEY": self.key(operator)}

    def public_key(self, operator):
        """The canonical base64 of the 32-byte public key, as event payloads carry it."""
        with open(self.pub(operator)) as handle:
            raw = base64.b64decode(handle.read().strip().split("+", 2)[2])  # name+id+base64 (which may hold '+')
        return base64.b64encode(raw[1:]).decode()

    def seed(self, operator):
        """The 32-byte Ed25519 seed of the operator's key (`PRIVATE+KEY+name+id+base64(0x01 || seed)`),
        for a campaign that plays someone holding this key."""
        with open(self.key(operator)) as handle:
            raw = base64.b64decode(handle.read().strip().split("+", 4)[4])
        return raw[1:]


def _encode_point(point):
    x, y, z, _ = point
    inverse = pow(z, tlog_verify.P - 2, tlog_verify.P)
    x, y = x * inverse % tlog_verify.P, y * inverse % tlog_verify.P
    return (y | (x & 1) << 255).to_bytes(32, "little")


def ed25519_public(seed):
    digest = hashlib.sha512(seed).digest()
    scalar = int.from_bytes(digest[:32], "little") & ((1 << 254) - 8) | (1 << 254)
    return _encode_point(tlog_verify._mul(scalar, tlog_verify.BASE))


def ed25519_sign(seed, message):
    """RFC 8032 Ed25519 (pure), on the verifier's own curve arithmetic: a key someone holds, used
    to forge what only that key can sign (a record of theirs, a seal)."""
    digest = hashlib.sha512(seed).digest()
    scalar = int.from_bytes(digest[:32], "little") & ((1 << 254) - 8) | (1 << 254)
    public = _encode_point(tlog_verify._mul(scalar, tlog_verify.BASE))
    r = int.from_bytes(hashlib.sha512(digest[32:] + message).digest(), "little") % tlog_verify.L
    encoded_r = _encode_point(tlog_verify._mul(r, tlog_verify.BASE))
    k = int.from_bytes(hashlib.sha512(encoded_r + public + message).digest(), "little") % tlog_verify.L
    return encoded_r + ((r + k * scalar) % tlog_verify.L).to_bytes(32, "little")


# ----- records (Specs/log-format.md sections 3, 5, 10), for the campaigns that forge them ----------

def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def record_hash(record):
    """Section 5: the hash of the record without `hash` and `sig`, with its version's prefix."""
    body = {key: value for key, value in record.items() if key not in ("hash", "sig")}
    return hashlib.sha256(b"ledger.record.v%d\n" % record["v"] + canonical(body)).hexdigest()


def append_message(first_seq, last_seq, last_hash):
    """Section 10.2: what an operator signs for an append."""
    return b"ledger.append.v2\n%d\n%d\n%s\n" % (first_seq, last_seq, last_hash.encode())


def sign_append(records, seed):
    """Signs records (one append, hashes set) with `seed`: the last one gets `sig`."""
    signature = ed25519_sign(seed, append_message(records[0]["seq"], records[-1]["seq"], records[-1]["hash"]))
    records[-1]["sig"] = base64.b64encode(signature).decode()


def note_event(text, idem=None, effective="2026-01-15"):
    """The campaigns' records: free-text annotations (`note.recorded`, Specs/events.md)."""
    event = {"type": "note.recorded", "payload": {"text": text}, "effective": effective}
    if idem is not None:
        event["idem"] = idem
    return event


def event_line(event):
    return json.dumps(event, ensure_ascii=False, separators=(",", ":"))


def timestamp(base_seconds, offset_microseconds):
    """LEDGER_NOW text for a deterministic clock: base (Unix seconds) + offset."""
    micros = base_seconds * 1_000_000 + offset_microseconds
    seconds, fraction = divmod(micros, 1_000_000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + ".%06dZ" % fraction


def print_table(title, header, rows):
    """A plain-text table; every cell is str()-ed."""
    table = [list(map(str, header))] + [list(map(str, row)) for row in rows]
    widths = [max(len(row[column]) for row in table) for column in range(len(header))]
    print()
    print(title)
    rule = "  ".join("-" * width for width in widths)
    for index, row in enumerate(table):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        if index == 0:
            print(rule)
    sys.stdout.flush()


class Checks:
    """Counts checks; keeps the first failures for the report."""

    def __init__(self, keep=25):
        self.count = 0
        self.failures = []
        self.failed = 0
        self.keep = keep

    def check(self, condition, message):
        self.count += 1
        if not condition:
            self.failed += 1
            if len(self.failures) < self.keep:
                self.failures.append(message)
            print("  CHECK FAILED: " + message, file=sys.stderr)
            sys.stderr.flush()
        return condition

    def report(self):
        if self.failures:
            print()
            print("First failed checks (%d failed of %d):" % (self.failed, self.count))
            for message in self.failures:
                print("  - " + message)


def finish(campaign, checks, totals, totals_file=None, workdir=None, keep=False):
    """Prints the summary line (and appends it to `totals_file`); removes `workdir` after a
    passing run unless `keep`: a failing run keeps its evidence. Returns the exit status."""
    totals = dict(totals)
    totals["campaign"] = campaign
    totals["checks"] = checks.count
    totals["checks_failed"] = checks.failed
    totals["passed"] = checks.failed == 0
    checks.report()
    line = "TOTALS " + json.dumps(totals, sort_keys=True)
    print()
    print(line)
    print("%s: %s" % (campaign, "PASS" if checks.failed == 0 else "FAIL"))
    sys.stdout.flush()
    if totals_file:
        with open(totals_file, "a") as handle:
            handle.write(line + "\n")
    if workdir and not keep and checks.failed == 0:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if checks.failed == 0 else 1


def kill_group(process):
    try:
        os.kill(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass

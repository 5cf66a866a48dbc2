#!/usr/bin/env python3
"""Tampering campaign: on a signed ledger of 1,002 records (a genesis, a registration, ten batches of
a hundred by two operators; --quick: batches of twenty, 202 records), apply one change at a time to
a copy and check that `ledger verify` reports it with the right kind, sequence number, line and
byte offset (Specs/log-format.md, section 8), and that untouched ledgers raise no alarm.

Changes: every byte of a sample of records flipped (XOR with a mask); a line deleted, duplicated,
swapped with its neighbour, inserted (blank, garbage, a forged record); the log truncated at an
append's end, inside an append and inside a line, with and without a checkpoint; records edited
with their own hash recomputed; records edited and the whole chain re-hashed after them (the
signatures then fail: BAD_SIGNATURE at the end of the edited append); the whole log rewritten and
re-signed with keys of the forger's own, a new genesis key included (only a checkpoint catches
that: what an insider can still do, Specs/trust.md section 2); edits that reach the kinds a flip
cannot (TIME_REGRESSION, UNSUPPORTED_VERSION, a second genesis, LINK_MISMATCH, NON_CANONICAL forms,
unknown members, signatures removed, moved, copied or added, an actor changed inside an append,
another ledger's checkpoint).

The expected kind of every change is derived from the spec, never from our verifier: for a
flipped byte by where the byte is (which member, key or value, escape, structure) and what it
becomes: a set when the spec allows more than one reading (e.g. MALFORMED or NON_CANONICAL for a
backslash), a single kind otherwise; for the rest by the order of section 8's steps and section
10's appends (a signature covers its append's records through the last one's hash, so a record
edited with its hash recomputed fails at the end of its append, BAD_SIGNATURE, or at the next
line, LINK_MISMATCH, whichever comes first; records after the last signed one are an
UNFINISHED_BATCH). The sequence number is always exact. Every verdict without a checkpoint is
also compared with scripts/independent_verify.py (its pure-Python signature checks and line
decodings memoized: pure functions, whose arguments recur from case to case).

Usage: tamper.py [--quick] [--bin PATH] [--seed N] [--records-sampled N] [--strict]
"""
import base64
import contextlib
import functools
import hashlib
import importlib.util
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from known_issues import KnownIssues  # noqa: E402

DEFAULT_SEED = 20260602
BATCHES, BATCH_SIZE, QUICK_BATCH_SIZE = 10, 100, 20
BASE_SECONDS = 1768471200  # 2026-01-15T10:00:00Z: the ledger is a simulation (a fixed clock)
SECOND = "OP-CLERK"        # a second operator: one batch in three is theirs, signed by their key

HEX = re.compile(r"[0-9a-f]{64}\Z")
ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}\Z")
TYPE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*\Z")
KEY = re.compile(r"[a-z][a-z0-9_]*\Z")
TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z\Z")
ORIGIN = re.compile(r"[!-*,-~]{1,255}\Z")
IDEM = re.compile(r"[!-~]{1,128}\Z")

# Texts that give the flips something to bite on: escapes, multi-byte UTF-8, JSON punctuation.
TEXTS = [
    "contribution receipt checked", "quote \" and backslash \\ inside", "line\nbreak and\ttab",
    "caf\u00e9 cr\u00e8me, \u00c5ngstr\u00f6m", "emoji \U0001F600 and CJK \u4e2d\u6587", "braces {} [] : , inside",
    "slash / and DEL \u007f and U+2028 \u2028 end", "x", "a" * 300,
]


# ----- canonical encoding, hashing and signing (sections 3, 5, 10), for forging records ----------

canonical = common.canonical


def record_line(record):
    """The canonical line of a record (without newline), its hash recomputed (sig kept as is)."""
    record["hash"] = common.record_hash(record)
    return canonical(record)


def rehash_from(records, start):
    """Re-links and re-hashes records[start:] so the chain is whole again; returns the lines. The
    signatures are left as they were: they no longer verify (the forger holds no key)."""
    lines = []
    for index, record in enumerate(records):
        if index >= start:
            record["prev"] = records[index - 1]["hash"] if index > 0 else "0" * 64
            record["seq"] = index
            lines.append(record_line(record))
        else:
            lines.append(canonical(record))
    return lines


def forger_seed(name):
    """A key the forger makes for themselves (any 32 bytes are an Ed25519 seed)."""
    return hashlib.sha256(b"tamper campaign forger " + name.encode()).digest()


def forger_key(name):
    return base64.b64encode(common.ed25519_public(forger_seed(name))).decode()


def resign(records):
    """The whole log rewritten as the forger's own (what remains possible, Specs/trust.md section
    2): the genesis and every registration name keys the forger holds, the chain is re-hashed and
    every append re-signed (a record carrying `sig` ends an append). Returns the lines."""
    records[0]["payload"]["key"] = forger_key(records[0]["actor"])
    for record in records:
        if record["type"] == "operator.registered":
            record["payload"]["key"] = forger_key(record["payload"]["operator"])
    rehash_from(records, 0)
    first = 0
    for index, record in enumerate(records):
        if "sig" in record:
            common.sign_append(records[first:index + 1], forger_seed(record["actor"]))
            first = index + 1
    return [canonical(record) for record in records]


def harmless_edit(record, text):
    """Changes a record's content so that it still obeys every rule (events.md): a note's text, a
    registration's role (to one that may still append notes)."""
    if record["type"] == "operator.registered":
        record["payload"]["role"] = "secretary"
    else:
        record["payload"] = {"text": text}


def b64_of(text, size):
    """The bytes of `text` if it is the canonical base64 of exactly `size` bytes (section 4), else None."""
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError:
        return None
    return raw if len(raw) == size and base64.b64encode(raw).decode() == text else None


def public_key_ok(text):
    """Section 4: a genesis `key` is the canonical base64 of 32 bytes that encode a curve point."""
    raw = b64_of(text, 32)
    return raw is not None and common.tlog_verify._decompress(raw) is not None


def valid_date(text):
    if not re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        return False
    year, month, day = int(text[:4]), int(text[5:7]), int(text[8:10])
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return year >= 1 and 1 <= month <= 12 and 1 <= day <= days[month - 1]


def valid_time(text):
    return bool(TIME.match(text)) and valid_date(text[:10]) and int(text[11:13]) < 24 \
        and int(text[14:16]) < 60 and int(text[17:19]) < 60


# ----- where each byte of a canonical line is --------------------------------------------------

class Regions:
    """Labels each byte of a canonical record line: structure, a key (with the key path), a
    string value (plain byte or part of an escape), or a number."""

    def __init__(self, line):
        self.line = line
        self.labels = [None] * len(line)
        self.strings = {}   # path -> (start, end) of the string's interior bytes
        self.keys = {}      # path of the object -> list of (key, start, end)
        end = self.value(0, ())
        assert end == len(line), "not one canonical value"

    def mark(self, start, end, label):
        for index in range(start, end):
            self.labels[index] = label

    def value(self, index, path):
        byte = self.line[index:index + 1]
        if byte == b"{":
            self.mark(index, index + 1, ("struct",))
            index += 1
            members = self.keys.setdefault(path, [])
            while self.line[index:index + 1] != b"}":
                key_end = self.string_end(index)
                key = self.line[index + 1:key_end - 1].decode()
                self.mark(index, index + 1, ("struct",))
                self.mark(index + 1, key_end - 1, ("key", path, key))
                self.mark(key_end - 1, key_end + 1, ("struct",))  # closing quote and colon
                members.append((key, index + 1, key_end - 1))
                index = self.value(key_end + 1, path + (key,))
                if self.line[index:index + 1] == b",":
                    self.mark(index, index + 1, ("struct",))
                    index += 1
            self.mark(index, index + 1, ("struct",))
            return index + 1
        if byte == b'"':
            end = self.string_end(index)
            self.mark(index, index + 1, ("struct",))
            self.mark(end - 1, end, ("struct",))
            position = index + 1
            while position < end - 1:
                if self.line[position] == 0x5C:
                    length = 6 if self.line[position + 1] == 0x75 else 2
                    self.mark(position, position + length, ("escape", path))
                    position += length
                else:
                    self.mark(position, position + 1, ("string", path))
                    position += 1
            self.strings[path] = (index + 1, end - 1)
            return end
        match = re.compile(rb"-?\d+").match(self.line, index)
        self.mark(index, match.end(), ("number", path))
        return match.end()

    def string_end(self, index):
        position = index + 1
        while self.line[position] != 0x22:
            position += 2 if self.line[position] == 0x5C else 1
        return position + 1


def region_name(label):
    kind = label[0]
    if kind == "struct":
        return "structure"
    if kind == "key":
        return "key in payload" if label[1] else "envelope key"
    path = label[1]
    if path[0] == "payload":
        return "payload value"
    return path[0]


# ----- the expected verdict of a flipped byte ----------------------------------------------------

def content_kinds(path, value, genesis):
    """The kind for a string member whose decoded value changed to `value` (None: unknown)."""
    top = path[0]
    if top == "payload":
        if genesis:
            field = path[1] if len(path) > 1 else ""
            rules = {"currency": lambda v: re.fullmatch("[A-Z]{3}", v) is not None,
                     "name": lambda v: 1 <= len(v.encode()) <= 200,
                     "origin": lambda v: ORIGIN.match(v) is not None,
                     "key": public_key_ok,                       # version 2: the founder's key
                     "clock": lambda v: v == "simulated"}
            if value is None:
                return {"HASH_MISMATCH", "GENESIS_INVALID"}
            return {"HASH_MISMATCH"} if rules.get(field, lambda v: True)(value) else {"GENESIS_INVALID"}
        return {"HASH_MISMATCH"}
    if top == "sig":
        # Left out of the hash (section 5): a well-formed signature that changed fails step 11.
        if value is None:
            return {"SCHEMA_VIOLATION", "BAD_SIGNATURE"}
        return {"BAD_SIGNATURE"} if b64_of(value, 64) is not None else {"SCHEMA_VIOLATION"}
    check = {"hash": lambda v: HEX.match(v), "prev": lambda v: HEX.match(v), "actor": lambda v: ID.match(v),
             "effective": valid_date, "recorded_at": valid_time, "idem": lambda v: IDEM.match(v),
             "type": lambda v: TYPE.match(v) and len(v.encode()) <= 64}[top]
    if value is None:
        kinds = {"HASH_MISMATCH", "SCHEMA_VIOLATION"}
    else:
        kinds = {"HASH_MISMATCH"} if check(value) else {"SCHEMA_VIOLATION"}
    if top == "type" and "HASH_MISMATCH" in kinds and (genesis or value == "ledger.genesis" or value is None):
        kinds = (kinds - {"HASH_MISMATCH"}) | {"GENESIS_INVALID"} if value is not None else kinds | {"GENESIS_INVALID"}
    return kinds


def expected_flip(regions, position, new_byte, position_seq, genesis):
    """(set of kinds, exact seq) for `line` with byte `position` replaced by `new_byte`."""
    line = regions.line
    label = regions.labels[position]
    kind = label[0]
    mutated = line[:position] + bytes([new_byte]) + line[position + 1:]
    whitespace = new_byte in (0x20, 0x09, 0x0D)
    if new_byte == 0x0A or kind == "struct":
        return {"MALFORMED"}, position_seq
    if kind == "number":
        start, end = position, position
        while start > 0 and regions.labels[start - 1] == label:
            start -= 1
        while end < len(line) and regions.labels[end] == label:
            end += 1
        text = mutated[start:end]
        if whitespace:
            # Whitespace beside a number is JSON, but not canonical, if what is left is a number
            # ("1001" -> "\t001" leaves leading zeros: not JSON).
            rest = text.strip(b" \t\r")
            if end - start > 1 and position in (start, end - 1) and re.fullmatch(rb"-?(0|[1-9]\d*)", rest):
                return {"NON_CANONICAL"}, position_seq
            return {"MALFORMED"}, position_seq
        if not re.fullmatch(rb"-?\d+", text):
            return {"MALFORMED"}, position_seq
        if re.fullmatch(rb"-?0\d+", text) or text == b"-0":
            return {"MALFORMED", "NON_CANONICAL"}, position_seq
        value = int(text)
        field = label[1]
        if field == ("v",):
            # Version 1 is supported, but lower than the log's 2 (or a v1 record with sig): step 4.
            return ({"SCHEMA_VIOLATION"} if value in (1, 2) else {"UNSUPPORTED_VERSION"}), position_seq
        if field == ("seq",):
            return ({"SCHEMA_VIOLATION"}, position_seq) if value < 0 else ({"SEQUENCE_GAP"}, value)
        if field == ("payload", "minor_units") and genesis:
            return ({"HASH_MISMATCH"} if 0 <= value <= 4 else {"GENESIS_INVALID"}), position_seq
        return {"HASH_MISMATCH"}, position_seq
    if new_byte < 0x20 and not (kind == "string" and False):
        return {"MALFORMED"}, position_seq
    if kind == "key":
        path, key = label[1], label[2]
        if new_byte in (0x22, 0x5C):
            return {"MALFORMED", "NON_CANONICAL"}, position_seq
        members = regions.keys[path]
        start = next(s for k, s, e in members if k == key)
        try:
            new_key = mutated[start:start + len(key.encode())].decode("utf-8")
        except UnicodeDecodeError:
            return {"MALFORMED"}, position_seq
        if not KEY.match(new_key):
            return {"MALFORMED"}, position_seq
        names = [new_key if k == key else k for k, _, _ in members]
        if len(set(names)) != len(names):
            return {"MALFORMED"}, position_seq
        if names != sorted(names):
            return {"NON_CANONICAL"}, position_seq
        if not path:
            return {"SCHEMA_VIOLATION"}, position_seq
        return ({"GENESIS_INVALID"} if genesis else {"HASH_MISMATCH"}), position_seq
    path = label[1]
    if kind == "escape" or new_byte == 0x5C:
        return {"MALFORMED", "NON_CANONICAL"} | content_kinds(path, None, genesis), position_seq
    if new_byte == 0x22:
        return {"MALFORMED"}, position_seq
    start, end = regions.strings[path]
    try:
        value = mutated[start:end].decode("utf-8")
    except UnicodeDecodeError:
        return {"MALFORMED"}, position_seq
    if not unicodedata.is_normalized("NFC", value):
        return {"NON_CANONICAL"}, position_seq
    if any(ch in value for ch in '"\\') or any(ord(ch) < 0x20 for ch in value):
        return {"MALFORMED", "NON_CANONICAL"} | content_kinds(path, None, genesis), position_seq
    return content_kinds(path, value, genesis), position_seq


# ----- the campaign -------------------------------------------------------------------------------

class Campaign:
    def __init__(self, binary, workdir, rng, checks, known, batch_size=BATCH_SIZE):
        self.binary, self.workdir, self.rng, self.checks, self.known = binary, workdir, rng, checks, known
        self.batch_size = batch_size
        self.source = os.path.join(workdir, "ledger")
        self.copy = os.path.join(workdir, "copy")
        os.makedirs(self.copy)
        spec = importlib.util.spec_from_file_location("independent_verify",
                                                      os.path.join(common.REPO, "scripts", "independent_verify.py"))
        self.independent = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(self.independent)
        # Pure Python: 7 ms a signature, 70 ms a log. A signature check is a pure function of its
        # three arguments, a line's decoding (steps 1-4) of the line and the version before it, and
        # nearly all of them recur from case to case (one line changes): they are remembered.
        self.independent.ed25519_verify = functools.lru_cache(maxsize=None)(self.independent.ed25519_verify)
        self.independent.decode = functools.lru_cache(maxsize=None)(self.independent.decode)
        self.table = {}         # change class -> {kind reported: count}
        self.rows = {}          # change class -> [cases, as expected, expected text]
        self.agreement = [0, 0]
        self.disagreements = {}
        self.detectable = [0, 0]
        self.no_alarm = [0, 0]
        self.alarms = 0
        self.crashes = self.crashes_known = 0

    def build(self):
        self.keys = common.Keyring.install(self.binary, self.workdir)
        common.init_ledger(self.binary, self.source, now=common.timestamp(BASE_SECONDS, 0))
        # An append of one record (seq 1), then batches: appends of both shapes, by two keys.
        self.append([common.operator_event(SECOND, "clerk")], common.OPERATOR, 30_000_000)
        for batch in range(BATCHES):
            events = []
            for index in range(self.batch_size):
                number = batch * self.batch_size + index
                text = "%s #%d" % (TEXTS[number % len(TEXTS)], number)
                idem = "T-%d" % number if number % 3 == 0 else None
                effective = "2026-%02d-%02d" % (1 + number % 12, 1 + number % 28)
                events.append(common.note_event(text, idem, effective))
            operator = SECOND if batch % 3 == 2 else common.OPERATOR
            self.append(events, operator, (batch + 1) * 60_000_000)
            if batch == BATCHES // 2 - 1:
                self.checkpoint_half = self.take_checkpoint("half")
        self.checkpoint_full = self.take_checkpoint("full")
        self.original = common.read_log(self.source)
        self.lines = self.original.split(b"\n")[:-1]
        self.offsets = self.offsets_of(self.lines)
        self.records = [json.loads(line) for line in self.lines]
        self.ends = [r["seq"] for r in self.records if "sig" in r]  # the last record of each append
        self.size_full = len(self.lines)
        self.size_half = int(open(self.checkpoint_half).read().split("\n")[1])
        assert self.size_full == 2 + BATCHES * self.batch_size and self.ends[-1] == self.size_full - 1
        assert self.size_half - 1 in self.ends

    def append(self, events, operator, offset_microseconds):
        payload = "\n".join(common.event_line(e) for e in events).encode()
        result = common.run(self.binary, ["append", "--ledger", self.source, "--batch", "-"], stdin=payload,
                            env=dict(self.keys.env(operator),
                                     LEDGER_NOW=common.timestamp(BASE_SECONDS, offset_microseconds)))
        if result.status != 0:
            sys.exit("tamper: cannot build the ledger: " + result.describe())

    @staticmethod
    def offsets_of(lines):
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line) + 1)
        return offsets

    # ----- appends (log-format section 10): where they end, where they begin -----

    def end_at_or_after(self, seq):
        """The last record of the append that holds record `seq`."""
        return next(end for end in self.ends if end >= seq)

    def append_start(self, seq):
        """The first record of the append that holds record `seq`."""
        before = [end for end in self.ends if end < seq]
        return before[-1] + 1 if before else 0

    def acknowledged(self, complete):
        """Records acknowledged when the first `complete` records are in the log: up to the last
        signed one among them (section 10.3)."""
        return max(end for end in self.ends if end < complete) + 1 if complete else 0

    def take_checkpoint(self, name):
        path = os.path.join(self.workdir, "checkpoint-%s.txt" % name)
        result = common.run(self.binary, ["checkpoint", "--ledger", self.source, "--output", path])
        if result.status != 0:
            sys.exit("tamper: cannot take a checkpoint: " + result.describe())
        return path

    # ----- running the verifiers -----

    def verdict(self, data, checkpoint=None, independent=False):
        """Our verdict on `data`, and with `independent` the independent verifier's, computed
        meanwhile (two cores: the campaign takes half the time)."""
        with open(os.path.join(self.copy, "log.jsonl"), "wb") as handle:
            handle.write(data)
        argv = [self.binary, "verify", "--ledger", self.copy, "--json"]
        argv += ["--checkpoint", checkpoint] if checkpoint else []
        started = time.monotonic()
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=common.environment())
        theirs = self.independent_verdict() if independent else None
        stdout, stderr = process.communicate()
        result = common.Result(argv, process.returncode, stdout, stderr, time.monotonic() - started)
        if result.crashed or not result.stdout.strip():
            return result.status, "CRASH", None, None, None, result, theirs
        failure = json.loads(result.stdout).get("failure", {})
        return (result.status, failure.get("kind"), failure.get("seq"), failure.get("line"),
                failure.get("offset"), result, theirs)

    def independent_verdict(self):
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            self.independent.main(os.path.join(self.copy, "log.jsonl"))
        words = output.getvalue().split()
        if words[0] == "INTACT":
            return None, None, None
        fields = dict(word.split("=") for word in words[1:])
        return words[0], int(fields["line"]), int(fields["offset"])

    def case(self, change, data, kinds, seq, line=None, offset=None, checkpoint=None, exit_status=None,
             description="", issue=None):
        """Runs one case; kinds None means 'must verify intact' (exit 0, no failure)."""
        # The independent verifier checks the chain (log-format.md), not the fund's rules (events.md).
        compare = checkpoint is None and not (kinds and kinds == {"RULE_VIOLATION"})
        status, kind, got_seq, got_line, got_offset, result, theirs = self.verdict(data, checkpoint, compare)
        reported = kind or ("intact" if status == 0 else "exit %d" % status)
        counts = self.table.setdefault(change, {})
        counts[reported] = counts.get(reported, 0) + 1
        row = self.rows.setdefault(change, [0, 0, set()])
        row[0] += 1
        if kinds is None:
            good = status == 0 and kind is None
            row[2].add("intact")
            self.no_alarm[0] += 1
            self.no_alarm[1] += good
        else:
            expected_status = exit_status if exit_status is not None else 1
            good = (status == expected_status and kind in kinds and got_seq == seq
                    and (line is None or got_line == line) and (offset is None or got_offset == offset))
            row[2].update(kinds)
            self.detectable[0] += 1
            self.detectable[1] += good
            self.alarms += status != 0
        message = "%s (%s): got exit %d %s seq %s line %s offset %s; expected %s seq %s line %s offset %s" % (
            change, description, status, kind, got_seq, got_line, got_offset,
            "intact" if kinds is None else sorted(kinds), seq, line, offset)
        if kind == "CRASH":
            self.crashes += 1
            self.crashes_known += bool(issue) and not self.known.strict
            if issue:
                self.known.check(self.checks, False, issue, "CRASH " + message + " " + result.describe())
            else:
                self.checks.check(False, "CRASH " + message + " " + result.describe())
        elif issue:
            self.known.check(self.checks, good, issue, message)
        else:
            self.checks.check(good, message)
        row[1] += good
        if compare and kind != "CRASH":
            ours = (kind, got_line, got_offset) if kind else (None, None, None)
            agree = theirs[0] == ours[0] and (theirs[0] is None or theirs[1:] == ours[1:])
            self.agreement[0] += 1
            self.agreement[1] += agree
            if not agree:
                key = "%s: ours %s, independent %s" % (change, ours[0], theirs[0])
                self.disagreements.setdefault(key, []).append(description)
        return good

    # ----- the changes -----

    def sample_records(self, count):
        fixed = [0, 1, 3, 4, 5, 6, 10, self.size_half, self.size_full - 1]
        rest = [n for n in range(2, self.size_full - 1) if n not in fixed]
        chosen = fixed[:count] if count <= len(fixed) else fixed + self.rng.sample(rest, count - len(fixed))
        return sorted(set(chosen))

    def flips(self, sampled, masks_per_byte):
        for k in sampled:
            line = self.lines[k]
            regions = Regions(line)
            for position in range(len(line) + 1):  # the newline too
                for round_number in range(masks_per_byte):
                    mask = [0x01, 0x20][round_number] if round_number < masks_per_byte - 1 else self.rng.randrange(1, 256)
                    if position == len(line):
                        self.flip_newline(k, 0x0A ^ mask)
                        continue
                    new_byte = line[position] ^ mask
                    kinds, seq = expected_flip(regions, position, new_byte, k, k == 0)
                    label = regions.labels[position]
                    change = "byte flipped: " + region_name(label)
                    start = self.offsets[k]
                    data = self.original[:start + position] + bytes([new_byte]) + self.original[start + position + 1:]
                    self.case(change, data, kinds, seq, k + 1, start,
                              description="record %d byte %d %r -> %#04x" % (k, position, chr(line[position]), new_byte))

    def flip_newline(self, k, new_byte):
        data = self.original[:self.offsets[k + 1] - 1] + bytes([new_byte]) + self.original[self.offsets[k + 1]:]
        description = "record %d, newline -> %#04x" % (k, new_byte)
        if k < self.size_full - 1:
            # Two lines become one that is not JSON.
            self.case("byte flipped: newline", data, {"MALFORMED"}, k, k + 1, self.offsets[k], description=description)
        elif k - 1 in self.ends:
            # The last record becomes an unterminated tail after a signed one.
            self.case("byte flipped: newline", data, {"TORN_TAIL"}, k, k + 1, self.offsets[k], exit_status=3,
                      description=description)
        else:
            # The last append's signed record becomes a tail: the records before it are unfinished.
            start = self.append_start(k)
            self.case("byte flipped: newline", data, {"UNFINISHED_BATCH"}, start, start + 1, self.offsets[start],
                      exit_status=common.UNFINISHED, description=description)

    def join(self, lines):
        return b"".join(line + b"\n" for line in lines)

    def forged(self, k, text):
        """A well-formed note that fits at position k: the previous record's actor, time and hash,
        no signature (the forger holds no key)."""
        record = dict(self.records[max(1, k - 1)], seq=k, prev=self.records[k - 1]["hash"],
                      recorded_at=self.records[k - 1]["recorded_at"], payload={"text": text}, v=2,
                      type="note.recorded", actor=self.records[k - 1]["actor"])
        record.pop("idem", None)
        record.pop("sig", None)
        return record

    def line_edits(self, positions):
        n = self.size_full
        for k in positions:
            if k < n - 1:
                self.case("line deleted", self.join(self.lines[:k] + self.lines[k + 1:]), {"SEQUENCE_GAP"}, k + 1,
                          k + 1, self.offsets[k], description="line %d" % (k + 1))
            self.case("line duplicated", self.join(self.lines[:k + 1] + self.lines[k:]), {"SEQUENCE_GAP"}, k,
                      k + 2, self.offsets[k + 1], description="line %d" % (k + 1))
            if k < n - 1:
                swapped = self.lines[:k] + [self.lines[k + 1], self.lines[k]] + self.lines[k + 2:]
                self.case("line swapped with the next", self.join(swapped), {"SEQUENCE_GAP"}, k + 1, k + 1,
                          self.offsets[k], description="lines %d and %d" % (k + 1, k + 2))
            self.case("line inserted: blank", self.join(self.lines[:k] + [b""] + self.lines[k:]), {"MALFORMED"}, k,
                      k + 1, self.offsets[k], description="before line %d" % (k + 1))
            self.case("line inserted: not JSON", self.join(self.lines[:k] + [b"hello"] + self.lines[k:]),
                      {"MALFORMED"}, k, k + 1, self.offsets[k], description="before line %d" % (k + 1))
            self.case("line inserted: {}", self.join(self.lines[:k] + [b"{}"] + self.lines[k:]),
                      {"SCHEMA_VIOLATION"}, k, k + 1, self.offsets[k], description="before line %d" % (k + 1))
            if k > 0:
                forged_line = record_line(self.forged(k, "forged payment approval"))
                self.case("line inserted: forged record", self.join(self.lines[:k] + [forged_line] + self.lines[k:]),
                          {"SEQUENCE_GAP"}, k, k + 2, self.offsets[k] + len(forged_line) + 1,
                          description="valid record with seq %d before line %d" % (k, k + 1))

    def truncations(self, sizes):
        """The log cut after `m` records, and inside line m. Cut at an append's end it is a shorter
        log nobody can tell from the real one but with a checkpoint (Specs/trust.md section 2);
        cut inside an append, the records after the last signed one are an UNFINISHED_BATCH; a
        checkpoint failure takes precedence over both crash reports (proofs.md section 5) and is
        judged on the acknowledged records (log-format section 10.3)."""
        for m in sizes:
            data = self.original[:self.offsets[m]]
            if m == 0:
                self.case("truncated to nothing", data, {"GENESIS_INVALID"}, 0, 1, 0, description="empty log")
                continue
            acknowledged = self.acknowledged(m)
            if m - 1 in self.ends:
                self.case("truncated at an append's end, no checkpoint (undetectable)", data, None, None,
                          description="kept %d lines" % m)
            else:
                self.case("truncated inside an append, no checkpoint", data, {"UNFINISHED_BATCH"}, acknowledged,
                          acknowledged + 1, self.offsets[acknowledged], exit_status=common.UNFINISHED,
                          description="kept %d lines" % m)
                if acknowledged >= self.size_half:
                    # The checkpoint holds (the acknowledged records extend it): the log's own verdict stands.
                    self.case("truncated inside an append after the older checkpoint (it holds)", data,
                              {"UNFINISHED_BATCH"}, acknowledged, acknowledged + 1, self.offsets[acknowledged],
                              exit_status=common.UNFINISHED, checkpoint=self.checkpoint_half,
                              description="kept %d lines" % m)
            self.case("truncated at a line boundary, with checkpoint", data, {"TRUNCATED"}, acknowledged,
                      checkpoint=self.checkpoint_full, description="kept %d lines" % m)
            cut = self.offsets[m] + self.rng.randrange(1, len(self.lines[m]))
            if m - 1 in self.ends:
                self.case("truncated inside a line after an append's end, no checkpoint", self.original[:cut],
                          {"TORN_TAIL"}, m, m + 1, self.offsets[m], exit_status=3, description="cut at byte %d" % cut)
            else:
                self.case("truncated inside a line inside an append, no checkpoint", self.original[:cut],
                          {"UNFINISHED_BATCH"}, acknowledged, acknowledged + 1, self.offsets[acknowledged],
                          exit_status=common.UNFINISHED, description="cut at byte %d" % cut)
            self.case("truncated inside a line, with checkpoint", self.original[:cut], {"TRUNCATED"}, acknowledged,
                      checkpoint=self.checkpoint_full, description="cut at byte %d" % cut)

    def copy_records(self):
        return [json.loads(line) for line in self.lines]

    def rehashed_edits(self, positions):
        n, half = self.size_full, self.size_half
        for k in positions:
            def edit(records):
                if k > 0:
                    harmless_edit(records[k], "rewritten history #%d" % k)
                else:
                    records[0]["payload"]["name"] = "Other fund"
            records = self.copy_records()
            edit(records)
            lines = rehash_from(records, k)
            # The chain is whole again, but the signature at the end of k's append covers the old hash.
            end = self.end_at_or_after(k)
            self.case("record edited, chain re-hashed, signatures left", self.join(lines), {"BAD_SIGNATURE"}, end, end + 1,
                      self.offsets_of(lines)[end], description="record %d, append ending at %d" % (k, end))
            records = self.copy_records()
            edit(records)
            data = self.join(resign(records))
            self.case("record edited, whole log re-signed with the forger's keys, no checkpoint (undetectable)", data,
                      None, None, description="record %d" % k)
            self.case("record edited, whole log re-signed, with checkpoint", data, {"FORKED"}, n - 1,
                      checkpoint=self.checkpoint_full, description="record %d" % k)
            # Re-signing needs a new genesis key, so every record's hash changes: whatever the
            # record edited, an older checkpoint no longer matches either.
            self.case("record edited, whole log re-signed, with an older checkpoint", data, {"FORKED"}, half - 1,
                      checkpoint=self.checkpoint_half, description="record %d, checkpoint size %d" % (k, half))
            if k > 0:
                records = self.copy_records()
                if "sig" in records[k] and k - 1 not in self.ends:
                    records[k - 1]["sig"] = ""  # the append now ends one record earlier
                deleted = records.pop(k)
                data = self.join(resign(records))
                if deleted["type"] == "operator.registered":
                    # Their appends now come from nobody: the rules fail first (A1.operator-unknown).
                    who = deleted["payload"]["operator"]
                    seq = next(index for index, r in enumerate(records) if r["actor"] == who)
                    self.case("registration deleted, log re-numbered and re-signed, with checkpoint", data,
                              {"RULE_VIOLATION"}, seq, seq + 1, checkpoint=self.checkpoint_full, description="record %d" % k)
                else:
                    self.case("record deleted, log re-numbered and re-signed, with checkpoint", data, {"TRUNCATED"},
                              n - 1, checkpoint=self.checkpoint_full, description="record %d" % k)
                records = self.copy_records()
                records.insert(k, dict(self.forged(k, "forged"), sig=""))  # an append of its own
                data = self.join(resign(records))
                self.case("record inserted, log re-numbered and re-signed, with checkpoint", data, {"FORKED"},
                          n - 1, checkpoint=self.checkpoint_full, description="before record %d" % k)
            if 0 < k < n - 1:
                records = self.copy_records()
                harmless_edit(records[k], "edited, own hash recomputed")
                lines = list(self.lines)
                lines[k] = record_line(records[k])
                if k in self.ends:
                    # Its own signature covers its old hash: step 11 on its own line.
                    self.case("record edited, its own hash recomputed (an append's last)", self.join(lines),
                              {"BAD_SIGNATURE"}, k, k + 1, self.offsets[k], description="record %d" % k)
                else:
                    self.case("record edited, its own hash recomputed", self.join(lines), {"LINK_MISMATCH"}, k + 1,
                              k + 2, self.offsets[k] + len(lines[k]) + 1, description="record %d" % k)

    def kind_probes(self, positions):
        """Edits that reach the kinds a single flip cannot, each at a chosen record."""
        for k in positions:
            if k == 0:
                continue
            offset = self.offsets[k]

            def rehashed(edit):
                records = self.copy_records()
                edit(records[k])
                return self.join(rehash_from(records, k))

            def back_in_time(record):
                record["recorded_at"] = "2026-01-15T09:00:00.000000Z"
            self.case("recorded_at moved back (chain re-hashed)", rehashed(back_in_time), {"TIME_REGRESSION"}, k, k + 1,
                      offset, description="record %d" % k)
            self.case("format version 3 (chain re-hashed)", rehashed(lambda r: r.update(v=3)), {"UNSUPPORTED_VERSION"},
                      k, k + 1, offset, description="record %d" % k)
            # Version 1 after version 2: the version never decreases (and a v1 record has no sig).
            self.case("format version 1 in a version-2 log (chain re-hashed)", rehashed(lambda r: r.update(v=1)),
                      {"SCHEMA_VIOLATION"}, k, k + 1, offset, description="record %d" % k)
            self.case("second genesis record (chain re-hashed)",
                      rehashed(lambda r: r.update(type="ledger.genesis", payload=self.records[0]["payload"])),
                      {"GENESIS_INVALID"}, k, k + 1, offset, description="record %d" % k)
            self.case("unknown member added (chain re-hashed)", rehashed(lambda r: r.update(approved_by="mallory")),
                      {"SCHEMA_VIOLATION"}, k, k + 1, offset, description="record %d" % k)
            # A history re-hashed to pass the chain checks but breaking the fund's rules (events.md).
            for description, edit in (
                    ("actor not a registered operator", lambda r: r.update(actor="OP-MALLORY")),
                    ("note text emptied", lambda r: r.update(payload={"text": ""})),
                    ("a type outside the catalogue", lambda r: r.update(type="note.forged")),
                    ("payment executed out of nowhere", lambda r: r.update(
                        type="disbursement.executed", payload={"disbursement": "DSB-404", "ref": "OUT-1"}))):
                self.case("rule broken, chain re-hashed: " + description, rehashed(edit), {"RULE_VIOLATION"}, k, k + 1,
                          offset, description="record %d" % k)
            record = self.copy_records()[k]
            spaced = json.dumps(record, sort_keys=True, ensure_ascii=False).encode()
            lines = list(self.lines)
            lines[k] = spaced
            self.case("whitespace added (same content)", self.join(lines), {"NON_CANONICAL"}, k, k + 1, offset,
                      description="record %d" % k)
            reordered = json.dumps(dict(reversed(list(record.items()))), separators=(",", ":"), ensure_ascii=False)
            lines[k] = reordered.encode()
            self.case("members reordered (same content)", self.join(lines), {"NON_CANONICAL"}, k, k + 1, offset,
                      description="record %d" % k)
            # Integer forms outside the subset (section 3): the spec forbids "-0" and leading zeros.
            zero = dict(record, payload=dict(record["payload"], n=0))
            for form in (b"-0", b"00", b"1.0", b"1e2"):
                lines[k] = canonical(zero).replace(b'"n":0', b'"n":' + form)
                self.case("integer written as %s" % form.decode(), self.join(lines), {"MALFORMED", "NON_CANONICAL"},
                          k, k + 1, offset, description="record %d" % k)
            escaped = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()
            if escaped != self.lines[k]:
                lines[k] = escaped
                self.case("non-ASCII written as \\u escapes (same content)", self.join(lines), {"NON_CANONICAL"}, k,
                          k + 1, offset, description="record %d" % k)

    def signature_probes(self, positions):
        """Edits of the signatures alone (section 10.3): `sig` is left out of the hash, so the chain
        stays whole and step 11 alone can tell."""
        n = self.size_full
        for k in positions:
            end = self.end_at_or_after(k)
            start = self.append_start(k)
            lines = list(self.lines)

            def with_records(changes):
                edited = list(lines)
                for seq, record in changes.items():
                    edited[seq] = canonical(record)
                return self.join(edited)

            record = self.copy_records()[end]
            del record["sig"]
            edited = self.offsets_of([canonical(record) if seq == end else line for seq, line in enumerate(lines)])
            if end == 0:
                # A version-2 genesis without its signature is no valid genesis (log-format section 4).
                self.case("signature removed from the genesis", with_records({end: record}), {"GENESIS_INVALID"}, 0, 1, 0,
                          description="record 0")
            elif end == n - 1:
                # The log now ends with unsigned records: an append that never finished.
                self.case("signature removed from the log's last append", with_records({end: record}),
                          {"UNFINISHED_BATCH"}, start, start + 1, self.offsets[start], exit_status=common.UNFINISHED,
                          description="record %d" % end)
            else:
                # The append runs on into the next one: it fails where the actor changes or at the next signature.
                failing = next(seq for seq in range(end + 1, n) if seq in self.ends or
                               self.records[seq]["actor"] != self.records[start]["actor"])
                self.case("signature removed from an append's last record", with_records({end: record}),
                          {"BAD_SIGNATURE"}, failing, failing + 1, edited[failing], description="record %d" % end)
            other = self.ends[(self.ends.index(end) + 1) % len(self.ends)]
            record = dict(self.records[end], sig=self.records[other]["sig"])
            self.case("signature copied from another append", with_records({end: record}), {"BAD_SIGNATURE"}, end,
                      end + 1, self.offsets[end], description="record %d gets %d's" % (end, other))
            if end > start:
                moved = dict(self.records[end - 1], sig=self.records[end]["sig"])
                last = dict(self.records[end])
                del last["sig"]
                self.case("signature moved to the record before", with_records({end - 1: moved, end: last}),
                          {"BAD_SIGNATURE"}, end - 1, end, self.offsets[end - 1], description="record %d" % end)
            if k not in self.ends:
                added = dict(self.records[k], sig=self.records[end]["sig"])
                self.case("signature added inside an append", with_records({k: added}), {"BAD_SIGNATURE"}, k, k + 1,
                          self.offsets[k], description="record %d" % k)
            if k > start:
                # Another registered operator, whose role may append it: only the append's order fails.
                records = self.copy_records()
                records[k]["actor"] = SECOND if records[k]["actor"] != SECOND else common.OPERATOR
                self.case("actor changed inside an append (chain re-hashed)", self.join(rehash_from(records, k)),
                          {"BAD_SIGNATURE"}, k, k + 1, self.offsets[k], description="record %d" % k)
        records = self.copy_records()
        records[0]["payload"]["key"] = forger_key("genesis")
        self.case("genesis key replaced by the forger's (chain re-hashed)", self.join(rehash_from(records, 0)),
                  {"BAD_SIGNATURE"}, 0, 1, 0, description="record 0")

    def other_ledgers(self):
        n = self.size_full
        other = os.path.join(self.workdir, "other")
        common.init_ledger(self.binary, other, now=common.timestamp(BASE_SECONDS, 0))
        events = "\n".join(common.event_line(common.note_event("other %d" % i)) for i in range(n + 5)).encode()
        result = common.run(self.binary, ["append", "--ledger", other, "--batch", "-"], stdin=events,
                            env={"LEDGER_NOW": common.timestamp(BASE_SECONDS, 60_000_000)})
        self.checks.check(result.status == 0, "the other ledger: " + result.describe())
        data = common.read_log(other)
        self.case("log replaced by another ledger with the same origin", data, {"FORKED"}, n - 1,
                  checkpoint=self.checkpoint_full, description="re-created ledger")
        foreign = os.path.join(self.workdir, "foreign")
        common.init_ledger(self.binary, foreign, origin="another.example/fund", name="Other")
        path = os.path.join(self.workdir, "checkpoint-foreign.txt")
        common.run(self.binary, ["checkpoint", "--ledger", foreign, "--output", path])
        self.case("checkpoint of another ledger", self.original, {"ORIGIN_MISMATCH"}, None, checkpoint=path,
                  description="origin another.example/fund")

    def untouched(self):
        for checkpoint in (None, self.checkpoint_full, self.checkpoint_half):
            self.case("untouched", self.original, None, None, checkpoint=checkpoint,
                      description="checkpoint %s" % (os.path.basename(checkpoint) if checkpoint else "none"))
        extended = os.path.join(self.workdir, "extended")
        shutil.copytree(self.source, extended)
        result = common.run(self.binary, ["append", "--ledger", extended, "--type", "note.recorded", "--payload",
                                          '{"text":"a later honest record"}'],
                            env={"LEDGER_NOW": common.timestamp(BASE_SECONDS, 3600_000_000)})
        self.checks.check(result.status == 0, "the honest append: " + result.describe())
        data = common.read_log(extended)
        for checkpoint in (None, self.checkpoint_full, self.checkpoint_half):
            self.case("untouched, extended by an honest append", data, None, None, checkpoint=checkpoint,
                      description="checkpoint %s" % (os.path.basename(checkpoint) if checkpoint else "none"))


def main():
    parser = common.base_arguments(__doc__.split("\n")[0])
    parser.add_argument("--records-sampled", type=int, default=None, help="records whose every byte is flipped "
                        "(full 12, quick 2)")
    parser.add_argument("--strict", action="store_true", help="known issues fail the campaign too")
    options = parser.parse_args()
    binary = common.find_binary(options.bin)
    seed = DEFAULT_SEED if options.seed is None else options.seed
    sampled_count = options.records_sampled or (2 if options.quick else 12)
    masks = 1 if options.quick else 3
    workdir = common.make_workdir("tamper", options.workdir)
    rng = random.Random(seed)
    checks, known = common.Checks(), KnownIssues(options.strict)
    campaign = Campaign(binary, workdir, rng, checks, known, QUICK_BATCH_SIZE if options.quick else BATCH_SIZE)
    started = time.monotonic()
    campaign.build()
    # Quick: the genesis (its key, clock and signature) and the log's last record (an append's signature).
    sampled = campaign.sample_records(sampled_count) if not options.quick else [0, campaign.size_full - 1]
    # The genesis, the one-record append, a batch's first, middle and last records, the log's last.
    positions = [0, 1, 2, 499, campaign.size_half - 1, campaign.size_half, campaign.size_full - 2, campaign.size_full - 1]
    if options.quick:
        positions = [0, 1, campaign.size_half - 1, campaign.size_half + 1, campaign.size_full - 1]
    print("tamper campaign: seed %d, %d records in %d signed appends, checkpoints of %d and %d records, every byte "
          "of records %s flipped with %d mask(s) each; binary %s, work %s" % (
              seed, campaign.size_full, len(campaign.ends), campaign.size_full, campaign.size_half, sampled, masks,
              binary, workdir))
    sys.stdout.flush()
    campaign.untouched()
    campaign.line_edits(positions)
    inside = campaign.size_half + campaign.batch_size // 2   # inside an append
    campaign.truncations(sorted({0, 1, 2, campaign.size_half, inside, campaign.size_full - 1}))
    campaign.rehashed_edits(positions)
    campaign.kind_probes(positions)
    campaign.signature_probes(positions)
    campaign.other_ledgers()
    campaign.flips(sampled, masks)
    seconds = time.monotonic() - started

    kinds = sorted({kind for counts in campaign.table.values() for kind in counts})
    rows = []
    for change in sorted(campaign.table, key=lambda c: (c.startswith("byte"), c)):
        counts = campaign.table[change]
        cases, good, expected = campaign.rows[change]
        rows.append([change, cases, " | ".join(sorted(expected)), good] + [counts.get(k, "") for k in kinds])
    common.print_table("Detection table (change x kind reported by ledger verify); 'as expected' = right kind, "
                       "seq, line and offset", ["change", "cases", "expected", "as expected"] + kinds, rows)
    detected, total = campaign.detectable[1], campaign.detectable[0]
    rate = 100.0 * detected / total if total else 100.0
    rows = [["changes that must be detected", total], ["detected with the right kind and place", detected],
            ["detection rate (right kind and place)", "%.2f %%" % rate],
            ["changes that raised an alarm (verify exit not 0)", "%d (%.2f %%)" % (
                campaign.alarms, 100.0 * campaign.alarms / total if total else 100.0)],
            ["untouched or undetectable-by-design cases", campaign.no_alarm[0]],
            ["... of which verified intact (no false alarm)", campaign.no_alarm[1]],
            ["independent verifier agrees (kind, line, offset)", "%d / %d" % (campaign.agreement[1], campaign.agreement[0])],
            ["seconds", "%.1f" % seconds]]
    common.print_table("Tampering summary (seed %d)" % seed, ["what", "count"], rows)
    if campaign.disagreements:
        print()
        print("Where the independent verifier disagrees with ours:")
        for key, examples in sorted(campaign.disagreements.items()):
            print("  %s: %d case(s), e.g. %s" % (key, len(examples), examples[0]))
    known_counts = known.report()
    totals = {"seed": seed, "records": campaign.size_full, "changes_detectable": total, "detected": detected,
              "detection_rate_percent": round(rate, 2), "alarms_raised": campaign.alarms, "no_alarm_cases": campaign.no_alarm[0],
              "false_alarms": campaign.no_alarm[0] - campaign.no_alarm[1], "independent_agreement": campaign.agreement[1],
              "independent_compared": campaign.agreement[0], "seconds": round(seconds, 1), "known_issues": known_counts,
              "crashes": campaign.crashes, "crashes_unexpected": campaign.crashes - campaign.crashes_known}
    return common.finish("tamper", checks, totals, options.totals_file, workdir=workdir, keep=options.keep)


if __name__ == "__main__":
    sys.exit(main())

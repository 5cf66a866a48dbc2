#!/usr/bin/env python3
"""An independent verifier written from Specs/log-format.md alone (Python standard library only,
and the strict RFC 8032 Ed25519 of scripts/tlog_verify.py): an auditor's proof that the spec suffices.

Usage: independent_verify.py LEDGER_DIR | LOG.jsonl [--checkpoint FILE [--key VERIFIER_KEY_FILE]]
  A directory is read as DIR/log.jsonl, plus DIR/append.pending if present (section 8).
  With --checkpoint, Specs/proofs.md section 5: the signature (with --key), the log, then
  ORIGIN_MISMATCH, TRUNCATED or FORKED (printed without seq); an intact verdict ends with
  signatures=verified|not_checked|unsigned; a malformed checkpoint or key file prints
  "MALFORMED checkpoint|key (why)" (exit 2), a failing signature "BAD_SIGNATURE checkpoint".
Prints one line:
  INTACT <records> [unsigned=<version-1 records>] [bootstrap=<operator>@<seq>] [clock=simulated]
  <KIND> seq=<n> line=<n> offset=<n> [rule=<id>] [head=<hash of the last acknowledged record>]
Exit 0 intact, 1 failure, 2 could not run (bad usage, unreadable input), 3 torn tail only,
8 unfinished batch (records intact up to the last acknowledged append).

Scope: versions 1 and 2, sections 2-8 and 10.1-10.4: steps 1-9 and 11 of section 8 in full (hash per
version, the appends, their signatures under the key registry folded from the log, the bootstrap
of a log that began in version 1, UNFINISHED_BATCH, TORN_TAIL). Of step 10, the fund's rules of
Specs/events.md, only those that decide who may append and with which key:
  every record: E0.unknown-type, A1.operator-unknown, A2.role-forbidden, I15.idem-unique (version 2);
  operator.registered: S.payload, A3.operator-exists, I0.look-alike (version 2), A5.key-unique;
  operator.key_rotated: S.payload, I0.unknown-reference, A5.key-unique;
  operator.revoked: S.payload, I0.unknown-reference, A4.self-revoke.
Every other RULE_VIOLATION (other payloads, money, governance, closed periods) is OUT OF SCOPE:
such a record passes here."""
import base64, hashlib, json, os, re, sys, unicodedata
from tlog_verify import Invalid, Malformed, _decompress, _equal, _mul, check_signatures, ed25519_verify, load_verifier_keys, \
    parse_checkpoint, split_note

ID, TYPE = r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}", r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*"
TIME = r"\d{4}-\d\d-\d\dT([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{6}Z"
ENVELOPE = {"actor", "effective", "hash", "payload", "prev", "recorded_at", "seq", "type", "v"}
ROLES = {}  # Specs/events.md section 4: who may append each event type (auditors append nothing)
for roles, types in [("admin treasurer secretary clerk", "note.recorded"),
                     ("admin", "operator.registered operator.key_rotated operator.revoked territory.defined fund.opened body.constituted"),
                     ("secretary clerk", "party.registered interest.declared project.applied proxy.granted recusal.recorded vote.cast"),
                     ("secretary", "body.member_added body.member_removed ballot.opened ballot.closed decision.recorded"),
                     ("treasurer clerk", "contribution.recorded"), ("treasurer secretary clerk", "disbursement.requested"),
                     ("treasurer secretary", "disbursement.approved disbursement.rejected"),
                     ("treasurer", "contribution.reversed lender.repaid commitment.made commitment.amended commitment.cancelled "
                                   "disbursement.executed repayment.received loan.written_off period.closed")]:
    ROLES.update(dict.fromkeys(types.split(), set(roles.split())))

# The rules of step 10 checked here (the docstring's list), by event type ("*": every type); a
# checker of vectors reads it to know where this verifier's verdict is expected to be INTACT.
SCOPE = {"E0.unknown-type": {"*"}, "A1.operator-unknown": {"*"}, "A2.role-forbidden": {"*"}, "I15.idem-unique": {"*"},
         "S.payload": {"operator.registered", "operator.key_rotated", "operator.revoked"},
         "A3.operator-exists": {"operator.registered"}, "I0.look-alike": {"operator.registered"},
         "A5.key-unique": {"operator.registered", "operator.key_rotated"},
         "I0.unknown-reference": {"operator.key_rotated", "operator.revoked"}, "A4.self-revoke": {"operator.revoked"}}

def in_scope(rule, event_type):
    """Whether this verifier checks `rule` on a record of `event_type`."""
    types = SCOPE.get(rule, set())
    return "*" in types or event_type in types

class Bad(Exception):
    def __init__(self, kind, seq=None, rule=None): self.kind, self.seq, self.rule = kind, seq, rule
def pairs(items):
    if len({k for k, _ in items}) != len(items) or len(items) > 1000: raise ValueError("duplicate key")
    return dict(items)
def no_float(text): raise ValueError("not an integer: " + text)
def integer(text):  # -0 is outside the subset (section 3), like a float
    if text == "-0": raise ValueError("-0")
    return int(text)
def walk(v, depth=1):  # limits (section 3); yields every string and key for the NFC check
    if depth > 16 or isinstance(v, list) and len(v) > 10000: raise ValueError("limit")
    if type(v) is int and abs(v) > 2**53 - 1 or isinstance(v, str) and len(v.encode()) > 16384: raise ValueError("limit")
    if isinstance(v, str): yield v
    for k, x in (v.items() if isinstance(v, dict) else enumerate(v) if isinstance(v, list) else ()):
        if isinstance(k, str) and not (re.fullmatch("[a-z][a-z0-9_]*", k) and len(k) <= 64): raise ValueError("key")
        if isinstance(k, str): yield k
        yield from walk(x, depth + 1)
def canonical(value): return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8", "surrogatepass")
def date(s):
    if not isinstance(s, str) or not re.fullmatch(r"\d{4}-\d\d-\d\d", s): return False
    y, m, d = int(s[:4]), int(s[5:7]), int(s[8:10]); leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    return y >= 1 and 1 <= m <= 12 and 1 <= d <= [31, 28 + leap, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
def b64(s, size):  # canonical base64 of exactly `size` bytes, else None
    try: raw = base64.b64decode(s, validate=True) if isinstance(s, str) else None
    except ValueError: return None
    return raw if raw is not None and len(raw) == size and base64.b64encode(raw).decode() == s else None
def public_key(s):  # an operator's Ed25519 key: canonical base64 of 32 bytes strictly encoding a point not of small order
    raw = b64(s, 32); point = raw is not None and _decompress(raw)
    return raw if point and not _equal(_mul(8, point), (0, 1, 1, 0)) else None
def genesis(r):  # section 4; a version-2 genesis also names the founder's key, may say clock, and carries sig
    g, v2 = r["payload"], r["v"] == 2
    return set(g) - ({"clock"} if v2 else set()) == {"currency", "minor_units", "name", "origin"} | ({"key"} if v2 else set()) \
        and isinstance(g["currency"], str) and re.fullmatch("[A-Z]{3}", g["currency"]) \
        and type(g["minor_units"]) is int and 0 <= g["minor_units"] <= 4 \
        and isinstance(g["name"], str) and 1 <= len(g["name"].encode()) <= 200 \
        and isinstance(g["origin"], str) and re.fullmatch(r"[!-*,-~]{1,255}", g["origin"]) \
        and (not v2 or public_key(g["key"]) and g.get("clock", "simulated") == "simulated" and "sig" in r)

def decode(line, version):  # steps 1-4 of section 8
    try:
        if len(line) >= 65536: raise ValueError("too long")
        r = json.loads(line.decode("utf-8"), object_pairs_hook=pairs, parse_float=no_float, parse_int=integer,
                       parse_constant=no_float)
        texts = list(walk(r))
    except (ValueError, RecursionError): raise Bad("MALFORMED")
    if canonical(r) != line or not all(unicodedata.is_normalized("NFC", s) for s in texts): raise Bad("NON_CANONICAL")
    if not isinstance(r, dict) or type(r.get("v")) is not int: raise Bad("SCHEMA_VIOLATION")
    if r["v"] not in (1, 2): raise Bad("UNSUPPORTED_VERSION")
    ok = set(r) - {"idem", "sig"} == ENVELOPE and type(r["seq"]) is int and r["seq"] >= 0 and isinstance(r["payload"], dict)
    ok = ok and all(isinstance(r[k], str) for k in ENVELOPE - {"seq", "payload", "v"}) and date(r["effective"])
    ok = ok and all(re.fullmatch("[0-9a-f]{64}", r[k]) for k in ("hash", "prev")) and re.fullmatch(ID, r["actor"])
    ok = ok and re.fullmatch(TYPE, r["type"]) and len(r["type"]) <= 64 and re.fullmatch(TIME, r["recorded_at"])
    ok = ok and date(r["recorded_at"][:10]) and ("idem" not in r or isinstance(r["idem"], str) and re.fullmatch("[!-~]{1,128}", r["idem"]))
    ok = ok and ("sig" not in r or r["v"] == 2 and b64(r["sig"], 64))  # sig: version 2 only, 64 bytes
    if not ok or r["v"] < version: raise Bad("SCHEMA_VIOLATION")  # and v never decreases
    return r

class Registry:
    """The operators folded from the log: role, active, key (Specs/events.md section 3)."""
    def __init__(self): self.ops, self.keys_ever, self.idem = {}, set(), set()  # id -> [role, active, key]; A5: every key ever registered; I15
    def key(self, actor): o = self.ops.get(actor); return o[2] if o and o[1] else None
    def bootstrap_key(self, r):  # 10.3: while no operator has a key, an active administrator's append of exactly one
        p = r["payload"]          # operator.key_rotated of their own key is checked against that new key
        if any(active and key for _, active, key in self.ops.values()) or r["type"] != "operator.key_rotated" \
                or "sig" not in r or self.ops.get(r["actor"], [])[:2] != ["admin", True] or p.get("operator") != r["actor"]:
            return None
        return public_key(p.get("key"))
    def apply(self, r):  # step 10, restricted to the rules named in the docstring
        p, t, actor, v2 = r["payload"], r["type"], r["actor"], r["v"] == 2
        if r["seq"] == 0:  # the founding administrator, with the genesis key in version 2
            key = public_key(p["key"]) if v2 else None
            self.ops[actor] = ["admin", True, key]; self.keys_ever.add(key); return
        if t not in ROLES: raise Bad("RULE_VIOLATION", rule="E0.unknown-type")
        if not self.ops.get(actor, [0, False])[1]: raise Bad("RULE_VIOLATION", rule="A1.operator-unknown")
        if self.ops[actor][0] not in ROLES[t]: raise Bad("RULE_VIOLATION", rule="A2.role-forbidden")
        if v2 and r.get("idem") in self.idem: raise Bad("RULE_VIOLATION", rule="I15.idem-unique")
        if "idem" in r: self.idem.add(r["idem"])  # (a record that breaks a later rule ends verification anyway)
        if not t.startswith("operator."): return
        members = {"operator.registered": {"operator", "role"} | ({"key"} if v2 else set()),
                   "operator.key_rotated": {"key", "operator"}, "operator.revoked": {"operator"}}[t]
        op, key = p.get("operator"), public_key(p.get("key"))
        if set(p) != members or not isinstance(op, str) or not re.fullmatch(ID, op) or "key" in members and not key \
                or "role" in members and p["role"] not in ("admin", "treasurer", "secretary", "clerk", "auditor"):
            raise Bad("RULE_VIOLATION", rule="S.payload")
        if t == "operator.registered":
            if op in self.ops: raise Bad("RULE_VIOLATION", rule="A3.operator-exists")
            skeleton = lambda s: s.lower().replace("o", "0").replace("i", "1").replace("l", "1")
            if v2 and any(skeleton(o) == skeleton(op) for o in self.ops): raise Bad("RULE_VIOLATION", rule="I0.look-alike")
        elif not self.ops.get(op, [0, False])[1]: raise Bad("RULE_VIOLATION", rule="I0.unknown-reference")
        if key and key in self.keys_ever: raise Bad("RULE_VIOLATION", rule="A5.key-unique")
        if t == "operator.revoked" and op == actor: raise Bad("RULE_VIOLATION", rule="A4.self-revoke")
        if t == "operator.registered": self.ops[op] = [p["role"], True, key]
        elif t == "operator.key_rotated": self.ops[op][2] = key
        else: self.ops[op][1:] = [False, None]  # revoked: no longer an operator, their key signs nothing
        self.keys_ever.add(key)

def verify(data, pending=None):
    """The verdict line and exit status for a log's bytes and append.pending's text (or None)."""
    lines, end = data.split(b"\n")[:-1], data.rfind(b"\n") + 1
    batch = re.fullmatch(r"batch (\d+) (\d+) ([0-9a-f]{64})\n", pending or "")  # section 6: before, after, last hash
    batch = batch and int(batch[1]) < int(batch[2]) and (int(batch[1]), batch[3])
    prev, time, version, offset, registry = "0" * 64, "", 1, 0, Registry()
    append = batch_start = bootstrap = None  # append: the version-2 append being read (first seq, actor, key, offset, prev)
    unsigned = simulated = 0
    for n, line in enumerate(lines):
        if batch and offset == batch[0]: batch_start = (n, offset, prev)
        try:
            r = decode(line, version)  # steps 1-4
            if r["seq"] != n: raise Bad("SEQUENCE_GAP", r["seq"])  # step 5: the line's own seq is reported
            if (n == 0) != (r["type"] == "ledger.genesis") or n == 0 and not genesis(r): raise Bad("GENESIS_INVALID")
            unhashed = {k: x for k, x in r.items() if k not in ("hash", "sig")}  # section 5
            if hashlib.sha256(b"ledger.record.v%d\n" % r["v"] + canonical(unhashed)).hexdigest() != r["hash"]: raise Bad("HASH_MISMATCH")
            if r["prev"] != prev: raise Bad("LINK_MISMATCH")  # step 8
            if r["recorded_at"] < time: raise Bad("TIME_REGRESSION")  # step 9
            if r["v"] == 2 and append is None:  # an append begins: its key is its actor's before it (10.3)
                key = public_key(r["payload"]["key"]) if n == 0 else registry.key(r["actor"])  # the genesis: its own
                if key is None and n > 0:
                    key = registry.bootstrap_key(r)
                    bootstrap = "%s@%d" % (r["actor"], n) if key else bootstrap
                append = (n, r["actor"], key, offset, prev)
            registry.apply(r)  # step 10
            if r["v"] == 1: unsigned += 1
            elif append[2] is None or r["actor"] != append[1]: raise Bad("BAD_SIGNATURE")  # step 11: 10.3 checks 1 and 2
            elif "sig" in r:  # 10.3 check 3, on the append's last record
                message = b"ledger.append.v2\n%d\n%d\n%s\n" % (append[0], n, r["hash"].encode())
                if not ed25519_verify(append[2], message, base64.b64decode(r["sig"])): raise Bad("BAD_SIGNATURE")
                append = None
        except Bad as e:
            rule = " rule=" + e.rule if e.rule else ""
            return "%s seq=%d line=%d offset=%d%s" % (e.kind, n if e.seq is None else e.seq, n + 1, offset, rule), 1
        prev, time, version, offset = r["hash"], r["recorded_at"], r["v"], offset + len(line) + 1
        simulated = simulated or n == 0 and "clock" in r["payload"]
    # After the last line: records after the last acknowledged append (10.3; append.pending for version 1, section 8)
    unfinished = (append[0], append[3], append[4]) if append else batch_start if batch_start and batch[1] != prev else None
    if unfinished:  # the report's head is the last acknowledged record
        return "UNFINISHED_BATCH seq=%d line=%d offset=%d head=%s" % (unfinished[0], unfinished[0] + 1, *unfinished[1:]), 8
    if not lines: return "GENESIS_INVALID seq=0 line=1 offset=0", 1  # no complete line, torn bytes or not
    if end < len(data): return "TORN_TAIL seq=%d line=%d offset=%d" % (len(lines), len(lines) + 1, end), 3
    extra = (" unsigned=%d" % unsigned if unsigned else "") + (" bootstrap=" + bootstrap if bootstrap else "")
    return "INTACT %d%s%s" % (len(lines), extra, " clock=simulated" if simulated else ""), 0

def against_checkpoint(data, pending, checkpoint, key_path):
    """Specs/proofs.md section 5: the checkpoint's signature (with trusted keys), the log, then the
    checkpoint. Returns the verdict line and exit status; checkpoint verdicts carry no seq."""
    try:
        keys = load_verifier_keys(key_path) if key_path else None
    except (Malformed, OSError) as error:
        return "MALFORMED key (%s)" % error, 2
    try:
        text, signatures = split_note(checkpoint.decode("utf-8"))
        origin, size, root = parse_checkpoint(text)
    except (Malformed, UnicodeDecodeError) as error:
        return "MALFORMED checkpoint (%s)" % error, 2
    if keys is not None:
        try: check_signatures(text, signatures, keys)
        except Invalid: return "BAD_SIGNATURE checkpoint", 1
    status = "verified" if keys is not None else "not_checked" if signatures else "unsigned"
    verdict, code = verify(data, pending)
    if code not in (0, 3): return verdict, code
    lines = data.split(b"\n")[:-1]
    leaves = [hashlib.sha256(b"\x00" + bytes.fromhex(json.loads(line)["hash"])).digest() for line in lines]
    if origin != json.loads(lines[0])["payload"]["origin"]: return "ORIGIN_MISMATCH", 1
    if len(leaves) < size: return "TRUNCATED", 1
    if tree_head(leaves[:size]) != root: return "FORKED", 1
    return (verdict + " signatures=" + status, 0) if code == 0 else (verdict, code)

def tree_head(leaves):  # RFC 9162 section 2.1.1: the split point is the largest power of two below n
    if len(leaves) <= 1: return leaves[0] if leaves else hashlib.sha256(b"").digest()
    k = 1
    while k * 2 < len(leaves): k *= 2
    return hashlib.sha256(b"\x01" + tree_head(leaves[:k]) + tree_head(leaves[k:])).digest()

def main(path, checkpoint=None, key=None):
    """Prints the verdict for a ledger directory or a log file; returns the exit status."""
    try:
        log, pending = (os.path.join(path, "log.jsonl"), os.path.join(path, "append.pending")) if os.path.isdir(path) else (path, None)
        if pending and not os.path.isfile(log): raise OSError(0, "not a ledger directory (it has no log.jsonl)")
        with open(log, "rb") as f: data = f.read()
        text = None
        if pending and os.path.exists(pending):
            with open(pending, "rb") as f: text = f.read(256).decode("ascii", "replace")
        stored = None
        if checkpoint:
            with open(checkpoint, "rb") as f: stored = f.read()
    except OSError as error:
        print("independent_verify: cannot read %s: %s" % (error.filename or path, error.strerror or error), file=sys.stderr); return 2
    verdict, status = verify(data, text) if stored is None else against_checkpoint(data, text, stored, key)
    print(verdict)
    return status

if __name__ == "__main__":
    args = sys.argv[1:]
    options = {}
    while len(args) >= 3 and args[-2] in ("--checkpoint", "--key"):
        options[args[-2][2:]] = args[-1]; args = args[:-2]
    if len(args) != 1 or args[0].startswith("-") or "key" in options and "checkpoint" not in options:
        print("usage: independent_verify.py LEDGER_DIR | LOG.jsonl [--checkpoint FILE [--key VERIFIER_KEY_FILE]]", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(args[0], options.get("checkpoint"), options.get("key")))

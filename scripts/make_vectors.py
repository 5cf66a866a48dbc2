#!/usr/bin/env python3
"""Regenerates Specs/vectors/ (described in Specs/vectors.md): valid ledgers and broken copies, each
with the verdict a verifier must give. The expected verdicts come from what this script built or
broke, never from running a verifier.

- valid: a version-2 ledger written by `ledger` itself (simulated clock, fixed LEDGER_NOW and dates),
  signed with the test keys of Specs/vectors/keys/. `ledger keygen` makes a missing key; existing
  keys are reused, so a rerun writes the same bytes (Ed25519 signatures are deterministic).
- valid-v1: the version-1 ledger that `ledger` wrote before version 2 existed, kept byte for byte
  (its SHA-256 is pinned below; the binary now writes version 2 only). The version-1 cases and the
  v1-to-v2 family are made from it.
- Broken and extended copies are written here: records re-hashed, re-linked and re-signed by the
  pure-Python RFC 8032 signer below, which must first reproduce the binary's own log byte for byte.
Usage: scripts/make_vectors.py PATH/TO/ledger   (run from the repository root)"""
import base64, hashlib, json, os, shutil, subprocess, sys, tempfile, unicodedata
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tlog_verify import BASE, L, P, _mul
import vectors_rules, vectors_proofs

OUT, KEYS = "Specs/vectors", "Specs/vectors/keys"
V1_LOG, V1_SHA256 = "Specs/vectors/valid-v1/log.jsonl", "bfd1ba9f2b3dbe1504a31b91b2bf4b2fadccacbb90183a0260328220e4d622e3"
# Test keys: file name -> the name `ledger keygen` gives it (the operator who holds it).
KEY_NAMES = {"founder": "OP-FOUNDER", "clerk": "OP-CLERK", "clerk-rotated": "OP-CLERK", "treasurer": "OP-TREASURER",
             "intern": "OP-INTERN", "bootstrap": "OP-FOUNDER", "stranger": "OP-STRANGER",
             "secretary": "OP-SEC", "auditor": "OP-AUD"}

def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

def record_hash(obj, version=None):
    """Section 5: SHA-256 of the version's prefix and the canonical record without hash and sig."""
    body = {k: v for k, v in obj.items() if k not in ("hash", "sig")}
    return hashlib.sha256(b"ledger.record.v%d\n" % (version or obj["v"]) + canonical(body)).hexdigest()

def append_message(first, last, digest):
    return b"ledger.append.v2\n%d\n%d\n%s\n" % (first, last, digest.encode())

# --- Ed25519 signing, RFC 8032 section 5.1.6, on tlog_verify.py's curve arithmetic.

def encode_point(point):
    x, y, z, _ = point
    zi = pow(z, P - 2, P)
    return (y * zi % P | (x * zi % P & 1) << 255).to_bytes(32, "little")

def secret_scalar(seed):
    return int.from_bytes(hashlib.sha512(seed).digest()[:32], "little") & ((1 << 254) - 8) | (1 << 254)

def sign(seed, message):
    h, a = hashlib.sha512(seed).digest(), secret_scalar(seed)
    public = encode_point(_mul(a, BASE))
    r = int.from_bytes(hashlib.sha512(h[32:] + message).digest(), "little") % L
    R = encode_point(_mul(r, BASE))
    k = int.from_bytes(hashlib.sha512(R + public + message).digest(), "little") % L
    return R + ((r + k * a) % L).to_bytes(32, "little")

class Key:
    """A test key pair: the files of `ledger keygen` (signer "PRIVATE+KEY+NAME+ID+base64(0x01 || seed)")."""
    def __init__(self, binary, name):
        self.key, self.pub = os.path.join(KEYS, name + ".key"), os.path.join(KEYS, name + ".pub")
        if not os.path.exists(self.key):
            subprocess.run([binary, "keygen", "--name", KEY_NAMES[name], "--output", os.path.join(KEYS, name)],
                           check=True, capture_output=True)
        os.chmod(self.key, 0o600)  # git keeps 0644; ledger warns about a key others can read
        self.seed = base64.b64decode(open(self.key).read().strip().split("+", 4)[4])[1:]
        self.public = base64.b64decode(open(self.pub).read().strip().split("+", 2)[2])[1:]
        self.b64 = base64.b64encode(self.public).decode()
        assert len(self.seed) == 32 and encode_point(_mul(secret_scalar(self.seed), BASE)) == self.public, name

    def sign(self, first, last, digest):
        return base64.b64encode(sign(self.seed, append_message(first, last, digest))).decode()

def chain(objs, appends, keys, hasher=record_hash):
    """What a writer does: links and hashes every record, signs each append (first, last, key name)
    on its last record. Records in no append keep no sig. Returns new dicts."""
    objs = [dict(o) for o in objs]
    for i, o in enumerate(objs):
        o.pop("sig", None)
        o["prev"] = objs[i - 1]["hash"] if i else "0" * 64
        o["hash"] = hasher(o)
    for first, last, key in appends:
        objs[last]["sig"] = keys[key].sign(first, last, objs[last]["hash"])
    return objs

def lines_of(objs): return [canonical(o) for o in objs]

# --- The valid version-2 ledger, written by the binary.

class Clock:
    def __init__(self, day): self.day, self.minute = day, 0
    def __call__(self):
        self.minute += 1
        return "2026-02-%02dT09:%02d:00.000000Z" % (self.day, self.minute)

def build_valid(binary, keys):
    """The valid ledger and its appends [(first seq, last seq, key name)], as the binary wrote them."""
    work = tempfile.mkdtemp()
    ledger, clock, appends, seq = os.path.join(work, "ledger"), Clock(2), [], 0
    def run(args, operator, key, records=1):
        nonlocal seq
        env = dict(os.environ, LEDGER_NOW=clock())
        env.pop("LEDGER_DIR", None); env.pop("LEDGER_OPERATOR", None); env.pop("LEDGER_KEY", None)
        subprocess.run([binary] + args + ["--ledger", ledger, "--operator", operator, "--key", keys[key].key],
                       env=env, check=True, capture_output=True)
        appends.append((seq, seq + records - 1, key))
        seq += records
    def note(text, operator, key, *extra):
        run(["append", "--type", "note.recorded", "--payload", json.dumps({"text": text}, ensure_ascii=False),
             "--date", "2026-02-02"] + list(extra), operator, key)
    run(["init", "--origin", "vectors.example/fund-v2", "--name", "Fonds d'exemple (v2)", "--date", "2026-02-02",
         "--simulated-clock"], "OP-FOUNDER", "founder")
    for operator, role, key in [("OP-CLERK", "clerk", "clerk"), ("OP-TREASURER", "treasurer", "treasurer"),
                                ("OP-INTERN", "clerk", "intern")]:
        run(["operator", "register", "--id", operator, "--role", role, "--public-key", keys[key].pub, "--date", "2026-02-02"],
            "OP-FOUNDER", "founder")
    note("réunion du comité", "OP-CLERK", "clerk", "--idem", "V2-1")
    batch = os.path.join(work, "batch.jsonl")
    with open(batch, "w") as f:
        for text in ["€ 50 reçus", "€ 20 reçus", "relevé de février"]:
            f.write(json.dumps({"type": "note.recorded", "payload": {"text": text}, "effective": "2026-02-02"}, ensure_ascii=False) + "\n")
    run(["append", "--batch", batch], "OP-TREASURER", "treasurer", records=3)
    run(["operator", "rotate-key", "--id", "OP-CLERK", "--public-key", keys["clerk-rotated"].pub, "--date", "2026-02-02"],
        "OP-FOUNDER", "founder")
    note("tab\there, under the new key", "OP-CLERK", "clerk-rotated")
    note('quote " and backslash \\', "OP-INTERN", "intern")
    run(["operator", "revoke", "--id", "OP-INTERN", "--date", "2026-02-02"], "OP-FOUNDER", "founder")
    note("fin", "OP-FOUNDER", "founder")
    lines = open(os.path.join(ledger, "log.jsonl"), "rb").read().split(b"\n")[:-1]
    shutil.rmtree(work)
    return lines, appends

# --- Writing a case.

def write_case(name, lines, kind, line=None, seq=None, extra="", tail=b"", note="", pending=None):
    """Writes DIR/log.jsonl (and append.pending) and expected.txt: the verdict, then '# ' and why."""
    path = os.path.join(OUT, name)
    os.makedirs(path, exist_ok=True)
    open(os.path.join(path, "log.jsonl"), "wb").write(b"".join(l + b"\n" for l in lines) + tail)
    if pending is not None: open(os.path.join(path, "append.pending"), "w").write(pending)
    if kind == "INTACT":
        verdict = "INTACT %d%s" % (len(lines), extra)
    else:
        offset = sum(len(l) + 1 for l in lines[:line - 1])
        verdict = "%s seq=%d line=%d offset=%d%s" % (kind, line - 1 if seq is None else seq, line, offset, extra)
    open(os.path.join(path, "expected.txt"), "w").write(verdict + "\n" + ("# " + note + "\n" if note else ""))

def write_hashes(name, objs):
    with open(os.path.join(OUT, name, "hashes.txt"), "w") as f:
        for o in objs: f.write("%d %s\n" % (o["seq"], o["hash"]))

def v1_cases(valid):
    """The version-1 families, from the committed version-1 ledger."""
    objs = [json.loads(l) for l in valid]
    def edited(i, change, keep_hash=False):
        o = dict(objs[i]); change(o)
        if not keep_hash: o["hash"] = record_hash(o, 1)
        return valid[:i] + [canonical(o)] + valid[i + 1:]
    def payload_text(text): return lambda o: o.__setitem__("payload", {"text": text})
    signature = base64.b64encode(bytes(range(64))).decode()
    return [
        ("empty-log", [], ("GENESIS_INVALID", 1), b"", "no record at all"),
        ("fragment-only", [], ("GENESIS_INVALID", 1), valid[0][:40], "only unterminated bytes: no complete line, so no genesis record (section 8)"),
        ("torn-tail", valid, ("TORN_TAIL", len(valid) + 1), valid[3][:40], "a crash left an unterminated line"),
        ("malformed-garbage", valid[:3] + [b'{"actor":'] + valid[4:], ("MALFORMED", 4), b"", "not JSON"),
        ("malformed-utf8", valid[:2] + [valid[2].replace("réunion".encode(), b"r\xe9union")] + valid[3:], ("MALFORMED", 3), b"", "latin-1 byte"),
        ("malformed-float", edited(1, lambda o: o.__setitem__("seq", 1.0)), ("MALFORMED", 2), b"", "a float"),
        ("malformed-negative-zero", valid[:1] + [valid[1].replace(b'"v":1}', b'"v":-0}')] + valid[2:], ("MALFORMED", 2), b"", "-0 is outside the subset"),
        ("non-canonical-space", valid[:2] + [b"{ " + valid[2][1:]] + valid[3:], ("NON_CANONICAL", 3), b"", "whitespace"),
        ("non-canonical-nfd", edited(2, payload_text(unicodedata.normalize("NFD", "réunion du comité"))), ("NON_CANONICAL", 3), b"", "NFD text, hash recomputed"),
        ("non-canonical-escape", valid[:1] + [valid[1].replace(b"ouverture", b"ouv\\u0065rture")] + valid[2:], ("NON_CANONICAL", 2), b"", "needless escape"),
        ("unsupported-version", edited(3, lambda o: o.__setitem__("v", 3), keep_hash=True), ("UNSUPPORTED_VERSION", 4), b"", "v 3 (step 3 comes before the hash)"),
        ("schema-unknown-member", edited(3, lambda o: o.__setitem__("memo", "x")), ("SCHEMA_VIOLATION", 4), b"", "extra member"),
        ("schema-bad-date", edited(3, lambda o: o.__setitem__("effective", "2026-02-30")), ("SCHEMA_VIOLATION", 4), b"", "no such day"),
        ("v1-signature-in-v1-record", edited(3, lambda o: o.__setitem__("sig", signature), keep_hash=True), ("SCHEMA_VIOLATION", 4), b"",
         "a well-formed sig in a version-1 record: sig is a version-2 member (section 4)"),
        ("sequence-gap", valid[:3] + valid[4:], ("SEQUENCE_GAP", 4, 4), b"", "line 4 deleted: it holds seq 4, 3 was expected"),
        ("sequence-swap", valid[:3] + [valid[4], valid[3]] + valid[5:], ("SEQUENCE_GAP", 4, 4), b"", "lines 4 and 5 swapped"),
        ("genesis-not-first", edited(0, lambda o: o.__setitem__("type", "note.recorded")), ("GENESIS_INVALID", 1), b"", "first record is not a genesis"),
        ("genesis-twice", edited(2, lambda o: o.__setitem__("type", "ledger.genesis")), ("GENESIS_INVALID", 3), b"", "a second genesis"),
        ("hash-mismatch", edited(4, payload_text("€ 5000 reçus"), keep_hash=True), ("HASH_MISMATCH", 5), b"", "payload edited, hash kept"),
        ("link-mismatch", edited(4, payload_text("€ 5000 reçus")), ("LINK_MISMATCH", 6), b"", "payload edited and rehashed: the next link breaks"),
        ("time-regression", edited(5, lambda o: o.__setitem__("recorded_at", "2026-01-01T08:00:00.000000Z")), ("TIME_REGRESSION", 6), b"", "recorded before its predecessor"),
    ]

def new_record(seq, actor, type_, payload, at, v=2):
    return {"actor": actor, "effective": at[:10], "payload": payload, "recorded_at": at, "seq": seq, "type": type_, "v": v}

def v2_cases(objs, appends, keys):
    """The version-2 families, from the valid version-2 ledger (13 records)."""
    later = Clock(3)
    def variant(change=None, swap=None, more=(), more_appends=(), hasher=record_hash):
        """The valid ledger, changed (a function of the records), with appends' keys swapped
        ({last seq: key}) and more records and appends; chained and signed like a writer."""
        o = json.loads(json.dumps(list(objs) + list(more)))  # a deep copy: changes never reach objs
        if change: change(o)
        a = [(f, l, (swap or {}).get(l, k)) for f, l, k in appends] + list(more_appends)
        return chain(o, a, keys, hasher)
    def edit(i, key, value): return lambda o: o[i].__setitem__(key, value)
    def resign(o, i, first, key): o[i]["sig"] = keys[key].sign(first, i, o[i]["hash"])
    def flip(o):  # one bit of S (the signature's byte 32): S stays below L, the equation fails
        raw = bytearray(base64.b64decode(o[4]["sig"])); raw[32] ^= 1; o[4]["sig"] = base64.b64encode(raw).decode()
    def loose_base64(o):  # pad bits set: decodes to the same 64 bytes under a lenient decoder
        alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".decode()
        s = o[4]["sig"]; o[4]["sig"] = s[:85] + alphabet[alphabet.index(s[85]) | 1] + s[86:]
    def then(o, f): f(o); return o
    def strict(how):  # record 4's signature (OP-CLERK's key) made non-canonical in a way a lenient verifier accepts
        def change(o):
            raw = base64.b64decode(o[4]["sig"])
            if how == "s-plus-l": raw = vectors_proofs.s_plus_l(raw)
            else:
                signer = type("Signer", (), {"public": keys["clerk"].public, "scalar": secret_scalar(keys["clerk"].seed)})
                raw = vectors_proofs.lenient_r_signature(signer, append_message(4, 4, o[4]["hash"]), vectors_proofs.NON_CANONICAL_IDENTITY)
            o[4]["sig"] = base64.b64encode(raw).decode()
        return change
    n = len(objs)
    tail = [new_record(n, "OP-TREASURER", "note.recorded", {"text": "lot 1/3"}, later()),
            new_record(n + 1, "OP-TREASURER", "note.recorded", {"text": "lot 2/3"}, later())]
    unfinished = lines_of(variant(more=tail))
    head = lambda i: " head=" + objs[i]["hash"]
    v1_after = variant(more=[new_record(n, "OP-FOUNDER", "note.recorded", {"text": "version 1 again"}, later(), v=1)])
    return [
        ("v2-bad-signature", lines_of(then(variant(), flip)), ("BAD_SIGNATURE", 5), "", "one bit of the signature of record 4 flipped"),
        ("v2-signature-s-plus-l", lines_of(then(variant(), strict("s-plus-l"))), ("BAD_SIGNATURE", 5), "",
         "record 4's signature with S + L in place of S: still 64 bytes, refused by strict Ed25519 (S MUST be below L)"),
        ("v2-signature-non-canonical-r", lines_of(then(variant(), strict("r"))), ("BAD_SIGNATURE", 5), "",
         "record 4 signed with R the identity encoded with y = p + 1 and S = k*a under OP-CLERK's key: the equation holds "
         "for a verifier that reduces R, a strict one refuses the non-canonical R"),
        ("v2-signature-other-operator", lines_of(variant(swap={4: "treasurer"})), ("BAD_SIGNATURE", 5), "",
         "OP-CLERK's append signed with OP-TREASURER's registered key"),
        ("v2-signature-other-first-seq", lines_of(then(variant(), lambda o: resign(o, 7, 6, "treasurer"))), ("BAD_SIGNATURE", 8), "",
         "the batch 5-7 signed by its operator's key, but over first seq 6: other bytes than section 10.2's"),
        ("v2-foreign-actor-in-append", lines_of(variant(change=edit(6, "actor", "OP-CLERK"))), ("BAD_SIGNATURE", 7), "",
         "record 6 of OP-TREASURER's batch 5-7 is OP-CLERK's (an active clerk); the batch is re-signed by OP-TREASURER (10.3 check 2)"),
        ("v2-rotated-old-key", lines_of(variant(swap={9: "clerk"})), ("BAD_SIGNATURE", 10), "",
         "OP-CLERK's append after the rotation of record 8, signed with the old key"),
        ("v2-revoked-operator", lines_of(variant(more=[new_record(n, "OP-INTERN", "note.recorded", {"text": "after my revocation"}, later())],
                                                 more_appends=[(n, n, "intern")])),
         ("RULE_VIOLATION", n + 1), " rule=A1.operator-unknown",
         "OP-INTERN, revoked at record 11, appends a note signed by their old key: step 10 (A1) comes before step 11 (10.3 check 1)"),
        ("v2-bootstrap-after-keys", lines_of(variant(more=[new_record(n, "OP-FOUNDER", "operator.key_rotated",
                                                                      {"key": keys["stranger"].b64, "operator": "OP-FOUNDER"}, later())],
                                                     more_appends=[(n, n, "stranger")])),
         ("BAD_SIGNATURE", n + 1), "", "OP-FOUNDER rotates their own key, signed by the new key: the bootstrap exists only while no operator has a key"),
        ("v2-unfinished-batch", unfinished, ("UNFINISHED_BATCH", n + 1), head(n - 1),
         "two records of a batch whose signed last record never reached the disk; the head is record 12"),
        ("v2-unfinished-batch-torn", unfinished, ("UNFINISHED_BATCH", n + 1), head(n - 1),
         "two records of a batch without its signed last record, then a torn tail: UNFINISHED_BATCH is reported first (section 8)", b'{"actor":"OP-TREASURER","eff'),
        ("v2-last-signature-removed", lines_of(then(variant(), lambda o: o[n - 1].pop("sig"))), ("UNFINISHED_BATCH", n), head(n - 2),
         "the last record's sig removed: the last append is unfinished"),
        ("v2-signature-removed", lines_of(then(variant(), lambda o: o[4].pop("sig"))), ("BAD_SIGNATURE", 6), "",
         "record 4's sig removed: OP-CLERK's append runs on into OP-TREASURER's records (10.3 check 2 at record 5)"),
        ("v2-genesis-small-order-key", lines_of(variant(change=lambda o: o[0]["payload"].__setitem__(
            "key", base64.b64encode(b"\x01" + b"\x00" * 31).decode()))), ("GENESIS_INVALID", 1), "",
         "the genesis names the identity point as the founder's key: of small order, so anyone could sign for it (proofs.md section 3)"),
        ("v2-genesis-unsigned", lines_of(then(variant(), lambda o: o[0].pop("sig"))), ("GENESIS_INVALID", 1), "",
         "a version-2 genesis record without sig: section 4 says it carries sig, step 6 checks the genesis record"),
        ("v2-genesis-other-key", lines_of(variant(swap={0: "clerk"})), ("BAD_SIGNATURE", 1), "",
         "the genesis signed by a key other than the one its payload names"),
        ("v2-then-v1", lines_of(v1_after), ("SCHEMA_VIOLATION", n + 1), "", "a version-1 record after version-2 ones: v never decreases"),
        ("v2-hash-v1-prefix", lines_of(variant(hasher=lambda o: record_hash(o, 1 if o["seq"] == 4 else None))), ("HASH_MISMATCH", 5), "",
         "record 4 hashed with the version-1 prefix (and signed, linked, as a writer would)"),
        ("v2-signature-not-canonical-base64", lines_of(then(variant(), loose_base64)), ("SCHEMA_VIOLATION", 5), "",
         "record 4's sig with non-zero pad bits: not the canonical base64 of 64 bytes"),
        ("v2-rule-key-unique", lines_of(variant(change=lambda o: o[3]["payload"].__setitem__("key", keys["treasurer"].b64))),
         ("RULE_VIOLATION", 4), " rule=A5.key-unique", "OP-INTERN registered with OP-TREASURER's key"),
        ("v2-rule-look-alike", lines_of(variant(change=lambda o: o[3]["payload"].__setitem__("operator", "OP-C1ERK"))),
         ("RULE_VIOLATION", 4), " rule=I0.look-alike", "an operator OP-C1ERK registered beside OP-CLERK"),
        ("v2-rule-idem-unique", lines_of(variant(change=edit(9, "idem", "V2-1"))),
         ("RULE_VIOLATION", 10), " rule=I15.idem-unique", "record 9 carries the idempotency key of record 4: a retry written as a second record"),
    ]

def bootstrap_cases(valid, keys):
    """A log that began in version 1 goes on in version 2 (section 10.4), on the version-1 ledger."""
    objs, clock = [json.loads(l) for l in valid], Clock(4)
    n = len(objs)
    clerk = new_record(n, "OP-FOUNDER", "operator.registered", {"operator": "OP-CLERK-V1", "role": "clerk"}, clock(), v=1)
    boot = new_record(n + 1, "OP-FOUNDER", "operator.key_rotated", {"key": keys["bootstrap"].b64, "operator": "OP-FOUNDER"}, clock())
    note = new_record(n + 2, "OP-FOUNDER", "note.recorded", {"text": "première note signée"}, clock())
    stray = new_record(n + 3, "OP-CLERK-V1", "note.recorded", {"text": "sans clé"}, clock())
    b = n + 1
    def log(records, appends): return lines_of(chain(objs + records, appends, keys))
    first = [(b, b, "bootstrap"), (b + 1, b + 1, "bootstrap")]
    batch_objs = objs + [clerk, boot, note]
    pending_a, pending_b = new_record(n, "OP-FOUNDER", "note.recorded", {"text": "lot 1/3"}, clock(), v=1), \
        new_record(n + 1, "OP-FOUNDER", "note.recorded", {"text": "lot 2/3"}, clock(), v=1)
    third = new_record(n + 2, "OP-FOUNDER", "note.recorded", {"text": "lot 3/3"}, clock(), v=1)
    written = chain(objs + [pending_a, pending_b, third], [], keys)
    size = len(b"".join(l + b"\n" for l in valid))
    batch_bytes = sum(len(l) + 1 for l in lines_of(written[n:]))
    return [
        ("v1-to-v2-bootstrap", log([clerk, boot, note], first), ("INTACT", 0), " unsigned=%d bootstrap=OP-FOUNDER@%d" % (b, b),
         "version 1 (a registration without key), then OP-FOUNDER's bootstrap append setting their own key, signed by it, and a signed note", b"", None),
        ("v1-to-v2-bootstrap-wrong-key", log([clerk, boot, note], [(b, b, "stranger"), (b + 1, b + 1, "bootstrap")]), ("BAD_SIGNATURE", b + 1), "",
         "the bootstrap append signed by another key than the one it sets", b"", None),
        ("v1-to-v2-bootstrap-batch", log([clerk, boot, note], [(b, b + 1, "bootstrap")]), ("BAD_SIGNATURE", b + 1), "",
         "the key rotation and a note in one append: a bootstrap is exactly one record, so OP-FOUNDER has no key (10.3 check 1)", b"", None),
        ("v1-to-v2-keyless-operator", log([clerk, boot, note, stray], first + [(b + 2, b + 2, "stranger")]), ("BAD_SIGNATURE", b + 3), "",
         "OP-CLERK-V1, registered in version 1, appends in version 2 without a registered key", b"", None),
        ("v1-unfinished-batch-pending", lines_of(written[:n + 2]), ("UNFINISHED_BATCH", n + 1), " head=" + objs[-1]["hash"],
         "two records of a version-1 batch of three; append.pending names it (section 8)", b"",
         "batch %d %d %s\n" % (size, size + batch_bytes, written[n + 2]["hash"])),
    ]

def main(binary):
    os.makedirs(KEYS, exist_ok=True)
    keys = {name: Key(binary, name) for name in KEY_NAMES}
    v1 = open(V1_LOG, "rb").read()
    if hashlib.sha256(v1).hexdigest() != V1_SHA256: sys.exit("make_vectors: %s is not the committed version-1 ledger" % V1_LOG)
    v1 = v1.split(b"\n")[:-1]
    valid, appends = build_valid(binary, keys)
    objs = [json.loads(l) for l in valid]
    # The generator's writer must be the binary's: same hashes, links, signatures, bytes.
    if lines_of(chain(objs, appends, keys)) != valid: sys.exit("make_vectors: this script's writer disagrees with the binary's log")
    if lines_of(chain([json.loads(l) for l in v1], [], keys)) != v1: sys.exit("make_vectors: this script's version-1 hash disagrees")
    for name in os.listdir(OUT):
        if name not in ("keys", "valid-v1") and os.path.isdir(os.path.join(OUT, name)): shutil.rmtree(os.path.join(OUT, name))
    write_case("valid", valid, "INTACT", extra=" clock=simulated",
               note="written by ledger itself; hashes.txt lists every record's hash, appends.txt every append and its key")
    write_hashes("valid", objs)
    with open(os.path.join(OUT, "valid", "appends.txt"), "w") as f:
        f.write("# first last actor key (base64 of the Ed25519 public key; Specs/vectors/keys/<file>.pub)\n")
        for first, last, key in appends: f.write("%d %d %s %s %s\n" % (first, last, objs[first]["actor"], keys[key].b64, key))
    write_case("valid-v1", v1, "INTACT", extra=" unsigned=%d" % len(v1), note="written by ledger before version 2 (kept byte for byte)")
    write_hashes("valid-v1", [json.loads(l) for l in v1])
    count = 2
    for name, lines, expected, tail, note in v1_cases(v1):
        write_case(name, lines, expected[0], expected[1], *expected[2:], tail=tail, note=note); count += 1
    for name, lines, (kind, line), extra, note, *tail in v2_cases(objs, appends, keys):
        write_case(name, lines, kind, line, extra=extra, note=note, tail=tail[0] if tail else b""); count += 1
    for name, lines, (kind, line), extra, note, tail, pending in bootstrap_cases(v1, keys):
        write_case(name, lines, kind, line, extra=extra, note=note, tail=tail, pending=pending); count += 1
    bases, rule_cases = vectors_rules.cases(binary, keys, chain, canonical, new_record)
    for name, lines, note in bases:
        write_case(name, lines, "INTACT", extra=" clock=simulated", note=note); count += 1
    for name, lines, (kind, line), extra, note in rule_cases:
        write_case(name, lines, kind, line, extra=extra, note=note); count += 1
    with open(os.path.join(OUT, "rules", "INDEX.md"), "w") as f:
        f.write("# Rule vectors (generated by scripts/make_vectors.py; see Specs/vectors.md)\n\n"
                "Each directory holds a signed version-2 log whose last append breaks the rule named by its directory, "
                "at the record its expected.txt gives.\n\n| vector | record | case |\n|---|---|---|\n")
        for name, lines, (kind, line), extra, note in sorted(rule_cases, key=lambda c: c[0]):
            f.write("| `%s` | seq %d | %s |\n" % (name[len("rules/"):], line - 1, note.replace("|", "\\|")))
    tools = (sign, encode_point, secret_scalar, chain, canonical, new_record, record_hash)
    proof_cases, files = vectors_proofs.build(objs, valid, appends, v1, keys, tools)
    for name, contents, expected, note in proof_cases:
        os.makedirs(os.path.join(OUT, name), exist_ok=True)
        for file, data in sorted(contents.items()): open(os.path.join(OUT, name, file), "wb").write(data)
        open(os.path.join(OUT, name, "expected.txt"), "w").write(expected + "\n# " + note + "\n"); count += 1
    for path, data in sorted(files.items()):
        os.makedirs(os.path.dirname(os.path.join(OUT, path)), exist_ok=True)
        open(os.path.join(OUT, path), "wb").write(data)
    print("wrote %d vectors to %s" % (count, OUT))

if __name__ == "__main__":
    if len(sys.argv) != 2: sys.exit(__doc__)
    main(os.path.abspath(sys.argv[1]))

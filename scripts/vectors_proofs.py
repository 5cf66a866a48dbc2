"""The proof vectors of Specs/vectors/ (Specs/vectors.md), written from Specs/proofs.md and
log-format.md section 9: checkpoints/ (a log and a checkpoint file, `ledger verify --checkpoint`),
notes/ and key-files/ (a checkpoint file and a verifier key file, checked against the `valid`
ledger), bundles/ (inclusion bundles, `ledger verify-proof`), evidence/ (consistency evidence,
`ledger consistency` and scripts/check_consistency.py) and ed25519/ (strict RFC 8032 verification).
Imported by make_vectors.py; every expectation is what this script built or broke."""
import base64, hashlib, json

import tlog_verify
from tlog_verify import BASE, L, P, _add, _mul

EMPTY = hashlib.sha256(b"").digest()
DASH = "\u2014"

# --- RFC 9162 section 2.1: the tree head, audit paths and consistency proofs, from the definitions.

def leaf(record_hash_hex): return hashlib.sha256(b"\x00" + bytes.fromhex(record_hash_hex)).digest()
def node(left, right): return hashlib.sha256(b"\x01" + left + right).digest()
def split(n):
    k = 1
    while k * 2 < n: k *= 2
    return k
def mth(leaves):
    if not leaves: return EMPTY
    if len(leaves) == 1: return leaves[0]
    k = split(len(leaves))
    return node(mth(leaves[:k]), mth(leaves[k:]))
def path(m, leaves):
    """PATH(m, D[n]), RFC 9162 2.1.3.1: sibling of the leaf first."""
    if len(leaves) <= 1: return []
    k = split(len(leaves))
    return path(m, leaves[:k]) + [mth(leaves[k:])] if m < k else path(m - k, leaves[k:]) + [mth(leaves[:k])]
def subproof(m, leaves, whole):
    n = len(leaves)
    if m == n: return [] if whole else [mth(leaves)]
    k = split(n)
    if m <= k: return subproof(m, leaves[:k], whole) + [mth(leaves[k:])]
    return subproof(m - k, leaves[k:], False) + [mth(leaves[:k])]
def consistency(m, leaves):
    """PROOF(m, D[n]), RFC 9162 2.1.4.1 (empty for m = 0 and m = n)."""
    return [] if m == 0 or m == len(leaves) else subproof(m, leaves, True)

def b64(raw): return base64.b64encode(raw).decode()


def broken_proofs(doc, replaced_at):
    """The three ways of breaking a proof that both bundles and evidence vectors test: one hash
    (at `replaced_at`) replaced, one too many, one too few."""
    proof = doc["proof"]
    other = b64(hashlib.sha256(b"other").digest())
    return [(dict(doc, proof=proof[:replaced_at] + [other] + proof[replaced_at + 1:]), "proof-wrong-hash"),
            (dict(doc, proof=proof + [proof[0]]), "proof-too-long"),
            (dict(doc, proof=proof[:-1]), "proof-too-short")]
def body(origin, size, head, extensions=()):
    return "%s\n%d\n%s\n" % (origin, size, b64(head)) + "".join(e + "\n" for e in extensions)

# --- Keys and signed notes (proofs.md sections 3 and 4).

def key_id(name, public): return hashlib.sha256(name.encode() + b"\n\x01" + public).digest()[:4]
def verifier_key(name, public): return "%s+%s+%s" % (name, key_id(name, public).hex(), b64(b"\x01" + public))

class Signer:
    """A note signer: a name and an Ed25519 key (a test key of Specs/vectors/keys, or a seed)."""
    def __init__(self, name, seed, sign, encode_point, secret_scalar):
        self.name, self.seed, self._sign = name, seed, sign
        self.scalar = secret_scalar(seed)
        self.public = encode_point(_mul(self.scalar, BASE))
        self.vkey = verifier_key(name, self.public)
    def signature(self, text): return self._sign(self.seed, text.encode())
    def line(self, text, signature=None, name=None, kid=None):
        sig = self.signature(text) if signature is None else signature
        return "%s %s %s\n" % (DASH, name or self.name, b64((kid or key_id(self.name, self.public)) + sig))

def note(text, *lines): return text + "\n" + "".join(lines)

def flip(sig): return sig[:32] + bytes([sig[32] ^ 1]) + sig[33:]  # S stays below L

def s_plus_l(sig): return sig[:32] + (int.from_bytes(sig[32:], "little") + L).to_bytes(32, "little")

NON_CANONICAL_IDENTITY = (P + 1).to_bytes(32, "little")        # y = p + 1 >= p: the identity, y not reduced
NEGATIVE_ZERO_IDENTITY = (1 | 1 << 255).to_bytes(32, "little")  # y = 1 with the sign bit: x = 0 "negative"
IDENTITY = (1).to_bytes(32, "little")

def lenient_r_signature(signer, message, r_bytes):
    """A signature whose R is `r_bytes`, a non-canonical encoding of the identity, with S = k*a mod
    L: a verifier that reduces R would find [S]B = R + [k]A and accept; a strict one refuses."""
    k = int.from_bytes(hashlib.sha512(r_bytes + signer.public + message).digest(), "little") % L
    return r_bytes + (k * signer.scalar % L).to_bytes(32, "little")

def identity_key_signature(encode_point, r=12345):
    """For A = the identity (or an encoding of it): R = [r]B, S = r satisfies [S]B = R + [k]A for every message."""
    return encode_point(_mul(r, BASE)) + r.to_bytes(32, "little")

# --- The families.

def build(valid_objs, valid_lines, appends, v1_lines, keys, tools):
    """Returns [(directory, {file name: bytes}, expected line, note)] for every proof family, and
    the files to add to valid/ and valid-v1/."""
    sign, encode_point, secret_scalar, chain, canonical, new_record, record_hash = tools
    out = []
    def case(directory, files, expected, why): out.append((directory, files, expected, why))
    origin = valid_objs[0]["payload"]["origin"]
    leaves = [leaf(o["hash"]) for o in valid_objs]
    n = len(leaves)
    def seed_of(k): return keys[k].seed
    founder = Signer("OP-FOUNDER", seed_of("founder"), sign, encode_point, secret_scalar)
    treasurer = Signer("OP-TREASURER", seed_of("treasurer"), sign, encode_point, secret_scalar)
    stranger = Signer("OP-STRANGER", seed_of("stranger"), sign, encode_point, secret_scalar)
    def derived(label):  # a key from a fixed seed (deterministic; not in keys/)
        return hashlib.sha256(b"ledger vectors: " + label.encode()).digest()
    assert founder.vkey + "\n" == open(keys["founder"].pub).read(), "the founder's verifier key"
    log = b"".join(l + b"\n" for l in valid_lines)
    pub = lambda *signers: "".join(s.vkey + "\n" for s in signers).encode()
    text13 = body(origin, n, mth(leaves))
    signed13 = note(text13, founder.line(text13))
    extra = {"valid/checkpoint": text13.encode(), "valid/checkpoint.signed": signed13.encode(),
             "valid/checkpoint.pub": pub(founder)}
    v1_objs = [json.loads(l) for l in v1_lines]
    v1_leaves = [leaf(o["hash"]) for o in v1_objs]
    extra["valid-v1/checkpoint"] = body(v1_objs[0]["payload"]["origin"], len(v1_leaves), mth(v1_leaves)).encode()

    # A fork: record 4's text edited, the rest re-hashed, re-linked and re-signed as a writer would.
    forked_objs = json.loads(json.dumps(valid_objs))
    forked_objs[4]["payload"]["text"] = "réunion du comité (réécrite)"
    forked_objs = chain(forked_objs, appends, keys)
    forked = b"".join(canonical(o) + b"\n" for o in forked_objs)
    late_objs = json.loads(json.dumps(valid_objs))
    late_objs[9]["payload"]["text"] = "rewritten after the checkpoint"
    late = b"".join(canonical(o) + b"\n" for o in chain(late_objs, appends, keys))
    truncated = b"".join(l + b"\n" for l in valid_lines[:10])
    broken_objs = json.loads(json.dumps(valid_objs)); broken_objs[4]["payload"]["text"] = "edited, hash kept"
    broken = b"".join((canonical(o) if i != 4 else canonical(broken_objs[4])) + b"\n" for i, o in enumerate(valid_objs))
    torn = b'{"actor":"OP-TREASURER","eff'
    text8 = body(origin, 8, mth(leaves[:8]))
    cp = lambda directory, log_bytes, checkpoint, expected, why, trusted=None: case(
        "checkpoints/" + directory, dict({"log.jsonl": log_bytes, "checkpoint": checkpoint.encode()},
                                         **({"trusted.pub": trusted} if trusted else {})), expected, why)
    intact = "INTACT %d clock=simulated signatures=%%s" % n
    cp("intact-bare-head", log, text13, intact % "unsigned", "a bare checkpoint of all 13 records")
    cp("intact-bare-8", log, text8, intact % "unsigned", "a bare checkpoint of the first 8 records: the log extends it")
    cp("intact-size-0", log, body(origin, 0, EMPTY), intact % "unsigned", "size 0: the tree head of no record is SHA-256 of nothing")
    cp("intact-signed", log, signed13, intact % "verified", "signed by OP-FOUNDER, whose verifier key is trusted", pub(founder))
    cp("intact-signed-not-checked", log, signed13, intact % "not_checked", "a signed checkpoint without --key: signatures not checked")
    cp("intact-edit-after-size", late, text8, intact % "unsigned",
       "record 9 rewritten (and re-chained, re-signed) after a checkpoint of 8 records: those 8 are unchanged")
    cp("origin-mismatch", log, body("vectors.example/other-fund", n, mth(leaves)), "ORIGIN_MISMATCH", "the checkpoint names another ledger")
    cp("truncated", truncated, text13, "TRUNCATED", "the log holds 10 records (intact), the checkpoint 13")
    cp("truncated-then-torn", truncated + torn, text13, "TRUNCATED",
       "10 records and a torn tail against a checkpoint of 13: TRUNCATED (exit 1) takes precedence over TORN_TAIL")
    cp("torn-tail-extends", log + torn, text13, "TORN_TAIL seq=%d line=%d offset=%d" % (n, n + 1, len(log)),
       "the log extends the checkpoint, then a torn tail (exit 3)")
    cp("forked", forked, text13, "FORKED", "record 4 rewritten and every later record re-hashed and re-signed: a valid log, another tree head")
    cp("forked-at-8", forked, text8, "FORKED", "the same fork against a checkpoint of the first 8 records")
    cp("forked-size-0", log, body(origin, 0, mth(leaves[:1])), "FORKED", "size 0 with a tree head other than SHA-256 of nothing")
    cp("forked-signed", forked, signed13, "FORKED", "a trusted signed checkpoint of the original history, the forked log",
       pub(founder))
    cp("log-failure-first", broken, text8, "HASH_MISMATCH seq=4 line=5 offset=%d" % sum(len(l) + 1 for l in valid_lines[:4]),
       "record 4 edited, hash kept: the log's own failure is the verdict, the checkpoint is not evaluated")
    bad = note(text13, founder.line(text13, flip(founder.signature(text13))))
    cp("bad-signature", log, bad, "BAD_SIGNATURE checkpoint", "OP-FOUNDER's signature with one bit of S flipped", pub(founder))
    cp("bad-signature-log-not-read", broken, bad, "BAD_SIGNATURE checkpoint",
       "a failing checkpoint signature and a broken log: with --key the signature comes first and the log is not read", pub(founder))
    cp("unsigned-with-key", log, text13, "BAD_SIGNATURE checkpoint", "a bare checkpoint when --key asks for a trusted signature",
       pub(founder))

    # Signed notes against the valid ledger (proofs.md section 4).
    verified = "INTACT %d clock=simulated signatures=verified" % n
    def nt(directory, text, expected, why, trusted):
        case("notes/" + directory, {"checkpoint": text.encode(), "trusted.pub": trusted}, expected, why)
    nt("one-signature", signed13, verified, "one signature by the trusted key", pub(founder))
    nt("unknown-signer-ignored", note(text13, stranger.line(text13), founder.line(text13)), verified,
       "a signature by a key the verifier does not know is ignored (rule 1)", pub(founder))
    nt("only-unknown-signer", note(text13, stranger.line(text13)), "BAD_SIGNATURE checkpoint",
       "no trusted key signed (rule 3)", pub(founder))
    nt("trusted-signature-fails", note(text13, founder.line(text13), treasurer.line(text13, flip(treasurer.signature(text13)))),
       "BAD_SIGNATURE checkpoint", "two trusted keys; one verifies, the other's signature fails: the note is rejected (rule 2)",
       pub(founder, treasurer))
    nt("same-name-other-key-id", note(text13, stranger.line(text13, name="OP-FOUNDER", kid=key_id("OP-FOUNDER", stranger.public)),
                                      founder.line(text13)), verified,
       "a line named OP-FOUNDER under another key's key ID matches no trusted key and is ignored",
       pub(founder))
    nt("name-compared-as-bytes", note(text13, founder.line(text13, name="op-founder")), "BAD_SIGNATURE checkpoint",
       "OP-FOUNDER's signature and key ID under the name op-founder: names are compared as bytes, so no trusted key signed",
       pub(founder))
    ext = body(origin, n, mth(leaves), ["vectors.example extension line"])
    nt("extension-line", note(ext, founder.line(ext)), verified, "a checkpoint with one extension line, signed: accepted", pub(founder))
    ext33 = body(origin, n, mth(leaves), ["extension %d" % i for i in range(33)])
    nt("extension-lines-33", note(ext33, founder.line(ext33)), "MALFORMED checkpoint", "33 extension lines (at most 32)", pub(founder))
    ext_long = body(origin, n, mth(leaves), ["x" * 1025])
    nt("line-over-1024-bytes", note(ext_long, founder.line(ext_long)), "MALFORMED checkpoint",
       "an extension line of 1,025 bytes (at most 1,024 per line)", pub(founder))
    lead = "%s\n0%d\n%s\n" % (origin, n, b64(mth(leaves)))
    nt("size-leading-zero", note(lead, founder.line(lead)), "MALFORMED checkpoint", "size written 013", pub(founder))
    huge = "%s\n%d\n%s\n" % (origin, 2**53, b64(mth(leaves)))
    nt("size-above-2-53", note(huge, founder.line(huge)), "MALFORMED checkpoint", "size 2^53, above 2^53 - 1", pub(founder))
    head = b64(mth(leaves)); loose = head[:42] + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".index(head[42]) | 1] + head[43:]
    assert loose != head
    nonc = "%s\n%d\n%s\n" % (origin, n, loose)
    nt("tree-head-not-canonical-base64", note(nonc, founder.line(nonc)), "MALFORMED checkpoint",
       "the tree head's base64 has non-zero pad bits", pub(founder))
    short = "%s\n%d\n%s\n" % (origin, n, b64(mth(leaves)[:31]))
    nt("tree-head-31-bytes", note(short, founder.line(short)), "MALFORMED checkpoint", "a tree head of 31 bytes", pub(founder))
    nt("duplicate-signature", note(text13, founder.line(text13), founder.line(text13)), "MALFORMED checkpoint",
       "the same name and key ID twice", pub(founder))
    many = [Signer("cosigner-%03d.example" % i, derived("cosigner %d" % i), sign, encode_point, secret_scalar) for i in range(100)]
    nt("signatures-100", note(text13, founder.line(text13), *[s.line(text13) for s in many[:99]]), verified,
       "100 signatures (the most a note may carry), one trusted", pub(founder))
    nt("signatures-101", note(text13, founder.line(text13), *[s.line(text13) for s in many]), "MALFORMED checkpoint",
       "101 signatures (at most 100)", pub(founder))
    big = body(origin, n, mth(leaves), [("extension %02d " % i).ljust(1024, "x") for i in range(32)])
    wide = ["%s %s %s\n" % (DASH, ("cosigner-%03d." % i).ljust(248, "x") + ".example", b64(derived("id %d" % i)[:4] + bytes(64)))
            for i in range(99)]
    big_note = note(big, founder.line(big), *wide)
    assert len(big_note.encode()) > 65536 and all(len(w.split(" ")[1]) == 256 for w in wide)
    nt("note-over-65536-bytes", big_note, "MALFORMED checkpoint",
       "32 extension lines of 1,024 bytes and 100 signatures with 256-byte names: %d bytes, more than a note may hold (65,536)"
       % len(big_note.encode()), pub(founder))
    nt("ascii-hyphen", note(text13, founder.line(text13).replace(DASH, "-", 1)), "MALFORMED checkpoint",
       "a signature line starting with '-' instead of U+2014", pub(founder))
    tab = text13.replace("fund-v2", "fund-v2\t", 1)
    nt("control-character", note(tab, founder.line(tab)), "MALFORMED checkpoint", "a tab in the origin line", pub(founder))
    nt("signed-without-final-newline", note(text13, founder.line(text13, founder.signature(text13[:-1]))),
       "BAD_SIGNATURE checkpoint", "signed over the text without its final newline", pub(founder))
    nt("ed25519-s-plus-l", note(text13, founder.line(text13, s_plus_l(founder.signature(text13)))), "BAD_SIGNATURE checkpoint",
       "OP-FOUNDER's signature with S + L in place of S (a lenient verifier reduces S and accepts)", pub(founder))
    for label, r in [("non-canonical-r", NON_CANONICAL_IDENTITY), ("negative-zero-r", NEGATIVE_ZERO_IDENTITY)]:
        nt("ed25519-" + label, note(text13, founder.line(text13, lenient_r_signature(founder, text13.encode(), r))),
           "BAD_SIGNATURE checkpoint", "R a non-canonical encoding of the identity, S = k*a: [S]B = R + [k]A holds for a "
           "verifier that reduces R, a strict one compares bytes and refuses", pub(founder))
    small = verifier_key("small-order.example", IDENTITY)
    nt("ed25519-small-order-key", note(text13, "%s small-order.example %s\n" % (DASH, b64(key_id("small-order.example", IDENTITY)
                                                                                      + identity_key_signature(encode_point)))),
       verified, "a trusted key that is the identity point (small order, canonical): R = [r]B, S = r verifies for any text; "
       "small-order keys are not rejected (proofs.md section 3)", (small + "\n").encode())

    # Verifier key files (proofs.md section 3), each trusting the signer of the checkpoint beside it.
    def kf(directory, text, expected, why, checkpoint=signed13):
        case("key-files/" + directory, {"checkpoint": checkpoint.encode(), "trusted.pub": text}, expected, why)
    fk = founder.vkey
    kf("no-final-newline", fk.encode(), verified, "one key, no final newline")
    kf("comments-and-blank-lines", ("# the founder\n\n%s\n\n# end\n" % fk).encode(), verified, "comment and empty lines are ignored")
    others = [Signer("other-%02d.example" % i, derived("other %d" % i), sign, encode_point, secret_scalar) for i in range(16)]
    kf("sixteen-keys", pub(*others[:15], founder), verified, "16 keys, the founder's last")
    kf("seventeen-keys", pub(*others, founder), "MALFORMED key", "17 keys (at most 16)")
    plus = next(s for s in (Signer("plus.example", derived("plus %d" % i), sign, encode_point, secret_scalar) for i in range(100))
                if "+" in s.vkey.split("+", 2)[2])
    ptext = note(text13, plus.line(text13))
    kf("plus-in-base64", pub(plus), verified, "a key whose base64 holds '+': split on the first two '+' only", ptext)
    utf = Signer("trésorier.example", derived("utf8"), sign, encode_point, secret_scalar)
    kf("utf8-name", pub(utf), verified, "a name in UTF-8 (key ID over its bytes)", note(text13, utf.line(text13)))
    name, kid, rest = fk.split("+", 2)
    kf("key-id-mismatch", ("%s+%s+%s\n" % (name, "%08x" % (int(kid, 16) ^ 1), rest)).encode(), "MALFORMED key",
       "the key ID does not match the name and key")
    kf("key-id-uppercase", ("%s+%s+%s\n" % (name, kid.upper(), rest)).encode() if kid.upper() != kid else None, "MALFORMED key",
       "the key ID in uppercase hex")
    kf("empty-file", b"", "MALFORMED key", "no key (1 to 16)")
    kf("only-comments", b"# nothing here\n", "MALFORMED key", "no key, only a comment")
    kf("signer-key", open(keys["founder"].key, "rb").read(), "MALFORMED key",
       "the signer key file (PRIVATE+KEY+...) given as a verifier key: name PRIVATE, key ID KEY")
    raw = base64.b64decode(rest)
    kf("algorithm-byte-2", ("%s+%s+%s\n" % (name, key_id_with(name, b"\x02", raw[1:]).hex(), b64(b"\x02" + raw[1:]))).encode(),
       "MALFORMED key", "the algorithm byte is 0x02, not 0x01 (key ID computed over it)")
    kf("base64-url-alphabet", ("%s+%s+%s\n" % (name, kid, rest[:5] + "-" + rest[6:])).encode(), "MALFORMED key",
       "a character of the URL-safe alphabet in the key's base64 (the standard alphabet only)")
    kf("key-31-bytes", ("%s+%s+%s\n" % (name, key_id_with(name, b"\x01", raw[1:32]).hex(), b64(raw[:32]))).encode(), "MALFORMED key",
       "0x01 and 31 bytes")
    kf("name-with-space", verifier_key("OP FOUNDER", founder.public).encode() + b"\n", "MALFORMED key", "a name with a space")
    kf("file-over-16384-bytes", ("#" + "x" * 16384 + "\n" + fk + "\n").encode(), "MALFORMED key", "a key file of more than 16,384 bytes")
    out[:] = [c for c in out if c[1].get("trusted.pub", b"") is not None]

    # Inclusion bundles (proofs.md section 7).
    def bundle_of(objs, lines, index, size, signer=founder, note_text=None, proof=None):
        lv = [leaf(o["hash"]) for o in objs]
        text = body(objs[0]["payload"]["origin"], size, mth(lv[:size]))
        doc = {"checkpoint": note_text if note_text is not None else note(text, signer.line(text)),
               "format": "ledger.inclusion-bundle.v1", "index": index,
               "proof": [b64(h) for h in (path(index, lv[:size]) if proof is None else proof)],
               "record": lines[index].decode(), "tree_size": size}
        return doc
    def bd(directory, doc, expected, why, trusted=None, raw=None):
        data = raw if raw is not None else canonical(doc) + b"\n"
        case("bundles/" + directory, {"bundle.json": data, "trusted.pub": trusted or pub(founder)}, expected, why)
    good = bundle_of(valid_objs, valid_lines, 4, n)
    bd("valid-4", good, "VALID", "record 4 (a version-2 record with its append's sig) in the tree of 13")
    bd("valid-0", bundle_of(valid_objs, valid_lines, 0, n), "VALID", "the genesis record, leaf 0")
    bd("valid-12", bundle_of(valid_objs, valid_lines, 12, n), "VALID", "the last record: an unpaired right edge, shorter path")
    bd("valid-size-1", bundle_of(valid_objs, valid_lines, 0, 1), "VALID", "a tree of one record: the path is empty")
    bd("valid-no-final-newline", good, "VALID", "the bundle without its final newline", raw=canonical(good))
    v1_good = bundle_of(v1_objs, v1_lines, 3, len(v1_objs))
    bd("valid-v1-record", v1_good, "VALID", "a version-1 record of valid-v1 (hash prefix ledger.record.v1)")
    m = dict(good); m["comment"] = "x"
    bd("malformed-extra-member", m, "MALFORMED_BUNDLE", "a seventh member")
    bd("malformed-not-canonical", good, "MALFORMED_BUNDLE", "a space after a colon: not the canonical encoding",
       raw=canonical(good).replace(b'"index":4', b'"index": 4') + b"\n")
    m = dict(good); m["checkpoint"] = text13
    bd("malformed-bare-checkpoint", m, "MALFORMED_BUNDLE", "the checkpoint is bare, not a signed note")
    m = bundle_of(valid_objs, valid_lines, 4, n); m["tree_size"] = 12
    bd("malformed-tree-size", m, "MALFORMED_BUNDLE", "tree_size 12, the checkpoint's size 13")
    m = dict(good); m["proof"] = good["proof"][:1] + [b64(b"\x00" * 31)] + good["proof"][2:]
    bd("malformed-proof-hash-31-bytes", m, "MALFORMED_BUNDLE", "a proof hash of 31 bytes")
    m = dict(good); m["format"] = "ledger.inclusion-bundle.v2"
    bd("malformed-format", m, "MALFORMED_BUNDLE", "another format")
    m = dict(good); m["index"] = -1
    bd("malformed-negative-index", m, "MALFORMED_BUNDLE", "index -1")
    m = dict(good); m["proof"] = good["proof"] + [good["proof"][0]] * (65 - len(good["proof"]))
    bd("malformed-65-proof-hashes", m, "MALFORMED_BUNDLE", "a proof of 65 hashes: over the bundle's limit of 64 (section 7, step 1)")
    m = dict(good); m["checkpoint"] = note(text13, founder.line(text13, flip(founder.signature(text13))))
    bd("bad-signature", m, "BAD_SIGNATURE", "OP-FOUNDER's signature with one bit flipped")
    bd("bad-signature-untrusted", bundle_of(valid_objs, valid_lines, 4, n, signer=stranger), "BAD_SIGNATURE",
       "signed by a key that is not trusted")
    m = dict(m); m["proof"] = list(reversed(good["proof"]))
    bd("bad-signature-before-proof", m, "BAD_SIGNATURE", "a failing signature and a wrong proof: step 2 comes before step 4")
    edited = json.loads(valid_lines[4]); edited["payload"]["text"] = "edited, hash kept"
    m = dict(good); m["record"] = canonical(edited).decode()
    bd("record-hash-mismatch", m, "RECORD_INVALID HASH_MISMATCH", "record 4's text edited, its hash kept")
    m = dict(good); m["record"] = "{ " + good["record"][1:]
    bd("record-not-canonical", m, "RECORD_INVALID NON_CANONICAL", "a space in the record line")
    extra_member = json.loads(valid_lines[4]); extra_member["memo"] = "x"; extra_member["hash"] = record_hash(extra_member)
    m = dict(good); m["record"] = canonical(extra_member).decode()
    bd("record-schema", m, "RECORD_INVALID SCHEMA_VIOLATION", "a record with an unknown member (hash recomputed)")
    m = dict(good); m["index"] = 5; m["proof"] = [b64(h) for h in path(5, leaves)]
    bd("index-mismatch", m, "INDEX_MISMATCH", "record 4 presented as index 5, with leaf 5's path")
    whys = {"proof-wrong-hash": "one hash of the path replaced", "proof-too-long": "one hash too many",
            "proof-too-short": "one hash too few"}
    for m, name in broken_proofs(good, 2):
        bd(name, m, "PROOF_INVALID", whys[name])
    m = dict(good); m["proof"] = list(reversed(good["proof"]))
    bd("proof-reordered", m, "PROOF_INVALID", "the right hashes in the wrong order")
    longer = chain(json.loads(json.dumps(valid_objs)) + [new_record(n, "OP-FOUNDER", "note.recorded", {"text": "quatorze"},
                                                                       "2026-02-03T09:00:00.000000Z")],
                   appends + [(n, n, "founder")], keys)
    longer_lines = [canonical(o) for o in longer]
    m = bundle_of(longer, longer_lines, n, n, proof=[])
    bd("proof-index-not-below-size", m, "PROOF_INVALID",
       "record 13 of a longer history against the checkpoint of 13 records (index 13, tree_size 13)")

    # Consistency evidence (proofs.md section 6).
    def evidence(stored, current_text, log_leaves=None, m_size=None, verdict=None):
        doc = {"current": current_text, "format": "ledger.consistency-evidence.v1", "stored": stored, "verdict": verdict}
        if verdict in ("CONSISTENT", "FORKED"):
            doc["log_at_stored_size"] = body(origin, m_size, mth(log_leaves[:m_size]))
            doc["proof"] = [b64(h) for h in consistency(m_size, log_leaves)]
        return doc
    def ev(directory, doc, expected, why, log_bytes=None, stored=None, trusted=None, raw=None):
        files = {"evidence.json": raw if raw is not None else canonical(doc) + b"\n"}
        if log_bytes is not None: files.update({"log.jsonl": log_bytes, "stored": stored.encode()})
        if trusted: files["trusted.pub"] = trusted
        case("evidence/" + directory, files, expected, why)
    forked_leaves = [leaf(o["hash"]) for o in forked_objs]
    for size in (8, 4, 13, 0, 1):
        stored = body(origin, size, mth(leaves[:size]))
        ev("consistent-%d-%d" % (size, n), evidence(stored, text13, leaves, size, "CONSISTENT"), "HOLDS CONSISTENT",
           "the log of 13 records extends a checkpoint of %d" % size, log, stored)
    signed8 = note(text8, founder.line(text8))
    ev("consistent-signed", evidence(signed8, text13, leaves, 8, "CONSISTENT"), "HOLDS CONSISTENT",
       "the stored checkpoint is a signed note, kept as given; its signature checked with the trusted key", log, signed8, pub(founder))
    forked13 = body(origin, n, mth(forked_leaves))
    ev("forked", evidence(text8, forked13, forked_leaves, 8, "FORKED"), "HOLDS FORKED",
       "record 4 rewritten: for the same 8 records the log now claims another head", forked, text8)
    ev("forked-signed", evidence(signed8, forked13, forked_leaves, 8, "FORKED"), "HOLDS FORKED",
       "the same, the stored checkpoint signed: evidence that holds after the ledger is gone", forked, signed8, pub(founder))
    ten = body(origin, 10, mth(leaves[:10]))
    ev("truncated", evidence(text13, ten, verdict="TRUNCATED"), "HOLDS TRUNCATED", "the log holds 10 records, the stored checkpoint 13",
       truncated, text13)
    other = body("vectors.example/other-fund", 8, mth(leaves[:8]))
    ev("origin-mismatch", evidence(other, text13, verdict="ORIGIN_MISMATCH"), "HOLDS ORIGIN_MISMATCH",
       "the stored checkpoint names another ledger", log, other)
    text6 = body(origin, 6, mth(leaves[:6]))
    good_ev = evidence(text6, text13, leaves, 6, "CONSISTENT")  # the broken ones below: a proof of 4 hashes
    d = dict(evidence(text8, forked13, forked_leaves, 8, "FORKED")); d["verdict"] = "CONSISTENT"
    ev("claims-consistent-when-forked", d, "INVALID", "FORKED evidence whose verdict says CONSISTENT")
    d = dict(good_ev); d["verdict"] = "TRUNCATED"
    ev("claims-truncated-when-longer", d, "INVALID", "the log is longer than the stored checkpoint, the verdict says TRUNCATED")
    assert len(good_ev["proof"]) == 4
    whys = {"proof-wrong-hash": "one hash of the consistency proof replaced", "proof-too-long": "one hash too many",
            "proof-too-short": "one hash too few"}
    for d, name in broken_proofs(good_ev, 1):
        ev(name, d, "INVALID", whys[name])
    d = evidence(text13, text13, leaves, n, "CONSISTENT"); d["proof"] = [b64(leaves[0])]
    ev("same-size-non-empty-proof", d, "INVALID", "m = n needs an empty proof")
    d = dict(good_ev); d["log_at_stored_size"] = body(origin, 7, mth(leaves[:7]))
    ev("log-at-other-size", d, "INVALID", "log_at_stored_size is a checkpoint of 7 records, the stored one of 6")
    d = dict(good_ev); del d["proof"]
    ev("proof-missing", d, "MALFORMED", "no proof although the log is not shorter")
    d = evidence(note(text8, founder.line(text8, flip(founder.signature(text8)))), text13, leaves, 8, "CONSISTENT")
    ev("stored-signature-fails", d, "INVALID", "the stored note's trusted signature fails (checked with the trusted key)",
       trusted=pub(founder))

    # Ed25519, strict (proofs.md section 3; log-format section 10.2).
    msg = b"ledger.append.v2\n4\n4\n" + valid_objs[4]["hash"].encode() + b"\n"
    clerk = Signer("OP-CLERK", seed_of("clerk"), sign, encode_point, secret_scalar)
    good_sig = clerk.signature(msg.decode())
    rfc_pub = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
    rfc_sig = bytes.fromhex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
    ed = [
        ("rfc8032-test-1", rfc_pub, b"", rfc_sig, True, "RFC 8032 section 7.1, TEST 1 (empty message)"),
        ("append-signature", clerk.public, msg, good_sig, True, "OP-CLERK's signature of record 4's append in valid"),
        ("s-flipped", clerk.public, msg, flip(good_sig), False, "one bit of S flipped (S stays below L): the equation fails"),
        ("s-plus-l", clerk.public, msg, s_plus_l(good_sig), False, "S + L in place of S: S MUST be below L"),
        ("s-equals-l", clerk.public, msg, good_sig[:32] + L.to_bytes(32, "little"), False, "S = L"),
        ("r-non-canonical", clerk.public, msg, lenient_r_signature(clerk, msg, NON_CANONICAL_IDENTITY), False,
         "R = the identity encoded with y = p + 1, S = k*a: holds if R is reduced, refused since R is not canonical"),
        ("r-negative-zero", clerk.public, msg, lenient_r_signature(clerk, msg, NEGATIVE_ZERO_IDENTITY), False,
         "R = the identity with the sign bit set (x = 0 is not negative), S = k*a"),
        ("a-non-canonical", NON_CANONICAL_IDENTITY, msg, identity_key_signature(encode_point), False,
         "A = the identity encoded with y = p + 1: R = [r]B, S = r holds if A is reduced; A MUST be canonical"),
        ("a-negative-zero", NEGATIVE_ZERO_IDENTITY, msg, identity_key_signature(encode_point), False,
         "A = the identity with the sign bit set"),
        ("a-small-order", IDENTITY, msg, identity_key_signature(encode_point), True,
         "A = the identity (canonical, order 1): [S]B = R + [k]A holds for every message; small-order keys are not rejected"),
        ("a-not-on-curve", (2).to_bytes(32, "little"), msg, good_sig, False, "A with y = 2: no point of the curve has it"),
        ("wrong-message", clerk.public, msg.replace(b"\n4\n4\n", b"\n4\n5\n"), good_sig, False, "the right key over other bytes"),
    ]
    assert tlog_verify._decompress((2).to_bytes(32, "little")) is None
    for name_, public, message, signature, ok, why in ed:
        assert tlog_verify_ok(public, message, signature) == ok, name_
    ed_doc = [{"message": m_.hex(), "name": nm, "public_key": pk.hex(), "signature": sg.hex(), "valid": ok, "why": why}
              for nm, pk, m_, sg, ok, why in ed]
    extra["ed25519/vectors.json"] = b"[\n" + b",\n".join(canonical(x) for x in ed_doc) + b"\n]\n"
    return out, extra

def tlog_verify_ok(public, message, signature):
    return tlog_verify.ed25519_verify(public, message, signature)

def key_id_with(name, algorithm, public):
    return hashlib.sha256(name.encode() + b"\n" + algorithm + public).digest()[:4]


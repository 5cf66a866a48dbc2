"""Independent checks of ledger proofs, written from Specs/proofs.md and the RFCs alone
(Python standard library only): RFC 9162 Merkle inclusion and consistency proofs, C2SP
checkpoints and signed notes, and strict RFC 8032 Ed25519 verification.

Shared by check_bundle.py and check_consistency.py; it shares no code with `ledger`."""
import base64, hashlib, re

class Malformed(Exception): """The input is not the document it claims to be (exit status 2)."""
class Invalid(Exception): """The document is well formed but what it claims does not hold (exit status 1)."""

# --- RFC 9162 section 2.1: leaves are SHA-256(0x00 || data), nodes SHA-256(0x01 || left || right).

def leaf_hash(data): return hashlib.sha256(b"\x00" + data).digest()
def node_hash(left, right): return hashlib.sha256(b"\x01" + left + right).digest()
EMPTY_ROOT = hashlib.sha256(b"").digest()

def verify_inclusion(leaf, index, size, proof, root):
    """RFC 9162 section 2.1.3.2."""
    if index >= size: raise Invalid(f"index {index} is beyond a tree of {size} leaves")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0: raise Invalid(f"the proof has {len(proof)} hashes: too many for index {index} in size {size}")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0: fn >>= 1; sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1; sn >>= 1
    if sn != 0: raise Invalid(f"the proof has {len(proof)} hashes: too few for index {index} in size {size}")
    if r != root: raise Invalid("the proof does not lead to the checkpoint's tree head")

def verify_consistency(m, n, old_root, new_root, proof):
    """RFC 9162 section 2.1.4.2; an empty old tree (m = 0) needs an empty proof and the empty root."""
    if m > n: raise Invalid(f"old size {m} is larger than new size {n}")
    if m == 0 or m == n:
        if proof: raise Invalid(f"the proof from size {m} to {n} must be empty, it has {len(proof)} hashes")
        if m == 0 and old_root != EMPTY_ROOT: raise Invalid("a tree of size 0 has the empty root")
        if m == n and old_root != new_root: raise Invalid(f"two different tree heads for size {m}")
        return
    if not proof: raise Invalid("the proof is empty")
    if m & (m - 1) == 0: proof = [old_root] + proof
    fn, sn = m - 1, n - 1
    while fn & 1: fn >>= 1; sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0: raise Invalid("the proof has too many hashes")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0: fn >>= 1; sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1; sn >>= 1
    if sn != 0: raise Invalid("the proof has too few hashes")
    if fr != old_root: raise Invalid("the proof does not rebuild the old tree head")
    if sr != new_root: raise Invalid("the proof does not rebuild the new tree head")

def b64_hash(text, what):
    try:
        raw = base64.b64decode(text, validate=True)
    except (ValueError, TypeError):
        raise Malformed(f"{what} is not base64")
    if len(raw) != 32 or base64.b64encode(raw).decode() != text: raise Malformed(f"{what} is not the base64 of 32 bytes")
    return raw

# --- C2SP tlog-checkpoint and signed-note.

def canonical_b64(text, what):
    """Bytes of a canonical standard base64 text (RFC 4648 section 4, padded, pad bits zero)."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (ValueError, TypeError):
        raise Malformed(f"{what} is not base64")
    if base64.b64encode(raw).decode() != text: raise Malformed(f"{what} is not canonical base64")
    return raw

def parse_checkpoint(text):
    """origin, size, root of a checkpoint body (proofs.md section 4): three or more non-empty lines
    without control characters, each ending in \\n and at most 1,024 bytes; the size decimal without
    leading zeros and at most 2^53 - 1; the tree head the canonical base64 of 32 bytes; at most 32
    extension lines (ignored)."""
    if not text.endswith("\n"): raise Malformed("a checkpoint ends with a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3 or any(not line or any(ord(c) < 0x20 or ord(c) == 0x7f for c in line) for line in lines):
        raise Malformed("a checkpoint has 3 or more non-empty lines without control characters")
    if len(lines) > 3 + 32: raise Malformed("a checkpoint has at most 32 extension lines")
    if any(len(line.encode()) > 1024 for line in lines): raise Malformed("a checkpoint line is at most 1,024 bytes")
    if not re.fullmatch(r"0|[1-9][0-9]*", lines[1]) or int(lines[1]) > 2**53 - 1:
        raise Malformed("the checkpoint size is not a decimal number up to 2^53 - 1")
    return lines[0], int(lines[1]), b64_hash(lines[2], "the checkpoint's tree head")

def split_note(document):
    """A bare checkpoint -> (text, []); a signed note -> (text, [(name, key id, signature)]).
    A note is at most 65,536 bytes with no control character but 0x0A, and at most 100 signatures,
    no two with the same name and key ID (proofs.md section 4)."""
    if len(document.encode()) > 65536: raise Malformed("a note is at most 65,536 bytes")
    if any(ord(c) < 0x20 and c != "\n" or ord(c) == 0x7f for c in document): raise Malformed("a control character in the note")
    if "\n\n" not in document: return document, []
    cut = document.rindex("\n\n")
    text, block = document[:cut + 1], document[cut + 2:]
    if not block.endswith("\n"): raise Malformed("the note's signature lines end with a newline")
    signatures, seen = [], set()
    for line in block[:-1].split("\n"):
        m = re.fullmatch(r"\u2014 ([^ +]+) ([A-Za-z0-9+/=]+)", line)
        if not m: raise Malformed(f"not a signature line: {line[:40]!r}")
        blob = canonical_b64(m.group(2), "a signature")
        if len(blob) <= 4: raise Malformed("a signature is too short")
        if (m.group(1), blob[:4]) in seen: raise Malformed("two signatures with the same name and key ID")
        seen.add((m.group(1), blob[:4]))
        signatures.append((m.group(1), blob[:4], blob[4:]))
    if len(signatures) > 100: raise Malformed("a note carries at most 100 signatures")
    return text, signatures

def load_verifier_keys(path):
    """A key file (proofs.md section 3): UTF-8, at most 16,384 bytes, 1 to 16 verifier keys
    "name+<8 lowercase hex>+base64(0x01 || key)", one per line (split on the first two '+' only:
    the base64 may hold '+'); empty lines and lines starting with # are ignored. Returns
    [(name, key id, key)]."""
    raw = open(path, "rb").read()
    if len(raw) > 16384: raise Malformed(f"{path}: a key file is at most 16,384 bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Malformed(f"{path}: not UTF-8")
    keys = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line or line.startswith("#"): continue
        parts = line.split("+", 2)
        if len(parts) != 3: raise Malformed(f"{path}:{number}: not a verifier key")
        name, key_id, key = parts
        if not 1 <= len(name.encode()) <= 256 or any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7f for c in name):
            raise Malformed(f"{path}:{number}: the key's name has white space or control characters")
        if not re.fullmatch("[0-9a-f]{8}", key_id): raise Malformed(f"{path}:{number}: the key ID is not 8 lowercase hex digits")
        data = canonical_b64(key, f"{path}:{number}: the key")
        if len(data) != 33 or data[0] != 1: raise Malformed(f"{path}:{number}: not an Ed25519 verifier key")
        computed = hashlib.sha256(name.encode() + b"\n" + data).digest()[:4]
        if computed.hex() != key_id: raise Malformed(f"{path}:{number}: key ID {key_id} does not match the key")
        keys.append((name, computed, data[1:]))
    if not 1 <= len(keys) <= 16: raise Malformed(f"{path} holds {len(keys)} keys (1 to 16)")
    return keys

def check_signatures(text, signatures, keys):
    """C2SP signed-note rules: unknown keys are ignored, a known key that fails rejects the note,
    at least one known key must sign. Returns the names that signed."""
    signed = []
    for name, key_id, signature in signatures:
        for key_name, known_id, public in keys:
            if key_name == name and known_id == key_id:
                if not ed25519_verify(public, text.encode(), signature):
                    raise Invalid(f"the signature by {name}+{key_id.hex()} does not verify")
                signed.append(f"{name}+{key_id.hex()}")
    if not signed: raise Invalid("no signature by a trusted key")
    return signed

# --- Ed25519, strict RFC 8032 section 5.1.7: canonical A, R and S < L, cofactorless equation.

P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)

def _add(a, b):
    x1, y1, z1, t1 = a; x2, y2, z2, t2 = b
    A, B = (y1 - x1) * (y2 - x2) % P, (y1 + x1) * (y2 + x2) % P
    C, Dd = t1 * 2 * D * t2 % P, z1 * 2 * z2 % P
    E, F, G, H = B - A, Dd - C, Dd + C, B + A
    return (E * F % P, G * H % P, F * G % P, E * H % P)

def _mul(s, point):
    q = (0, 1, 1, 0)
    while s > 0:
        if s & 1: q = _add(q, point)
        point = _add(point, point); s >>= 1
    return q

def _equal(a, b):
    return (a[0] * b[2] - b[0] * a[2]) % P == 0 and (a[1] * b[2] - b[1] * a[2]) % P == 0

def _decompress(s):
    """The point encoded by 32 bytes, or None unless the encoding is canonical and on the curve."""
    if len(s) != 32: return None
    y = int.from_bytes(s, "little"); sign = y >> 255; y &= (1 << 255) - 1
    if y >= P: return None
    x2 = (y * y - 1) * pow(D * y * y + 1, P - 2, P) % P
    if x2 == 0:
        if sign: return None
        return (0, y, 1, 0)
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P != 0: x = x * SQRT_M1 % P
    if (x * x - x2) % P != 0: return None
    if (x & 1) != sign: x = P - x
    return (x, y, 1, x * y % P)

BASE = _decompress((4 * pow(5, P - 2, P) % P).to_bytes(32, "little"))

def ed25519_verify(public, message, signature):
    if len(signature) != 64: return False
    A, R = _decompress(public), _decompress(signature[:32])
    s = int.from_bytes(signature[32:], "little")
    if A is None or R is None or s >= L: return False
    k = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % L
    return _equal(_mul(s, BASE), _add(R, _mul(k, A)))

# --- Records (Specs/log-format.md section 5).

def record_hash(line):
    """The stored hash of a record line (bytes, no newline), checked against its bytes."""
    import json
    record = json.loads(line.decode("utf-8"))
    stored = record.get("hash") if isinstance(record, dict) else None
    if not isinstance(stored, str) or not re.fullmatch(r"[0-9a-f]{64}", stored): raise Invalid("the record has no valid hash member")
    # Members are sorted and "actor" and "effective" cannot hold a quote: the first occurrence
    # is the record's own member.
    member = b'"hash":"%s",' % stored.encode()
    if member not in line: raise Invalid("the record's hash member is not where section 5 puts it")
    version = record.get("v")
    if version not in (1, 2): raise Invalid(f"the record is of format version {version!r}, not 1 or 2")
    body = line.replace(member, b"", 1)
    if version == 2 and isinstance(record.get("sig"), str):
        # Version 2 leaves the append's signature out of the hash: `"sig":"<88>",` comes right
        # before the envelope's `"type":`, after the payload (log-format section 5).
        signature = b'"sig":"%s",' % record["sig"].encode()
        at = body.rfind(signature)
        if at < 0: raise Invalid("the record's sig member is not where section 5 puts it")
        body = body[:at] + body[at + len(signature):]
    computed = hashlib.sha256(b"ledger.record.v%d\n" % version + body).hexdigest()
    if computed != stored: raise Invalid(f"the record's stored hash is {stored} but its bytes hash to {computed}")
    return record, bytes.fromhex(stored)

def run_checker(description, argument, load, check, prefix=""):
    """The shared command line of the checkers: one document and repeatable --key files.
    Prints prefix + check's verdict (exit 0), INVALID (exit 1) or MALFORMED (exit 2)."""
    import argparse
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(argument)
    parser.add_argument("--key", action="append", default=[], help="verifier key file (repeatable)")
    args = parser.parse_args()
    try:
        keys = [key for path in args.key for key in load_verifier_keys(path)]
        print(prefix + check(load(getattr(args, argument)), keys))
        return 0
    except Invalid as error:
        print(f"INVALID: {error}")
        return 1
    except (Malformed, OSError, ValueError) as error:
        print(f"MALFORMED: {error}")
        return 2

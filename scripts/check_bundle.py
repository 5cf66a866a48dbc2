#!/usr/bin/env python3
"""Checks an inclusion bundle of `ledger prove` without the ledger and without `ledger`
(Specs/proofs.md, section 7; Python standard library only).

Usage: check_bundle.py BUNDLE [--key PUBKEY ...]      (BUNDLE may be - for standard input)

Always checked: the bundle is the canonical JSON of exactly its six members (a final newline is
optional) around a signed checkpoint of size tree_size (step 1); the record line decodes as a
record (Specs/log-format.md section 8 steps 1 to 4, by scripts/independent_verify.py) whose
stored hash is the SHA-256 of its bytes (section 5) and whose seq is the bundle's index (step 3);
the RFC 9162 inclusion proof leads from its leaf SHA-256(0x00 || hash) to the checkpoint's tree
head (step 4). With --key (verifier key files), the checkpoint's signed note must also carry a
valid signature by one of those keys (C2SP signed-note rules, strict Ed25519; step 2, checked
before steps 3 and 4).

Prints VALID, INVALID: <KIND>: <why> (BAD_SIGNATURE, RECORD_INVALID <record kind>,
INDEX_MISMATCH, PROOF_INVALID) or MALFORMED: <why>.
Exit status: 0 valid, 1 invalid, 2 malformed bundle."""
import hashlib, json, sys
import independent_verify
from tlog_verify import Invalid, Malformed, run_checker, b64_hash, check_signatures, leaf_hash, \
    parse_checkpoint, split_note, verify_inclusion

MEMBERS = {"checkpoint", "format", "index", "proof", "record", "tree_size"}

def load(path):
    raw = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
    try:
        bundle = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise Malformed(f"not JSON: {error}")
    if not isinstance(bundle, dict) or set(bundle) != MEMBERS: raise Malformed(f"members must be {sorted(MEMBERS)}")
    if independent_verify.canonical(bundle) not in (raw, raw[:-1]) or raw[-1:] == b"\n" and raw[:-1].endswith(b"\n"):
        raise Malformed("not the canonical JSON encoding of the bundle")
    if bundle["format"] != "ledger.inclusion-bundle.v1": raise Malformed("unknown format")
    for name in ("index", "tree_size"):
        if type(bundle[name]) is not int or bundle[name] < 0: raise Malformed(f"{name} is not a non-negative integer")
    if not isinstance(bundle["record"], str) or not isinstance(bundle["checkpoint"], str): raise Malformed("record and checkpoint are strings")
    if not isinstance(bundle["proof"], list) or not all(isinstance(h, str) for h in bundle["proof"]): raise Malformed("proof is a list of strings")
    if len(bundle["proof"]) > 64: raise Malformed("a proof holds at most 64 hashes")  # proofs.md section 7, step 1
    return bundle

def check(bundle, keys):
    text, signatures = split_note(bundle["checkpoint"])
    if not signatures: raise Malformed("the checkpoint is not a signed note")
    origin, size, root = parse_checkpoint(text)
    if size != bundle["tree_size"]: raise Malformed(f"tree_size is {bundle['tree_size']}, the checkpoint's size {size}")
    proof = [b64_hash(h, f"proof hash {i + 1}") for i, h in enumerate(bundle["proof"])]
    try:
        signed = check_signatures(text, signatures, keys) if keys else None
    except Invalid as error:
        raise Invalid(f"BAD_SIGNATURE: {error}")
    line = bundle["record"].encode("utf-8")
    try:
        record = independent_verify.decode(line, 1)  # steps 1 to 4 of log-format section 8
    except independent_verify.Bad as error:
        raise Invalid(f"RECORD_INVALID {error.kind}: the record line is not a record")
    unhashed = {k: v for k, v in record.items() if k not in ("hash", "sig")}
    computed = hashlib.sha256(b"ledger.record.v%d\n" % record["v"] + independent_verify.canonical(unhashed)).hexdigest()
    if computed != record["hash"]: raise Invalid(f"RECORD_INVALID HASH_MISMATCH: the record's stored hash is {record['hash']}, its bytes hash to {computed}")
    if record["seq"] != bundle["index"]: raise Invalid(f"INDEX_MISMATCH: the record's seq is {record['seq']}, the bundle's index {bundle['index']}")
    try:
        verify_inclusion(leaf_hash(bytes.fromhex(record["hash"])), bundle["index"], size, proof, root)
    except Invalid as error:
        raise Invalid(f"PROOF_INVALID: {error}")
    signature = f"; signed by {', '.join(signed)}" if signed else "; signature NOT checked (no --key)"
    return f"record seq {bundle['index']} ({record.get('type')}) is in {origin} at size {size}{signature}"

def main():
    return run_checker(__doc__.split("\n")[0], "bundle", load, check, "VALID: ")

if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Checks an inclusion bundle of `ledger prove` without the ledger and without `ledger`
(Specs/proofs.md, section 7; Python standard library only).

Usage: check_bundle.py BUNDLE [--key PUBKEY ...]      (BUNDLE may be - for standard input)

Always checked (the Merkle part): the record line's stored hash is the SHA-256 of its bytes
(Specs/log-format.md section 5), its seq is the bundle's index, and the RFC 9162 inclusion proof
leads from its leaf SHA-256(0x00 || hash) to the tree head of the checkpoint in the bundle, whose
size is tree_size. With --key (verifier key files), the checkpoint's signed note must also carry
a valid signature by one of those keys (C2SP signed-note rules, strict Ed25519).

Prints VALID or INVALID with the reason. Exit status: 0 valid, 1 invalid, 2 malformed bundle."""
import json, sys
from tlog_verify import Invalid, Malformed, run_checker, b64_hash, check_signatures, leaf_hash, \
    parse_checkpoint, record_hash, split_note, verify_inclusion

MEMBERS = {"checkpoint", "format", "index", "proof", "record", "tree_size"}

def load(path):
    raw = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
    try:
        bundle = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise Malformed(f"not JSON: {error}")
    if not isinstance(bundle, dict) or set(bundle) != MEMBERS: raise Malformed(f"members must be {sorted(MEMBERS)}")
    if bundle["format"] != "ledger.inclusion-bundle.v1": raise Malformed("unknown format")
    for name in ("index", "tree_size"):
        if type(bundle[name]) is not int or bundle[name] < 0: raise Malformed(f"{name} is not a non-negative integer")
    if not isinstance(bundle["record"], str) or not isinstance(bundle["checkpoint"], str): raise Malformed("record and checkpoint are strings")
    if not isinstance(bundle["proof"], list) or not all(isinstance(h, str) for h in bundle["proof"]): raise Malformed("proof is a list of strings")
    return bundle

def check(bundle, keys):
    text, signatures = split_note(bundle["checkpoint"])
    if not signatures: raise Malformed("the checkpoint is not a signed note")
    origin, size, root = parse_checkpoint(text)
    if size != bundle["tree_size"]: raise Malformed(f"tree_size is {bundle['tree_size']}, the checkpoint's size {size}")
    proof = [b64_hash(h, f"proof hash {i + 1}") for i, h in enumerate(bundle["proof"])]
    signed = check_signatures(text, signatures, keys) if keys else None
    record, stored = record_hash(bundle["record"].encode("utf-8"))
    if record.get("seq") != bundle["index"]: raise Invalid(f"the record's seq is {record.get('seq')}, the bundle's index {bundle['index']}")
    verify_inclusion(leaf_hash(stored), bundle["index"], size, proof, root)
    signature = f"; signed by {', '.join(signed)}" if signed else "; signature NOT checked (no --key)"
    return f"record seq {bundle['index']} ({record.get('type')}) is in {origin} at size {size}{signature}"

def main():
    return run_checker(__doc__.split("\n")[0], "bundle", load, check, "VALID: ")

if __name__ == "__main__":
    sys.exit(main())

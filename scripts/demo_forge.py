#!/usr/bin/env python3
"""Appends to a ledger's log, by other means than `ledger`, one record that is perfectly chained,
hashed and signed (Specs/log-format.md, sections 5 and 10) as an append of its own: what an
insider who can write the directory can do with a key in hand. Two uses in the demo:

- with the treasurer's own key, a record that breaks a rule of the fund (a disbursement paid a
  second time): `ledger verify` must report RULE_VIOLATION at its sequence number;
- with a clerk's key, a record in the treasurer's name that breaks no rule (a donation): the
  signature is not by the key the log registered for her, and `ledger verify` must report
  BAD_SIGNATURE.

Usage: demo_forge.py LOG.jsonl SIGNER.key ACTOR TYPE PAYLOAD-JSON   (Python standard library only)"""
import base64, hashlib, json, sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from tlog_verify import BASE, L, P, _mul  # the pure-Python Ed25519 of the independent checkers

def compress(point):
    x, y, z, _ = point
    zi = pow(z, P - 2, P)
    x, y = x * zi % P, y * zi % P
    return (y | ((x & 1) << 255)).to_bytes(32, "little")

def sign(seed, message):
    """RFC 8032 section 5.1.6."""
    h = hashlib.sha512(seed).digest()
    a = int.from_bytes(h[:32], "little") & ((1 << 254) - 8) | (1 << 254)
    public = compress(_mul(a, BASE))
    r = int.from_bytes(hashlib.sha512(h[32:] + message).digest(), "little") % L
    R = compress(_mul(r, BASE))
    k = int.from_bytes(hashlib.sha512(R + public + message).digest(), "little") % L
    return R + ((r + k * a) % L).to_bytes(32, "little")

def seed_of(path):
    """The seed in a signer key file of `ledger keygen`: PRIVATE+KEY+NAME+KEYID+base64(0x01 || seed)."""
    key = base64.b64decode(open(path, encoding="utf-8").read().strip().split("+", 4)[4])  # the base64 may hold "+"
    assert len(key) == 33 and key[0] == 1, path
    return key[1:]

def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

def main(path, key_path, actor, type_, payload):
    with open(path, "rb") as log:
        last = json.loads(log.read().rstrip(b"\n").rsplit(b"\n", 1)[-1])
    record = {"actor": actor, "effective": last["effective"], "payload": json.loads(payload), "prev": last["hash"],
              "recorded_at": last["recorded_at"], "seq": last["seq"] + 1, "type": type_, "v": 2}
    record["hash"] = hashlib.sha256(b"ledger.record.v2\n" + canonical(record)).hexdigest()
    message = b"ledger.append.v2\n%d\n%d\n%s\n" % (record["seq"], record["seq"], record["hash"].encode())
    record["sig"] = base64.b64encode(sign(seed_of(key_path), message)).decode()
    with open(path, "ab") as log:
        log.write(canonical(record) + b"\n")
    print("forged seq %d: %s by %s, signed with %s (hash %s...)" % (record["seq"], type_, actor, key_path.rsplit("/", 1)[-1], record["hash"][:16]))

if __name__ == "__main__":
    main(*sys.argv[1:6])

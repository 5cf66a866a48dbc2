#!/usr/bin/env python3
"""Appends to a ledger's log, by other means than `ledger`, a record that is perfectly chained
and hashed (Specs/log-format.md, section 5) but breaks a rule of the fund (Specs/events.md):
it pays a second time a disbursement already executed. `ledger verify` must report
RULE_VIOLATION at its sequence number. Usage: demo_forge.py LOG.jsonl DISBURSEMENT-ID"""
import hashlib, json, sys

path, disbursement = sys.argv[1], sys.argv[2]
with open(path, "rb") as log:
    last = json.loads(log.read().rstrip(b"\n").rsplit(b"\n", 1)[-1])
record = {"actor": "OP-TRESORIERE", "effective": last["effective"], "payload": {"disbursement": disbursement, "ref": "VIR-OUT-FORGED-1"},
          "prev": last["hash"], "recorded_at": last["recorded_at"], "seq": last["seq"] + 1, "type": "disbursement.executed", "v": 1}
canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
record["hash"] = hashlib.sha256(b"ledger.record.v1\n" + canonical).hexdigest()
with open(path, "ab") as log:
    log.write(json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode() + b"\n")
print("forged seq %d: %s %s (hash %s...)" % (record["seq"], record["type"], json.dumps(record["payload"]), record["hash"][:16]))

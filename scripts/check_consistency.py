#!/usr/bin/env python3
"""Checks consistency evidence of `ledger verify --checkpoint ... --json` or `ledger consistency`
without the ledger and without `ledger` (Specs/proofs.md, section 6; Python standard library only).

Usage: check_consistency.py EVIDENCE [--key PUBKEY ...]   (EVIDENCE may be - for standard input;
       either the evidence document itself or a `ledger verify --json` output holding it)

From the stored checkpoint (size m, head R), the log's checkpoint now (size n, head N) and, when
n >= m, the log's checkpoint at size m (head R') and the RFC 9162 consistency proof from R' to N,
it derives the verdict and compares it with the one the evidence states:
  ORIGIN_MISMATCH  the two checkpoints name different ledgers;
  TRUNCATED        n < m: the log holds fewer records than the stored checkpoint;
  CONSISTENT       the proof holds and R' = R: today's log extends the stored checkpoint;
  FORKED           the proof holds but R' != R: for the same m records the log now has another
                   head than the one that was stored (and signed).
With --key (verifier key files), the stored checkpoint must be a signed note with a valid
signature by one of those keys (C2SP signed-note rules, strict Ed25519).

Exit status: 0 the evidence holds and supports its verdict, 1 it does not, 2 malformed input."""
import json, sys
from tlog_verify import Invalid, Malformed, run_checker, b64_hash, check_signatures, parse_checkpoint, \
    split_note, verify_consistency

def load(path):
    raw = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise Malformed(f"not JSON: {error}")
    if isinstance(document, dict) and "evidence" in document: document = document["evidence"]
    if not isinstance(document, dict) or document.get("format") != "ledger.consistency-evidence.v1":
        raise Malformed("no consistency evidence (format ledger.consistency-evidence.v1) in the input")
    for name in ("stored", "current", "verdict"):
        if not isinstance(document.get(name), str): raise Malformed(f"{name} is not a string")
    return document

def check(evidence, keys):
    stored_text, signatures = split_note(evidence["stored"])
    origin, m, root = parse_checkpoint(stored_text)
    current_origin, n, current_root = parse_checkpoint(split_note(evidence["current"])[0])
    signed = check_signatures(stored_text, signatures, keys) if keys else None
    if origin != current_origin:
        verdict = "ORIGIN_MISMATCH"
    elif n < m:
        verdict = "TRUNCATED"
    else:
        if not isinstance(evidence.get("log_at_stored_size"), str) or not isinstance(evidence.get("proof"), list):
            raise Malformed("log_at_stored_size and proof are required when the log is not shorter")
        at_origin, at_size, at_root = parse_checkpoint(evidence["log_at_stored_size"])
        if (at_origin, at_size) != (origin, m): raise Invalid("log_at_stored_size is not a checkpoint of the same ledger and size")
        proof = [b64_hash(h, f"proof hash {i + 1}") for i, h in enumerate(evidence["proof"])]
        verify_consistency(m, n, at_root, current_root, proof)
        verdict = "CONSISTENT" if at_root == root else "FORKED"
    if verdict != evidence["verdict"]: raise Invalid(f"the evidence says {evidence['verdict']} but shows {verdict}")
    signature = f"; stored checkpoint signed by {', '.join(signed)}" if signed else "; signatures NOT checked (no --key)"
    return f"{verdict}: {origin}, stored size {m}, log size {n}{signature}"

def main():
    return run_checker(__doc__.split("\n")[0], "evidence", load, check, "")

if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""An independent verifier written from Specs/log-format.md alone (Python standard library only).
Usage: independent_verify.py LOG.jsonl -> "INTACT <records>" or "<KIND> seq=<n> line=<n> offset=<n>";
exit 0 intact, 1 failure, 3 torn tail only. Checkpoints and the fund's rules are out of its scope."""
import hashlib, json, re, sys, unicodedata
ID, TYPE = r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}", r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*"
TIME = r"\d{4}-\d\d-\d\dT([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{6}Z"
ENVELOPE = {"actor", "effective", "hash", "payload", "prev", "recorded_at", "seq", "type", "v"}
class Bad(Exception): pass
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
def date(s):
    if not isinstance(s, str) or not re.fullmatch(r"\d{4}-\d\d-\d\d", s): return False
    y, m, d = int(s[:4]), int(s[5:7]), int(s[8:10]); leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    return y >= 1 and 1 <= m <= 12 and 1 <= d <= [31, 28 + leap, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
def genesis(g):
    return set(g) == {"currency", "minor_units", "name", "origin"} and isinstance(g["currency"], str) \
        and re.fullmatch("[A-Z]{3}", g["currency"]) and type(g["minor_units"]) is int and 0 <= g["minor_units"] <= 4 \
        and isinstance(g["name"], str) and 1 <= len(g["name"].encode()) <= 200 \
        and isinstance(g["origin"], str) and re.fullmatch(r"[!-*,-~]{1,255}", g["origin"])
def check(line, n, prev_hash, prev_time):  # the steps of section 8, in order
    try:
        if len(line) >= 65536: raise ValueError("too long")
        r = json.loads(line.decode("utf-8"), object_pairs_hook=pairs, parse_float=no_float, parse_int=integer,
                       parse_constant=no_float)
        texts = list(walk(r))
    except (ValueError, RecursionError): raise Bad("MALFORMED")
    if json.dumps(r, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8", "surrogatepass") != line \
            or not all(unicodedata.is_normalized("NFC", s) for s in texts): raise Bad("NON_CANONICAL")
    if not isinstance(r, dict) or type(r.get("v")) is not int: raise Bad("SCHEMA_VIOLATION")
    if r["v"] != 1: raise Bad("UNSUPPORTED_VERSION")
    ok = set(r) - {"idem"} == ENVELOPE and type(r["seq"]) is int and r["seq"] >= 0 and isinstance(r["payload"], dict)
    ok = ok and all(isinstance(r[k], str) for k in ENVELOPE - {"seq", "payload", "v"}) and date(r["effective"])
    ok = ok and all(re.fullmatch("[0-9a-f]{64}", r[k]) for k in ("hash", "prev")) and re.fullmatch(ID, r["actor"])
    ok = ok and re.fullmatch(TYPE, r["type"]) and len(r["type"]) <= 64 and re.fullmatch(TIME, r["recorded_at"])
    ok = ok and date(r["recorded_at"][:10]) and ("idem" not in r or re.fullmatch("[!-~]{1,128}", str(r["idem"])))
    if not ok or "idem" in r and not isinstance(r["idem"], str): raise Bad("SCHEMA_VIOLATION")
    if r["seq"] != n: raise Bad("SEQUENCE_GAP")
    if (n == 0) != (r["type"] == "ledger.genesis") or n == 0 and not genesis(r["payload"]): raise Bad("GENESIS_INVALID")
    body = line.replace(b'"hash":"%s",' % r["hash"].encode(), b"", 1)  # section 5: C is the line minus this member
    if hashlib.sha256(b"ledger.record.v1\n" + body).hexdigest() != r["hash"]: raise Bad("HASH_MISMATCH")
    if r["prev"] != prev_hash: raise Bad("LINK_MISMATCH")
    if r["recorded_at"] < prev_time: raise Bad("TIME_REGRESSION")
    return r["hash"], r["recorded_at"]
def main(path):
    data = open(path, "rb").read()
    lines, end, prev, time, offset = data.split(b"\n"), data.rfind(b"\n") + 1, "0" * 64, "", 0
    for n, line in enumerate(lines[:-1]):
        try: prev, time = check(line, n, prev, time)
        except Bad as e: print(f"{e} seq={n} line={n + 1} offset={offset}"); return 1
        offset += len(line) + 1
    if end < len(data): print(f"TORN_TAIL seq={len(lines) - 1} line={len(lines)} offset={end}"); return 3
    if len(lines) == 1: print("GENESIS_INVALID seq=0 line=1 offset=0"); return 1
    print(f"INTACT {len(lines) - 1}"); return 0
if __name__ == "__main__": sys.exit(main(sys.argv[1]))

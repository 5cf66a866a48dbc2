#!/usr/bin/env python3
"""An independent verifier, written from Specs/log-format.md alone (Python standard library only).
Usage: independent_verify.py LOG.jsonl  ->  prints "INTACT <records>" or "<KIND> seq=<n> line=<n> offset=<n>";
exit 0 intact, 1 failure, 3 torn tail only. Checkpoints and the fund's rules are out of its scope."""
import hashlib, json, re, sys, unicodedata
ID, TYPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}\Z"), re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*\Z")
KEY, HEX, DATE = re.compile(r"[a-z][a-z0-9_]*\Z"), re.compile(r"[0-9a-f]{64}\Z"), re.compile(r"\d{4}-\d\d-\d\d\Z")
TIME, ORIGIN = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z\Z"), re.compile(r"[!-*,-~]{1,255}\Z")
class Bad(Exception): pass
def no_dups(pairs):
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys) or len(keys) > 1000: raise ValueError("duplicate key or too many members")
    return dict(pairs)
def bad_number(text): raise ValueError("not an integer: " + text)
def check_value(v, depth, record_keys):
    if depth > 16: raise ValueError("too deep")
    if isinstance(v, bool) or v is None: return
    if isinstance(v, int) and abs(v) > 2**53 - 1: raise ValueError("integer out of range")
    if isinstance(v, str) and len(v.encode()) > 16384: raise ValueError("string too long")
    if isinstance(v, list):
        if len(v) > 10000: raise ValueError("array too long")
        for x in v: check_value(x, depth + 1, record_keys)
    if isinstance(v, dict):
        for k, x in v.items():
            if record_keys and (not KEY.match(k) or len(k) > 64): raise ValueError("bad key")
            check_value(x, depth + 1, record_keys)
def strings(v):
    if isinstance(v, str): yield v
    elif isinstance(v, list): yield from (s for x in v for s in strings(x))
    elif isinstance(v, dict): yield from (s for k, x in v.items() for s in (k, *strings(x)))
def valid_date(s):
    if not DATE.match(s): return False
    y, m, d = int(s[:4]), int(s[5:7]), int(s[8:10])
    leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    return y >= 1 and 1 <= m <= 12 and 1 <= d <= [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
def check_line(line, n, prev_hash, prev_time):
    if len(line) >= 65536: raise Bad("MALFORMED")
    try:
        r = json.loads(line.decode("utf-8"), object_pairs_hook=no_dups, parse_float=bad_number, parse_constant=bad_number)
        check_value(r, 1, True)
    except (ValueError, RecursionError): raise Bad("MALFORMED")
    canon = json.dumps(r, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8", "surrogatepass")
    if canon != line or not all(unicodedata.is_normalized("NFC", s) for s in strings(r)): raise Bad("NON_CANONICAL")
    if not isinstance(r, dict) or type(r.get("v")) is not int: raise Bad("SCHEMA_VIOLATION")
    if r["v"] != 1: raise Bad("UNSUPPORTED_VERSION")
    ok = set(r) - {"idem"} == {"actor", "effective", "hash", "payload", "prev", "recorded_at", "seq", "type", "v"}
    ok = ok and all(isinstance(r[k], str) for k in ("actor", "effective", "hash", "prev", "recorded_at", "type"))
    ok = ok and type(r["seq"]) is int and r["seq"] >= 0 and isinstance(r["payload"], dict)
    ok = ok and bool(HEX.match(r["hash"]) and HEX.match(r["prev"]) and TYPE.match(r["type"]) and len(r["type"]) <= 64)
    ok = ok and bool(ID.match(r["actor"]) and valid_date(r["effective"]) and TIME.match(r["recorded_at"]))
    ok = ok and valid_date(r["recorded_at"][:10]) and int(r["recorded_at"][11:13]) < 24 and int(r["recorded_at"][14:16]) < 60 and int(r["recorded_at"][17:19]) < 60
    if "idem" in r: ok = ok and isinstance(r["idem"], str) and re.fullmatch(r"[!-~]{1,128}", r["idem"]) is not None
    if not ok: raise Bad("SCHEMA_VIOLATION")
    if r["seq"] != n: raise Bad("SEQUENCE_GAP")
    g = r["payload"]
    if (n == 0) != (r["type"] == "ledger.genesis") or n == 0 and not (set(g) == {"currency", "minor_units", "name", "origin"}
            and isinstance(g["currency"], str) and re.fullmatch("[A-Z]{3}", g["currency"]) and type(g["minor_units"]) is int
            and 0 <= g["minor_units"] <= 4 and isinstance(g["name"], str) and 1 <= len(g["name"].encode()) <= 200
            and isinstance(g["origin"], str) and ORIGIN.match(g["origin"])): raise Bad("GENESIS_INVALID")
    body = line.replace(b'"hash":"%s",' % r["hash"].encode(), b"", 1)
    if hashlib.sha256(b"ledger.record.v1\n" + body).hexdigest() != r["hash"]: raise Bad("HASH_MISMATCH")
    if r["prev"] != prev_hash: raise Bad("LINK_MISMATCH")
    if r["recorded_at"] < prev_time: raise Bad("TIME_REGRESSION")
    return r["hash"], r["recorded_at"]
def main(path):
    data = open(path, "rb").read()
    lines, end = data.split(b"\n"), data.rfind(b"\n") + 1
    prev, time, offset = "0" * 64, "", 0
    for n, line in enumerate(lines[:-1]):
        try: prev, time = check_line(line, n, prev, time)
        except Bad as e: print(f"{e} seq={n} line={n + 1} offset={offset}"); return 1
        offset += len(line) + 1
    if end < len(data): print(f"TORN_TAIL seq={len(lines) - 1} line={len(lines)} offset={end}"); return 3
    if len(lines) == 1: print("GENESIS_INVALID seq=0 line=1 offset=0"); return 1
    print(f"INTACT {len(lines) - 1}"); return 0
if __name__ == "__main__": sys.exit(main(sys.argv[1]))

#!/usr/bin/env python3
"""Regenerates Specs/vectors/ : a small valid ledger written by `ledger` itself (fixed clock), the
hash of every record, and broken copies, each with the verdict a verifier must give. The expected
verdicts come from what this script broke, never from running a verifier.
Usage: scripts/make_vectors.py PATH/TO/ledger   (run from the repository root)"""
import hashlib, json, os, shutil, subprocess, sys, unicodedata

OUT = "Specs/vectors"

def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

def rehash(obj):
    obj = {k: v for k, v in obj.items() if k != "hash"}
    obj["hash"] = hashlib.sha256(b"ledger.record.v1\n" + canonical(obj)).hexdigest()
    return canonical(obj)

def build_valid(binary):
    work = os.path.join(OUT, "_build")
    shutil.rmtree(work, ignore_errors=True)
    env = dict(os.environ, LEDGER_OPERATOR="OP-FOUNDER")
    def run(args, now):
        env["LEDGER_NOW"] = now
        subprocess.run([binary] + args + ["--ledger", work], env=env, check=True, capture_output=True)
    run(["init", "--origin", "vectors.example/fund", "--name", "Fonds d'exemple", "--date", "2026-01-01"],
        "2026-01-01T09:00:00.000000Z")
    texts = ["ouverture", "réunion du comité", "tab\there", "quote \" and backslash \\", "€ 50 reçus", "fin"]
    for i, text in enumerate(texts, start=1):
        payload = json.dumps({"text": text}, ensure_ascii=False)
        run(["append", "--type", "note.recorded", "--payload", payload, "--date", "2026-01-0%d" % (i + 1),
             "--idem", "V-%d" % i], "2026-01-0%dT10:00:00.000000Z" % (i + 1))
    lines = open(os.path.join(work, "log.jsonl"), "rb").read().split(b"\n")[:-1]
    shutil.rmtree(work)
    return lines

def write_case(name, lines, expected, tail=b"", note=""):
    path = os.path.join(OUT, name)
    os.makedirs(path, exist_ok=True)
    data = b"".join(l + b"\n" for l in lines) + tail
    open(os.path.join(path, "log.jsonl"), "wb").write(data)
    kind, line = expected
    offset = sum(len(l) + 1 for l in lines[:line - 1]) if kind != "INTACT" else 0
    verdict = "INTACT %d" % len(lines) if kind == "INTACT" else "%s line=%d offset=%d" % (kind, line, offset)
    open(os.path.join(path, "expected.txt"), "w").write(verdict + "\n" + ("# " + note + "\n" if note else ""))

def main(binary):
    valid = build_valid(binary)
    objs = [json.loads(l) for l in valid]
    write_case("valid", valid, ("INTACT", 0), note="written by ledger itself; hashes.txt lists every record's hash")
    with open(os.path.join(OUT, "valid", "hashes.txt"), "w") as f:
        for o in objs: f.write("%d %s\n" % (o["seq"], o["hash"]))
    def edited(i, change, keep_hash=False):
        o = dict(objs[i]); change(o)
        return valid[:i] + [canonical(o) if keep_hash else rehash(o)] + valid[i + 1:]
    def payload_text(text): return lambda o: o.__setitem__("payload", {"text": text})
    cases = [
        ("empty-log", [], ("GENESIS_INVALID", 1), b"", "no record at all"),
        ("torn-tail", valid, ("TORN_TAIL", len(valid) + 1), valid[3][:40], "a crash left an unterminated line"),
        ("malformed-garbage", valid[:3] + [b'{"actor":'] + valid[4:], ("MALFORMED", 4), b"", "not JSON"),
        ("malformed-utf8", valid[:2] + [valid[2].replace("réunion".encode(), b"r\xe9union")] + valid[3:], ("MALFORMED", 3), b"", "latin-1 byte"),
        ("malformed-float", edited(1, lambda o: o.__setitem__("seq", 1.0)), ("MALFORMED", 2), b"", "a float"),
        ("malformed-negative-zero", valid[:1] + [valid[1].replace(b'"v":1}', b'"v":-0}')] + valid[2:], ("MALFORMED", 2), b"", "-0 is outside the subset"),
        ("non-canonical-space", valid[:2] + [b"{ " + valid[2][1:]] + valid[3:], ("NON_CANONICAL", 3), b"", "whitespace"),
        ("non-canonical-nfd", edited(2, payload_text(unicodedata.normalize("NFD", "réunion du comité"))), ("NON_CANONICAL", 3), b"", "NFD text, hash recomputed"),
        ("non-canonical-escape", valid[:1] + [valid[1].replace(b"ouverture", b"ouv\\u0065rture")] + valid[2:], ("NON_CANONICAL", 2), b"", "needless escape"),
        ("unsupported-version", edited(3, lambda o: o.__setitem__("v", 2)), ("UNSUPPORTED_VERSION", 4), b"", "v 2, hash recomputed"),
        ("schema-unknown-member", edited(3, lambda o: o.__setitem__("memo", "x")), ("SCHEMA_VIOLATION", 4), b"", "extra member"),
        ("schema-bad-date", edited(3, lambda o: o.__setitem__("effective", "2026-02-30")), ("SCHEMA_VIOLATION", 4), b"", "no such day"),
        ("sequence-gap", valid[:3] + valid[4:], ("SEQUENCE_GAP", 4), b"", "line 4 deleted"),
        ("sequence-swap", valid[:3] + [valid[4], valid[3]] + valid[5:], ("SEQUENCE_GAP", 4), b"", "lines 4 and 5 swapped"),
        ("genesis-not-first", edited(0, lambda o: o.__setitem__("type", "note.recorded")), ("GENESIS_INVALID", 1), b"", "first record is not a genesis"),
        ("genesis-twice", edited(2, lambda o: o.__setitem__("type", "ledger.genesis")), ("GENESIS_INVALID", 3), b"", "a second genesis"),
        ("hash-mismatch", edited(4, payload_text("€ 5000 reçus"), keep_hash=True), ("HASH_MISMATCH", 5), b"", "payload edited, hash kept"),
        ("link-mismatch", edited(4, payload_text("€ 5000 reçus")), ("LINK_MISMATCH", 6), b"", "payload edited and rehashed: the next link breaks"),
        ("time-regression", edited(5, lambda o: o.__setitem__("recorded_at", "2026-01-01T08:00:00.000000Z")), ("TIME_REGRESSION", 6), b"", "recorded before its predecessor"),
    ]
    for name, lines, expected, tail, note in cases:
        write_case(name, lines, expected, tail, note)
    print("wrote %d vectors to %s" % (len(cases) + 1, OUT))

if __name__ == "__main__":
    main(os.path.abspath(sys.argv[1]))

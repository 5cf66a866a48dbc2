#!/usr/bin/env python3
"""Runs `ledger verify` and scripts/independent_verify.py on every vector in Specs/vectors/ and
checks that both give the expected verdict (kind, line, byte offset). Exit 1 on any disagreement.
Usage: scripts/check_vectors.py PATH/TO/ledger [EXTRA_LEDGER_DIR ...]"""
import json, os, shutil, subprocess, sys, tempfile

def ours(binary, directory):
    out = subprocess.run([binary, "verify", "--ledger", directory, "--json"], capture_output=True, text=True)
    doc = json.loads(out.stdout)
    if doc["status"] == "intact": return "INTACT %d" % doc["records"]
    f = doc["failure"]
    return "%s line=%d offset=%d" % (f["kind"], f.get("line", 0), f.get("offset", 0))

def independent(log):
    out = subprocess.run([sys.executable, "scripts/independent_verify.py", log], capture_output=True, text=True)
    words = out.stdout.split()
    if words[0] == "INTACT": return " ".join(words)
    fields = dict(w.split("=") for w in words[1:])
    return "%s line=%s offset=%s" % (words[0], fields["line"], fields["offset"])

def main(binary, extra):
    failures, total = 0, 0
    root = "Specs/vectors"
    with tempfile.TemporaryDirectory() as tmp:
        for name in sorted(os.listdir(root)):
            case = os.path.join(root, name)
            if not os.path.isfile(os.path.join(case, "expected.txt")): continue
            expected = open(os.path.join(case, "expected.txt")).readline().strip()
            ledger = os.path.join(tmp, name)
            os.makedirs(ledger)
            shutil.copy(os.path.join(case, "log.jsonl"), ledger)
            got = (ours(binary, ledger), independent(os.path.join(ledger, "log.jsonl")))
            total += 1
            ok = got[0] == expected and got[1] == expected
            failures += not ok
            print("%-24s %-4s expected %-40s ledger %-40s independent %s" % (name, "ok" if ok else "FAIL", expected, got[0], got[1]))
        for directory in extra:
            got = (ours(binary, directory), independent(os.path.join(directory, "log.jsonl")))
            total += 1
            ok = got[0] == got[1]
            failures += not ok
            print("%-24s %-4s ledger %s independent %s" % (os.path.basename(directory), "ok" if ok else "FAIL", got[0], got[1]))
    print("%d passed, %d failed" % (total - failures, failures))
    return 1 if failures else 0

if __name__ == "__main__":
    sys.exit(main(os.path.abspath(sys.argv[1]), sys.argv[2:]))

#!/usr/bin/env python3
"""Runs `ledger verify` and scripts/independent_verify.py on every vector in Specs/vectors/ (see
Specs/vectors.md) and checks that both give the verdict of its expected.txt, with the exit status
that verdict implies. On extra ledger directories given as arguments, both must agree.
A verdict is one line: "INTACT <records> [unsigned=N] [bootstrap=OP@SEQ] [clock=simulated]" or
"<KIND> seq=S line=L offset=O [rule=ID] [head=HASH]" (rule for RULE_VIOLATION, head for
UNFINISHED_BATCH: the last acknowledged record's hash). Exit 1 on any disagreement.
Usage: scripts/check_vectors.py PATH/TO/ledger [EXTRA_LEDGER_DIR ...]"""
import json, os, re, shutil, subprocess, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import independent_verify

EXIT = {"INTACT": 0, "TORN_TAIL": 3, "UNFINISHED_BATCH": 8}  # every other kind: 1

def ours(binary, directory):
    """`ledger verify --json`, as a verdict line, and its exit status."""
    out = subprocess.run([binary, "verify", "--ledger", directory, "--json"], capture_output=True, text=True)
    try:
        doc = json.loads(out.stdout)
    except ValueError:
        return "NO_VERDICT (%s)" % (out.stderr.strip() or out.stdout.strip())[:80], out.returncode
    if doc["status"] == "intact":
        verdict = "INTACT %d" % doc["records"]
        if doc.get("unsigned_records"): verdict += " unsigned=%d" % doc["unsigned_records"]
        if "bootstrap" in doc: verdict += " bootstrap=%s@%d" % (doc["bootstrap"]["operator"], doc["bootstrap"]["seq"])
        if doc.get("clock") == "simulated": verdict += " clock=simulated"
        return verdict, out.returncode
    f = doc["failure"]
    verdict = "%s seq=%s line=%s offset=%s" % (f["kind"], f.get("seq"), f.get("line"), f.get("offset"))
    if f["kind"] == "RULE_VIOLATION":
        rule = re.match(r"rule (\S+):", f.get("message", ""))
        verdict += " rule=" + (rule.group(1) if rule else "?")
    if f["kind"] == "UNFINISHED_BATCH":
        verdict += " head=%s" % doc.get("head_hash")
        if doc.get("status") != "intact-with-unfinished-batch": verdict += " status=" + doc.get("status", "?")
    return verdict, out.returncode

def independent(directory):
    out = subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "independent_verify.py"),
                          directory], capture_output=True, text=True)
    return (out.stdout.strip() or "NO_VERDICT (%s)" % out.stderr.strip()[:80]), out.returncode

def consistent(verdict, status):
    """The verdict with its exit status, flagged when the status does not go with its kind."""
    kind = verdict.split()[0]
    return verdict if EXIT.get(kind, 1) == status else "%s [exit %d]" % (verdict, status)

def vectors(root):
    """Every vector directory under root (one holding expected.txt), by relative path, sorted."""
    found = []
    for directory, subdirectories, files in os.walk(root):
        subdirectories.sort()
        if "expected.txt" in files: found.append(os.path.relpath(directory, root))
    return sorted(found)

def independent_expectation(case, expected):
    """What independent_verify.py must say on a log vector, and why when it is not the verdict itself:
    a RULE_VIOLATION of a rule outside its scope (its docstring, SCOPE) passes there, so it must
    find the log INTACT with all its records."""
    words = expected.split()
    if words[0] != "RULE_VIOLATION": return expected, None
    rule = words[-1][len("rule="):]
    line = int(words[2][len("line="):])
    lines = open(os.path.join(case, "log.jsonl"), "rb").read().split(b"\n")[:-1]
    event_type = json.loads(lines[line - 1])["type"]
    if independent_verify.in_scope(rule, event_type): return expected, None
    return "INTACT %d" % len(lines), "%s on %s is outside its scope" % (rule, event_type)

def main(binary, extra):
    failures, total, out_of_scope = 0, 0, 0
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Specs", "vectors")
    with tempfile.TemporaryDirectory() as tmp:
        for name in vectors(root):
            case = os.path.join(root, name)
            expected = open(os.path.join(case, "expected.txt")).readline().strip()
            ledger = os.path.join(tmp, name.replace("/", "+"))
            os.makedirs(ledger)
            for file in ("log.jsonl", "append.pending"):
                if os.path.exists(os.path.join(case, file)): shutil.copy(os.path.join(case, file), ledger)
            mine, theirs = consistent(*ours(binary, ledger)), consistent(*independent(ledger))
            wanted, why = independent_expectation(case, expected)
            total += 1
            # Out of its scope, the independent verifier must find every record (INTACT n, exit 0).
            theirs_ok = theirs == wanted if why is None else theirs.split()[:2] == wanted.split() and "[exit" not in theirs
            out_of_scope += why is not None
            ok = mine == expected and theirs_ok
            failures += not ok
            note = "" if why is None else "  (independent: %s, %s)" % (wanted, why)
            print("%-44s %s%s" % (name, "ok   " + expected if ok else "FAIL expected    " + expected, note if ok else ""))
            if mine != expected: print("%-44s      %-12s %s" % ("", "ledger", mine))
            if not theirs_ok: print("%-44s      %-12s %s (expected %s%s)" % ("", "independent", theirs, wanted, "" if why is None else ": " + why))
        for directory in extra:
            got = consistent(*ours(binary, directory)), consistent(*independent(directory))
            total += 1
            ok = got[0] == got[1]
            failures += not ok
            print("%-44s %s ledger %s; independent %s" % (os.path.basename(os.path.normpath(directory)), "ok  " if ok else "FAIL",
                                                         got[0], got[1]))
    print("(%d rule vectors are outside independent_verify.py's scope: it must find those logs intact)" % out_of_scope)
    print("%d passed, %d failed" % (total - failures, failures))
    return 1 if failures else 0

if __name__ == "__main__":
    if len(sys.argv) < 2: sys.exit(__doc__)
    sys.exit(main(os.path.abspath(sys.argv[1]), sys.argv[2:]))

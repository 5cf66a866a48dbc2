#!/usr/bin/env python3
"""Runs `ledger` and the independent checkers on every vector in Specs/vectors/ (see
Specs/vectors.md) and checks that both give the verdict of its expected.txt, with the exit status
that verdict implies. On extra ledger directories given as arguments, both must agree.

Families, by what a vector directory holds:
  any other directory        `ledger verify --json` / independent_verify.py DIR; a RULE_VIOLATION of
                             a rule outside independent_verify.py's scope (its SCOPE) must be INTACT there
  checkpoints/, notes/, key-files/: checkpoint [trusted.pub] [log.jsonl]
                             `ledger verify --checkpoint checkpoint [--key trusted.pub] --json` on the
                             directory's log.jsonl, or on valid/'s (notes/, key-files/) /
                             independent_verify.py DIR --checkpoint ... [--key ...]; for MALFORMED
                             (exit 2) only the exit status of ledger is compared (its words are free)
  bundles/: bundle.json trusted.pub
                             `ledger verify-proof bundle.json --key trusted.pub --json` / check_bundle.py
  evidence/: evidence.json   check_consistency.py [--key trusted.pub]; with stored and log.jsonl also
                             `ledger consistency --from stored`, which must write evidence.json byte for byte
  ed25519/vectors.json       tlog_verify.ed25519_verify (the binary meets these through notes/ed25519-*)
  valid/checkpoint           `ledger checkpoint` must print it (and valid-v1/checkpoint)
A verdict is one line: "INTACT <records> [unsigned=N] [bootstrap=OP@SEQ] [clock=simulated]" or
"<KIND> seq=S line=L offset=O [rule=ID] [head=HASH]" (rule for RULE_VIOLATION, head for
UNFINISHED_BATCH: the last acknowledged record's hash). Exit 1 on any disagreement.
Usage: scripts/check_vectors.py PATH/TO/ledger [EXTRA_LEDGER_DIR ...]"""
import json, os, re, shutil, subprocess, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import independent_verify, tlog_verify

EXIT = {"INTACT": 0, "TORN_TAIL": 3, "UNFINISHED_BATCH": 8, "MALFORMED": 2}  # every other kind: 1

def ours(binary, directory, *options):
    """`ledger verify --json`, as a verdict line, and its exit status."""
    out = subprocess.run([binary, "verify", "--ledger", directory, "--json"] + list(options), capture_output=True, text=True)
    if out.returncode == 2 and options: return "MALFORMED", 2  # a malformed checkpoint or key file (proofs.md section 5)
    try:
        doc = json.loads(out.stdout)
    except ValueError:
        return "NO_VERDICT (%s)" % (out.stderr.strip() or out.stdout.strip())[:80], out.returncode
    if doc["status"] == "intact" and "checkpoint" in doc:
        verdict, status = ours_verdict(doc, out.returncode)
        return verdict + " signatures=" + doc["checkpoint"]["signatures"]["status"], status
    return ours_verdict(doc, out.returncode)

def ours_verdict(doc, returncode):
    if doc["status"] == "intact":
        verdict = "INTACT %d" % doc["records"]
        if doc.get("unsigned_records"): verdict += " unsigned=%d" % doc["unsigned_records"]
        if "bootstrap" in doc: verdict += " bootstrap=%s@%d" % (doc["bootstrap"]["operator"], doc["bootstrap"]["seq"])
        if doc.get("clock") == "simulated": verdict += " clock=simulated"
        return verdict, returncode
    f = doc["failure"]
    if f["kind"] in ("ORIGIN_MISMATCH", "TRUNCATED", "FORKED") or f["kind"] == "BAD_SIGNATURE" and f.get("line") is None:
        return f["kind"] + (" checkpoint" if f["kind"] == "BAD_SIGNATURE" else ""), returncode  # proofs.md 5: no record concerned
    verdict = "%s seq=%s line=%s offset=%s" % (f["kind"], f.get("seq"), f.get("line"), f.get("offset"))
    if f["kind"] == "RULE_VIOLATION":
        rule = re.match(r"rule (\S+):", f.get("message", ""))
        verdict += " rule=" + (rule.group(1) if rule else "?")
    if f["kind"] == "UNFINISHED_BATCH":
        verdict += " head=%s" % doc.get("head_hash")
        if doc.get("status") != "intact-with-unfinished-batch": verdict += " status=" + doc.get("status", "?")
    return verdict, returncode

SCRIPTS = os.path.dirname(os.path.abspath(__file__))

def independent(directory, *options):
    out = subprocess.run([sys.executable, os.path.join(SCRIPTS, "independent_verify.py"), directory] + list(options),
                         capture_output=True, text=True)
    return (out.stdout.strip() or "NO_VERDICT (%s)" % out.stderr.strip()[:80]), out.returncode

def consistent(verdict, status):
    """The verdict with its exit status, flagged when the status does not go with its kind."""
    kind = verdict.split()[0]
    expected = 1 if kind == "MALFORMED" and "seq=" in verdict else EXIT.get(kind, 1)  # a log's MALFORMED line: exit 1
    return verdict if expected == status else "%s [exit %d]" % (verdict, status)

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

def run(command):
    out = subprocess.run(command, capture_output=True)
    return out.returncode, out.stdout.decode("utf-8", "replace").strip()

def check_checkpoint(binary, root, case, tmp, expected):
    """A checkpoint file (and trusted.pub) against the case's log, or valid/'s."""
    ledger = os.path.join(tmp, "ledger")
    os.makedirs(ledger)
    shutil.copy(os.path.join(case if os.path.exists(os.path.join(case, "log.jsonl")) else os.path.join(root, "valid"), "log.jsonl"), ledger)
    options = ["--checkpoint", os.path.join(case, "checkpoint")]
    if os.path.exists(os.path.join(case, "trusted.pub")): options += ["--key", os.path.join(case, "trusted.pub")]
    mine = consistent(*ours(binary, ledger, *options))
    theirs = consistent(*independent(ledger, *options))
    theirs = theirs.split(" (")[0] if theirs.startswith("MALFORMED") else theirs  # its reason, in parentheses
    mine_wanted = "MALFORMED" if expected.startswith("MALFORMED") else expected  # ledger: exit 2 and its own words
    return [("ledger", mine, mine_wanted), ("independent", theirs, expected)]

def check_bundle(binary, case, expected):
    bundle, key = os.path.join(case, "bundle.json"), os.path.join(case, "trusted.pub")
    status, out = run([binary, "verify-proof", bundle, "--key", key, "--json"])
    try:
        doc = json.loads(out)
        mine = "VALID" if doc["status"] == "valid" else doc["kind"]
        if mine == "RECORD_INVALID":  # it names the record's failure kind (proofs.md section 7)
            mine += "".join(" " + word for word in expected.split()[1:] if word in doc.get("message", ""))
    except (ValueError, KeyError):
        mine = "NO_VERDICT (%s)" % out[:80]
    exits = {"VALID": 0, "MALFORMED_BUNDLE": 2}
    mine = mine if exits.get(mine.split()[0], 1) == status else "%s [exit %d]" % (mine, status)
    status, out = run([sys.executable, os.path.join(SCRIPTS, "check_bundle.py"), bundle, "--key", key])
    word = out.split(": ")
    theirs = {0: lambda: "VALID", 1: lambda: word[1], 2: lambda: "MALFORMED_BUNDLE"}.get(status, lambda: "NO_VERDICT " + out[:80])()
    return [("ledger", mine, expected), ("check_bundle", theirs, expected)]

def check_evidence(binary, case, tmp, expected):
    evidence = os.path.join(case, "evidence.json")
    options = ["--key", os.path.join(case, "trusted.pub")] if os.path.exists(os.path.join(case, "trusted.pub")) else []
    status, out = run([sys.executable, os.path.join(SCRIPTS, "check_consistency.py"), evidence] + options)
    theirs = {0: "HOLDS " + out.split(":")[0], 1: "INVALID", 2: "MALFORMED"}.get(status, "NO_VERDICT " + out[:80])
    results = [("check_consistency", theirs, expected)]
    if os.path.exists(os.path.join(case, "stored")):  # `ledger consistency` must write these bytes
        ledger, written = os.path.join(tmp, "ledger"), os.path.join(tmp, "evidence.json")
        os.makedirs(ledger)
        shutil.copy(os.path.join(case, "log.jsonl"), ledger)
        status, out = run([binary, "consistency", "--ledger", ledger, "--from", os.path.join(case, "stored"), "--output", written])
        same = os.path.exists(written) and open(written, "rb").read() == open(evidence, "rb").read()
        want = 0 if expected == "HOLDS CONSISTENT" else 1
        mine = expected if same and status == want else "evidence %s, exit %d" % ("identical" if same else "DIFFERENT", status)
        results.append(("ledger", mine, expected))
    return results

def main(binary, extra):
    failures, total, out_of_scope = 0, 0, 0
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Specs", "vectors")
    def report(name, expected, results, note=""):
        nonlocal failures, total
        total += 1
        ok = all(got == want for _, got, want in results)
        failures += not ok
        print("%-44s %s%s" % (name, "ok   " + expected if ok else "FAIL expected    " + expected, note if ok else ""))
        for who, got, want in results:
            if got != want: print("%-44s      %-17s %s%s" % ("", who, got, "" if want == expected else " (expected %s)" % want))
    with tempfile.TemporaryDirectory() as tmp:
        for number, name in enumerate(vectors(root)):
            case, work = os.path.join(root, name), os.path.join(tmp, str(number))
            os.makedirs(work)
            expected = open(os.path.join(case, "expected.txt")).readline().strip()
            family = name.split("/")[0]
            if family in ("checkpoints", "notes", "key-files"):
                report(name, expected, check_checkpoint(binary, root, case, work, expected)); continue
            if family == "bundles":
                report(name, expected, check_bundle(binary, case, expected)); continue
            if family == "evidence":
                report(name, expected, check_evidence(binary, case, work, expected)); continue
            ledger = os.path.join(work, "ledger")
            os.makedirs(ledger)
            for file in ("log.jsonl", "append.pending"):
                if os.path.exists(os.path.join(case, file)): shutil.copy(os.path.join(case, file), ledger)
            mine, theirs = consistent(*ours(binary, ledger)), consistent(*independent(ledger))
            wanted, why = independent_expectation(case, expected)
            out_of_scope += why is not None
            # Out of its scope, the independent verifier must find every record (INTACT n, exit 0).
            if why is not None and theirs.split()[:2] == wanted.split() and "[exit" not in theirs: theirs = wanted
            report(name, expected, [("ledger", mine, expected), ("independent", theirs, wanted)],
                   "" if why is None else "  (independent: %s, %s)" % (wanted, why))
        # The tree heads of valid and valid-v1: `ledger checkpoint` prints their checkpoint files.
        for name in ("valid", "valid-v1"):
            ledger = os.path.join(tmp, name + "-checkpoint")
            os.makedirs(ledger)
            shutil.copy(os.path.join(root, name, "log.jsonl"), ledger)
            status, out = run([binary, "checkpoint", "--ledger", ledger])
            expected = open(os.path.join(root, name, "checkpoint")).read().strip()
            report(name + "/checkpoint", expected.replace("\n", " "), [("ledger", out.replace("\n", " ") if status == 0 else
                                                                       "exit %d" % status, expected.replace("\n", " "))])
        # Strict Ed25519 (proofs.md section 3), by the independent arithmetic of tlog_verify.py.
        for vector in json.load(open(os.path.join(root, "ed25519", "vectors.json"))):
            got = tlog_verify.ed25519_verify(*(bytes.fromhex(vector[k]) for k in ("public_key", "message", "signature")))
            want = "valid" if vector["valid"] else "invalid"
            report("ed25519/" + vector["name"], want, [("tlog_verify", "valid" if got else "invalid", want)])
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

#!/usr/bin/env python3
"""Fuzzing campaign for the strict reader and the verifier.

Part 1, libFuzzer (swiftc -sanitize=fuzzer,address): scripts/fuzz/build.sh builds
scripts/fuzz/FuzzVerifier.swift against the package's modules; it runs every input through
CanonicalJSON (canonical and lenient, with round-trip properties), RecordCodec, ChainVerifier
and the checkpoint parsers, from a seed corpus of real records, logs, checkpoints and the spec's
vectors. A crash, trap, sanitizer report or broken property is a failure. If libFuzzer cannot be
built here, this part is skipped with the reason, and part 2 still runs.

Part 2, a seeded mutation loop through the built binary: mutated copies of a real log (bit flips,
byte insertions and deletions, duplicated or spliced chunks, lost newlines, lines over 64 KiB)
go through `ledger verify --json` and `ledger log --json`; every run must end with a documented
status (verify: 0, 1, 3 or 8, an append cut short being UNFINISHED_BATCH; log: 0 or 5) and never
crash. The log is version 2 (signed appends, some of them batches), so mutations reach the
signatures too. The verdict is also compared with scripts/independent_verify.py (differential
testing; its pure-Python signature checks are memoized, a pure function of key, message and
signature); disagreements are listed.

Usage: fuzz.py [--quick] [--bin PATH] [--seconds N] [--mutations N] [--seed N] [--no-libfuzzer]
"""
import contextlib
import functools
import glob
import importlib.util
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

DEFAULT_SEED = 20260603
FUZZ_DIR = os.path.join(common.REPO, "scripts", "fuzz")


def seed_corpus(binary, workdir):
    """Real records and logs, checkpoints, the spec's vectors and the JCS vectors."""
    ledger = os.path.join(workdir, "seed-ledger")
    common.init_ledger(binary, ledger)
    texts = ["plain", "quote \" backslash \\", "tab\tnewline\n", "caf\u00e9", "\U0001F600", "\u2028", "x" * 100]
    events = [common.event_line(common.note_event(t + " %d" % i, "S-%d" % i if i % 2 else None))
              for i, t in enumerate(texts * 3)]
    # Appends of several shapes: a registration, two batches and single appends, each signed.
    appends = [[common.event_line(common.operator_event("OP-CLERK", "clerk"))], events[:9], events[9:]]
    appends += [[common.event_line(common.note_event("single %d" % i))] for i in range(3)]
    for lines in appends:
        result = common.run(binary, ["append", "--ledger", ledger, "--batch", "-"], stdin="\n".join(lines).encode())
        if result.status != 0:
            sys.exit("fuzz: cannot build the seed ledger: " + result.describe())
    corpus = os.path.join(workdir, "corpus")
    os.makedirs(corpus)
    log = common.read_log(ledger)
    files = {"log.jsonl": log}
    for number, line in enumerate(log.split(b"\n")[:-1][:12]):
        files["line-%d" % number] = line
    checkpoint = common.run(binary, ["checkpoint", "--ledger", ledger]).stdout
    files["checkpoint"] = checkpoint
    # Vectors sit one or more folders deep (bundles/<case>/...): every file, never a folder.
    vectors = os.path.join(common.REPO, "Specs", "vectors")
    for path in sorted(glob.glob(os.path.join(vectors, "**", "*"), recursive=True)):
        if os.path.isfile(path):
            files["vector-" + os.path.relpath(path, vectors)] = open(path, "rb").read()
    for path in sorted(glob.glob("/work/shared/vectors/jcs-rfc8785/*/*.json")):
        files["jcs-%s-%s" % (os.path.basename(os.path.dirname(path)), os.path.basename(path))] = open(path, "rb").read()
    for name, data in files.items():
        with open(os.path.join(corpus, re.sub(r"[^A-Za-z0-9_.-]", "_", name)), "wb") as handle:
            handle.write(data[:8192])
    return corpus, log, ledger


def run_libfuzzer(workdir, corpus, seconds, checks):
    """Builds and runs the libFuzzer target; returns a dict for the summary."""
    target = os.path.join(workdir, "fuzz-verifier")
    available = libfuzzer_available(workdir)
    if available is not True:
        print("libFuzzer is not available here, part 1 skipped: %s" % available)
        return {"status": "skipped: " + available[:300]}
    build = subprocess.run([os.path.join(FUZZ_DIR, "build.sh"), target], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
    if build.returncode != 0 or not os.path.exists(target):
        # libFuzzer works here, so this is our harness or the package failing to build: a failure.
        reason = build.stderr.decode("utf-8", "replace").strip().splitlines()[-6:]
        checks.check(False, "the libFuzzer target does not build: %s" % " / ".join(reason))
        return {"status": "build failed"}
    artifacts = os.path.join(workdir, "artifacts") + "/"
    os.makedirs(artifacts)
    started = time.monotonic()
    result = subprocess.run([target, "-max_total_time=%d" % seconds, "-print_final_stats=1", "-max_len=8192",
                             "-timeout=10", "-rss_limit_mb=2048", "-dict=" + os.path.join(FUZZ_DIR, "ledger.dict"),
                             "-artifact_prefix=" + artifacts, corpus], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.monotonic() - started
    output = result.stderr.decode("utf-8", "replace")
    runs = re.search(r"stat::number_of_executed_units:\s*(\d+)", output)
    runs = int(runs.group(1)) if runs else 0
    found = sorted(os.listdir(artifacts))
    crashed = result.returncode != 0 or bool(found)
    if crashed:
        tail = "\n".join(output.splitlines()[-25:])
        print(tail)
    checks.check(not crashed, "libFuzzer found a failing input (exit %d, artifacts %s in %s)"
                 % (result.returncode, found, artifacts))
    coverage = re.findall(r"cov: (\d+)", output)
    corpus_size = len(os.listdir(corpus))
    return {"status": "ran", "runs": runs, "seconds": round(elapsed, 1), "crashes": len(found) if crashed else 0,
            "coverage_edges": int(coverage[-1]) if coverage else None, "corpus_files": corpus_size,
            "exec_per_second": int(runs / elapsed) if elapsed else 0, "artifacts": found}


def libfuzzer_available(workdir):
    """True if swiftc can link a libFuzzer target here, else the reason."""
    if shutil.which("swiftc") is None:
        return "no swiftc"
    probe = os.path.join(workdir, "probe.swift")
    with open(probe, "w") as handle:
        handle.write('@_cdecl("LLVMFuzzerTestOneInput")\n'
                     'public func probe(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt { 0 }\n')
    result = subprocess.run(["swiftc", "-sanitize=fuzzer,address", "-parse-as-library", probe, "-o",
                             os.path.join(workdir, "probe")], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if result.returncode != 0:
        lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
        return "swiftc -sanitize=fuzzer does not link: " + (lines[-1] if lines else "?")
    return True


class Mutator:
    def __init__(self, rng, log):
        self.rng, self.log = rng, log
        self.lines = log.split(b"\n")[:-1]

    def mutate(self):
        data = bytearray(self.log)
        operations = []
        for _ in range(self.rng.choice([1, 1, 1, 2, 3, 8])):
            operation = self.rng.choice(["flip", "flip", "set", "insert", "delete", "duplicate", "splice",
                                         "newline-lost", "newline-added", "truncate", "huge-line", "swap-lines",
                                         "interesting"])
            operations.append(operation)
            data = getattr(self, operation.replace("-", "_"))(data)
        return bytes(data), operations

    def position(self, data):
        return self.rng.randrange(len(data)) if data else 0

    def flip(self, data):
        if data:
            data[self.position(data)] ^= 1 << self.rng.randrange(8)
        return data

    def set(self, data):
        if data:
            data[self.position(data)] = self.rng.randrange(256)
        return data

    def insert(self, data):
        at = self.position(data)
        return data[:at] + bytes(self.rng.randrange(256) for _ in range(self.rng.randint(1, 8))) + data[at:]

    def delete(self, data):
        at = self.position(data)
        return data[:at] + data[at + self.rng.randint(1, 16):]

    def duplicate(self, data):
        at = self.position(data)
        chunk = data[at:at + self.rng.randint(1, 200)]
        return data[:at] + chunk + data[at:]

    def splice(self, data):
        line = self.rng.choice(self.lines)
        at = self.position(data)
        return data[:at] + line[:self.rng.randrange(len(line) + 1)] + data[at:]

    def newline_lost(self, data):
        newlines = [i for i, b in enumerate(data) if b == 0x0A]
        if newlines:
            del data[self.rng.choice(newlines)]
        return data

    def newline_added(self, data):
        at = self.position(data)
        return data[:at] + b"\n" + data[at:]

    def truncate(self, data):
        return data[:self.position(data)]

    def huge_line(self, data):
        at = self.position(data)
        return data[:at] + b"a" * self.rng.choice([65_535, 65_536, 70_000]) + data[at:]

    def swap_lines(self, data):
        lines = bytes(data).split(b"\n")
        if len(lines) > 2:
            i = self.rng.randrange(len(lines) - 2)
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        return bytearray(b"\n".join(lines))

    def interesting(self, data):
        token = self.rng.choice([b"-0", b"1e3", b"\\u0000", b"\\ud800", b"\xed\xa0\x80", b"\xc0\xaf", b"e\xcc\x81",
                                 b"\xef\xbb\xbf", b" ", b"\x00", b"9007199254740992", b'"v":2', b"{}", b"[]"])
        at = self.position(data)
        return data[:at] + token + data[at + self.rng.randint(0, len(token)):]


def run_mutations(binary, workdir, log, count, rng, checks):
    spec = importlib.util.spec_from_file_location("independent_verify",
                                                  os.path.join(common.REPO, "scripts", "independent_verify.py"))
    independent = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(independent)
    independent.ed25519_verify = functools.lru_cache(maxsize=None)(independent.ed25519_verify)
    target = os.path.join(workdir, "mutated")
    os.makedirs(target)
    path = os.path.join(target, "log.jsonl")
    mutator = Mutator(rng, log)
    stats = {"runs": 0, "crashes": 0, "verify_exits": {}, "log_exits": {}, "agree": 0, "disagree": {}}
    for number in range(count):
        data, operations = mutator.mutate()
        with open(path, "wb") as handle:
            handle.write(data)
        verify = common.run(binary, ["verify", "--ledger", target, "--json"])
        listing = common.run(binary, ["log", "--ledger", target, "--json"])
        stats["runs"] += 1
        stats["verify_exits"][verify.status] = stats["verify_exits"].get(verify.status, 0) + 1
        stats["log_exits"][listing.status] = stats["log_exits"].get(listing.status, 0) + 1
        for name, result, allowed in (("verify", verify, (0, 1, 3, common.UNFINISHED)), ("log", listing, (0, 5))):
            if result.crashed:
                stats["crashes"] += 1
                keep = os.path.join(workdir, "crash-%d-%s.jsonl" % (number, name))
                shutil.copy(path, keep)
                checks.check(False, "mutation %d (%s): %s CRASHED, input kept in %s: %s"
                             % (number, operations, name, keep, result.describe()))
            else:
                checks.check(result.status in allowed, "mutation %d (%s): %s exit %d"
                             % (number, operations, name, result.status))
        try:
            ours = (json.loads(verify.stdout).get("failure") or {}).get("kind")
        except ValueError:
            ours = "unreadable output"
            checks.check(False, "mutation %d: verify --json printed %r" % (number, verify.stdout[:200]))
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            independent.main(path)
        theirs = output.getvalue().split()[0]
        theirs = None if theirs == "INTACT" else theirs
        if ours == theirs:
            stats["agree"] += 1
        else:
            key = "ours %s, independent %s" % (ours, theirs)
            if key not in stats["disagree"]:
                keep = os.path.join(workdir, "disagreement-%d.jsonl" % number)
                shutil.copy(path, keep)
                stats["disagree"][key] = [0, keep]
            stats["disagree"][key][0] += 1
    return stats


def main():
    parser = common.base_arguments(__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=None, help="libFuzzer time (full 900, quick 30)")
    parser.add_argument("--mutations", type=int, default=None, help="CLI mutation runs (full 5000, quick 300)")
    parser.add_argument("--no-libfuzzer", action="store_true", help="skip part 1")
    options = parser.parse_args()
    binary = common.find_binary(options.bin)
    seed = DEFAULT_SEED if options.seed is None else options.seed
    seconds = options.seconds or (30 if options.quick else 900)
    mutations = options.mutations or (300 if options.quick else 5000)
    workdir = common.make_workdir("fuzz", options.workdir)
    common.Keyring.install(binary, workdir)
    print("fuzz campaign: seed %d, libFuzzer %d s, %d CLI mutations; binary %s, work %s"
          % (seed, seconds, mutations, binary, workdir))
    sys.stdout.flush()
    checks = common.Checks()
    corpus, log, _ = seed_corpus(binary, workdir)
    libfuzzer = {"status": "skipped (--no-libfuzzer)"} if options.no_libfuzzer else \
        run_libfuzzer(workdir, corpus, seconds, checks)
    started = time.monotonic()
    mutation = run_mutations(binary, workdir, log, mutations, random.Random(seed), checks)
    mutation_seconds = time.monotonic() - started

    rows = [["libFuzzer", libfuzzer["status"] if libfuzzer["status"] != "ran" else "ran %s s" % libfuzzer["seconds"]]]
    if libfuzzer["status"] == "ran":
        rows += [["  inputs run without a failure", libfuzzer["runs"] if not libfuzzer["crashes"] else "-"],
                 ["  inputs per second", libfuzzer["exec_per_second"]],
                 ["  coverage (edges) / corpus files", "%s / %s" % (libfuzzer["coverage_edges"], libfuzzer["corpus_files"])],
                 ["  failing inputs found", libfuzzer["crashes"]]]
    rows += [["CLI mutation loop (seed %d)" % seed, "%d mutated logs, %.1f s" % (mutation["runs"], mutation_seconds)],
             ["  ledger verify exits", ", ".join("%d: %d" % i for i in sorted(mutation["verify_exits"].items()))],
             ["  ledger log exits", ", ".join("%d: %d" % i for i in sorted(mutation["log_exits"].items()))],
             ["  crashes", mutation["crashes"]],
             ["  independent verifier agrees on the kind", "%d / %d" % (mutation["agree"], mutation["runs"])]]
    common.print_table("Fuzzing summary", ["what", "result"], rows)
    if mutation["disagree"]:
        print()
        print("Kinds on which the independent verifier disagrees (inputs kept):")
        for key, (count, keep) in sorted(mutation["disagree"].items()):
            print("  %s: %d, e.g. %s" % (key, count, keep))
    totals = {"seed": seed, "libfuzzer": {k: v for k, v in libfuzzer.items() if k != "artifacts"},
              "mutation_runs": mutation["runs"], "mutation_crashes": mutation["crashes"],
              "independent_agreement": mutation["agree"],
              "disagreements": {k: v[0] for k, v in mutation["disagree"].items()},
              "crashes": mutation["crashes"] + libfuzzer.get("crashes", 0)}
    # Disagreements with the independent verifier are kept for reading, even on a pass.
    return common.finish("fuzz", checks, totals, options.totals_file, workdir=workdir,
                         keep=options.keep or bool(mutation["disagree"]))


if __name__ == "__main__":
    sys.exit(main())

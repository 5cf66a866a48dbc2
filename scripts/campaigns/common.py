"""Shared helpers for the reliability campaigns (Python 3 standard library only).

Every campaign finds our binary the same way (never `ledger` on PATH: Debian's ledger-cli has
the same name), works in a fresh /tmp/campaigns-* directory, prints a summary table, and ends
with one machine-readable line:

    TOTALS {"campaign": "...", "passed": true, ...}

and exits 1 if any check failed.
"""
import argparse
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# The documented exit statuses (Sources/LedgerCLI/ExitCode.swift, `ledger help`).
EXIT_STATUSES = {0, 1, 2, 3, 4, 5, 6, 7}

# What a Swift trap or a sanitizer leaves on standard error.
CRASH_MARKERS = (
    "Fatal error", "Illegal instruction", "Segmentation fault", "Stack dump", "Trace/breakpoint",
    "Precondition failed", "Assertion failed", "AddressSanitizer", "UndefinedBehaviorSanitizer",
    "Current stack trace", "*** Signal",
)

OPERATOR = "OP-CAMPAIGN"
ORIGIN = "ledger.campaigns.example/fund"


def find_binary(explicit=None):
    """--bin, else $LEDGER_BIN, else the repo's release build."""
    candidates = [explicit, os.environ.get("LEDGER_BIN"), os.path.join(REPO, ".build", "release", "ledger")]
    for path in candidates:
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return os.path.abspath(path)
    sys.exit("campaign: no ledger binary; build it (swift build -c release) or pass --bin PATH / set LEDGER_BIN")


def base_arguments(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--bin", help="path to our ledger binary (default: $LEDGER_BIN or .build/release/ledger)")
    parser.add_argument("--quick", action="store_true", help="CI size")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: fixed per campaign)")
    parser.add_argument("--workdir", default=None, help="where ledgers go (default: a fresh /tmp/campaigns-*)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--totals-file", default=None, help="also append the TOTALS JSON line to this file")
    return parser


def make_workdir(name, explicit=None):
    if explicit:
        shutil.rmtree(explicit, ignore_errors=True)
        os.makedirs(explicit)
        return explicit
    return tempfile.mkdtemp(prefix="campaigns-%s-" % name, dir="/tmp")


class Result:
    """The outcome of one run of the binary."""

    def __init__(self, argv, status, stdout, stderr, seconds):
        self.argv, self.status, self.stdout, self.stderr, self.seconds = argv, status, stdout, stderr, seconds

    @property
    def crashed(self):
        text = self.stderr.decode("utf-8", "replace")
        return self.status < 0 or self.status >= 128 or any(marker in text for marker in CRASH_MARKERS)

    def json_lines(self):
        return [json.loads(line) for line in self.stdout.decode("utf-8").splitlines() if line.strip()]

    def describe(self):
        return "exit %s, stderr %r" % (self.status, self.stderr.decode("utf-8", "replace")[:300])


def run(binary, args, env=None, stdin=None, timeout=120, cwd=None):
    """Runs `binary args...`; args may be str or bytes (bytes reach argv unchanged)."""
    argv = [binary] + list(args)
    environment = dict(os.environ)
    environment.setdefault("LEDGER_OPERATOR", OPERATOR)
    environment.pop("LEDGER_DIR", None)
    if env:
        environment.update(env)
    started = time.monotonic()
    completed = subprocess.run(argv, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=environment, timeout=timeout, cwd=cwd)
    return Result(argv, completed.returncode, completed.stdout, completed.stderr, time.monotonic() - started)


def sha256_file(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def read_log(directory):
    with open(os.path.join(directory, "log.jsonl"), "rb") as handle:
        return handle.read()


def init_ledger(binary, directory, now=None, name="Campaign fund"):
    env = {"LEDGER_NOW": now} if now else None
    result = run(binary, ["init", "--ledger", directory, "--origin", ORIGIN, "--name", name,
                          "--currency", "EUR", "--json"], env=env)
    if result.status != 0:
        sys.exit("campaign: cannot create a ledger in %s: %s" % (directory, result.describe()))
    return result.json_lines()[0]


def note_event(text, idem=None, effective="2026-01-15"):
    """The campaigns' records: free-text annotations (`note.recorded`, Specs/events.md)."""
    event = {"type": "note.recorded", "payload": {"text": text}, "effective": effective}
    if idem is not None:
        event["idem"] = idem
    return event


def event_line(event):
    return json.dumps(event, ensure_ascii=False, separators=(",", ":"))


def timestamp(base_seconds, offset_microseconds):
    """LEDGER_NOW text for a deterministic clock: base (Unix seconds) + offset."""
    micros = base_seconds * 1_000_000 + offset_microseconds
    seconds, fraction = divmod(micros, 1_000_000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + ".%06dZ" % fraction


def print_table(title, header, rows):
    """A plain-text table; every cell is str()-ed."""
    table = [list(map(str, header))] + [list(map(str, row)) for row in rows]
    widths = [max(len(row[column]) for row in table) for column in range(len(header))]
    print()
    print(title)
    rule = "  ".join("-" * width for width in widths)
    for index, row in enumerate(table):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        if index == 0:
            print(rule)
    sys.stdout.flush()


class Checks:
    """Counts checks; keeps the first failures for the report."""

    def __init__(self, keep=25):
        self.count = 0
        self.failures = []
        self.failed = 0
        self.keep = keep

    def check(self, condition, message):
        self.count += 1
        if not condition:
            self.failed += 1
            if len(self.failures) < self.keep:
                self.failures.append(message)
            print("  CHECK FAILED: " + message, file=sys.stderr)
            sys.stderr.flush()
        return condition

    def report(self):
        if self.failures:
            print()
            print("First failed checks (%d failed of %d):" % (self.failed, self.count))
            for message in self.failures:
                print("  - " + message)


def finish(campaign, checks, totals, totals_file=None):
    totals = dict(totals)
    totals["campaign"] = campaign
    totals["checks"] = checks.count
    totals["checks_failed"] = checks.failed
    totals["passed"] = checks.failed == 0
    checks.report()
    line = "TOTALS " + json.dumps(totals, sort_keys=True)
    print()
    print(line)
    print("%s: %s" % (campaign, "PASS" if checks.failed == 0 else "FAIL"))
    sys.stdout.flush()
    if totals_file:
        with open(totals_file, "a") as handle:
            handle.write(line + "\n")
    return 0 if checks.failed == 0 else 1


def kill_group(process):
    try:
        os.kill(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass

#!/usr/bin/env python3
"""Concurrent writers campaign: W processes each make N single appends at once (each with its own
idempotency key, each writer an operator signing with their own key), while a reader runs
`ledger log --json` and `ledger verify --json` in a loop.

Checks: every append exits 0; the log ends with exactly base + W x N records, each appended text
exactly once, each acknowledged (seq, hash) in place, each writer's records in the order it wrote
them; verify exits 0. The reader never sees a partial record: every line `ledger log` prints
parses as JSON, carries every envelope member and the signature of its append (a single append
is one signed record, log-format section 10), hashes to its own `hash` (section 5), and the
sequence numbers it lists are dense from 0. A verify that runs while a writer is mid-write may
see an unterminated last line and say TORN_TAIL (exit 3): counted and shown, never a failure
(exit 1) and never a crash. It can never say UNFINISHED_BATCH (exit 8): a single append is one
line, written with its signature in one write.

Usage: concurrency.py [--quick] [--bin PATH] [--writers 4] [--appends 500]
"""
import hashlib
import json
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

ENVELOPE = {"actor", "effective", "hash", "payload", "prev", "recorded_at", "seq", "type", "v"}

# Each writer runs with LEDGER_OPERATOR and LEDGER_KEY of its own operator (set by the caller).
WORKER = r'''
bin="$1"; dir="$2"; worker="$3"; count="$4"; out="$5"
for i in $(seq 1 "$count"); do
  "$bin" append --ledger "$dir" --type note.recorded --payload "{\"text\":\"writer $worker append $i\"}" \
      --idem "W$worker-$i" --date 2026-01-15 --json >> "$out.ok" 2>> "$out.err"
  status=$?
  [ $status -eq 0 ] || echo "$i $status" >> "$out.failed"
done
'''


def record_hash_ok(line):
    """Section 5: the line without its `hash` and `sig` members hashes, with its version's
    prefix, to its `hash`."""
    record = json.loads(line)
    body = line.replace(('"hash":"%s",' % record["hash"]).encode(), b"", 1)
    if "sig" in record:
        body = body.replace(('"sig":"%s",' % record["sig"]).encode(), b"", 1)
    return hashlib.sha256(b"ledger.record.v%d\n" % record["v"] + body).hexdigest() == record["hash"]


class Reader(threading.Thread):
    """Reads the log and verifies it, over and over, while the writers run."""

    def __init__(self, binary, directory, checks, base):
        super().__init__(daemon=True)
        self.binary, self.directory, self.checks, self.base = binary, directory, checks, base
        self.stop = threading.Event()
        self.reads = self.lines_read = self.verifies = 0
        self.verify_exits = {}
        self.max_seen = 0
        self.partial = 0

    def run(self):
        while not self.stop.is_set():
            self.read_once()
            self.verify_once()

    def read_once(self):
        result = common.run(self.binary, ["log", "--ledger", self.directory, "--json"])
        self.reads += 1
        if not self.checks.check(result.status == 0 and not result.crashed,
                                 "reader: ledger log failed: %s" % result.describe()):
            return
        lines = result.stdout.split(b"\n")
        self.checks.check(lines[-1] == b"", "reader: output does not end with a newline")
        seqs, unsigned, last_signed = [], [], False
        for line in lines[:-1]:
            try:
                record = json.loads(line)
                whole = ENVELOPE <= set(record) and record["v"] == 2 and record_hash_ok(line)
            except (ValueError, KeyError, TypeError):
                record, whole = None, False
            if not self.checks.check(whole, "reader: a partial or broken record: %r" % line[:200]):
                self.partial += 1
                return
            seqs.append(record["seq"])
            if "sig" not in record and record["seq"] >= self.base:
                unsigned.append(record["seq"])
            last_signed = "sig" in record
        # After the base batch every append is one record, so each carries its signature; and the
        # last record listed always ends an append (no unfinished append is ever shown).
        self.checks.check(not unsigned, "reader: records after the base without their signature: %s" % unsigned[:5])
        self.checks.check(not seqs or last_signed, "reader: the last record listed ends no append (%d lines)" % len(seqs))
        self.lines_read += len(seqs)
        self.max_seen = max(self.max_seen, len(seqs))
        self.checks.check(seqs == list(range(len(seqs))), "reader: seqs not dense from 0 (%d lines)" % len(seqs))

    def verify_once(self):
        result = common.run(self.binary, ["verify", "--ledger", self.directory, "--json"])
        self.verifies += 1
        self.verify_exits[result.status] = self.verify_exits.get(result.status, 0) + 1
        kind = None
        if result.stdout.strip():
            kind = json.loads(result.stdout).get("failure", {}).get("kind")
        self.checks.check(not result.crashed and (result.status == 0 or (result.status == 3 and kind == "TORN_TAIL")),
                          "reader: verify during writes: exit %d kind %s" % (result.status, kind))


def main():
    parser = common.base_arguments(__doc__.split("\n")[0])
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--appends", type=int, default=None, help="appends per writer (full 500, quick 100)")
    parser.add_argument("--base", type=int, default=25, help="records before the writers start")
    options = parser.parse_args()
    binary = common.find_binary(options.bin)
    appends = options.appends or (100 if options.quick else 500)
    workdir = common.make_workdir("concurrency", options.workdir)
    directory = os.path.join(workdir, "ledger")
    print("concurrency campaign: %d writers x %d appends, a reader meanwhile; binary %s, work %s"
          % (options.writers, appends, binary, workdir))
    checks = common.Checks()
    keys = common.Keyring.install(binary, workdir)
    common.init_ledger(binary, directory)
    # The writers are clerks (Specs/events.md section 3: an actor must be a registered operator),
    # each registered with their own public key.
    events = [common.event_line(common.operator_event("OP-W%d" % w, "clerk")) for w in range(options.writers)]
    events += [common.event_line(common.note_event("base %d" % i)) for i in range(options.base - 1 - options.writers)]
    result = common.run(binary, ["append", "--ledger", directory, "--batch", "-"], stdin="\n".join(events).encode())
    checks.check(result.status == 0, "base batch failed: %s" % result.describe())

    reader = Reader(binary, directory, checks, options.base)
    reader.start()
    started = time.monotonic()
    outputs = [os.path.join(workdir, "writer-%d" % w) for w in range(options.writers)]
    workers = [subprocess.Popen(["bash", "-c", WORKER, "worker", binary, directory, str(w), str(appends), outputs[w]],
                                env=common.environment(keys.env("OP-W%d" % w)))
               for w in range(options.writers)]
    for worker in workers:
        worker.wait()
    writing_seconds = time.monotonic() - started
    reader.stop.set()
    reader.join()

    acknowledged, failed, crashed = {}, [], 0
    for w, out in enumerate(outputs):
        if os.path.exists(out + ".failed"):
            failed += [(w, line) for line in open(out + ".failed").read().split("\n") if line]
        errors = open(out + ".err", "rb").read().decode("utf-8", "replace") if os.path.exists(out + ".err") else ""
        crashed += sum(errors.count(marker) for marker in common.CRASH_MARKERS)
        seqs = []
        for line in open(out + ".ok"):
            record = json.loads(line)
            checks.check(record["status"] == "appended", "writer %d: status %s" % (w, record["status"]))
            acknowledged[record["seq"]] = record["hash"]
            seqs.append(record["seq"])
        checks.check(seqs == sorted(seqs), "writer %d: its records are not in the order it wrote them" % w)
    checks.check(not failed, "%d appends failed, e.g. %s (exit statuses: 6 = lock timeout)" % (len(failed), failed[:5]))
    checks.check(crashed == 0, "%d crash markers in the writers' standard error" % crashed)

    result = common.run(binary, ["log", "--ledger", directory, "--json"])
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    new = len(records) - options.base
    expected = options.writers * appends
    checks.check(new == expected, "%d new records, expected exactly %d" % (new, expected))
    by_seq = {r["seq"]: r["hash"] for r in records}
    lost = [seq for seq, digest in acknowledged.items() if by_seq.get(seq) != digest]
    checks.check(not lost, "%d acknowledged records missing: %s" % (len(lost), lost[:5]))
    texts = [r["payload"]["text"] for r in records[options.base:]]
    wanted = sorted("writer %d append %d" % (w, i) for w in range(options.writers) for i in range(1, appends + 1))
    checks.check(sorted(texts) == wanted, "the appended texts are not each writer's, each exactly once")
    verify = common.run(binary, ["verify", "--ledger", directory, "--json"])
    checks.check(verify.status == 0, "final verify: %s %s" % (verify.describe(), verify.stdout[:300]))
    independent = subprocess.run([sys.executable, os.path.join(common.REPO, "scripts", "independent_verify.py"),
                                  os.path.join(directory, "log.jsonl")], stdout=subprocess.PIPE)
    # Every signature too (pure Python: a few seconds for the full size's 2,000 appends).
    checks.check(independent.returncode == 0 and independent.stdout.decode().split()[:2] == ["INTACT", str(len(records))],
                 "independent verifier: %s" % independent.stdout.decode().strip())

    rows = [
        ["writers x appends", "%d x %d" % (options.writers, appends)],
        ["appends that exited 0", len(acknowledged)], ["appends that failed", len(failed)],
        ["records before / after", "%d / %d" % (options.base, len(records))],
        ["new records (must be %d)" % expected, new],
        ["acknowledged records lost", len(lost)],
        ["writing time, appends/s", "%.1f s, %.0f/s" % (writing_seconds, expected / writing_seconds)],
        ["reader: ledger log runs / lines checked", "%d / %d" % (reader.reads, reader.lines_read)],
        ["reader: partial records seen", reader.partial],
        ["reader: verify runs by exit status", ", ".join("exit %d: %d" % item for item in sorted(reader.verify_exits.items()))],
        ["final verify / independent verifier", "exit %d / %s" % (verify.status, independent.stdout.decode().strip())],
        ["crashes", crashed],
    ]
    common.print_table("Concurrency campaign summary", ["what", "result"], rows)
    totals = {"writers": options.writers, "appends_per_writer": appends, "appends_ok": len(acknowledged),
              "appends_failed": len(failed), "new_records": new, "expected_new_records": expected,
              "acknowledged_lost": len(lost), "reader_log_runs": reader.reads, "reader_lines": reader.lines_read,
              "reader_verify_exits": {str(k): v for k, v in reader.verify_exits.items()}, "crashes": crashed,
              "reader_partial_records": reader.partial,
              "seconds": round(writing_seconds, 1)}
    return common.finish("concurrency", checks, totals, options.totals_file, workdir=workdir, keep=options.keep)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Crash campaign: kill -9 the writer at random moments, then check that nothing acknowledged
was lost (Specs/log-format.md, section 6).

Every append is signed by the campaign's operator (log-format section 10): a batch's signature
is on its last record, so a batch cut by a crash ends with unsigned records.

Part A, random kills: each run starts single appends, batch appends (`--batch`), appends with
idempotency keys (and retries of acknowledged keys), or appends that must first rebuild a
damaged state snapshot (the sealed cache that holds the fund's state and its idempotency keys),
and SIGKILLs one of them after a random delay drawn from that operation's own measured duration.
Sometimes a torn tail is then added by hand, as a power loss would leave one. After each run:
  - `ledger verify` passes, with at most a TORN_TAIL (exit 3) or, after a killed batch, an
    UNFINISHED_BATCH at the batch's first record (exit 8): never exit 1;
  - every append that exited 0, in any run so far, is in `ledger log --json` with its seq and hash;
  - no idempotency key appears twice;
  - the next append succeeds (it repairs what the crash left), and then verify exits 0;
  - a killed batch is all or nothing once repaired; retrying a killed append (same key, same
    content) gives exactly one record; retrying an acknowledged key returns "existing" with the
    same seq and hash.

Part B, crash states: the states a power loss can leave at each step of the writer's protocol
(append.pending written and fsynced, then 0, some or all of the batch's bytes on disk; a torn
single line; a half-written marker; a state snapshot written without fsync and lost), built
exactly and then checked the same way, with the verdict each must get before the repair
(log-format sections 8 and 10.3: intact, TORN_TAIL, or UNFINISHED_BATCH when complete records of
the batch precede its signed last one). kill -9 cannot lose the page cache, so these states are
what part A cannot reach by itself.

Usage: crash.py [--quick] [--bin PATH] [--seed N] [--runs N] [--states N] [--strict]
"""
import hashlib
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from known_issues import KnownIssues  # noqa: E402

DEFAULT_SEED = 20260601
EFFECTIVE = "2026-01-15"
# Snapshots every 64 records instead of 512 (Specs/reports.md section 6): the writer saves sealed
# state snapshots often, so kills land in snapshot writes too and the cache runs have one to damage.
SNAPSHOT_TAIL_MIN = "64"


class Campaign:
    def __init__(self, binary, workdir, rng, checks, known):
        self.binary, self.rng, self.checks, self.known = binary, rng, checks, known
        self.directory = os.path.join(workdir, "ledger")
        self.scratch = os.path.join(workdir, "scratch")
        os.makedirs(self.scratch)
        self.acked = {}          # seq -> hash: every record whose append exited 0
        self.acked_keys = {}     # idempotency key -> (seq, hash, text)
        self.durations = {}      # operation -> recent durations (seconds) of completed runs
        self.stats = {
            "runs": 0, "kills_landed": 0, "kills_after_exit": 0, "torn_tails_injected": 0,
            "torn_tails_seen_by_verify": 0, "torn_tails_set_aside": 0, "batches_rolled_back": 0,
            "killed_batches_absent": 0, "killed_batches_present": 0, "killed_singles_present": 0,
            "killed_singles_absent": 0, "retries_existing": 0, "retries_appended": 0,
            "cache_faults": 0, "crash_states": 0, "acknowledged_lost": 0, "duplicates": 0,
            "unfinished_batches_seen_by_verify": 0,
            "crashes": 0, "appends_acknowledged": 0, "records_acknowledged": 0,
        }
        self.by_mode = {}

    # ----- running the binary -------------------------------------------------------------

    def single_args(self, text, key=None):
        args = ["append", "--ledger", self.directory, "--type", "note.recorded",
                "--payload", json.dumps({"text": text}), "--date", EFFECTIVE, "--json"]
        return args + (["--idem", key] if key else [])

    def batch_args(self, events, name):
        path = os.path.join(self.scratch, name)
        with open(path, "w") as handle:
            for event in events:
                handle.write(common.event_line(event) + "\n")
        return ["append", "--ledger", self.directory, "--batch", path, "--json"]

    def spawn(self, args, kill_after=None):
        """Runs the binary; with kill_after (seconds), SIGKILLs it then. Output goes to files, not
        pipes, so a full pipe never holds the writer up and skews the moment of the kill."""
        out_path, err_path = os.path.join(self.scratch, "out"), os.path.join(self.scratch, "err")
        # A real ledger: the system clock, the operator's own key (common.environment).
        env = common.environment({"LEDGER_SNAPSHOT_TAIL_MIN": SNAPSHOT_TAIL_MIN})
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            started = time.monotonic()
            process = subprocess.Popen([self.binary] + args, stdout=out, stderr=err, env=env)
            if kill_after is not None:
                time.sleep(kill_after)
                common.kill_group(process)
            status = process.wait()
            seconds = time.monotonic() - started
        with open(out_path, "rb") as handle:
            stdout = handle.read()
        with open(err_path, "rb") as handle:
            stderr = handle.read()
        return common.Result([self.binary] + args, status, stdout, stderr, seconds)

    def acknowledge(self, result, operation, expect_keys=None):
        """Records the outcome lines of an append that exited 0."""
        self.durations.setdefault(operation, []).append(result.seconds)
        self.durations[operation] = self.durations[operation][-40:]
        lines = result.json_lines()
        self.stats["appends_acknowledged"] += 1
        for line in lines:
            seq, digest = line["seq"], line["hash"]
            if seq in self.acked:
                self.checks.check(self.acked[seq] == digest,
                                  "seq %d acknowledged twice with different hashes" % seq)
            else:
                # "existing" for a record nobody was told about (its append was killed after the
                # fsync) is an acknowledgment too: from now on it must stay.
                self.acked[seq] = digest
                self.stats["records_acknowledged"] += 1
            if "idem" in line:
                known = self.acked_keys.get(line["idem"])
                if known:
                    self.checks.check(known[:2] == (seq, digest),
                                      "key %s acknowledged as seq %d, earlier as seq %d" % (line["idem"], seq, known[0]))
                else:
                    self.acked_keys[line["idem"]] = (seq, digest, None)
        return lines

    def expected_seconds(self, operation):
        """How long the operation takes: measured for this operation, else (a batch of a size not
        seen yet) interpolated from single appends and the 200-event calibration batch."""
        recent = self.durations.get(operation)
        if recent:
            return statistics.median(recent)
        prefix = "cache-" if operation.startswith("cache-") else ""
        base = statistics.median(self.durations.get(prefix + "single-keyed") or self.durations.get("single") or [0.01])
        if "batch" not in operation:
            return base
        single = statistics.median(self.durations.get("single") or [0.01])
        per_event = max(0.0, statistics.median(self.durations.get("batch-200") or [single]) - single) / 200
        return base + per_event * int(operation.rsplit("-", 1)[1])

    def kill_delay(self, operation):
        """A random moment inside the operation: uniform over its measured duration, with a
        fifth of the kills in its first two milliseconds (start-up, lock, recovery)."""
        if self.rng.random() < 0.2:
            return self.rng.uniform(0, 0.002)
        return self.rng.uniform(0, 1.1 * self.expected_seconds(operation))

    # ----- part A: the runs ---------------------------------------------------------------

    def records_now(self):
        """Records in the log (the log is whole between runs: the previous run ended verified)."""
        return common.read_log(self.directory).count(b"\n")

    def run_single(self, run, keyed, prefix=""):
        """A few single appends that complete, then one killed; returns what was killed."""
        for index in range(self.rng.randint(0, 3) + 1):
            text = "run %d single %d" % (run, index)
            key = "R%d-S%d" % (run, index) if keyed and self.rng.random() < 0.8 else None
            if keyed and self.acked_keys and self.rng.random() < 0.3:
                key = self.rng.choice(sorted(self.acked_keys))
                text = self.acked_keys[key][2]
                if text is None:
                    continue
            operation = "single-keyed" if key else "single"
            result = self.spawn(self.single_args(text, key))
            if not self.checks.check(result.status == 0, "run %d: append failed: %s" % (run, result.describe())):
                return None
            for line in self.acknowledge(result, operation):
                if key and line.get("idem") == key:
                    self.acked_keys[key] = (line["seq"], line["hash"], text)
        text = "run %d single killed" % run
        key = "R%d-SK" % run if keyed else None
        if keyed and self.acked_keys and self.rng.random() < 0.3:
            key = self.rng.choice(sorted(self.acked_keys))
            text = self.acked_keys[key][2]
            if text is None:
                key, text = "R%d-SK" % run, "run %d single killed" % run
        operation = prefix + ("single-keyed" if key else "single")
        first = self.records_now()
        result = self.spawn(self.single_args(text, key), kill_after=self.kill_delay(operation))
        return self.after_kill(result, operation, {"kind": "single", "text": text, "key": key, "first": first})

    def run_batch(self, run, keyed, size, prefix=""):
        events = []
        for index in range(size):
            key = "R%d-B%d" % (run, index) if keyed else None
            events.append(common.note_event("run %d batch %d" % (run, index), key, EFFECTIVE))
        args = self.batch_args(events, "batch-%d.jsonl" % run)
        operation = prefix + "batch-%d" % size
        first = self.records_now()
        result = self.spawn(args, kill_after=self.kill_delay(operation))
        return self.after_kill(result, operation, {"kind": "batch", "tag": "run %d batch " % run, "first": first,
                                                   "size": size, "events": events, "args": args, "keyed": keyed})

    def newest_snapshot(self):
        """The newest state snapshot core (cache/snapshots/state-*.snap), or None."""
        folder = os.path.join(self.directory, "cache", "snapshots")
        names = [n for n in os.listdir(folder) if n.startswith("state-") and n.endswith(".snap")] \
            if os.path.isdir(folder) else []
        names.sort(key=lambda n: int(n[:-5].rsplit("-", 1)[1]))
        return os.path.join(folder, names[-1]) if names else None

    def damage_cache(self, run, choice=None):
        """A cache may be deleted or damaged at any time; the writer must rebuild it. The state
        snapshots hold the fund's state and its idempotency keys (sealed): a damaged one must be
        ignored, never trusted, and a retried key still found in the log."""
        choice = choice or self.rng.choice(["delete-cache", "truncate-snapshot", "garbage-header", "zeroed-payload",
                                            "leftover-tmp"])
        snapshot = self.newest_snapshot()
        if choice == "delete-cache":
            shutil.rmtree(os.path.join(self.directory, "cache"), ignore_errors=True)
        elif snapshot:
            with open(snapshot, "r+b") as handle:
                size = handle.seek(0, 2)
                if choice == "truncate-snapshot":
                    handle.truncate(self.rng.randrange(0, size))
                elif choice == "garbage-header":
                    handle.seek(0)
                    handle.write(bytes(self.rng.randrange(256) for _ in range(64)))
                elif choice == "zeroed-payload":
                    # Written without fsync, then the power went: the size is there, the data is not.
                    handle.seek(min(size, 400))
                    handle.write(b"\0" * max(0, size - 400))
            if choice == "leftover-tmp":
                # What a writer killed in DirectoryHandle.writeAtomically leaves: half a temporary file.
                folder, name = os.path.split(snapshot)
                data = open(snapshot, "rb").read()
                with open(os.path.join(folder, ".%s.%016x.tmp" % (name, self.rng.getrandbits(64))), "wb") as handle:
                    handle.write(data[:len(data) // 2])
        self.stats["cache_faults"] += 1
        return choice

    def measure_cache_rebuild(self, run, damage):
        text, key = "run %d cache measure" % run, "R%d-CM" % run
        result = self.spawn(self.single_args(text, key))
        if self.checks.check(result.status == 0, "run %d: append after %s failed: %s" % (run, damage, result.describe())):
            for line in self.acknowledge(result, "cache-single-keyed"):
                self.acked_keys[key] = (line["seq"], line["hash"], text)
        self.damage_cache(run, damage)

    def after_kill(self, result, operation, killed):
        if result.status == -signal.SIGKILL:
            self.stats["kills_landed"] += 1
            return killed
        self.stats["kills_after_exit"] += 1
        if self.checks.check(result.status == 0, "%s ended with %s" % (operation, result.describe())):
            for line in self.acknowledge(result, operation):
                if killed.get("key") and line.get("idem") == killed["key"]:
                    self.acked_keys[killed["key"]] = (line["seq"], line["hash"], killed["text"])
            if killed["kind"] == "batch" and killed["keyed"]:
                for event in killed["events"]:
                    seq, digest, _ = self.acked_keys[event["idem"]]
                    self.acked_keys[event["idem"]] = (seq, digest, event["payload"]["text"])
        return None

    # ----- checks after each run ----------------------------------------------------------

    def read_records(self, context):
        result = common.run(self.binary, ["log", "--ledger", self.directory, "--json"])
        if not self.checks.check(result.status == 0, "%s: ledger log failed: %s" % (context, result.describe())):
            return []
        records = []
        for number, line in enumerate(result.stdout.decode("utf-8").splitlines()):
            try:
                records.append(json.loads(line))
            except ValueError:
                self.checks.check(False, "%s: ledger log printed a line that is not JSON: %r" % (context, line[:200]))
                return records
        self.checks.check([r["seq"] for r in records] == list(range(len(records))),
                          "%s: the sequence numbers listed are not 0..n-1" % context)
        return records

    def check_acknowledged(self, records, context):
        by_seq = {r["seq"]: r["hash"] for r in records}
        lost = [seq for seq, digest in self.acked.items() if by_seq.get(seq) != digest]
        self.stats["acknowledged_lost"] = max(self.stats["acknowledged_lost"], len(lost))
        self.checks.check(not lost, "%s: %d acknowledged records missing or changed, e.g. seq %s"
                          % (context, len(lost), lost[:5]))
        keys = {}
        for record in records:
            if "idem" in record:
                keys[record["idem"]] = keys.get(record["idem"], 0) + 1
        duplicated = sorted(key for key, count in keys.items() if count > 1)
        self.stats["duplicates"] = max(self.stats["duplicates"], len(duplicated))
        self.checks.check(not duplicated, "%s: idempotency keys recorded twice: %s" % (context, duplicated[:5]))
        for key, (seq, digest, _) in self.acked_keys.items():
            if by_seq.get(seq) != digest:
                self.checks.check(False, "%s: acknowledged key %s (seq %d) is gone" % (context, key, seq))
                break
        return keys

    def verify(self, context, allowed=(0, 3), unfinished_at=None):
        """Runs verify; exit 3 must say TORN_TAIL, exit 8 UNFINISHED_BATCH at `unfinished_at` (the
        first record of the batch that was cut: log-format section 10.3)."""
        result = common.run(self.binary, ["verify", "--ledger", self.directory, "--json"])
        self.check_crash(result, context + ": verify")
        verdict = result.json_lines()[0] if result.stdout.strip() else {}
        failure = verdict.get("failure", {})
        kind = failure.get("kind")
        expected = {0: None, 3: "TORN_TAIL", common.UNFINISHED: "UNFINISHED_BATCH"}
        good = result.status in allowed and kind == expected.get(result.status, "?")
        if result.status == common.UNFINISHED:
            good = good and failure.get("seq") == unfinished_at
        self.checks.check(good, "%s: verify exit %d, %s (allowed %s, an unfinished batch at seq %s)"
                          % (context, result.status, failure, allowed, unfinished_at))
        return result.status, kind

    def check_crash(self, result, context):
        if result.crashed:
            self.stats["crashes"] += 1
        return self.checks.check(not result.crashed, "%s: CRASH: %s" % (context, result.describe()))

    def next_append(self, run):
        """The append after a crash: it must repair the directory and succeed."""
        text, key = "run %d next" % run, "R%d-NEXT" % run
        result = self.spawn(self.single_args(text, key))
        stderr = result.stderr.decode("utf-8", "replace")
        if result.status != 0:
            self.check_crash(result, "run %d: next append" % run)
            self.checks.check(False, "run %d: the append after the crash failed: %s" % (run, result.describe()))
            return None
        self.stats["torn_tails_set_aside"] += stderr.count("set aside a torn tail")
        self.stats["batches_rolled_back"] += stderr.count("rolled back an unfinished")
        for line in self.acknowledge(result, "single-keyed"):
            self.acked_keys[key] = (line["seq"], line["hash"], text)
        return stderr

    def retry_killed(self, killed, run):
        """The client of a killed append never got an answer, so it retries: exactly once."""
        if killed["kind"] == "single" and killed["key"]:
            result = self.spawn(self.single_args(killed["text"], killed["key"]))
            known = self.acked_keys.get(killed["key"])
            if self.checks.check(result.status == 0, "run %d: retry of killed key failed: %s" % (run, result.describe())):
                line = self.acknowledge(result, "single-keyed")[0]
                self.stats["retries_" + line["status"]] += 1
                self.acked_keys[killed["key"]] = (line["seq"], line["hash"], killed["text"])
                if known:
                    self.checks.check(line["status"] == "existing" and (line["seq"], line["hash"]) == known[:2],
                                      "run %d: retry of acknowledged key %s gave %s" % (run, killed["key"], line))
        if killed["kind"] == "batch" and killed["keyed"]:
            result = self.spawn(killed["args"])
            if self.checks.check(result.status == 0, "run %d: retry of killed batch failed: %s" % (run, result.describe())):
                lines = self.acknowledge(result, "batch-%d" % killed["size"])
                statuses = {line["status"] for line in lines}
                self.checks.check(len(statuses) == 1, "run %d: a retried batch came back mixed: %s" % (run, statuses))
                for line, event in zip(lines, killed["events"]):
                    self.stats["retries_" + line["status"]] += 1
                    self.acked_keys[event["idem"]] = (line["seq"], line["hash"], event["payload"]["text"])

    def retry_acknowledged(self, run):
        keys = [key for key, value in sorted(self.acked_keys.items()) if value[2] is not None]
        for key in self.rng.sample(keys, min(2, len(keys))):
            seq, digest, text = self.acked_keys[key]
            result = self.spawn(self.single_args(text, key))
            ok = result.status == 0 and result.json_lines()[0]["status"] == "existing"
            ok = ok and (result.json_lines()[0]["seq"], result.json_lines()[0]["hash"]) == (seq, digest)
            self.checks.check(ok, "run %d: retry of acknowledged key %s (seq %d): %s %s"
                              % (run, key, seq, result.describe(), result.stdout[:200]))
            if ok:
                self.stats["retries_existing"] += 1

    def count_tag(self, records, tag):
        return sum(1 for r in records if str(r["payload"].get("text", "")).startswith(tag))

    def check_run(self, run, killed, mode):
        context = "run %d (%s)" % (run, mode)
        if killed and self.rng.random() < 0.15:
            self.inject_torn_tail()
        # Only a batch can be cut between records: a single append is one line, signature included.
        batch = bool(killed) and killed["kind"] == "batch"
        status, kind = self.verify(context + " after the kill", allowed=(0, 3, common.UNFINISHED) if batch else (0, 3),
                                   unfinished_at=killed["first"] if batch else None)
        if status == 3:
            self.stats["torn_tails_seen_by_verify"] += 1
        if status == common.UNFINISHED:
            self.stats["unfinished_batches_seen_by_verify"] += 1
        records = self.read_records(context + " after the kill")
        keys_before = self.check_acknowledged(records, context + " after the kill")
        if self.next_append(run) is None:
            return
        records = self.read_records(context + " after the next append")
        self.check_acknowledged(records, context + " after the next append")
        if killed and killed["kind"] == "batch":
            present = self.count_tag(records, killed["tag"])
            self.checks.check(present in (0, killed["size"]), "%s: %d of a killed batch of %d records survived"
                              % (context, present, killed["size"]))
            self.stats["killed_batches_present" if present else "killed_batches_absent"] += 1
        if killed and killed["kind"] == "single":
            present = sum(1 for r in records if r["payload"].get("text") == killed["text"])
            present_before = killed["key"] in keys_before
            self.stats["killed_singles_present" if present or present_before else "killed_singles_absent"] += 1
        if killed:
            self.retry_killed(killed, run)
        self.retry_acknowledged(run)
        records = self.read_records(context + " after the retries")
        self.check_acknowledged(records, context + " after the retries")
        if killed and killed["kind"] == "batch" and killed["keyed"]:
            present = self.count_tag(records, killed["tag"])
            self.checks.check(present == killed["size"], "%s: after retrying a killed batch of %d, %d records"
                              % (context, killed["size"], present))
        self.verify(context + " at the end", allowed=(0,))

    def inject_torn_tail(self):
        """The start of a line without its end, as a power loss in the middle of a write leaves."""
        line = common.event_line({"actor": common.OPERATOR, "effective": EFFECTIVE, "hash": "0" * 64,
                                  "payload": {"text": "torn"}, "prev": "0" * 64})
        with open(os.path.join(self.directory, "log.jsonl"), "ab") as handle:
            handle.write(line.encode()[:self.rng.randint(1, len(line) - 1)])
        self.stats["torn_tails_injected"] += 1

    # ----- part A driver --------------------------------------------------------------------

    def calibrate(self):
        for index in range(3):
            result = self.spawn(self.single_args("calibration %d" % index))
            self.acknowledge(result, "single")
            result = self.spawn(self.single_args("calibration keyed %d" % index, "CAL-%d" % index))
            for line in self.acknowledge(result, "single-keyed"):
                self.acked_keys["CAL-%d" % index] = (line["seq"], line["hash"], "calibration keyed %d" % index)
        events = [common.note_event("calibration batch %d" % i, None, EFFECTIVE) for i in range(200)]
        result = self.spawn(self.batch_args(events, "calibration.jsonl"))
        self.checks.check(result.status == 0, "calibration batch failed: %s" % result.describe())
        self.acknowledge(result, "batch-200")

    def run_random_kills(self, runs, batch_max):
        self.calibrate()
        modes = ["single", "batch", "idempotency", "cache"]
        for run in range(runs):
            mode = modes[run % len(modes)] if run < len(modes) else self.rng.choice(modes)
            size = self.rng.choice([2, 3, 10, 50, 200, batch_max]) if mode != "single" else 1
            detail = mode
            if mode == "single":
                killed = self.run_single(run, keyed=False)
            elif mode == "batch":
                killed = self.run_batch(run, keyed=self.rng.random() < 0.3, size=size)
            elif mode == "idempotency":
                killed = self.run_single(run, keyed=True) if self.rng.random() < 0.6 else \
                    self.run_batch(run, keyed=True, size=size)
            else:
                # One measured append that rebuilds the snapshot, then the same damage and a killed one.
                detail = self.damage_cache(run)
                self.measure_cache_rebuild(run, detail)
                # Measured apart: folding the log again makes these appends longer.
                killed = self.run_single(run, keyed=True, prefix="cache-") if self.rng.random() < 0.5 else \
                    self.run_batch(run, keyed=True, size=size, prefix="cache-")
            row = self.by_mode.setdefault(mode, {"runs": 0, "kills": 0, "missed": 0, "details": {}})
            row["runs"] += 1
            row["kills" if killed else "missed"] += 1
            row["details"][detail] = row["details"].get(detail, 0) + 1
            self.stats["runs"] += 1
            self.check_run(run, killed, mode)
            if (run + 1) % 25 == 0:
                print("  ... %d runs, %d records acknowledged, %d checks failed"
                      % (run + 1, len(self.acked), self.checks.failed))
                sys.stdout.flush()

    # ----- part B: crash states -------------------------------------------------------------

    def snapshot_cache(self):
        saved = os.path.join(self.scratch, "cache-before")
        shutil.rmtree(saved, ignore_errors=True)
        cache = os.path.join(self.directory, "cache")
        if os.path.isdir(cache):
            shutil.copytree(cache, saved)
        return saved

    def restore_cache(self, saved):
        cache = os.path.join(self.directory, "cache")
        shutil.rmtree(cache, ignore_errors=True)
        if os.path.isdir(saved):
            shutil.copytree(saved, cache)

    def crash_state(self, number, state):
        """Builds the on-disk state of a writer that lost power at `state`, then checks."""
        log = os.path.join(self.directory, "log.jsonl")
        marker = os.path.join(self.directory, "append.pending")
        before = os.path.getsize(log)
        saved = self.snapshot_cache()
        size = 1 if state == "single-torn" else self.rng.choice([2, 5, 40])
        keyed = self.rng.random() < 0.5
        events = [common.note_event("state %d event %d" % (number, i), "ST%d-%d" % (number, i) if keyed else None,
                                    EFFECTIVE) for i in range(size)]
        args = self.batch_args(events, "state-%d.jsonl" % number)
        result = self.spawn(args)
        if not self.checks.check(result.status == 0, "state %d: setup append failed: %s" % (number, result.describe())):
            return
        lines = result.json_lines()
        after = os.path.getsize(log)
        data = open(log, "rb").read()
        newest = self.newest_snapshot()
        newest = open(newest, "rb").read() if newest else None
        # The append never returned: its records are not acknowledged, no snapshot of them was saved.
        self.restore_cache(saved)
        boundaries = [before + i for i, byte in enumerate(data[before:after]) if byte == 0x0A]
        if state == "marker-only":
            cut = before
        elif state == "partial-batch-bytes":
            cut = self.rng.randrange(before + 1, after)
        elif state == "partial-batch-lines":
            cut = boundaries[self.rng.randrange(0, len(boundaries) - 1)] + 1
        elif state in ("whole-batch-marker-kept", "snapshot-lost"):
            cut = after
        elif state == "single-torn":
            cut = self.rng.randrange(before + 1, after)
        else:  # half-written marker, no byte of the batch
            cut = before
        with open(log, "r+b") as handle:
            handle.truncate(cut)
        text = "batch %d %d %s\n" % (before, after, lines[-1]["hash"])
        if state == "half-written-marker":
            text = text[:self.rng.randrange(1, len(text) - 1)]
        if state != "single-torn":
            with open(marker, "w") as handle:
                handle.write(text)
        if state == "snapshot-lost" and newest:
            self.plant_lost_snapshot(newest, after_records=lines[-1]["seq"] + 1)
        self.stats["crash_states"] += 1
        row = self.by_state.setdefault(state, {"states": 0, "verify": {}, "kept": 0, "rolled_back": 0})
        row["states"] += 1
        status, kind = self.verify("state %d (%s)" % (number, state), allowed=(self.expected_state_verdict(
            data, before, cut, state),), unfinished_at=lines[0]["seq"])
        row["verify"][kind or "intact"] = row["verify"].get(kind or "intact", 0) + 1
        # An auditor may take a checkpoint in this window; ledger's own repair must not contradict it.
        checkpoint = os.path.join(self.scratch, "checkpoint-%d" % number)
        taken = common.run(self.binary, ["checkpoint", "--ledger", self.directory, "--output", checkpoint])
        notices = taken.stderr.decode("utf-8", "replace")  # checkpoint repairs first, like a writer
        self.stats["torn_tails_set_aside"] += notices.count("set aside a torn tail")
        self.stats["batches_rolled_back"] += notices.count("rolled back an unfinished")
        records = self.read_records("state %d" % number)
        self.check_acknowledged(records, "state %d (%s)" % (number, state))
        if self.next_append(10_000 + number) is None:
            return
        records = self.read_records("state %d after the next append" % number)
        self.check_acknowledged(records, "state %d (%s) after the next append" % (number, state))
        present = self.count_tag(records, "state %d event " % number)
        self.checks.check(present in (0, size), "state %d (%s): %d of a batch of %d survived" % (number, state, present, size))
        expected_kept = state in ("whole-batch-marker-kept", "snapshot-lost")
        self.checks.check((present == size) == expected_kept or size == 0,
                          "state %d (%s): batch %s" % (number, state, "kept" if present else "rolled back"))
        row["kept" if present else "rolled_back"] += 1
        if taken.status == 0:
            again = common.run(self.binary, ["verify", "--ledger", self.directory, "--checkpoint", checkpoint, "--json"])
            failure = json.loads(again.stdout).get("failure", {}) if again.stdout.strip() else {}
            holds = again.status == 0
            row["checkpoint_kept"] = row.get("checkpoint_kept", 0) + holds
            self.checks.check(holds, "state %d (%s): a checkpoint taken before the repair fails after it: %s"
                              % (number, state, failure.get("kind")))
        if keyed:
            killed = {"kind": "batch", "tag": "state %d event " % number, "size": size, "events": events,
                      "args": args, "keyed": True}
            self.retry_killed(killed, number)
            records = self.read_records("state %d after the retry" % number)
            self.check_acknowledged(records, "state %d (%s) after the retry" % (number, state))
            self.checks.check(self.count_tag(records, "state %d event " % number) == size,
                              "state %d: the retried batch is not there exactly once" % number)
        self.verify("state %d (%s) at the end" % (number, state), allowed=(0,))

    @staticmethod
    def expected_state_verdict(data, before, cut, state):
        """verify's exit status for the log cut at `cut` (log-format sections 8 and 10.3): a batch's
        signature is on its last record, so complete records of a batch without it are an
        UNFINISHED_BATCH (8), whatever append.pending says; bytes of a first line alone are a
        TORN_TAIL (3); the log as it was before (or the whole batch) is intact (0)."""
        if cut in (before, len(data)) or state in ("marker-only", "half-written-marker"):
            return 0
        complete = data[before:cut].count(b"\n")
        if complete == 0:
            return 3
        return common.UNFINISHED

    def plant_lost_snapshot(self, newest, after_records):
        """The snapshot a writer saved after the batch (without fsync, Specs/reports.md section 6),
        as a power loss leaves it: its name and size, zeros where the data never reached the disk."""
        folder = os.path.join(self.directory, "cache", "snapshots")
        os.makedirs(folder, exist_ok=True)
        existing = [n for n in os.listdir(folder) if n.startswith("state-") and n.endswith(".snap")]
        layout = existing[0][:-5].rsplit("-", 1)[0] if existing else "state-core-unknown"
        with open(os.path.join(folder, "%s-%d.snap" % (layout, after_records)), "wb") as handle:
            handle.write(newest[:self.rng.randrange(0, 64)] + b"\0" * (len(newest) - 64))

    def snapshot_damage_probe(self, keys_count=6):
        """The idempotency keys live in the sealed state snapshot (Specs/log-format.md, section 1):
        a snapshot whose payload is zeroed under an intact header (its checksum then fails), or
        zeroed with the checksum recomputed (its seal then fails), must be ignored, and a retry of
        an acknowledged key found in the log: "existing", same seq and hash, never appended twice.
        Run on copies, so that a duplicate would not spoil the campaign's ledger."""
        keys = [key for key, value in sorted(self.acked_keys.items()) if value[2] is not None]
        chosen = self.rng.sample(keys, min(keys_count, len(keys)))
        retried = duplicated = 0
        for variant in ("checksum fails", "checksum recomputed"):
            copy = os.path.join(self.scratch, "snapshot-damage-" + variant.split()[1])
            shutil.copytree(self.directory, copy)
            snapshot = self.newest_snapshot()
            if not self.checks.check(snapshot is not None, "snapshot damage probe: the ledger has no snapshot"):
                return
            path = os.path.join(copy, os.path.relpath(snapshot, self.directory))
            data = bytearray(open(path, "rb").read())
            data[400:-32] = b"\0" * (len(data) - 432)
            if variant == "checksum recomputed":
                data[-32:] = hashlib.sha256(bytes(data[:-32])).digest()
            with open(path, "wb") as handle:
                handle.write(data)
            self.stats["cache_faults"] += 1
            for key in chosen:
                seq, digest, text = self.acked_keys[key]
                args = self.single_args(text, key)
                args[args.index("--ledger") + 1] = copy
                result = self.spawn(args)
                self.check_crash(result, "snapshot damage probe")
                line = result.json_lines()[0] if result.status == 0 else {}
                retried += 1
                duplicated += line.get("status") == "appended"
                self.checks.check((line.get("status"), line.get("seq"), line.get("hash")) == ("existing", seq, digest),
                                  "snapshot damage probe (%s): retry of key %s (seq %d): %s %s"
                                  % (variant, key, seq, result.describe(), result.stdout[:200]))
        self.stats["snapshot_damage_retries"] = retried
        self.stats["snapshot_damage_duplicates"] = duplicated

    def run_crash_states(self, count):
        self.by_state = {}
        states = ["marker-only", "partial-batch-bytes", "partial-batch-lines", "whole-batch-marker-kept",
                  "single-torn", "half-written-marker", "snapshot-lost"]
        for number in range(count):
            self.crash_state(number, states[number % len(states)])


def main():
    parser = common.base_arguments(__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=None, help="random-kill runs (full 400, quick 32)")
    parser.add_argument("--states", type=int, default=None, help="crash states (full 140, quick 21)")
    parser.add_argument("--strict", action="store_true", help="known issues fail the campaign too")
    options = parser.parse_args()
    binary = common.find_binary(options.bin)
    seed = DEFAULT_SEED if options.seed is None else options.seed
    runs = options.runs if options.runs is not None else (32 if options.quick else 400)
    states = options.states if options.states is not None else (21 if options.quick else 140)
    batch_max = 400 if options.quick else 2000
    workdir = common.make_workdir("crash", options.workdir)
    print("crash campaign: seed %d, %d random-kill runs, %d crash states, binary %s, work %s"
          % (seed, runs, states, binary, workdir))
    rng = random.Random(seed)
    checks, known = common.Checks(), KnownIssues(options.strict)
    campaign = Campaign(binary, workdir, rng, checks, known)
    common.Keyring.install(binary, workdir)
    common.init_ledger(binary, campaign.directory)
    started = time.monotonic()
    campaign.run_random_kills(runs, batch_max)
    campaign.run_crash_states(states)
    campaign.snapshot_damage_probe()
    records = campaign.read_records("final")
    campaign.check_acknowledged(records, "final")
    campaign.verify("final", allowed=(0,))
    seconds = time.monotonic() - started

    rows = []
    for mode, row in sorted(campaign.by_mode.items()):
        details = ", ".join("%s %d" % item for item in sorted(row["details"].items()))
        rows.append([mode, row["runs"], row["kills"], row["missed"], details])
    common.print_table("Part A: random kill -9 (kill landed = the process died of SIGKILL; "
                       "missed = it had already exited 0)",
                       ["mode", "runs", "kill landed", "missed", "what"], rows)
    rows = []
    for state, row in sorted(campaign.by_state.items()):
        verdicts = ", ".join("%s %d" % item for item in sorted(row["verify"].items()))
        rows.append([state, row["states"], verdicts, row["kept"], row["rolled_back"], row.get("checkpoint_kept", 0)])
    common.print_table("Part B: crash states (what a power loss leaves at each step of the writer)",
                       ["state", "count", "verify before repair", "batch kept", "rolled back",
                        "checkpoint before repair still holds"], rows)
    s = campaign.stats
    faults = s["kills_landed"] + s["torn_tails_injected"] + s["cache_faults"] + s["crash_states"]
    rows = [
        ["runs (random kills)", s["runs"]], ["kills that landed", s["kills_landed"]],
        ["kills after the append had exited", s["kills_after_exit"]],
        ["torn tails injected / seen by verify / set aside", "%d / %d / %d" % (
            s["torn_tails_injected"], s["torn_tails_seen_by_verify"], s["torn_tails_set_aside"])],
        ["unfinished batches seen by verify (exit 8) after a kill", s["unfinished_batches_seen_by_verify"]],
        ["batches rolled back by the next writer (or checkpoint)", s["batches_rolled_back"]],
        ["killed batches: absent / present (all or nothing)", "%d / %d" % (
            s["killed_batches_absent"], s["killed_batches_present"])],
        ["killed single appends: absent / present", "%d / %d" % (s["killed_singles_absent"], s["killed_singles_present"])],
        ["cache faults (deleted, truncated, garbage header, zeroed payload, stale .tmp)", s["cache_faults"]],
        ["snapshot payload zeroed under a valid header: retries of acknowledged keys that appended "
         "again (must be 0)", "%d of %d" % (s.get("snapshot_damage_duplicates", 0), s.get("snapshot_damage_retries", 0))],
        ["crash states built", s["crash_states"]],
        ["retries: existing / appended", "%d / %d" % (s["retries_existing"], s["retries_appended"])],
        ["appends acknowledged (exit 0) / records", "%d / %d" % (s["appends_acknowledged"], s["records_acknowledged"])],
        ["acknowledged records lost", s["acknowledged_lost"]],
        ["idempotency keys recorded twice", s["duplicates"]],
        ["crashes (traps, signals other than our kills)", s["crashes"]],
        ["faults injected in all", faults], ["seconds", "%.1f" % seconds],
    ]
    common.print_table("Crash campaign summary (seed %d)" % seed, ["what", "count"], rows)
    known_counts = known.report()
    s["crashes_unexpected"] = s["crashes"]
    totals = dict(s, seed=seed, faults_injected=faults, seconds=round(seconds, 1), known_issues=known_counts,
                  records_in_log=len(records))
    return common.finish("crash", checks, totals, options.totals_file, workdir=workdir, keep=options.keep)


if __name__ == "__main__":
    sys.exit(main())

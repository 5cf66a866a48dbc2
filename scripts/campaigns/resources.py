#!/usr/bin/env python3
"""Resource faults campaign: a full disk, a read-only file system, permission denied, immutable
files, a file-size limit, too few file descriptors.

Each scenario builds a ledger, injects the fault, runs appends (and init, checkpoint) against it,
and checks: a clear error ("ledger: ..." naming the system's reason) with the documented exit
status 7, or success; nothing half-written (after a refused append the log is byte-identical; after
an accepted one it only gained whole lines); nothing acknowledged lost; then, once the fault is
fixed, the next append succeeds and `ledger verify` exits 0; retried idempotency keys come back
"existing" with the same seq and hash.

Every append is signed with the operator's key (a copy owned by `nobody` when acting as nobody),
and saves a sealed state snapshot (LEDGER_SNAPSHOT_TAIL_MIN=1), so that the faults also hit the
cache writes that follow an append.

Needs root for tmpfs and loop mounts and chattr, and setpriv (util-linux) to act as an
unprivileged user; a scenario whose tool is missing is reported as skipped, with the reason.

Usage: resources.py [--bin PATH] [--quick] [--strict]
"""
import json
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from known_issues import KnownIssues  # noqa: E402

IO = 7
NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
# A snapshot after every append (Specs/reports.md section 6): the faults reach the cache writes too.
ENV = {"LEDGER_SNAPSHOT_TAIL_MIN": "1"}


def sh(command, check=True):
    result = subprocess.run(command, shell=isinstance(command, str), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if check and result.returncode != 0:
        raise RuntimeError("%s: %s" % (command, result.stderr.decode().strip()))
    return result


class Skip(Exception):
    pass


def short(message):
    """'ledger: append: write /long/path/to/log.jsonl: reason (errno N)' -> 'append: write log.jsonl: reason'."""
    match = re.match(r"ledger: (\w+): (\w+) (/\S+): (.*?)( \(errno \d+\))?$", message)
    if not match:
        return message.replace("ledger: ", "")[:70]
    return "%s: %s %s: %s" % (match.group(1), match.group(2), os.path.basename(match.group(3)), match.group(4))


class Campaign:
    def __init__(self, binary, workdir, checks, known):
        self.binary, self.workdir, self.checks, self.known = binary, workdir, checks, known
        self.mounts = []
        self.rows = []
        self.known_traps = 0
        self.crash_count = self.crash_known = 0
        self.acked = {}   # ledger directory -> {seq: hash}
        self.keys = {}    # ledger directory -> {key: (seq, hash, text)}
        os.chmod(workdir, 0o755)
        self.keyring = common.Keyring.install(binary, workdir)
        self.nobody_key = None

    # ----- file systems -----

    def tmpfs(self, name, size):
        path = os.path.join(self.workdir, name)
        os.makedirs(path)
        if sh(["mount", "-t", "tmpfs", "-o", "size=%s" % size, "tmpfs", path], check=False).returncode != 0:
            raise Skip("cannot mount a tmpfs here (needs root)")
        self.mounts.append(path)
        return path

    def ext4(self, name, megabytes):
        image = os.path.join(self.workdir, name + ".img")
        path = os.path.join(self.workdir, name)
        os.makedirs(path)
        with open(image, "wb") as handle:
            handle.truncate(megabytes << 20)
        if sh(["mkfs.ext4", "-q", "-F", image], check=False).returncode != 0:
            raise Skip("mkfs.ext4 not available")
        if sh(["mount", "-o", "loop", image, path], check=False).returncode != 0:
            raise Skip("cannot mount a loop device here (needs root and /dev/loop*)")
        self.mounts.append(path)
        return path

    def fill(self, mount, leave_kib=0):
        """Fills the file system, leaving about `leave_kib` KiB."""
        stats = os.statvfs(mount)
        free = stats.f_bavail * stats.f_frsize // 1024
        self.write_until_full(os.path.join(mount, "filler"), max(0, free - leave_kib) * 1024, 1024)
        if leave_kib == 0:
            # Top up what is left (reserved blocks, rounding), in small pieces.
            self.write_until_full(os.path.join(mount, "filler2"), 1 << 30, 512)

    @staticmethod
    def write_until_full(path, size, piece):
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
        except OSError:
            return
        try:
            written = 0
            while written < size:
                written += os.write(descriptor, b"\0" * piece)
            os.fsync(descriptor)
        except OSError:
            pass
        finally:
            os.close(descriptor)

    def unfill(self, mount):
        for name in ("filler", "filler2"):
            path = os.path.join(mount, name)
            if os.path.exists(path):
                os.remove(path)

    def cleanup(self):
        for path in reversed(self.mounts):
            sh(["chattr", "-R", "-i", "-a", path], check=False)
            sh(["umount", path], check=False)

    # ----- ledger helpers -----

    def new_ledger(self, directory, records=3):
        common.init_ledger(self.binary, directory)
        self.acked[directory], self.keys[directory] = {0: json.loads(common.read_log(directory))["hash"]}, {}
        for index in range(records):
            self.append(directory, "setup %d" % index, "SETUP-%d" % index)
        return directory

    def append(self, directory, text, key=None, prefix=(), env=None):
        args = ["append", "--ledger", directory, "--type", "note.recorded", "--payload", json.dumps({"text": text}),
                "--date", "2026-01-15", "--json"] + (["--idem", key] if key else [])
        result = self.run(args, prefix, env)
        if result.status == 0:
            for line in result.json_lines():
                self.acked[directory][line["seq"]] = line["hash"]
                if key:
                    self.keys[directory][key] = (line["seq"], line["hash"], text)
        return result

    def batch(self, directory, count, tag, prefix=(), env=None, shell_limit=None):
        path = os.path.join(self.workdir, "batch-%s.jsonl" % tag)
        with open(path, "w") as handle:
            for index in range(count):
                handle.write(common.event_line(common.note_event("%s %d %s" % (tag, index, "x" * 120))) + "\n")
        os.chmod(path, 0o644)
        args = ["append", "--ledger", directory, "--batch", path, "--json"]
        result = self.run(args, prefix, env, shell_limit)
        if result.status == 0:
            for line in result.json_lines():
                self.acked[directory][line["seq"]] = line["hash"]
        return result

    def key_for_nobody(self):
        """The operator's signer key as nobody can read it: a copy of nobody's own, mode 0600, in a
        directory of nobody's, outside every ledger (a key is its holder's file)."""
        if self.nobody_key is None:
            folder = os.path.join(self.workdir, "keys-nobody")
            os.makedirs(folder)
            self.nobody_key = os.path.join(folder, common.OPERATOR + ".key")
            shutil.copy(self.keyring.key(common.OPERATOR), self.nobody_key)
            os.chmod(self.nobody_key, 0o600)
            sh(["chown", "-R", "nobody:nogroup", folder])
            os.chmod(folder, 0o700)
        return self.nobody_key

    def run(self, args, prefix=(), env=None, shell_limit=None):
        env = dict(ENV, **(env or {}))
        if shell_limit:
            # bash's ulimit, then exec: the limit applies to our binary only.
            command = ["bash", "-c", 'ulimit %s; exec "$@"' % shell_limit, "limit", self.binary] + list(args)
            environment = common.environment(env)
            started = time.monotonic()
            completed = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment)
            return common.Result(command, completed.returncode, completed.stdout, completed.stderr,
                                 time.monotonic() - started)
        if prefix:
            environment = common.environment(dict(env, LEDGER_KEY=self.key_for_nobody()) if prefix == NOBODY else env)
            started = time.monotonic()
            completed = subprocess.run(list(prefix) + [self.binary] + list(args), stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, env=environment)
            return common.Result(args, completed.returncode, completed.stdout, completed.stderr,
                                 time.monotonic() - started)
        return common.run(self.binary, args, env=env)

    # ----- the checks every scenario shares -----

    def fault_result(self, scenario, result, before, directory, expected=(IO,), issue=None):
        """Checks one command run under the fault; returns a short description for the table."""
        after = common.read_log(directory)
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        message = message[-1] if message else ""
        problems = []
        if result.crashed:
            problems.append("CRASH (exit %d)" % result.status)
            self.crash_count += 1
            self.crash_known += bool(issue) and not self.known.strict
        elif result.status not in expected:
            problems.append("exit %d, expected %s" % (result.status, " or ".join(map(str, expected))))
        if result.status != 0 and not result.crashed and not message.startswith("ledger:"):
            problems.append("no 'ledger:' message")
        if result.status == 0:
            if not (after.startswith(before) and after.endswith(b"\n")):
                problems.append("the log changed other than by whole lines")
        elif after != before and not (issue and result.crashed):
            problems.append("the log changed (%d -> %d bytes)" % (len(before), len(after)))
        text = "; ".join(problems)
        if problems and issue:
            self.known.check(self.checks, False, issue, "%s: %s (%s)" % (scenario, text, message[:120]))
        else:
            if issue:
                self.known.probe(issue)
            self.checks.check(not problems, "%s: %s (%s)" % (scenario, text, message[:160]))
        shown = "exit %d" % result.status if not result.crashed else "CRASH %d" % result.status
        return shown, short(message), "unchanged" if after == before else (
            "+%d bytes" % (len(after) - len(before)))

    def recover(self, scenario, directory, prefix=()):
        """After the fix: the next append succeeds (repairing what is left), verify exits 0, nothing
        acknowledged is lost, acknowledged keys are found again."""
        result = self.append(directory, "after the fix of " + scenario, "FIX-%d" % len(self.rows), prefix)
        next_append = "ok" if result.status == 0 else "exit %d" % result.status
        self.checks.check(result.status == 0, "%s: the append after the fix failed: %s" % (scenario, result.describe()))
        verify = self.run(["verify", "--ledger", directory], prefix)
        self.checks.check(verify.status == 0, "%s: verify after the fix: %s" % (scenario, verify.describe()))
        listing = self.run(["log", "--ledger", directory, "--json"], prefix)
        by_seq = {json.loads(line)["seq"]: json.loads(line)["hash"] for line in listing.stdout.decode().splitlines()}
        lost = [seq for seq, digest in self.acked[directory].items() if by_seq.get(seq) != digest]
        self.checks.check(not lost, "%s: acknowledged records lost: %s" % (scenario, lost[:5]))
        self.lost += len(lost)
        for key, (seq, digest, text) in sorted(self.keys[directory].items())[:3]:
            again = self.append(directory, text, key, prefix)
            line = again.json_lines()[0] if again.status == 0 else {}
            self.checks.check(line.get("status") == "existing" and (line.get("seq"), line.get("hash")) == (seq, digest),
                              "%s: retry of key %s after the fix: %s" % (scenario, key, again.describe()))
        return next_append, "exit %d" % verify.status

    def stale_marker(self, directory):
        marker = os.path.join(directory, "append.pending")
        try:
            words = open(marker).read().split()
            return len(words) == 4 and int(words[1]) == os.path.getsize(os.path.join(directory, "log.jsonl"))
        except (OSError, ValueError):
            return False

    def row(self, scenario, fault, shown, next_append="-", verify="-"):
        self.rows.append([scenario, fault, shown[0], shown[1], shown[2], next_append, verify])

    # ----- scenarios -----

    def disk_full_batch(self, kind, leave_kib=0, scenario=None):
        mount = self.tmpfs("full-%s-%d" % (kind, leave_kib), "512k") if kind == "tmpfs" else \
            self.ext4("full-%s-%d" % (kind, leave_kib), 8)
        directory = self.new_ledger(os.path.join(mount, "ledger"))
        self.fill(mount, leave_kib)
        before = common.read_log(directory)
        result = self.batch(directory, 300, "full-%s" % kind)
        name = scenario or "disk full (%s): batch of 300" % kind
        shown = self.fault_result(name, result, before, directory)
        self.checks.check(not os.path.exists(os.path.join(directory, "torn")), name + ": torn/ created")
        self.unfill(mount)
        self.row(name, "ENOSPC", shown, *self.recover(name, directory))

    def disk_full_singles(self, kind):
        mount = self.tmpfs("singles-%s" % kind, "512k") if kind == "tmpfs" else self.ext4("singles-%s" % kind, 8)
        directory = self.new_ledger(os.path.join(mount, "ledger"))
        self.fill(mount, 64)
        name = "disk full (%s): single appends until one fails" % kind
        failed, shown, attempts = None, ("no failure", "", ""), 0
        for index in range(3000):
            before = common.read_log(directory)
            text, key = "filling %d %s" % (index, "y" * 200), "FILL-%d" % index
            result = self.append(directory, text, key)
            attempts += 1
            if result.status != 0:
                shown = self.fault_result(name, result, before, directory)
                failed = (text, key)
                break
        self.checks.check(failed is not None, name + ": the disk never filled up")
        self.unfill(mount)
        next_append, verify = self.recover(name, directory)
        if failed:
            retry = self.append(directory, *failed)
            ok = retry.status == 0 and retry.json_lines()[0]["status"] == "appended"
            self.checks.check(ok, "%s: retrying the refused key: %s" % (name, retry.describe()))
        self.row(name + " (%d appends)" % attempts, "ENOSPC", shown, next_append, verify)

    def disk_full_keyed(self, kind):
        """A full disk under keyed appends: the log's last block may still have room while the state
        snapshot saved after each append (with its idempotency keys) needs new blocks."""
        mount = self.tmpfs("keyed-%s" % kind, "512k") if kind == "tmpfs" else self.ext4("keyed-%s" % kind, 8)
        directory = self.new_ledger(os.path.join(mount, "ledger"), records=1)
        # dd, no fsync: on ext4 the log's last block keeps room, so the failure comes from the snapshot.
        for name, block in (("filler", "1k"), ("filler2", "512")):
            sh("dd if=/dev/zero of=%s bs=%s 2>/dev/null" % (os.path.join(mount, name), block), check=False)
        name = "disk full (%s): keyed appends, snapshot writes fail" % kind
        shown = ("no failure", "", "")
        outcomes = {}
        for index in range(12):
            before = common.read_log(directory)
            result = self.append(directory, "keyed on a full disk %d" % index, "FULL-%d" % index)
            outcome = "exit %d" % result.status if not result.crashed else "crash %d" % result.status
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            if result.status != 0:
                row = self.fault_result("%s #%d" % (name, index), result, before, directory)
                if shown[0] == "no failure" or result.crashed:
                    shown = row
        self.unfill(mount)
        summary = ", ".join("%s x%d" % item for item in sorted(outcomes.items()))
        self.row(name, "ENOSPC", (shown[0], summary + "; " + shown[1], shown[2]), *self.recover(name, directory))

    def disk_full_torn_tail(self):
        mount = self.tmpfs("torn", "512k")
        directory = self.new_ledger(os.path.join(mount, "ledger"))
        tail = b'{"actor":"OP-CAMPAIGN","effective":"2026-01-15","hash":"' + b"a" * 3000
        with open(os.path.join(directory, "log.jsonl"), "ab") as handle:
            handle.write(tail)
        self.fill(mount, 0)
        before = common.read_log(directory)
        name = "disk full (tmpfs): a torn tail to set aside"
        result = self.append(directory, "on a full disk with a torn tail")
        shown = self.fault_result(name, result, before, directory)
        self.unfill(mount)
        next_append, verify = self.recover(name, directory)
        folder = os.path.join(directory, "torn")
        torn = {n: open(os.path.join(folder, n), "rb").read() for n in os.listdir(folder)} if os.path.isdir(folder) else {}
        kept = [n for n, data in torn.items() if data == tail]
        self.checks.check(len(kept) == 1, "%s: the torn tail was not kept whole in torn/ (%s)" % (name, sorted(torn)))
        others = {n: len(data) for n, data in torn.items() if n not in kept}
        # Log-format section 6: torn/ holds the tails set aside; a copy that failed is not one.
        self.checks.check(not others, "%s: torn/ also holds %s (bytes), left by the copy that failed on the full "
                          "disk, under the name of the whole tail's hash" % (name, others))
        self.row(name, "ENOSPC", shown, next_append, verify)

    def disk_full_init(self):
        mount = self.tmpfs("init", "256k")
        self.fill(mount, 0)
        directory = os.path.join(mount, "ledger")
        name = "disk full (tmpfs): ledger init"
        result = self.run(["init", "--ledger", directory, "--origin", common.ORIGIN, "--name", "X"])
        problems = []
        if result.status != IO or result.crashed:
            problems.append("init on a full disk: %s" % result.describe())
        self.checks.check(not problems, name + ": " + "; ".join(problems))
        leftovers = sorted(os.listdir(directory)) if os.path.isdir(directory) else []
        self.unfill(mount)
        again = self.run(["init", "--ledger", directory, "--origin", common.ORIGIN, "--name", "X"])
        self.checks.check(again.status == 0, "%s: init after freeing space: %s (left behind: %s)"
                          % (name, again.describe(), leftovers))
        message = short(result.stderr.decode().strip())
        self.row(name, "ENOSPC", ("exit %d" % result.status, message, "left %s" % (leftovers or "nothing")),
                 "init again: exit %d" % again.status, "-")

    def read_only_fs(self):
        mount = self.tmpfs("readonly", "1m")
        directory = self.new_ledger(os.path.join(mount, "ledger"))
        sh(["mount", "-o", "remount,ro", mount])
        name = "read-only file system (remount ro)"
        before = common.read_log(directory)
        shown = self.fault_result(name, self.append(directory, "on a read-only fs"), before, directory)
        self.fault_result(name + ", batch", self.batch(directory, 10, "ro"), before, directory)
        verify = self.run(["verify", "--ledger", directory])
        self.checks.check(verify.status == 0, name + ": verify must still read it: " + verify.describe())
        # Since 12189cb checkpoint takes the writers' lock to repair first, so it needs write access:
        # exit 7 with a clear message is accepted, and shown.
        checkpoint = self.run(["checkpoint", "--ledger", directory])
        self.checks.check(checkpoint.status == 0 or (checkpoint.status == IO and checkpoint.stderr.startswith(b"ledger:")),
                          name + ": checkpoint: " + checkpoint.describe())
        self.read_only_checkpoint = "exit %d" % checkpoint.status
        sh(["mount", "-o", "remount,rw", mount])
        self.row(name, "EROFS", shown, *self.recover(name, directory))
        self.row("read-only file system: ledger verify / ledger checkpoint", "EROFS",
                 ("exit %d" % verify.status, "checkpoint: " + self.read_only_checkpoint + " " +
                  short(checkpoint.stderr.decode().strip()), "unchanged"))

    def permission_denied(self):
        directory = self.new_ledger(os.path.join(self.workdir, "perm"))
        if os.geteuid() == 0:
            self.need_setpriv()
            name, prefix = "permission denied (writer is nobody, ledger is root's)", NOBODY
        else:
            # Not root: permissions apply to us, so taking our own write permission away is enough.
            name, prefix = "permission denied (chmod a-w on the ledger)", ()
            for entry in os.listdir(directory):
                os.chmod(os.path.join(directory, entry), 0o555 if entry == "cache" else 0o444)
            os.chmod(directory, 0o555)
        before = common.read_log(directory)
        shown = self.fault_result(name, self.append(directory, "without permission", prefix=prefix), before, directory)
        verify = self.run(["verify", "--ledger", directory], prefix)
        self.checks.check(verify.status == 0, name + ": verify must still read it: " + verify.describe())
        if os.geteuid() == 0:
            sh(["chown", "-R", "nobody:nogroup", directory])
        else:
            sh(["chmod", "-R", "u+w", directory])
        self.row(name, "EACCES", shown, *self.recover(name, directory, prefix))

    def read_only_directory(self):
        self.need_setpriv()
        directory = self.new_ledger(os.path.join(self.workdir, "rodir"))
        for name in os.listdir(directory):
            sh(["chown", "-R", "nobody:nogroup", os.path.join(directory, name)])
        name = "read-only directory, writable files (nobody)"
        before = common.read_log(directory)
        shown = self.fault_result(name + ": single", self.append(directory, "single in a read-only dir", prefix=NOBODY),
                                  before, directory, expected=(0, IO))
        before = common.read_log(directory)
        shown_batch = self.fault_result(name + ": batch", self.batch(directory, 20, "rodir", prefix=NOBODY), before,
                                        directory, expected=(0, IO))
        sh(["chown", "nobody:nogroup", directory])
        next_append, verify = self.recover(name, directory, NOBODY)
        self.row(name + ": single", "EACCES", shown, "-", "-")
        self.row(name + ": batch", "EACCES", shown_batch, next_append, verify)

    def unwritable_cache(self):
        self.need_setpriv()
        directory = self.new_ledger(os.path.join(self.workdir, "cache"))
        sh(["chown", "nobody:nogroup", directory, os.path.join(directory, "log.jsonl"),
            os.path.join(directory, "ledger.lock")])
        name = "cache directory not writable (nobody)"
        before = common.read_log(directory)
        shown = self.fault_result(name, self.append(directory, "with a locked cache", "CACHE-1", prefix=NOBODY), before,
                                  directory, expected=(0, IO))
        sh(["chown", "-R", "nobody:nogroup", directory])
        self.row(name, "EACCES", shown, *self.recover(name, directory, NOBODY))

    def checkpoint_unwritable(self):
        self.need_setpriv()
        directory = self.new_ledger(os.path.join(self.workdir, "cpout"))
        sh(["chown", "-R", "nobody:nogroup", directory])  # the ledger is nobody's; only the output is not
        target = os.path.join(self.workdir, "cp-target")
        os.makedirs(target)
        name = "checkpoint --output into a directory nobody cannot write"
        result = self.run(["checkpoint", "--ledger", directory, "--output", os.path.join(target, "cp")], NOBODY)
        shown = self.fault_result(name, result, common.read_log(directory), directory)
        self.row(name, "EACCES", shown)

    def immutable(self, target_name, flag):
        mount = self.ext4("attr-%s-%s" % (target_name.replace("/", "-"), flag.strip("+")), 8)
        directory = self.new_ledger(os.path.join(mount, "ledger"))
        target = os.path.join(directory, target_name)
        self.checks.check(os.path.exists(target), "chattr %s: the ledger has no %s to protect" % (flag, target_name))
        if sh(["chattr", flag, target], check=False).returncode != 0:
            raise Skip("chattr not supported here")
        name = "chattr %s %s" % (flag, target_name)
        before = common.read_log(directory)
        # An append-only log (+a) takes appends: the writer opens it O_APPEND. Immutable: refused.
        # A cache that cannot be written is reported and ignored (Specs/reports.md section 6).
        if target_name == "log.jsonl":
            expected = (0,) if flag == "+a" else (IO,)
        else:
            expected = (0,)
        shown = self.fault_result(name, self.append(directory, "with chattr " + flag), before, directory, expected)
        self.fault_result(name + ", batch", self.batch(directory, 10, "attr"), common.read_log(directory), directory,
                          expected)
        sh(["chattr", flag.replace("+", "-"), target])
        self.row(name, "appends only" if flag == "+a" else "EPERM", shown, *self.recover(name, directory))

    def file_size_limit(self):
        directory = self.new_ledger(os.path.join(self.workdir, "fsize"))
        name = "file size limit (ulimit -f 64) during a batch"
        before = common.read_log(directory)
        result = self.batch(directory, 600, "fsize", shell_limit="-f 64")
        shown = self.fault_result(name, result, before, directory)
        self.row(name, "EFBIG/SIGXFSZ", shown, *self.recover(name, directory))

    def descriptor_limit(self):
        directory = self.new_ledger(os.path.join(self.workdir, "nofile"))
        name = "open files limit (ulimit -n 5)"
        before = common.read_log(directory)
        result = self.batch(directory, 20, "nofile", shell_limit="-n 5")
        shown = self.fault_result(name, result, before, directory, expected=(0, IO))
        self.row(name, "EMFILE", shown, *self.recover(name, directory))

    def need_setpriv(self):
        if shutil.which("setpriv") is None or os.geteuid() != 0:
            raise Skip("needs root and setpriv to act as an unprivileged user")


def main():
    parser = common.base_arguments(__doc__.split("\n")[0])
    parser.add_argument("--strict", action="store_true", help="known issues fail the campaign too")
    options = parser.parse_args()
    binary = common.find_binary(options.bin)
    workdir = common.make_workdir("resources", options.workdir)
    print("resource faults campaign: binary %s, work %s, running as uid %d" % (binary, workdir, os.geteuid()))
    checks, known = common.Checks(), KnownIssues(options.strict)
    campaign = Campaign(binary, workdir, checks, known)
    campaign.lost = 0
    scenarios = [
        ("disk full (tmpfs): batch", lambda: campaign.disk_full_batch("tmpfs")),
        ("disk full (tmpfs): marker fits, batch does not", lambda: campaign.disk_full_batch(
            "tmpfs", leave_kib=4, scenario="disk full (tmpfs): room for append.pending, not for the batch")),
        ("disk full (tmpfs): singles", lambda: campaign.disk_full_singles("tmpfs")),
        ("disk full (tmpfs): keyed appends", lambda: campaign.disk_full_keyed("tmpfs")),
        ("disk full (ext4): keyed appends", lambda: campaign.disk_full_keyed("ext4")),
        ("disk full (tmpfs): torn tail", campaign.disk_full_torn_tail),
        ("disk full (tmpfs): init", campaign.disk_full_init),
        ("disk full (ext4): batch", lambda: campaign.disk_full_batch("ext4")),
        ("disk full (ext4): singles", lambda: campaign.disk_full_singles("ext4")),
        ("read-only file system", campaign.read_only_fs),
        ("permission denied", campaign.permission_denied),
        ("read-only directory", campaign.read_only_directory),
        ("cache not writable", campaign.unwritable_cache),
        ("checkpoint output not writable", campaign.checkpoint_unwritable),
        ("chattr +i log", lambda: campaign.immutable("log.jsonl", "+i")),
        ("chattr +a log", lambda: campaign.immutable("log.jsonl", "+a")),
        ("chattr +i snapshots", lambda: campaign.immutable("cache/snapshots", "+i")),
        ("file size limit", campaign.file_size_limit),
        ("descriptor limit", campaign.descriptor_limit),
    ]
    skipped = []
    started = time.monotonic()
    try:
        for name, scenario in scenarios:
            try:
                scenario()
            except Skip as reason:
                skipped.append((name, str(reason)))
                campaign.rows.append([name, "skipped", "-", str(reason), "-", "-", "-"])
    finally:
        campaign.cleanup()
    seconds = time.monotonic() - started
    common.print_table("Resource faults: the error, the log after the fault, and after the fix",
                       ["scenario", "fault", "exit", "message", "log after fault", "next append", "verify"],
                       campaign.rows)
    ran = len(scenarios) - len(skipped)
    crashes = campaign.crash_count + campaign.known_traps
    unexpected = campaign.crash_count - campaign.crash_known
    rows = [["scenarios run / skipped", "%d / %d" % (ran, len(skipped))], ["acknowledged records lost", campaign.lost],
            ["crashes (all kinds) / not explained by a known issue", "%d / %d" % (crashes, unexpected)],
            ["seconds", "%.1f" % seconds]]
    common.print_table("Resource faults summary", ["what", "count"], rows)
    known_counts = known.report()
    totals = {"scenarios": len(scenarios), "ran": ran, "skipped": [name for name, _ in skipped],
              "acknowledged_lost": campaign.lost, "crashes": crashes, "crashes_unexpected": unexpected, "known_issues": known_counts,
              "seconds": round(seconds, 1)}
    return common.finish("resources", checks, totals, options.totals_file, workdir=workdir, keep=options.keep)


if __name__ == "__main__":
    sys.exit(main())

"""Bugs the campaigns found and that are not fixed yet.

A check tied to one of these ids still runs and is still reported, loudly, in the summary, but it
does not fail the campaign unless --strict is given (or CAMPAIGNS_STRICT=1). When the bug is
fixed, the campaign says "no longer reproduces": delete the entry here so the check is strict
again. Each entry gives the reproduction.
"""
import os

KNOWN_ISSUES = {
    # Found by these campaigns and fixed in 12189cb / 445d857 (kept in the report of issue 6):
    # K1 a stale append.pending trapped every later append; K3 a torn tail hid a truncation from
    # a checkpoint; K4 invalid UTF-8 in argv was silently replaced; K5 SIGXFSZ killed the writer;
    # K6 init left log.jsonl.new behind; K7 the mapped index died of SIGBUS on a full disk; K8
    # checkpoint certified the lines of an unfinished batch. K2 (damaged index slots can let a
    # retry append twice) is now a documented limitation (Specs/log-format.md, section 1).
    "K9-torn-copy-left":
        "A torn tail set aside on a full disk leaves an empty (or partial) file in torn/ named after "
        "the whole tail's hash: Recovery.setAside creates torn/tail-at-<offset>-<16 hex>.bin with "
        "O_EXCL, the write fails (ENOSPC, exit 7), and the file is not removed; the next writer finds "
        "the name taken and keeps the tail under tail-at-<offset>-<16 hex>-<random>.bin. Nothing is "
        "lost, but torn/ then holds a file whose name promises bytes it does not hold. Reproduce "
        "(root): mount -t tmpfs -o size=512k tmpfs T; init a ledger in T/L, append 3 notes; append "
        "3,000 bytes without a newline to T/L/log.jsonl; fill T (dd if=/dev/zero of=T/filler); append "
        "-> exit 7 and an empty torn/tail-at-...bin; rm T/filler; append -> exit 0, a second file "
        "tail-at-...-<random>.bin with the tail. Expected: the failed copy removed (as "
        "DirectoryHandle.writeAtomically removes its temporary file), one file in torn/. "
        "(resources.py, disk full: a torn tail to set aside)",
    "K10-verify-checkpoint-unfinished":
        "`ledger verify --checkpoint OLD` crashes (SIGILL, Swift precondition 'a consistency proof "
        "built from the log must verify', Sources/LedgerEngine/Proofs/ConsistencyEvidence.swift:52) "
        "when the log ends with an unfinished append (records after the last signed one, as a crash "
        "leaves them before the next writer rolls them back) and the checkpoint is smaller than the "
        "acknowledged records. Reproduce: init --simulated-clock; append a batch of 5 notes; "
        "checkpoint --output cp (6 records); append another batch of 5; copy log.jsonl keeping its "
        "first 9 lines (3 records of the second batch, unsigned); verify --ledger COPY --checkpoint cp "
        "-> exit 132 with a backtrace. Expected: the checkpoint holds (6 acknowledged records extend "
        "it), verdict UNFINISHED_BATCH at seq 6, exit 8, with the consistency evidence. Without "
        "--checkpoint the same log gives exit 8. (tamper.py, truncated inside an append after the "
        "older checkpoint)",
    "K11-reports-unfinished-append":
        "Reports fold the records of an unfinished append: version-2 records after the last signed "
        "one, never acknowledged (log-format section 10.3: the next writer rolls them back), are "
        "counted in `balances`, `fund status`, statements... (reports.md section 1: a concurrent "
        "append is seen wholly or not at all). So a crash in the middle of a batch, or an insider "
        "appending an unsigned line, makes every report print figures that the log does not hold "
        "(the bare `checkpoint` is right: it certifies the acknowledged records only). Reproduce: "
        "append to log.jsonl, by other means, a well-chained and hashed contribution.recorded of "
        "1,000,000.00 without `sig`; `verify` says UNFINISHED_BATCH (exit 8) and counts the records "
        "before it; `balances` prints the million (exit 0, 'figures folded from the log'). Expected: "
        "the reports fold the acknowledged records only. (insider.py, B: an unsigned contribution)",
    "K12-forged-append-trusted":
        "Nothing but `verify` checks the appends' signatures: a line forged by someone without the "
        "operator's key (chained and hashed, signed by another key, or with a signature copied from "
        "another append) is folded by every report (they print its figures, the bare checkpoint "
        "certifies it) and by the writers, so an honest operator's append that only the forged "
        "record allows is accepted (exit 0) and signed, and is then part of a log that fails "
        "verify (BAD_SIGNATURE at the forged line). Reproduce: on a fund whose last contribution "
        "is 20.00, append by other means a contribution.recorded VIR-FORGED of 1,000,000.00 in the "
        "treasurer's name, well chained, signed by a key of one's own (`ledger keygen`); `balances` "
        "prints the million; `contribution reverse --contribution VIR-FORGED --amount 500.00 ...` "
        "as the treasurer with her real key is appended (exit 0); `verify` -> BAD_SIGNATURE at the "
        "forged seq. Expected (Specs/trust.md 2.1-2.3): the writer (which knows the key registry) "
        "refuses to append onto an append whose signature fails, and reports refuse to print from "
        "it (as they refuse a record the rules refuse, exit 5), or at least say so. Trust.md does "
        "not promise this for readers today (10.5 accepts it for caches): a design decision to take. "
        "(insider.py, B)",
}


def strict_mode(flag=False):
    return flag or os.environ.get("CAMPAIGNS_STRICT") == "1"


class KnownIssues:
    """Tracks how often each known issue was seen in this run."""

    def __init__(self, strict=False):
        self.strict = strict_mode(strict)
        self.seen = {}
        self.probed = set()

    def probe(self, issue):
        """Marks that this run exercised the situation of `issue` (so a silence means 'fixed')."""
        assert issue in KNOWN_ISSUES, issue
        self.probed.add(issue)

    def hit(self, issue, detail=""):
        assert issue in KNOWN_ISSUES, issue
        self.probed.add(issue)
        self.seen.setdefault(issue, []).append(detail)

    def check(self, checks, condition, issue, message):
        """A check that belongs to a known issue: strict only in strict mode."""
        self.probe(issue)
        if condition:
            return True
        if self.strict:
            return checks.check(False, "[%s] %s" % (issue, message))
        self.hit(issue, message)
        return False

    def report(self):
        lines = []
        for issue in sorted(self.seen):
            details = self.seen[issue]
            lines.append("KNOWN ISSUE %s reproduced %d time(s), e.g. %s" % (issue, len(details), details[0][:200]))
            lines.append("    " + KNOWN_ISSUES[issue])
        for issue in sorted(self.probed - set(self.seen)):
            lines.append("known issue %s was exercised and did NOT reproduce: if it is fixed, remove it "
                         "from scripts/campaigns/known_issues.py" % issue)
        if lines:
            print()
            print("\n".join(lines))
        return {issue: len(details) for issue, details in self.seen.items()}

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
    # Found by the v2 campaigns and fixed since: K9 a torn tail's failed copy was left in torn/;
    # K10 verify --checkpoint crashed on an unfinished append; K11 reports folded an unfinished
    # append; K12 reports and writers trusted a forged (badly signed) append.
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

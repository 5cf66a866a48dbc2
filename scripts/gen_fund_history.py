#!/usr/bin/env python3
"""Writes a large, realistic, valid history of a fund for `ledger append --batch`, in chunks:
one file per (step, operator), named NNNNNN-OPERATOR.jsonl, to be appended in name order by
that operator, each file one append signed with that operator's key (scripts/check_hledger.sh,
scripts/bench_spine.sh, scripts/bench_projections.sh, scripts/bench_proofs.sh and
scripts/bench_trust.sh do it).

Usage: gen_fund_history.py EVENTS DIRECTORY KEYS [--chunk N] [--singles K] [--shape fund|mixed]
       gen_fund_history.py --operators      (the operators, founder first: one key pair each)

KEYS is a directory holding OPERATOR.pub, the public key of `ledger keygen`, for every operator
but the founder (whose key is the genesis's, given to `ledger init --key`): the history registers
each operator with their key. --chunk N: at most N events per file (default 100,000). --singles K:
every K-th of the back office's acts (applications, ballots opened and closed, decisions,
commitments, disbursements, repayments, refunds, write-offs, closes, notes) is a file of one
event, as people enter them one at a time (K = 1: every act), while bank-statement imports
(contributions), registrations, votes and memberships stay batches. A history of 1,000,000
events holds about 17,000 acts. --shape mixed: the shape of issue 14's history, where governance
and payments weigh as much as the gifts (about 40 % contributions, 25 % ballots, votes and
decisions, 25 % disbursements requested, approved and executed, the rest commitments,
repayments and refunds): 2,000 gifts and 40 ballot rounds a round instead of 20,000 and 5, and
commitments in 4 tranches instead of 2.

The shape of a fund like Operation Milliard: citizens' donations and membership fees (most of
the events), loans, apports and titres associatifs from social-economy financial actors,
subsidies and loans from public actors; projects applied for in departments, selected by
territorial committees, the board or the general assembly by ballot (with proxies and a
recusal now and then), committed in tranches, paid out (requested by a clerk, approved by the
secretary, executed by the treasurer), loans repaid, refunds, repayments to lenders, a
write-off, a yearly period close, the treasurer's bank reconciliation notes.

Deterministic (seeded), standard library only. It mirrors the rules of Specs/events.md closely
enough to write only valid events (ballot tallies are computed here, independently of the
ledger, which re-checks them). Writes the number of events to standard output."""
import base64, datetime, json, os, random, sys

R = random.Random(20260401)
ADMIN, TREASURER, SECRETARY, CLERK = "OP-FONDATEUR", "OP-TRESORIERE", "OP-SECRETAIRE", "OP-SAISIE"
OPERATORS = [ADMIN, TREASURER, SECRETARY, CLERK, "OP-CAC"]   # the founder first
# Entered one at a time by the back office (--singles): one append each.
ACTS = {"project.applied", "ballot.opened", "ballot.closed", "decision.recorded", "commitment.made",
        "disbursement.requested", "disbursement.approved", "disbursement.executed", "repayment.received",
        "contribution.reversed", "lender.repaid", "loan.written_off", "period.closed", "note.recorded"}
REGIONS = {"FR-BRE": ["FR-29", "FR-35", "FR-22", "FR-56"], "FR-IDF": ["FR-75", "FR-93", "FR-94", "FR-92"],
           "FR-OCC": ["FR-31", "FR-34", "FR-11", "FR-66"], "FR-ARA": ["FR-69", "FR-38", "FR-42", "FR-73"]}


def rules(quorum, majority, proxies, amount_max, abstentions="excluded"):
    return {"abstentions": abstentions, "amount_max": amount_max, "blanks": "excluded", "majority": majority,
            "proxies_max": proxies, "quorum": {"den": quorum[1], "num": quorum[0]}}


def public_key(path):
    """The base64 of the 32 key bytes of a `ledger keygen` .pub file ("NAME+KEYID+base64(0x01 || key)"),
    as operator.registered holds it (Specs/events.md). The name has no '+' and the key ID is hex, so
    the key is what follows the second '+' (the base64 itself may hold '+')."""
    text = open(path, encoding="utf-8").read().strip()
    key = base64.b64decode(text.split("+", 2)[2], validate=True)
    assert len(key) == 33 and key[0] == 1, path
    return base64.b64encode(key[1:]).decode()


class History:
    # Per round: gifts, then governance rounds (each an institutional round and a ballot round).
    # Gifts and governance rounds a round, tranches a commitment, days a round at 1,000,000 events
    # (a round of the mixed shape holds about a quarter of the events of the fund's).
    SHAPES = {"fund": (20000, 5, 2, 18), "mixed": (2000, 40, 4, 4)}

    def __init__(self, target, directory, chunk, keys, singles, shape="fund"):
        self.target, self.directory, self.chunk, self.keys, self.singles = target, directory, chunk, keys, singles
        self.gifts_per_round, self.governance_rounds, self.tranches, self.round_days = self.SHAPES[shape]
        self.acts = 0                                 # acts seen by flush(), for --singles K
        self.count, self.files, self.step = 1, 0, 0   # the genesis record, written by `ledger init`
        self.batches = {}                             # operator -> events of the current step
        self.day = datetime.date(2024, 3, 28)
        self.cash = {}                                # fund -> available money (minor units)
        self.members, self.persons, self.orgs, self.financial, self.public = {}, [], [], [], []
        self.next_id = {}
        self.loans_made = []                          # [commitment, fund, outstanding]
        self.loans_received = []                      # [ref, fund, remaining]
        self.donations = []                           # recent (ref, fund, amount), refund candidates
        self.pending = []                             # decisions waiting for a commitment
        self.commitments = []                         # [commitment, fund, tranches, next tranche, instrument]
        self.requests = []                            # disbursements requested, to approve
        self.approved = []                            # disbursements approved, to execute
        self.closed_through = None

    def fresh(self, prefix):
        self.next_id[prefix] = self.next_id.get(prefix, 0) + 1
        return "%s-%06d" % (prefix, self.next_id[prefix])

    def date(self):
        return self.day.isoformat()

    def ev(self, actor, type_, **payload):
        self.batches.setdefault(actor, []).append(
            {"type": type_, "effective": self.date(), "payload": payload})
        self.count += 1

    def flush(self):
        """Writes the step's batches in a fixed operator order: clerk, secretary, treasurer, admin."""
        os.makedirs(self.directory, exist_ok=True)
        for operator in [ADMIN, CLERK, SECRETARY, TREASURER]:
            events = self.batches.pop(operator, [])
            run = []                                  # consecutive events of one append
            for event in events:
                alone = False
                if self.singles and event["type"] in ACTS:
                    alone = self.acts % self.singles == 0
                    self.acts += 1
                if alone:
                    self.write(operator, run)
                    self.write(operator, [event])
                    run = []
                else:
                    run.append(event)
                    if len(run) == self.chunk:
                        self.write(operator, run)
                        run = []
            self.write(operator, run)
        assert not self.batches

    def write(self, operator, events):
        if not events:
            return
        self.files += 1
        name = "%06d-%s.jsonl" % (self.files, operator)
        with open(os.path.join(self.directory, name), "w", encoding="utf-8") as out:
            for event in events:
                out.write(json.dumps(event, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n")

    # -- the world --------------------------------------------------------------------------
    def structure(self):
        for operator, role in [(TREASURER, "treasurer"), (SECRETARY, "secretary"), (CLERK, "clerk"), ("OP-CAC", "auditor")]:
            self.ev(ADMIN, "operator.registered", operator=operator, role=role, key=self.keys[operator])
        self.ev(ADMIN, "territory.defined", code="FR", name="France")
        for region, departments in sorted(REGIONS.items()):
            self.ev(ADMIN, "territory.defined", code=region, name="Région " + region[3:], parent="FR")
            for department in departments:
                self.ev(ADMIN, "territory.defined", code=department, name="Département " + department[3:], parent=region)
        funds = [("citoyens", "citizens", ["donation", "membership_fee"], ["grant", "loan"], None),
                 ("ess", "financial", ["apport", "investment", "loan_received", "titre_associatif"], ["investment", "loan"], None),
                 ("public", "public", ["loan_received", "subsidy"], ["grant", "loan"], None)]
        for region in sorted(REGIONS):
            funds.append(("citoyens-" + region[3:], "citizens", ["donation"], ["grant"], region))
        for fund, pool, accepts, uses, territory in funds:
            payload = {"accepts": accepts, "fund": fund, "name": "Fonds " + fund, "pool": pool, "uses": uses}
            if territory:
                payload["territory"] = territory
            self.ev(ADMIN, "fund.opened", **payload)
            self.cash[fund] = 0
        self.funds = {fund: (uses, territory) for fund, _, _, uses, territory in funds}
        self.ev(ADMIN, "body.constituted", body="AG", kind="general_assembly", name="Assemblée générale",
                rules=rules((1, 4), "simple", 2, 500_000_000))
        self.ev(ADMIN, "body.constituted", body="CA", kind="board", name="Conseil d'administration",
                rules=rules((1, 2), "absolute", 1, 50_000_000))
        for region in sorted(REGIONS):
            self.ev(ADMIN, "body.constituted", body="CT-" + region[3:], kind="territorial_committee",
                    name="Comité " + region[3:], territory=region, rules=rules((1, 2), "simple", 1, 20_000_000, "counted"))
        self.flush()

    def parties(self, persons):
        for _ in range(persons):
            party = self.fresh("P")
            self.ev(CLERK, "party.registered", party=party, kind="person")
            self.persons.append(party)
        for kind, bucket, count in [("organisation", self.orgs, 40), ("financial_actor", self.financial, 8),
                                    ("public_actor", self.public, 5)]:
            for _ in range(count):
                party = self.fresh({"organisation": "ORG", "financial_actor": "FIN", "public_actor": "PUB"}[kind])
                self.ev(CLERK, "party.registered", party=party, kind=kind)
                bucket.append(party)
        self.flush()
        bodies = [("AG", 120), ("CA", 12)] + [("CT-" + region[3:], 9) for region in sorted(REGIONS)]
        for body, size in bodies:
            self.members[body] = sorted(R.sample(self.persons, size))
            for party in self.members[body]:
                self.ev(SECRETARY, "body.member_added", body=body, party=party)
        self.flush()

    # -- money in --------------------------------------------------------------------------
    def contribute(self, operator, party, fund, instrument, amount):
        ref = self.fresh("VIR")
        self.ev(operator, "contribution.recorded", party=party, fund=fund, instrument=instrument, amount=amount, ref=ref)
        self.cash[fund] += amount
        return ref

    def donations_round(self, count):
        regional = ["citoyens-" + region[3:] for region in sorted(REGIONS)]
        for _ in range(count):
            party = R.choice(self.persons)
            if R.random() < 0.1:
                self.contribute(CLERK, party, "citoyens", "membership_fee", 2000)
            else:
                fund = "citoyens" if R.random() < 0.6 else R.choice(regional)
                amount = R.choice([1000, 2000, 5000, 5000, 10000, 20000, 50000])
                ref = self.contribute(CLERK, party, fund, "donation", amount)
                if R.random() < 0.02:
                    self.donations.append((ref, fund, amount))

    def institutional_round(self):
        for _ in range(2):
            party = R.choice(self.financial)
            instrument = R.choice(["apport", "investment", "loan_received", "titre_associatif"])
            amount = R.randrange(50, 500) * 1_000_00
            ref = self.contribute(TREASURER, party, "ess", instrument, amount)
            if instrument != "investment":
                self.loans_received.append([ref, "ess", amount])
        amount = R.randrange(100, 1000) * 1_000_00
        self.contribute(TREASURER, R.choice(self.public), "public", "subsidy", amount)

    def money_back(self):
        while self.donations and R.random() < 0.8:
            ref, fund, amount = self.donations.pop()
            if self.cash[fund] >= amount:
                self.ev(TREASURER, "contribution.reversed", contribution=ref, amount=amount,
                        reason=R.choice(["refund", "duplicate", "correction"]), ref=self.fresh("RBT"))
                self.cash[fund] -= amount
        if self.loans_received and R.random() < 0.3:
            loan = self.loans_received[0]
            amount = min(loan[2], R.randrange(10, 100) * 1_000_00)
            if self.cash[loan[1]] >= amount:
                self.ev(TREASURER, "lender.repaid", contribution=loan[0], amount=amount, ref=self.fresh("RBL"))
                self.cash[loan[1]] -= amount
                loan[2] -= amount
                if loan[2] == 0:
                    self.loans_received.pop(0)

    # -- governance -------------------------------------------------------------------------
    def ballot_round(self):
        """One project per committee and one for the board: applied, voted on, decided."""
        regions = sorted(REGIONS)
        for body in ["CA"] + ["CT-" + region[3:] for region in regions]:
            region = R.choice(regions) if body == "CA" else "FR-" + body[3:]
            territory = R.choice(REGIONS[region])
            fund, instrument = self.choose_fund(body, region)
            project, amount = self.fresh("PRJ"), R.randrange(20, 200) * 1_000_00
            self.ev(CLERK, "project.applied", project=project, organisation=R.choice(self.orgs), territory=territory,
                    instrument=instrument, amount=amount)
            granted = min(amount, self.cash[fund] // 4)
            if granted < 1_000_00:
                continue
            self.vote(body, {"kind": "fund_project", "project": project, "fund": fund, "amount": granted},
                      (project, fund, granted, instrument))

    def choose_fund(self, body, region):
        if body == "CA":
            return R.choice([("ess", "loan"), ("public", "grant"), ("citoyens", "loan"), ("ess", "investment")])
        return R.choice([("citoyens-" + region[3:], "grant"), ("citoyens", "grant"), ("public", "loan")])

    def vote(self, body, motion, funding):
        ballot, decision = self.fresh("B"), self.fresh("D")
        electorate = self.members[body]
        self.ev(SECRETARY, "ballot.opened", ballot=ballot, body=body, motion=motion)
        counts = {"for": 0, "against": 0, "abstain": 0, "blank": 0, "electorate": len(electorate), "recused": 0, "by_proxy": 0}
        proxy = len(electorate) > 3 and R.random() < 0.3
        voters = electorate[1:] if proxy else electorate
        if proxy:
            self.ev(SECRETARY, "proxy.granted", ballot=ballot, grantor=electorate[0], holder=electorate[1])
        if len(electorate) > 3 and R.random() < 0.1:
            # The last member stands aside (neither grantor nor holder): out of the quorum's base.
            self.ev(SECRETARY, "recusal.recorded", ballot=ballot, party=electorate[-1])
            counts["recused"] = 1
            voters = voters[:-1]
        for voter in voters:
            if R.random() < 0.15:
                continue
            choice = "for" if R.random() < 0.8 else R.choice(["against", "abstain"])
            self.ev(SECRETARY, "vote.cast", ballot=ballot, voter=voter, choice=choice)
            counts[choice] += 1
            if proxy and voter == electorate[1]:
                counts[choice] += 1
                counts["by_proxy"] = 1
        self.ev(SECRETARY, "ballot.closed", ballot=ballot)
        participants = counts["for"] + counts["against"] + counts["abstain"] + counts["blank"]
        rule = {"AG": (1, 4, "simple", "excluded"), "CA": (1, 2, "absolute", "excluded")}.get(body, (1, 2, "simple", "counted"))
        base = counts["electorate"] - counts["recused"]
        quorum = participants > 0 and participants * rule[1] >= base * rule[0]
        counted = counts["for"] + counts["against"] + (counts["abstain"] if rule[3] == "counted" else 0)
        majority = counts["for"] > counts["against"] if rule[2] == "simple" else counts["for"] * 2 > counted
        adopted = quorum and majority
        self.ev(SECRETARY, "decision.recorded", decision=decision, ballot=ballot, tally=counts, quorum_met=quorum,
                adopted=adopted)
        if adopted and funding:
            self.pending.append((decision,) + funding)
        return adopted

    # -- money out --------------------------------------------------------------------------
    def commit(self):
        for decision, project, fund, amount, instrument in self.pending:
            if self.cash[fund] < amount:
                continue
            commitment = "C" + decision[1:]
            part = amount // self.tranches
            tranches = [part] * (self.tranches - 1) + [amount - part * (self.tranches - 1)]
            self.ev(TREASURER, "commitment.made", commitment=commitment, decision=decision, project=project, fund=fund,
                    amount=amount, tranches=tranches)
            self.cash[fund] -= amount
            self.commitments.append([commitment, fund, tranches, 0, instrument])
        self.pending = []

    def request(self):
        for commitment in self.commitments:
            name, fund, tranches, index, instrument = commitment
            if index < len(tranches) and R.random() < 0.5:
                disbursement = self.fresh("DSB")
                self.ev(CLERK, "disbursement.requested", disbursement=disbursement, commitment=name, tranche=index + 1,
                        amount=tranches[index])
                self.requests.append((disbursement, name, fund, tranches[index], instrument))
                commitment[3] += 1
        self.commitments = [c for c in self.commitments if c[3] < len(c[2])]

    def approve(self):
        for request in self.requests:
            self.ev(SECRETARY, "disbursement.approved", disbursement=request[0])
            self.approved.append(request)
        self.requests = []

    def execute(self):
        for disbursement, commitment, fund, amount, instrument in self.approved:
            self.ev(TREASURER, "disbursement.executed", disbursement=disbursement, ref=self.fresh("VIR-OUT"))
            if instrument == "loan":
                self.loans_made.append([commitment, fund, amount])
        self.approved = []
        for loan in self.loans_made:
            if loan[2] > 0 and R.random() < 0.2:
                amount = min(loan[2], R.randrange(1, 20) * 1_000_00)
                self.ev(TREASURER, "repayment.received", commitment=loan[0], amount=amount, ref=self.fresh("ECH"))
                self.cash[loan[1]] += amount
                loan[2] -= amount
        self.loans_made = [loan for loan in self.loans_made if loan[2] > 0]

    def write_off(self):
        if not self.loans_made:
            return
        loan = self.loans_made[0]
        amount = min(loan[2], 1_000_00)
        if self.vote("CA", {"kind": "write_off", "commitment": loan[0], "amount": amount}, None):
            self.flush()
            self.ev(TREASURER, "loan.written_off", commitment=loan[0], decision="D-%06d" % self.next_id["D"], amount=amount)
            loan[2] -= amount

    def advance(self, days):
        before = self.day
        self.day += datetime.timedelta(days=days)
        if self.day.year != before.year:
            # A new year: close the last one (effective after its end, Specs/events.md I10).
            self.ev(TREASURER, "period.closed", through="%d-12-31" % before.year)

    def run(self):
        self.structure()
        self.parties(max(200, self.target // 50))
        rounds = 0
        while self.count < self.target:
            rounds += 1
            # Two and a half weeks: about 20,000 donations, then governance and payments. Few,
            # large batches: each `ledger append` folds the log's tail and reloads the state.
            self.donations_round(min(self.gifts_per_round, max(1, self.target - self.count - 2000)))
            for _ in range(self.governance_rounds):
                self.institutional_round()
                self.ballot_round()
            self.request()
            self.flush()
            self.approve()
            self.money_back()
            self.flush()
            self.commit()
            self.execute()
            self.ev(TREASURER, "note.recorded", text="Rapprochement bancaire au %s effectué" % self.date())
            if rounds % 3 == 0:
                self.ev(SECRETARY, "note.recorded", text="Procès-verbaux des comités du %s archivés" % self.date())
            self.flush()
            if rounds % 6 == 0:
                self.write_off()
                self.flush()
            # 18 days a round up to 1,000,000 events (about 29 months from March 2024); a larger
            # history packs its rounds closer so that it still ends by late 2026: a ledger that
            # records the system clock refuses a period close recorded before the period ends.
            self.advance(max(1, min(self.round_days, self.round_days * 1_000_000 // self.target)))
            self.flush()
        return self.count


def main():
    args = sys.argv[1:]
    if args == ["--operators"]:
        print("\n".join(OPERATORS))
        return
    chunk = 100_000
    if "--chunk" in args:
        at = args.index("--chunk")
        chunk = int(args[at + 1])
        del args[at:at + 2]
    singles = 0
    if "--singles" in args:
        at = args.index("--singles")
        singles = int(args[at + 1])
        del args[at:at + 2]
    shape = "fund"
    if "--shape" in args:
        at = args.index("--shape")
        shape = args[at + 1]
        del args[at:at + 2]
    if len(args) != 3 or chunk < 1 or singles < 0 or shape not in History.SHAPES:
        sys.exit(__doc__.split("\n\n")[1])
    target, directory, keys = int(args[0]), args[1], args[2]
    keys = {operator: public_key(os.path.join(keys, operator + ".pub")) for operator in OPERATORS[1:]}
    count = History(target, directory, chunk, keys, singles, shape).run()
    print(count)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes the demo's history as JSON Lines batches for `ledger append --batch`, one file per step:
NN-OPERATOR.jsonl, to be appended in name order by that operator (scripts/demo.sh does it).
Usage: demo_history.py BATCH-DIRECTORY KEY-DIRECTORY (the operators' .pub files of `ledger keygen`).

A fund like Operation Milliard: citizens' donations across regions, loans and investments from
social-economy financial actors, public subsidies, investments and loans, a general assembly,
a board and territorial committees selecting projects by ballot (with a proxy, a recusal and a
ballot that fails its quorum), commitments in tranches, disbursements, a loan repaid, a refund.

Deterministic (seeded), standard library only. It mirrors the rules of Specs/events.md closely
enough to write only valid events: ballot tallies are recomputed here independently of the
ledger, which then re-checks them (I6.tally)."""
import json, os, random, sys

R = random.Random(20240326)
EUR = 100  # minor units per euro

ADMIN, TREASURER, TREASURER2 = "OP-FONDATEUR", "OP-TRESORIERE", "OP-TRESORIER-ADJ"
SECRETARY, CLERK, CLERK2, AUDITOR = "OP-SECRETAIRE", "OP-SAISIE-1", "OP-SAISIE-2", "OP-CAC"

REGIONS = {"FR-ARA": "Auvergne-Rhône-Alpes", "FR-BFC": "Bourgogne-Franche-Comté", "FR-BRE": "Bretagne",
           "FR-CVL": "Centre-Val de Loire", "FR-COR": "Corse", "FR-GES": "Grand Est", "FR-HDF": "Hauts-de-France",
           "FR-IDF": "Île-de-France", "FR-NOR": "Normandie", "FR-NAQ": "Nouvelle-Aquitaine", "FR-OCC": "Occitanie",
           "FR-PDL": "Pays de la Loire", "FR-PAC": "Provence-Alpes-Côte d'Azur"}
DEPARTMENTS = {"FR-29": ("Finistère", "FR-BRE"), "FR-35": ("Ille-et-Vilaine", "FR-BRE"), "FR-75": ("Paris", "FR-IDF"),
               "FR-93": ("Seine-Saint-Denis", "FR-IDF"), "FR-31": ("Haute-Garonne", "FR-OCC"), "FR-34": ("Hérault", "FR-OCC"),
               "FR-69": ("Rhône", "FR-ARA"), "FR-38": ("Isère", "FR-ARA"), "FR-59": ("Nord", "FR-HDF"), "FR-33": ("Gironde", "FR-NAQ")}
COMMITTEES = {"CT-BRE": "FR-BRE", "CT-IDF": "FR-IDF", "CT-OCC": "FR-OCC", "CT-ARA": "FR-ARA"}


class Batches:
    def __init__(self, directory):
        self.directory, self.steps = directory, []

    def step(self, operator):
        self.steps.append((operator, []))
        return self.steps[-1][1]

    def write(self):
        os.makedirs(self.directory, exist_ok=True)
        for number, (operator, events) in enumerate(self.steps, 1):
            with open(os.path.join(self.directory, "%02d-%s.jsonl" % (number, operator)), "w", encoding="utf-8") as out:
                for event in events:
                    out.write(json.dumps(event, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n")


def ev(events, type_, effective, **payload):
    events.append({"type": type_, "effective": effective, "payload": payload})


def day(start_ordinal, span):
    import datetime
    return (datetime.date.fromordinal(start_ordinal + R.randrange(span))).isoformat()


def ordinal(text):
    import datetime
    return datetime.date.fromisoformat(text).toordinal()


class Fund:
    def __init__(self):
        self.cash = self.reserved = 0

    @property
    def available(self):
        return self.cash - self.reserved


def tally(ballot):
    """Specs/events.md, section 5: each non-recused member once, by their vote or their proxy holder's."""
    t = {"for": 0, "against": 0, "abstain": 0, "blank": 0, "electorate": len(ballot["electorate"]),
         "recused": len(ballot["recused"]), "by_proxy": 0}
    for member in ballot["electorate"]:
        if member in ballot["recused"]:
            continue
        if member in ballot["votes"]:
            t[ballot["votes"][member]] += 1
        elif member in ballot["proxies"] and ballot["proxies"][member] in ballot["votes"]:
            t[ballot["votes"][ballot["proxies"][member]]] += 1
            t["by_proxy"] += 1
    rules = ballot["rules"]
    base = t["electorate"] - t["recused"]
    participants = t["for"] + t["against"] + t["abstain"] + t["blank"]
    num, den = rules["quorum"]["num"], rules["quorum"]["den"]
    quorum = participants > 0 and participants * den >= base * num
    counted = t["for"] + t["against"] + (t["abstain"] if rules["abstentions"] == "counted" else 0) \
        + (t["blank"] if rules["blanks"] == "counted" else 0)
    majority = {"simple": t["for"] > t["against"], "absolute": t["for"] * 2 > counted,
                "two_thirds": counted > 0 and t["for"] * 3 >= counted * 2,
                "three_quarters": counted > 0 and t["for"] * 4 >= counted * 3}[rules["majority"]]
    return t, quorum, quorum and majority


def rules(quorum, majority, proxies, amount_max, abstentions="excluded", blanks="excluded"):
    return {"abstentions": abstentions, "amount_max": amount_max * EUR, "blanks": blanks, "majority": majority,
            "proxies_max": proxies, "quorum": {"den": quorum[1], "num": quorum[0]}}


class History:
    def __init__(self, batches):
        self.batches = batches
        self.funds = {}
        self.bodies = {}
        self.ballots = {}
        self.decisions = {}
        self.commitments = {}
        self.contributions = []
        self.reference = 0
        self.members = {}

    def ref(self, prefix, year):
        self.reference += 1
        return "%s-%d-%06d" % (prefix, year, self.reference)

    # --- step 1: the administrator sets up operators, territories, funds and bodies.
    def structure(self):
        e = self.batches.step(ADMIN)
        for operator, role in [(TREASURER, "treasurer"), (TREASURER2, "treasurer"), (SECRETARY, "secretary"),
                               (CLERK, "clerk"), (CLERK2, "clerk"), (AUDITOR, "auditor")]:
            ev(e, "operator.registered", "2024-03-26", operator=operator, role=role, key=self.keys[operator])
        ev(e, "territory.defined", "2024-03-26", code="FR", name="France")
        for code, name in REGIONS.items():
            ev(e, "territory.defined", "2024-03-26", code=code, name=name, parent="FR")
        for code, (name, region) in DEPARTMENTS.items():
            ev(e, "territory.defined", "2024-03-26", code=code, name=name, parent=region)
        funds = [("citoyens", "Fondation citoyenne", "citizens", ["donation", "membership_fee"], ["grant", "loan", "investment"], None),
                 ("ess", "Acteurs financiers de l'ESS", "financial", ["loan_received", "investment", "titre_associatif", "apport"],
                  ["loan", "investment"], None),
                 ("public", "Acteurs publics", "public", ["subsidy", "loan_received", "investment"], ["grant", "loan", "investment"], None),
                 ("public-BRE", "Région Bretagne", "public", ["subsidy"], ["grant", "loan"], "FR-BRE")]
        for region in ["BRE", "IDF", "OCC", "ARA"]:
            funds.append(("citoyens-" + region, "Fondation citoyenne, " + REGIONS["FR-" + region], "citizens",
                          ["donation"], ["grant"], "FR-" + region))
        for fund, name, pool, accepts, uses, territory in funds:
            payload = dict(fund=fund, name=name, pool=pool, accepts=accepts, uses=uses)
            if territory:
                payload["territory"] = territory
            ev(e, "fund.opened", "2024-03-28", **payload)
            self.funds[fund] = Fund()
        self.constitute(e, "AG", "general_assembly", "Assemblée générale", None, rules((1, 4), "simple", 2, 5_000_000))
        self.constitute(e, "CA", "board", "Conseil d'administration", None, rules((1, 2), "absolute", 1, 500_000))
        for committee, territory in COMMITTEES.items():
            self.constitute(e, committee, "territorial_committee", "Comité territorial " + REGIONS[territory], territory,
                            rules((1, 2), "simple", 1, 150_000, abstentions="counted"))

    def constitute(self, e, body, kind, name, territory, statutes):
        payload = dict(body=body, kind=kind, name=name, rules=statutes)
        if territory:
            payload["territory"] = territory
        ev(e, "body.constituted", "2024-03-28", **payload)
        self.bodies[body] = {"rules": statutes, "members": []}

    # --- step 2: the clerk registers parties (pseudonymous) and project applications.
    def parties(self):
        e = self.batches.step(CLERK)
        self.citizens = ["P-%05d" % n for n in range(1, 2601)]
        self.financial = ["FIN-%02d" % n for n in range(1, 13)]
        self.public = ["PUB-ETAT", "PUB-BPI", "PUB-CDC", "PUB-REG-BRE", "PUB-REG-IDF", "PUB-REG-OCC", "PUB-REG-ARA"]
        self.organisations = ["ORG-%03d" % n for n in range(1, 37)]
        for kind, parties in [("person", self.citizens), ("financial_actor", self.financial),
                              ("public_actor", self.public), ("organisation", self.organisations)]:
            for party in parties:
                ev(e, "party.registered", day(ordinal("2024-03-26"), 60), party=party, kind=kind)
        self.projects = {}
        plan = [("PRJ-29-01", "FR-29", "grant", 20_000), ("PRJ-35-01", "FR-35", "loan", 150_000),
                ("PRJ-93-01", "FR-93", "grant", 30_000), ("PRJ-75-01", "FR-75", "investment", 140_000),
                ("PRJ-31-01", "FR-31", "loan", 90_000), ("PRJ-34-01", "FR-34", "grant", 12_000),
                ("PRJ-69-01", "FR-69", "loan", 450_000), ("PRJ-69-02", "FR-69", "grant", 25_000),
                ("PRJ-59-01", "FR-59", "investment", 300_000), ("PRJ-33-01", "FR-33", "loan", 2_500_000),
                ("PRJ-38-01", "FR-38", "loan", 60_000), ("PRJ-35-02", "FR-35", "grant", 8_000)]
        for number, (project, territory, instrument, amount) in enumerate(plan):
            self.projects[project] = (territory, instrument, amount)
            ev(e, "project.applied", day(ordinal("2024-05-01"), 90), project=project, organisation=self.organisations[number],
               territory=territory, instrument=instrument, amount=amount * EUR)

    # --- step 3: the treasurer records the money received in 2024.
    def contributions_2024(self):
        e = self.batches.step(TREASURER)
        citizen_funds = ["citoyens"] * 5 + ["citoyens-BRE", "citoyens-IDF", "citoyens-OCC", "citoyens-ARA"] * 2
        for _ in range(3000):
            self.receive(e, R.choice(self.citizens), R.choice(citizen_funds), "donation",
                         R.choice([10, 15, 20, 20, 30, 50, 50, 50, 100, 100, 150, 200, 500]) * EUR + R.choice([0, 0, 0, 50]),
                         day(ordinal("2024-03-26"), 250), "VIR")
        self.assembly = R.sample(self.citizens, 400)
        for member in self.assembly:
            self.receive(e, member, "citoyens", "membership_fee", 20 * EUR, day(ordinal("2024-04-01"), 120), "COT")
        for actor, instrument, millions in [("FIN-01", "loan_received", 8), ("FIN-02", "loan_received", 6), ("FIN-03", "titre_associatif", 3),
                                            ("FIN-04", "investment", 5), ("FIN-05", "apport", 2), ("FIN-06", "loan_received", 7),
                                            ("FIN-07", "investment", 4), ("FIN-08", "loan_received", 10), ("FIN-09", "titre_associatif", 2)]:
            self.receive(e, actor, "ess", instrument, millions * 1_000_000 * EUR, day(ordinal("2024-05-01"), 150), "VIR")
        for actor, fund, instrument, amount in [("PUB-ETAT", "public", "subsidy", 20_000_000), ("PUB-BPI", "public", "investment", 15_000_000),
                                                ("PUB-CDC", "public", "loan_received", 40_000_000), ("PUB-REG-BRE", "public-BRE", "subsidy", 1_500_000),
                                                ("PUB-REG-IDF", "public", "subsidy", 3_000_000), ("PUB-REG-OCC", "public", "subsidy", 2_000_000)]:
            self.receive(e, actor, fund, instrument, amount * EUR, day(ordinal("2024-06-01"), 120), "SUB" if instrument == "subsidy" else "VIR")

    def receive(self, e, party, fund, instrument, amount, effective, prefix):
        reference = self.ref(prefix, int(effective[:4]))
        ev(e, "contribution.recorded", effective, party=party, fund=fund, instrument=instrument, amount=amount, ref=reference)
        self.funds[fund].cash += amount
        self.contributions.append((reference, party, fund, instrument, amount))

    # --- step 4: the secretary runs the bodies: members, interests, ballots, decisions.
    def governance_2024(self):
        e = self.batches.step(SECRETARY)
        self.join(e, "AG", self.assembly, "2024-06-15")
        self.join(e, "CA", self.assembly[:12], "2024-06-20")
        pool = [c for c in self.citizens if c not in self.assembly[:12]]
        for number, committee in enumerate(COMMITTEES):
            self.join(e, committee, pool[number * 9:(number + 1) * 9], "2024-06-25")
        conflicted = self.bodies["CT-BRE"]["members"][3]
        ev(e, "interest.declared", "2024-09-02", party=conflicted, project="PRJ-29-01")
        fund = lambda project, fund_, amount: {"kind": "fund_project", "project": project, "fund": fund_, "amount": amount * EUR}
        self.vote(e, "B-2024-CTBRE-01", "CT-BRE", fund("PRJ-29-01", "citoyens-BRE", 18_000), "2024-09-12", 0.8, 0.8,
                  proxies=1, recused=[conflicted])
        self.vote(e, "B-2024-CTBRE-02", "CT-BRE", fund("PRJ-35-01", "public-BRE", 120_000), "2024-09-12", 0.9, 0.7)
        self.vote(e, "B-2024-CTIDF-01", "CT-IDF", fund("PRJ-93-01", "citoyens-IDF", 25_000), "2024-09-19", 0.8, 0.9)
        self.vote(e, "B-2024-CTIDF-02", "CT-IDF", fund("PRJ-75-01", "ess", 140_000), "2024-09-19", 0.9, 0.2,
                  expect="rejected")
        self.vote(e, "B-2024-CTOCC-01", "CT-OCC", fund("PRJ-31-01", "public", 80_000), "2024-09-26", 0.7, 0.85)
        self.vote(e, "B-2024-CTOCC-02", "CT-OCC", {"kind": "resolution", "text": "Adoption du règlement intérieur du comité"},
                  "2024-09-26", 0.7, 1.0)
        self.vote(e, "B-2024-CA-01", "CA", fund("PRJ-69-01", "ess", 450_000), "2024-10-08", 0.9, 0.75, proxies=1)
        self.vote(e, "B-2024-CA-02", "CA", fund("PRJ-59-01", "public", 300_000), "2024-10-08", 0.9, 0.7)
        # The general assembly of October misses its quorum (a quarter of 400); December's is held again.
        self.vote(e, "B-2024-AG-01", "AG", fund("PRJ-33-01", "public", 2_400_000), "2024-10-19", 0.15, 0.9,
                  expect="no quorum")
        self.vote(e, "B-2024-AG-02", "AG", fund("PRJ-33-01", "public", 2_400_000), "2024-12-07", 0.45, 0.8, proxies=40)

    def join(self, e, body, parties, effective):
        for party in parties:
            ev(e, "body.member_added", effective, body=body, party=party)
        self.bodies[body]["members"] += parties

    def vote(self, e, ballot, body, motion, effective, turnout, support, proxies=0, recused=(), expect="adopted"):
        statutes = self.bodies[body]["rules"]
        electorate = sorted(self.bodies[body]["members"])
        state = {"electorate": electorate, "rules": statutes, "votes": {}, "proxies": {}, "recused": set(recused)}
        ev(e, "ballot.opened", effective, ballot=ballot, body=body, motion=motion)
        for party in recused:
            ev(e, "recusal.recorded", effective, ballot=ballot, party=party)
        eligible = [m for m in electorate if m not in state["recused"]]
        voters = sorted(R.sample(eligible, max(1, round(turnout * len(eligible)))))
        absent = [m for m in eligible if m not in voters]
        held = {}
        for grantor in R.sample(absent, min(proxies, len(absent))):
            holders = [v for v in voters if held.get(v, 0) < statutes["proxies_max"]]
            if not holders:
                break
            holder = R.choice(holders)
            held[holder] = held.get(holder, 0) + 1
            state["proxies"][grantor] = holder
            ev(e, "proxy.granted", effective, ballot=ballot, grantor=grantor, holder=holder)
        supporters = set(R.sample(voters, round(support * len(voters))))
        for voter in voters:
            choice = "for" if voter in supporters else R.choice(["against"] * 4 + ["abstain", "blank"])
            state["votes"][voter] = choice
            ev(e, "vote.cast", effective, ballot=ballot, voter=voter, choice=choice)
        ev(e, "ballot.closed", effective, ballot=ballot)
        counts, quorum, adopted = tally(state)
        decision = "D" + ballot[1:]
        ev(e, "decision.recorded", effective, decision=decision, ballot=ballot, tally=counts, quorum_met=quorum, adopted=adopted)
        self.decisions[decision] = (motion, adopted)
        outcome = "adopted" if adopted else ("no quorum" if not quorum else "rejected")
        assert outcome == expect, (ballot, outcome, counts)
        print("%-16s %-6s %-13s for %3d against %3d abstain %2d blank %2d (electorate %3d, recused %d, by proxy %2d): %s" % (
            ballot, body, motion["kind"], counts["for"], counts["against"], counts["abstain"], counts["blank"],
            counts["electorate"], counts["recused"], counts["by_proxy"],
            "adopted" if adopted else ("no quorum" if not quorum else "rejected")), file=sys.stderr)
        return state

    # --- steps 5-8: commitments, requests, approvals, executions, then the year's close and 2025.
    def commitments_2024(self):
        e = self.batches.step(TREASURER)
        for decision, (motion, adopted) in self.decisions.items():
            if not adopted or motion["kind"] != "fund_project":
                continue
            amount, fund = motion["amount"], motion["fund"]
            assert amount <= self.funds[fund].available, (decision, amount, self.funds[fund].available)
            count = 1 if amount < 50_000 * EUR else R.choice([2, 3])
            tranches = [amount // count] * count
            tranches[0] += amount - sum(tranches)
            commitment = "C" + decision[1:]
            ev(e, "commitment.made", day(ordinal("2024-11-04"), 30), commitment=commitment, decision=decision,
               project=motion["project"], fund=fund, amount=amount, tranches=tranches)
            self.funds[fund].reserved += amount
            self.commitments[commitment] = {"fund": fund, "tranches": tranches, "paid": 0, "project": motion["project"],
                                            "loan": self.projects[motion["project"]][1] == "loan"}

    def disburse(self, tranche, requested, approved, executed):
        clerk, secretary, treasurer = self.batches.step(CLERK2), self.batches.step(SECRETARY), self.batches.step(TREASURER2)
        for commitment, c in self.commitments.items():
            if tranche > len(c["tranches"]):
                continue
            disbursement = "DSB-%s-%d" % (commitment[2:], tranche)
            amount = c["tranches"][tranche - 1]
            ev(clerk, "disbursement.requested", requested, disbursement=disbursement, commitment=commitment, tranche=tranche, amount=amount)
            ev(secretary, "disbursement.approved", approved, disbursement=disbursement)
            ev(treasurer, "disbursement.executed", executed, disbursement=disbursement, ref=self.ref("VIR-OUT", int(executed[:4])))
            c["paid"] += amount
            self.funds[c["fund"]].cash -= amount
            self.funds[c["fund"]].reserved -= amount

    def year_2025(self):
        e = self.batches.step(TREASURER)
        ev(e, "period.closed", "2025-01-20", through="2024-12-31")
        for _ in range(300):
            self.receive(e, R.choice(self.citizens), R.choice(["citoyens", "citoyens-ARA", "citoyens-OCC"]), "donation",
                         R.choice([20, 50, 100]) * EUR, day(ordinal("2025-01-02"), 80), "VIR")
        # A donor asks for a refund; a transfer recorded twice is reversed as a duplicate.
        donations = [c for c in self.contributions if c[3] == "donation" and c[0].startswith("VIR-2024")]
        for (reference, _, fund, _, amount), reason in zip(R.sample(donations, 2), ["refund", "duplicate"]):
            ev(e, "contribution.reversed", "2025-02-10", contribution=reference, amount=amount, reason=reason,
               ref=self.ref("RBT", 2025))
            self.funds[fund].cash -= amount
        self.disburse(2, "2025-03-03", "2025-03-05", "2025-03-10")
        e = self.batches.step(TREASURER)
        loans = [k for k, c in self.commitments.items() if c["loan"] and c["paid"] > 0]
        ev(e, "repayment.received", "2025-06-30", commitment=loans[0], amount=self.commitments[loans[0]]["paid"] // 10,
           ref=self.ref("ECH", 2025))
        apport = next(c for c in self.contributions if c[3] == "apport")
        ev(e, "lender.repaid", "2025-06-30", contribution=apport[0], amount=apport[4] // 4, ref=self.ref("RBT", 2025))
        e = self.batches.step(SECRETARY)
        occ = next(k for k, c in self.commitments.items() if c["project"] == "PRJ-31-01")
        self.vote(e, "B-2025-CA-01", "CA", {"kind": "write_off", "commitment": occ, "amount": 10_000 * EUR}, "2025-06-12", 0.8, 0.8)
        # The committee of Auvergne-Rhône-Alpes is voting: the demo casts the last vote by hand.
        ara = sorted(self.bodies["CT-ARA"]["members"])
        motion = {"kind": "fund_project", "project": "PRJ-69-02", "fund": "citoyens-ARA", "amount": 20_000 * EUR}
        ev(e, "ballot.opened", "2025-06-19", ballot="B-2025-CTARA-01", body="CT-ARA", motion=motion)
        for voter in ara[:-1]:
            ev(e, "vote.cast", "2025-06-19", ballot="B-2025-CTARA-01", voter=voter, choice="for" if R.random() < 0.8 else "against")
        self.last_voter = ara[-1]
        e = self.batches.step(TREASURER)
        ev(e, "loan.written_off", "2025-06-20", commitment=occ, decision="D-2025-CA-01", amount=10_000 * EUR)


def public_key(path):
    """The base64 of the 32-byte public key in a verifier key file of `ledger keygen`
    (`NAME+KEYID+base64(0x01 || key)`, Specs/proofs.md section 3), as the log holds it."""
    import base64
    text = open(path, encoding="utf-8").read().strip()
    key = base64.b64decode(text.split("+", 2)[2])   # the base64 may hold "+" itself
    assert len(key) == 33 and key[0] == 1, path
    return base64.b64encode(key[1:]).decode()


def main(directory, keys):
    batches = Batches(directory)
    history = History(batches)
    history.keys = {operator: public_key(os.path.join(keys, operator + ".pub"))
                    for operator in [TREASURER, TREASURER2, SECRETARY, CLERK, CLERK2, AUDITOR]}
    history.structure()
    history.parties()
    history.contributions_2024()
    history.governance_2024()
    history.commitments_2024()
    history.disburse(1, "2024-12-02", "2024-12-04", "2024-12-10")
    history.year_2025()
    batches.write()
    print(history.last_voter)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

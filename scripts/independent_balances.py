#!/usr/bin/env python3
"""An independent fold of a ledger's money, written from Specs/events.md and Specs/reports.md
alone (standard library only): per fund, the columns of `ledger balances`. CI compares it with
`ledger balances --json` (scripts/check_hledger.sh).

Usage: independent_balances.py LOG [--at SEQ] [--as-of YYYY-MM-DD] [--compare BALANCES.json]
Prints {fund: {column: minor units}}; with --compare, checks a `ledger balances --json` output
against it and exits 1 on any difference."""
import json, sys

COLUMNS = ["received", "reversed", "lenders_repaid", "committed", "disbursed", "repayments", "written_off",
           "cash", "to_pay", "available", "loans_in", "loans_out"]
REPAYABLE = {"loan_received", "apport", "titre_associatif"}


def fold(path, at=None, as_of=None):
    funds, contributions, projects, commitments, disbursements = {}, {}, {}, {}, {}

    def fund(name):
        return funds.setdefault(name, {column: 0 for column in COLUMNS})

    with open(path, encoding="utf-8") as log:
        for line in log:
            record = json.loads(line)
            if at is not None and record["seq"] > at:
                break
            kind, p = record["type"], record["payload"]
            counted = as_of is None or record["effective"] <= as_of
            # Identifiers resolve whatever the date (Specs/reports.md, section 2); amounts count by it.
            if kind == "fund.opened" and counted:
                fund(p["fund"])
            elif kind == "contribution.recorded":
                contributions[p["ref"]] = (p["fund"], p["instrument"])
                if counted:
                    f = fund(p["fund"])
                    f["received"] += p["amount"]
                    f["loans_in"] += p["amount"] if p["instrument"] in REPAYABLE else 0
            elif kind in ("contribution.reversed", "lender.repaid") and counted:
                name, instrument = contributions[p["contribution"]]
                f = fund(name)
                f["reversed" if kind == "contribution.reversed" else "lenders_repaid"] += p["amount"]
                f["loans_in"] -= p["amount"] if instrument in REPAYABLE else 0
            elif kind == "project.applied":
                projects[p["project"]] = p["instrument"]
            elif kind == "commitment.made":
                commitments[p["commitment"]] = {"fund": p["fund"], "loan": projects[p["project"]] == "loan",
                                                "amount": p["amount"], "paid": 0, "cancelled": False}
                if counted:
                    fund(p["fund"])["committed"] += p["amount"]
            elif kind in ("commitment.amended", "commitment.cancelled"):
                c = commitments[p["commitment"]]
                new = p["amount"] if kind == "commitment.amended" else c["paid"]
                if counted:
                    fund(c["fund"])["committed"] += new - c["amount"]
                c["amount"] = new
            elif kind == "disbursement.requested":
                disbursements[p["disbursement"]] = (p["commitment"], p["amount"])
            elif kind == "disbursement.executed":
                name, amount = disbursements[p["disbursement"]]
                c = commitments[name]
                c["paid"] += amount
                if counted:
                    f = fund(c["fund"])
                    f["disbursed"] += amount
                    f["loans_out"] += amount if c["loan"] else 0
            elif kind in ("repayment.received", "loan.written_off") and counted:
                f = fund(commitments[p["commitment"]]["fund"])
                f["repayments" if kind == "repayment.received" else "written_off"] += p["amount"]
                f["loans_out"] -= p["amount"]
    for f in funds.values():
        f["cash"] = f["received"] - f["reversed"] - f["lenders_repaid"] - f["disbursed"] + f["repayments"]
        f["to_pay"] = f["committed"] - f["disbursed"]
        f["available"] = f["cash"] - f["to_pay"]
    return funds


def main(args):
    path, at, as_of, compare = args[0], None, None, None
    for flag, value in zip(args[1::2], args[2::2]):
        if flag == "--at":
            at = int(value)
        elif flag == "--as-of":
            as_of = value
        elif flag == "--compare":
            compare = value
    funds = fold(path, at, as_of)
    if compare is None:
        print(json.dumps(funds, sort_keys=True, indent=1))
        return 0
    with open(compare, encoding="utf-8") as report:
        rows = {row["fund"]: row for row in json.load(report)["rows"]}
    problems = [f"{name}.{column}: ledger {rows.get(name, {}).get(column)}, independent {value}"
                for name, f in sorted(funds.items()) for column, value in f.items() if rows.get(name, {}).get(column) != value]
    problems += [f"{name}: only in ledger balances" for name in sorted(set(rows) - set(funds))]
    for problem in problems:
        print("independent_balances: MISMATCH " + problem, file=sys.stderr)
    print(f"independent_balances: {len(funds)} funds x {len(COLUMNS)} columns: "
          + ("agree" if not problems else f"{len(problems)} differences"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

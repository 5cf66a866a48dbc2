#!/usr/bin/env bash
# Checks `ledger export` against plain-text accounting (issue 4, item 6): hledger's balances over
# `ledger export --format hledger` must equal `ledger balances` (cash, loans out, loans in, per
# fund and in total), at the head and as of a date, on the demo ledger and on a generated large
# one; and an independent Python fold of the log (scripts/independent_balances.py) must agree
# with every column of `ledger balances`.
# Usage: scripts/check_hledger.sh [EVENTS]   (the generated ledger's size, default 200,000)
# Skips (exit 0, with a message) only when hledger is not installed; CI installs it (Debian
# package `hledger`). Debian's ledger-cli is also called `ledger`: ours is called by its path.
# Both ledgers are signed (log format version 2): each operator has a key pair, made in the work
# directory (outside the ledgers), is registered with its public key, and signs its appends. They
# are simulations (`init --simulated-clock`, LEDGER_NOW) so that every run writes the same records.
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-200000}
if ! command -v hledger >/dev/null 2>&1; then
    echo "check_hledger: SKIPPED: hledger is not installed (apt-get install -y hledger)"
    exit 0
fi
swift build -c release >/dev/null
bin=$PWD/.build/release/ledger
work=$(mktemp -d /tmp/ledger-hledger.XXXXXX)
trap 'rm -rf "$work"' EXIT
export LEDGER_NOW=2026-01-01T09:00:00.000000Z

# One key pair per operator of either history (the demo's and the generator's), in $work/keys.
keys=$work/keys
mkdir -p "$keys"
for operator in OP-FONDATEUR OP-TRESORIERE OP-TRESORIER-ADJ OP-SECRETAIRE OP-SAISIE-1 OP-SAISIE-2 OP-CAC \
                $(python3 scripts/gen_fund_history.py --operators); do
    [ -f "$keys/$operator.key" ] || "$bin" keygen --name "$operator" --output "$keys/$operator" >/dev/null
done

# Creates a simulated-clock ledger founded by OP-FONDATEUR: init_ledger DIR ORIGIN NAME.
init_ledger() {
    "$bin" init --ledger "$1" --origin "$2" --name "$3" --operator OP-FONDATEUR --key "$keys/OP-FONDATEUR.key" \
        --date 2024-03-26 --simulated-clock >/dev/null
}

# Appends NNN-OPERATOR.jsonl batches in name order, each by its operator, signed with their key.
import_batches() {
    local ledger=$1 batches=$2
    for batch in "$batches"/*.jsonl; do
        local name; name=$(basename "$batch" .jsonl)
        local operator=${name#*-}
        "$bin" append --ledger "$ledger" --operator "$operator" --key "$keys/$operator.key" --batch "$batch" >/dev/null
    done
}

# Compares hledger over the export with `ledger balances`, at the head or with --as-of DATE.
compare() {
    local ledger=$1 label=$2; shift 2
    "$bin" export --ledger "$ledger" --format hledger "$@" > "$work/export.journal"
    "$bin" balances --ledger "$ledger" --json "$@" > "$work/balances.json"
    hledger -f "$work/export.journal" balance --flat --no-total --no-elide -O csv assets liabilities > "$work/hledger.csv"
    python3 - "$work/balances.json" "$work/hledger.csv" "$label $*" <<'PY'
import csv, json, sys
balances, hledger_csv, label = sys.argv[1], sys.argv[2], sys.argv[3]
report = json.load(open(balances))
decimals = report["minor_units"]
accounts = {}
for row in list(csv.reader(open(hledger_csv)))[1:]:
    amount = row[1].split()[0] if row[1] not in ("0", "") else "0"
    whole, _, fraction = amount.replace(",", "").partition(".")
    sign = -1 if whole.startswith("-") else 1
    accounts[row[0]] = sign * (abs(int(whole or "0")) * 10 ** decimals + int((fraction + "0" * decimals)[:decimals] or "0"))
problems, checked = [], 0
for row in report["rows"]:
    fund = row["fund"]
    for column, account, sign in [("cash", "assets:cash:", 1), ("loans_out", "assets:loans:", 1), ("loans_in", "liabilities:lenders:", -1)]:
        got = sign * accounts.get(account + fund, 0)
        checked += 1
        if got != row[column]:
            problems.append(f"{fund} {column}: ledger balances {row[column]}, hledger {got}")
total = sum(value for name, value in accounts.items() if name.startswith("assets:cash:"))
if total != report["total"]["cash"]:
    problems.append(f"total cash: ledger balances {report['total']['cash']}, hledger {total}")
for problem in problems:
    print("check_hledger: MISMATCH " + label + ": " + problem, file=sys.stderr)
print(f"check_hledger: {label}: {len(report['rows'])} funds, {checked} balances and the total cash: "
      + ("hledger agrees" if not problems else "FAILED"))
sys.exit(1 if problems else 0)
PY
    local cut=(); [ $# -gt 0 ] && cut=("$@")
    python3 scripts/independent_balances.py "$ledger/log.jsonl" "${cut[@]}" --compare "$work/balances.json"
}

echo "== the demo ledger (scripts/demo_history.py)"
python3 scripts/demo_history.py "$work/demo-batches" "$keys" >/dev/null
init_ledger "$work/demo" ledger.operation-milliard.example/fund "Opération Milliard"
import_batches "$work/demo" "$work/demo-batches"
compare "$work/demo" demo
compare "$work/demo" demo --as-of 2024-12-31

echo "== a generated ledger of $events events (scripts/gen_fund_history.py)"
python3 scripts/gen_fund_history.py "$events" "$work/large-batches" "$keys" >/dev/null
init_ledger "$work/large" gen.example/fund "Fonds généré"
import_batches "$work/large" "$work/large-batches"
compare "$work/large" "generated $events"
compare "$work/large" "generated $events" --as-of 2025-06-30
if "$bin" verify --help | grep -q -- --snapshots; then
    "$bin" verify --ledger "$work/large" --snapshots >/dev/null
    echo "check_hledger: verify --snapshots: the state snapshot equals the fold from the genesis"
fi
echo "check_hledger: every check passed"

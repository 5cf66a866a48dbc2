#!/usr/bin/env bash
# The README's main command: builds a realistic ledger of a fund like Opération Milliard, shows
# what the back office does and what the rules refuse, then checkpoints, verifies, and shows
# `ledger verify` catching a tampered byte and a rule-breaking record written by other means.
# Reproducible: the data is seeded and the clock is fixed per step (LEDGER_NOW).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== building (release)"
swift build -c release 2>&1 | tail -1
BIN="$(swift build -c release --show-bin-path)/ledger"
OUT=./demo-out
rm -rf "$OUT" && mkdir -p "$OUT"
export LEDGER_DIR="$OUT/fund"
STARTED=$(date +%s%N)

step=0
now() { step=$((step + 1)); printf '2025-07-01T09:%02d:%02d.000000Z' $((step / 60)) $((step % 60)); }
ledger() { LEDGER_NOW="$(now)" "$BIN" "$@"; }
show() { echo; echo "\$ ledger $*"; ledger "$@"; }
# A command the rules must refuse: prints its message and exit status, and checks the log did not change.
refused() {
    local before after status=0
    before=$(sha256sum "$LEDGER_DIR/log.jsonl")
    echo; echo "\$ ledger $*"
    ledger "$@" || status=$?
    after=$(sha256sum "$LEDGER_DIR/log.jsonl")
    [ "$before" = "$after" ] || { echo "the log changed!"; exit 1; }
    echo "(exit status $status; log.jsonl unchanged)"
    [ "$status" -ne 0 ] || { echo "expected a refusal"; exit 1; }
}

echo "== generating the history (scripts/demo_history.py, seeded)"
LAST_VOTER=$(python3 scripts/demo_history.py "$OUT/batches")
ledger init --origin ledger.operation-milliard.example/fund --name "Opération Milliard" --operator OP-FONDATEUR --date 2024-03-26

echo "== importing it with ledger append --batch, one batch per operator and step"
for batch in "$OUT"/batches/*.jsonl; do
    name=$(basename "$batch" .jsonl)
    output=$(ledger append --batch "$batch" --operator "${name#*-}" --json)
    first=$(head -1 <<<"$output" | grep -o '"seq":[0-9]*' | cut -d: -f2)
    last=$(tail -1 <<<"$output" | grep -o '"seq":[0-9]*' | cut -d: -f2)
    printf '  %-28s %5d events  seq %5d..%-5d\n' "$name" "$(wc -l <"$batch")" "$first" "$last"
done

echo
echo "== the back office at work (the dedicated commands)"
show contribution record --party P-00042 --amount 50.00 --instrument donation --fund citoyens --ref VIR-2025-900001 --date 2025-07-01 --operator OP-SAISIE-1
show vote cast --ballot B-2025-CTARA-01 --voter "$LAST_VOTER" --choice for --date 2025-06-19 --operator OP-SECRETAIRE
show ballot close --ballot B-2025-CTARA-01 --date 2025-06-19 --operator OP-SECRETAIRE
show ballot tally --ballot B-2025-CTARA-01
show decision record --decision D-2025-CTARA-01 --ballot B-2025-CTARA-01 --date 2025-06-19 --operator OP-SECRETAIRE
show commitment make --commitment C-2025-CTARA-01 --decision D-2025-CTARA-01 --tranches 12000+8000 --date 2025-07-01 --operator OP-TRESORIERE
show disbursement request --disbursement DSB-2025-CTARA-01-1 --commitment C-2025-CTARA-01 --tranche 1 --amount 12000 --date 2025-07-02 --operator OP-TRESORIERE
refused disbursement approve --disbursement DSB-2025-CTARA-01-1 --date 2025-07-02 --operator OP-TRESORIERE
show disbursement approve --disbursement DSB-2025-CTARA-01-1 --date 2025-07-02 --operator OP-SECRETAIRE
show disbursement execute --disbursement DSB-2025-CTARA-01-1 --ref VIR-OUT-2025-900001 --date 2025-07-03 --operator OP-TRESORIERE

echo
echo "== what the rules refuse (exit 4 = refused by a rule, 2 = malformed input)"
refused contribution record --party P-00043 --amount 80 --instrument donation --fund citoyens --ref VIR-2025-900001 --date 2025-07-03 --operator OP-SAISIE-1
refused contribution record --party P-00043 --amount 80 --instrument donation --fund citoyens --ref VIR-2025-900002 --date 2024-12-15 --operator OP-SAISIE-1
refused disbursement request --disbursement DSB-2025-CTARA-01-2 --commitment C-2025-CTARA-01 --tranche 2 --amount 9000 --operator OP-SAISIE-1
refused commitment make --commitment C-2024-AG-01 --decision D-2024-AG-01 --tranches 2400000 --operator OP-TRESORIERE
refused vote cast --ballot B-2024-CA-01 --voter P-00001 --choice for --operator OP-SECRETAIRE
refused note add --text "vu" --operator OP-CAC
refused contribution record --party P-00043 --amount 1,234.5 --instrument donation --fund citoyens --ref VIR-2025-900002 --operator OP-SAISIE-1

echo
echo "== balances"
show fund status
show balances --by pool
echo; echo "== the reports an auditor and a contributor read"
show audit DSB-2025-CTARA-01-1
show party statement P-00042 --year 2025
show ballots

echo
echo "== an auditor's checkpoint, then verification against it"
show checkpoint --output "$OUT/fund.checkpoint"
cat "$OUT/fund.checkpoint"
show verify --checkpoint "$OUT/fund.checkpoint"

echo
echo "== tampering: one byte of one amount changed in a copy"
cp -r "$LEDGER_DIR" "$OUT/tampered"
python3 - "$OUT/tampered/log.jsonl" <<'PY'
import sys
path = sys.argv[1]
data = bytearray(open(path, "rb").read())
at = data.index(b'"amount":5000,') + len(b'"amount":')   # the first 50.00 EUR contribution
data[at] = ord("9")
open(path, "wb").write(bytes(data))
print("changed byte %d: an amount of 5000 cents is now 9000" % at)
PY
status=0; echo "\$ ledger verify --ledger $OUT/tampered"; "$BIN" verify --ledger "$OUT/tampered" || status=$?
echo "(exit status $status)"

echo
echo "== a history written by other means: well chained, but paying a disbursement twice"
cp -r "$LEDGER_DIR" "$OUT/forged"
python3 scripts/demo_forge.py "$OUT/forged/log.jsonl" DSB-2025-CTARA-01-1
status=0; echo "\$ ledger verify --ledger $OUT/forged"; "$BIN" verify --ledger "$OUT/forged" || status=$?
echo "(exit status $status)"

RECORDS=$("$BIN" verify --json | grep -o '"records":[0-9]*' | cut -d: -f2)
echo
echo "== done: $RECORDS records in $(( ($(date +%s%N) - STARTED) / 1000000 )) ms (after the build); the ledger is in $LEDGER_DIR"

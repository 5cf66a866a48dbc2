#!/usr/bin/env bash
# The README's main command: builds a realistic ledger of a fund like Opération Milliard, shows
# what the back office does and what the rules refuse, then checkpoints, verifies, and shows
# `ledger verify` catching a tampered byte and a rule-breaking record written by other means.
# Reproducible: the data is seeded, and the demo ledger is created as a simulation
# (`init --simulated-clock`, which its genesis records forever) so that its clock is fixed per
# step (LEDGER_NOW); a real ledger records the system's time. Every operator signs their
# appends with their own key, made by `ledger keygen` and kept outside the ledger directory.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== building (release)"
swift build -c release 2>&1 | tail -1
BIN="$(swift build -c release --show-bin-path)/ledger"
OUT=./demo-out
rm -rf "$OUT" && mkdir -p "$OUT"
export LEDGER_DIR="$OUT/fund"
STARTED=$(date +%s%N)

KEYS="$OUT/keys"
mkdir -m 700 "$KEYS"   # outside the ledger directory, readable by its owner only
# One second per command. The count is kept in a file: commands often run in a subshell ($(...)).
echo 0 > "$OUT/.clock"
now() { local step=$(($(cat "$OUT/.clock") + 1)); echo "$step" > "$OUT/.clock"; printf '2025-07-10T09:%02d:%02d.000000Z' $((step / 60)) $((step % 60)); }
# Each operator signs with their own key: the one named after the --operator of the command.
signer() { local previous=""; for word in "$@"; do [ "$previous" = "--operator" ] && echo "$KEYS/$word.key"; previous=$word; done; }
ledger() { LEDGER_NOW="$(now)" LEDGER_KEY="${LEDGER_KEY_OVERRIDE:-$(signer "$@")}" "$BIN" "$@"; }
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

echo "== the back office's keys: one per operator, made by ledger keygen, kept outside the ledger"
for operator in OP-FONDATEUR OP-TRESORIERE OP-TRESORIER-ADJ OP-SECRETAIRE OP-SAISIE-1 OP-SAISIE-2 OP-CAC; do
    "$BIN" keygen --name "$operator" --output "$KEYS/$operator" | sed -n 2p | sed 's/^/  /'
done

echo "== generating the history (scripts/demo_history.py, seeded; operators registered with their public keys)"
LAST_VOTER=$(python3 scripts/demo_history.py "$OUT/batches" "$KEYS")
ledger init --origin ledger.operation-milliard.example/fund --name "Opération Milliard" --operator OP-FONDATEUR --date 2024-03-26 --simulated-clock

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
echo; echo "(four eyes with one key: the treasurer approves her own request in the secretary's name, with her own key)"
LEDGER_KEY_OVERRIDE="$KEYS/OP-TRESORIERE.key" refused disbursement approve --disbursement DSB-2025-CTARA-01-1 --date 2025-07-02 --operator OP-SECRETAIRE
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
echo "== an append written by other means in the treasurer's name (a donation that breaks no rule), signed with a clerk's key"
cp -r "$LEDGER_DIR" "$OUT/impersonated"
python3 scripts/demo_forge.py "$OUT/impersonated/log.jsonl" "$KEYS/OP-SAISIE-1.key" OP-TRESORIERE contribution.recorded '{"amount":100000,"fund":"citoyens","instrument":"donation","party":"P-00042","ref":"VIR-FORGED-1"}'
status=0; echo "\$ ledger verify --ledger $OUT/impersonated"; "$BIN" verify --ledger "$OUT/impersonated" || status=$?
echo "(exit status $status)"

echo
echo "== a history written by other means with the treasurer's own key: well chained and signed, but paying a disbursement twice"
cp -r "$LEDGER_DIR" "$OUT/forged"
python3 scripts/demo_forge.py "$OUT/forged/log.jsonl" "$KEYS/OP-TRESORIERE.key" OP-TRESORIERE disbursement.executed '{"disbursement":"DSB-2025-CTARA-01-1","ref":"VIR-OUT-FORGED-1"}'
status=0; echo "\$ ledger verify --ledger $OUT/forged"; "$BIN" verify --ledger "$OUT/forged" || status=$?
echo "(exit status $status)"

RECORDS=$("$BIN" verify --json | grep -o '"records":[0-9]*' | cut -d: -f2)
echo
echo "== done: $RECORDS records in $(( ($(date +%s%N) - STARTED) / 1000000 )) ms (after the build); the ledger is in $LEDGER_DIR"

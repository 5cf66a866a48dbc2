#!/usr/bin/env bash
# Benchmarks of the spine (issue 2), each measured side by side in one run, on a realistic signed
# fund history (scripts/gen_fund_history.py: contributions, registrations, ballots and votes,
# commitments, disbursements, repayments, refunds, closes, notes), every append signed by its
# operator's key (log format version 2):
#   batch append throughput, full verify vs `openssl dgst -sha256` on the same bytes,
#   and the latency of one `ledger append` on a large ledger vs on an empty one.
# Usage: scripts/bench_spine.sh [RECORDS]   (default 1,000,000)
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
swift build -c release >/dev/null
bin=$PWD/.build/release/ledger          # never Debian's ledger-cli, which is also called `ledger`
work=$(mktemp -d /tmp/ledger-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$2 - $1:.3f}')"; }

# One key pair per operator, in the work directory, outside every ledger directory.
keys=$work/keys; mkdir -p "$keys"
for operator in $(python3 scripts/gen_fund_history.py --operators); do
  "$bin" keygen --name "$operator" --output "$keys/$operator" >/dev/null
done
founder=OP-FONDATEUR
init() { "$bin" init --ledger "$1" --origin "bench.example/$(basename "$1")" --name "Benchmark" \
                     --operator "$founder" --key "$keys/$founder.key" --date 2024-03-26 >/dev/null; }
init "$work/big"
init "$work/empty"

echo "== batch append: a fund history of $records events, one signed append per batch file"
python3 scripts/gen_fund_history.py "$records" "$work/batches" "$keys" >/dev/null
batches=$(ls "$work/batches" | wc -l)
total=0
for batch in "$work"/batches/*.jsonl; do
  name=$(basename "$batch" .jsonl); operator=${name#*-}
  t0=$(now)
  "$bin" append --ledger "$work/big" --operator "$operator" --key "$keys/$operator.key" --batch "$batch" > /dev/null
  t1=$(now)
  total=$(python3 -c "print($total + $t1 - $t0)")
done
rm -rf "$work/batches"
appended=$(( $(wc -l < "$work/big/log.jsonl") - 1 ))
python3 -c "print(f'batch append: {$appended:,} records in $batches appends (process start included) in {$total:.2f} s = {$appended/$total:,.0f} records/s')"

size=$(stat -c %s "$work/big/log.jsonl")
count=$(( appended + 1 ))
echo "== verify (signatures included) vs openssl on the same $((size / 1000000)) MB"
for run in 1 2 3; do
  t0=$(now); "$bin" verify --ledger "$work/big" > /dev/null; t1=$(now)
  openssl dgst -sha256 "$work/big/log.jsonl" > /dev/null; t2=$(now)
  python3 -c "v=$t1-$t0; o=$t2-$t1; print(f'run $run: ledger verify {v:.3f} s ({$count/v:,.0f} records/s, {$size/v/1e6:,.0f} MB/s); openssl dgst -sha256 {o:.3f} s; ratio {v/o:.1f}x')"
done

echo "== one append (a note by the founder, signed; process start included), median of 21"
latency() {
  local dir=$1 out=()
  for i in $(seq 1 21); do
    t0=$(now)
    "$bin" append --ledger "$dir" --operator "$founder" --key "$keys/$founder.key" \
      --type note.recorded --payload "{\"text\":\"latency $i\"}" > /dev/null
    t1=$(now)
    out+=("$(elapsed "$t0" "$t1")")
  done
  printf '%s\n' "${out[@]}" | sort -n | sed -n 11p
}
small=$(latency "$work/empty")
large=$(latency "$work/big")
python3 -c "print(f'append on an empty ledger: {$small*1000:.1f} ms; on {$count:,} records: {$large*1000:.1f} ms; ratio {$large/$small:.2f}x')"

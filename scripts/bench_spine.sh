#!/usr/bin/env bash
# Benchmarks of the spine (issue 2), each measured side by side in one run:
#   batch append throughput, full verify vs `openssl dgst -sha256` on the same bytes,
#   and the latency of one `ledger append` on a large ledger vs on an empty one.
# Usage: scripts/bench_spine.sh [RECORDS]   (default 1,000,000)
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
chunk=100000
swift build -c release >/dev/null
bin=$PWD/.build/release/ledger          # never Debian's ledger-cli, which is also called `ledger`
work=$(mktemp -d /tmp/ledger-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
export LEDGER_OPERATOR=OP-BENCH
now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$2 - $1:.3f}')"; }

"$bin" init --ledger "$work/big" --origin bench.example/big --name "Benchmark" >/dev/null
"$bin" init --ledger "$work/empty" --origin bench.example/empty --name "Benchmark" >/dev/null

echo "== batch append: $records records in batches of $chunk"
total=0
for ((start = 0; start < records; start += chunk)); do
  n=$(( records - start < chunk ? records - start : chunk ))
  python3 scripts/gen_events.py "$n" "$start" > "$work/batch.jsonl"
  t0=$(now); "$bin" append --ledger "$work/big" --batch "$work/batch.jsonl" > /dev/null; t1=$(now)
  total=$(python3 -c "print($total + $t1 - $t0)")
done
python3 -c "print(f'batch append: {$records} records in {$total:.2f} s = {$records/$total:,.0f} records/s')"

size=$(stat -c %s "$work/big/log.jsonl")
echo "== verify vs openssl on the same $((size / 1000000)) MB"
for run in 1 2 3; do
  t0=$(now); "$bin" verify --ledger "$work/big" > /dev/null; t1=$(now)
  openssl dgst -sha256 "$work/big/log.jsonl" > /dev/null; t2=$(now)
  python3 -c "v=$t1-$t0; o=$t2-$t1; r=$records+1; print(f'run $run: ledger verify {v:.3f} s ({r/v:,.0f} records/s, {$size/v/1e6:,.0f} MB/s); openssl dgst -sha256 {o:.3f} s; ratio {v/o:.1f}x')"
done

echo "== one append (process start included), median of 21"
latency() {
  local dir=$1 out=()
  for i in $(seq 1 21); do
    t0=$(now); "$bin" append --ledger "$dir" --type note.recorded --payload "{\"text\":\"latency $i\"}" > /dev/null; t1=$(now)
    out+=("$(elapsed "$t0" "$t1")")
  done
  printf '%s\n' "${out[@]}" | sort -n | sed -n 11p
}
small=$(latency "$work/empty")
large=$(latency "$work/big")
python3 -c "print(f'append on an empty ledger: {$small*1000:.1f} ms; on {$records:,} records: {$large*1000:.1f} ms; ratio {$large/$small:.2f}x')"

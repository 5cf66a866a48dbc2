#!/usr/bin/env bash
# Benchmarks of the proofs (issue 5), process start included, medians of several runs, each next
# to a baseline measured in the same run (Specs/proofs.md, section 10):
#   the checkpoint (tree head) of 1M records from a cold cache and from a warm one (target <= 1 s),
#   an inclusion proof (`prove`) and a consistency proof (`consistency`) on it (targets <= 50 ms),
#   `verify-proof` of a bundle, against `ledger --version` (process start) and
#   `openssl dgst -sha256` over the same log.
# The ledger is a realistic signed fund history (scripts/gen_fund_history.py: contributions,
# ballots, commitments, disbursements, repayments...), each batch one append signed by its
# operator's key; the consistency proof runs from the checkpoint taken after the append that
# reaches half of the records.
# Usage: scripts/bench_proofs.sh [RECORDS]          (default 1,000,000 records, genesis included)
#        BENCH_DIR=/tmp/somewhere scripts/bench_proofs.sh   keeps (and reuses) the ledger there
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
runs=11
swift build -c release >/dev/null
bin=$PWD/.build/release/ledger          # never Debian's ledger-cli, which is also called `ledger`
work=${BENCH_DIR:-$(mktemp -d /tmp/ledger-bench-proofs.XXXXXX)}
[ -n "${BENCH_DIR:-}" ] || trap 'rm -rf "$work"' EXIT
mkdir -p "$work"
ledger=$work/big
half=$(( records / 2 ))

if [ ! -f "$ledger/log.jsonl" ] || [ ! -f "$work/half.checkpoint" ]; then
  rm -rf "$ledger" "$work"/*.checkpoint "$work"/checkpoint-signer.* "$work/operators" "$work/batches"
  echo "== making a signed fund history of $records records (scripts/gen_fund_history.py)"
  # The operators' keys live in the work directory, outside the ledger directory.
  mkdir -p "$work/operators"
  for operator in $(python3 scripts/gen_fund_history.py --operators); do
    "$bin" keygen --name "$operator" --output "$work/operators/$operator" > /dev/null
  done
  python3 scripts/gen_fund_history.py "$records" "$work/batches" "$work/operators" > /dev/null
  "$bin" init --ledger "$ledger" --origin bench.example/proofs --name "Benchmark" --operator OP-FONDATEUR \
    --key "$work/operators/OP-FONDATEUR.key" --date 2024-03-26 > /dev/null
  appended=1
  for batch in "$work"/batches/*.jsonl; do
    name=$(basename "$batch" .jsonl); operator=${name#*-}
    "$bin" append --ledger "$ledger" --operator "$operator" --key "$work/operators/$operator.key" --batch "$batch" > /dev/null
    before=$appended
    appended=$(( appended + $(wc -l < "$batch") ))
    if (( before < half && appended >= half )); then
      "$bin" checkpoint --ledger "$ledger" --output "$work/half.checkpoint" 2>/dev/null
    fi
  done
  rm -rf "$work/batches"
  "$bin" keygen --name bench.example --output "$work/checkpoint-signer" > /dev/null
  "$bin" cosign "$work/half.checkpoint" --sign "$work/checkpoint-signer.key" --output "$work/half.checkpoint" 2>/dev/null
  echo "== signing today's checkpoint (a full verification first)"
  "$bin" checkpoint --ledger "$ledger" --sign "$work/checkpoint-signer.key" --output "$work/full.checkpoint" 2>/dev/null
fi
size=$(stat -c %s "$ledger/log.jsonl")
total=$(sed -n 2p "$work/full.checkpoint")
echo "== ledger: $total records, $((size / 1000000)) MB; proofs against a signed checkpoint of all of them"

# median RUNS PREPARE COMMAND...: "wall cpu", the medians in ms of COMMAND's wall-clock time
# (process start included) and of its CPU time (user + system: what other load on the machine
# does not change); PREPARE is a shell command run untimed before each run (":" for nothing).
median() {
  python3 - "$@" <<'PY'
import os, statistics, subprocess, sys, time
runs, prepare, command = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
walls, cpus = [], []
for _ in range(runs):
    subprocess.run(prepare, shell=True, check=True)
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    walls.append((time.perf_counter() - start) * 1000)
    cpus.append((usage.ru_utime + usage.ru_stime) * 1000)
    if os.waitstatus_to_exitcode(status) != 0: sys.exit(f"failed: {command}")
print(f"{statistics.median(walls):8.1f} {statistics.median(cpus):8.1f}")
PY
}
cold="rm -f '$ledger/cache/merkle.hashes' '$ledger/cache/offsets'"

start=$(median $runs : "$bin" --version)
sha=$(median 5 : openssl dgst -sha256 "$ledger/log.jsonl")
checkpoint_cold=$(median 5 "$cold" "$bin" checkpoint --ledger "$ledger")
checkpoint_warm=$(median $runs : "$bin" checkpoint --ledger "$ledger")
seq=$(( total * 3 / 7 ))
"$bin" prove "$seq" --ledger "$ledger" --checkpoint "$work/full.checkpoint" --output "$work/bundle.json" 2>/dev/null
prove=$(median $runs : "$bin" prove "$seq" --ledger "$ledger" --checkpoint "$work/full.checkpoint")
verify_proof=$(median $runs : "$bin" verify-proof "$work/bundle.json" --key "$work/checkpoint-signer.pub")
consistency=$(median $runs : "$bin" consistency --ledger "$ledger" --from "$work/half.checkpoint" --to "$work/full.checkpoint")

# Sanity: the timed commands' outputs check out, and a cold checkpoint equals the signed head.
"$bin" consistency --ledger "$ledger" --from "$work/half.checkpoint" --to "$work/full.checkpoint" > "$work/evidence.json" 2>/dev/null
python3 scripts/check_consistency.py "$work/evidence.json" --key "$work/checkpoint-signer.pub" > /dev/null
python3 scripts/check_bundle.py "$work/bundle.json" --key "$work/checkpoint-signer.pub" > /dev/null
eval "$cold"
[ "$("$bin" checkpoint --ledger "$ledger")" = "$(head -3 "$work/full.checkpoint")" ]

old=$(sed -n 2p "$work/half.checkpoint")
row() { printf '  %-44s %8s %8s   %s\n' "$1" $2 "${3:-}"; }
echo "== medians in ms, process start included ($runs runs; 5 for the cold ones)"
echo "   load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) (on $(nproc) cores)"
printf '  %-44s %8s %8s\n' "" wall cpu
row "ledger --version (process start)" "$start"
row "openssl dgst -sha256 over the log" "$sha"
row "checkpoint of $total records, cold cache" "$checkpoint_cold" "target <= 1000"
row "checkpoint, warm cache" "$checkpoint_warm"
row "prove $seq (proof + bundle)" "$prove" "target <= 50"
row "consistency $old -> $total" "$consistency" "target <= 50"
row "verify-proof of that bundle" "$verify_proof"

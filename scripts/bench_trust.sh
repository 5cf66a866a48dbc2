#!/usr/bin/env bash
# Benchmarks of "who wrote it" (log format version 2: every append signed by its operator's key,
# Specs/trust.md, Specs/log-format.md section 10), each figure a ratio against a baseline measured
# in the same invocation:
#   (a) `ledger verify` of a realistic signed fund history of RECORDS records (scripts/
#       gen_fund_history.py: contributions, registrations, ballots and votes, commitments,
#       disbursements, repayments, refunds, closes, notes), most records imported in batches of
#       up to 5,000 and thousands of acts appended one at a time, each append signed, against
#       `openssl dgst -sha256` over the same bytes, against the same records without signatures
#       (a version-1 copy: `init` writes version 2 only, so the copy is made from the signed log
#       by dropping `sig` and the keys and re-hashing the chain as version 1, as
#       scripts/make_vectors.py makes its version-1 cases; `verify` then checks everything but
#       the signatures), and against the same history imported in fewer, larger appends;
#   (b) one append (a signed note, process start included, median of 21) on that ledger vs on an
#       empty one, the ledger as its import left it and with a snapshot at its head;
#   (c) our Ed25519 sign and verify rates vs `openssl speed ed25519` (scripts/bench_ed25519.sh);
#   (d) one signature per append vs one per record: verifying as many signatures as the history
#       has appends, and as it has records, as `ledger verify` verifies them and by batch
#       verification (`ledger-bench signatures`), next to the verify time of (a).
# Times are medians of interleaved runs, wall clock and CPU (user + system: what other load on the
# machine changes least); the load average is printed. Ledgers are in a temporary directory, the
# operators' keys beside them (never inside a ledger); the ledgers record the system clock.
# Usage: scripts/bench_trust.sh [RECORDS]   (default 1,000,000: about 30 minutes on 2 cores, 20 of
#                                            them making the ledgers; 100000: about 3 minutes)
#        BENCH_DIR=/tmp/somewhere scripts/bench_trust.sh   keeps (and reuses) the ledgers there
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
case "$records" in '' | *[!0-9]*) echo "usage: $0 [RECORDS]" >&2; exit 2 ;; esac
chunk=5000          # the largest batch of the signed history
singles_every=3     # every third act of the back office is an append of its own
swift build -c release >/dev/null
bin=$PWD/.build/release/ledger          # never Debian's ledger-cli, which is also called `ledger`
bench=$PWD/.build/release/ledger-bench
work=${BENCH_DIR:-$(mktemp -d /tmp/ledger-bench-trust.XXXXXX)}
[ -n "${BENCH_DIR:-}" ] || trap 'rm -rf "$work"' EXIT
mkdir -p "$work"
keys=$work/keys
signed=$work/signed       # the history: batches of up to $chunk and single appends
bulk=$work/bulk           # the same events in fewer, larger appends (the generator's default files)
v1=$work/v1               # the signed log without signatures, re-hashed as version 1
empty=$work/empty
founder=OP-FONDATEUR
now_ns() { date +%s%N; }

# init_ledger DIR: a signed ledger founded by $founder, recording the system clock.
init_ledger() {
  "$bin" init --ledger "$1" --origin "bench.example/$(basename "$1")" --name "Fonds" \
    --operator "$founder" --key "$keys/$founder.key" --date 2024-03-26 > /dev/null
}
# import DIR BATCHES TIMES: appends each NNNNNN-OPERATOR.jsonl in name order, signed by its operator;
# writes "records nanoseconds" per append to TIMES.
import() {
  local ledger=$1 batches=$2 times=$3
  : > "$times"
  for batch in "$batches"/*.jsonl; do
    local name operator t0 t1
    name=$(basename "$batch" .jsonl); operator=${name#*-}
    t0=$(now_ns)
    "$bin" append --ledger "$ledger" --operator "$operator" --key "$keys/$operator.key" --batch "$batch" > /dev/null
    t1=$(now_ns)
    echo "$(wc -l < "$batch") $((t1 - t0))" >> "$times"
  done
}

# Each ledger is made when missing (BENCH_DIR keeps them between runs).
if [ ! -f "$signed/log.jsonl" ]; then
  rm -rf "$keys" "$signed" "$bulk" "$v1" "$empty" "$work/batches"
  mkdir -p "$keys"
  for operator in $(python3 scripts/gen_fund_history.py --operators); do
    "$bin" keygen --name "$operator" --output "$keys/$operator" > /dev/null
  done
  echo "== building the signed history: $records records, batches of up to $chunk, one act in $singles_every alone"
  python3 scripts/gen_fund_history.py "$records" "$work/batches" "$keys" --chunk "$chunk" --singles "$singles_every" > /dev/null
  init_ledger "$signed"
  import "$signed" "$work/batches" "$work/signed.times"
  rm -rf "$work/batches"
fi
if [ ! -f "$bulk/log.jsonl" ]; then
  echo "== the same events in fewer, larger appends (batches of up to 100,000)"
  rm -rf "$bulk" "$work/batches"
  python3 scripts/gen_fund_history.py "$records" "$work/batches" "$keys" > /dev/null
  init_ledger "$bulk"
  import "$bulk" "$work/batches" "$work/bulk.times"
  rm -rf "$work/batches"
fi
if [ ! -f "$v1/log.jsonl" ] || [ "$(wc -l < "$v1/log.jsonl")" != "$(wc -l < "$signed/log.jsonl")" ]; then
  echo "== the version-1 copy of the signed log (no sig, no keys, re-hashed and re-chained as version 1)"
  rm -rf "$v1"
  mkdir -p "$v1"
  python3 - "$signed/log.jsonl" "$v1/log.jsonl" <<'PY'
import hashlib, json, sys
def canonical(record):
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
prev = "0" * 64
with open(sys.argv[1], encoding="utf-8") as log, open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in log:
        record = json.loads(line)
        assert record["type"] != "operator.key_rotated", "a version-1 rotation has no key to drop"
        del record["hash"]
        record.pop("sig", None)
        if record["type"] in ("ledger.genesis", "operator.registered"):
            del record["payload"]["key"]
        record["v"], record["prev"] = 1, prev
        prev = hashlib.sha256(b"ledger.record.v1\n" + canonical(record).encode()).hexdigest()
        record["hash"] = prev
        out.write(canonical(record) + "\n")
PY
fi
[ -f "$empty/log.jsonl" ] || init_ledger "$empty"

# The import, as it went (process start included): batches and single appends apart.
python3 - "$work/signed.times" "$work/bulk.times" <<'PY'
import statistics, sys
for label, path in (("signed history", sys.argv[1]), ("fewer, larger appends", sys.argv[2])):
    rows = [tuple(map(int, line.split())) for line in open(path)]
    batches = [r for r in rows if r[0] > 1]
    singles = [r[1] for r in rows if r[0] == 1]
    seconds = sum(r[1] for r in batches) / 1e9
    line = f"import, {label}: {len(batches):,} batch appends of {sum(r[0] for r in batches):,} records in {seconds:.1f} s"
    if singles:
        fifth = max(1, len(singles) // 5)
        line += (f"; {len(singles):,} single appends in {sum(singles) / 1e9:.1f} s, median {statistics.median(singles) / 1e6:.1f} ms"
                 f" (first fifth {statistics.median(singles[:fifth]) / 1e6:.1f} ms, last fifth {statistics.median(singles[-fifth:]) / 1e6:.1f} ms)")
    print(line)
PY

count=$(wc -l < "$signed/log.jsonl")
appends=$(grep -c '"sig":' "$signed/log.jsonl")
bulk_appends=$(grep -c '"sig":' "$bulk/log.jsonl")
size=$(stat -c %s "$signed/log.jsonl")
echo "signed ledger: $count records, $appends appends (signatures), $((size / 1000000)) MB;" \
     "fewer, larger appends: $(wc -l < "$bulk/log.jsonl") records, $bulk_appends appends;" \
     "version-1 copy: $(wc -l < "$v1/log.jsonl") records, $(( $(stat -c %s "$v1/log.jsonl") / 1000000 )) MB"
# The copies say what they are: every append signed, or every record version 1.
"$bin" verify --ledger "$signed" | grep -q "every append, by its operator's registered key"
"$bin" verify --ledger "$bulk" | grep -q "every append, by its operator's registered key"
"$bin" verify --ledger "$v1" > "$work/v1.verdict"
grep -q "a version-1 log" "$work/v1.verdict" || { cat "$work/v1.verdict"; exit 1; }

# interleaved RUNS COMMAND [; COMMAND...]: runs the commands in turn, RUNS rounds (so that a change
# of the machine's load falls on all of them alike), and prints per command one line "wall cpu":
# the medians in ms of its wall-clock time (process start included) and of its CPU time (user +
# system), then the lowest and highest CPU times. Commands are separated by a lone ';'.
interleaved() {
  python3 - "$@" <<'PY'
import os, statistics, subprocess, sys, time
runs, commands, current = int(sys.argv[1]), [], []
for word in sys.argv[2:] + [";"]:
    if word == ";":
        commands.append(current)
        current = []
    else:
        current.append(word)
walls, cpus = [[] for _ in commands], [[] for _ in commands]
for _ in range(runs):
    for index, command in enumerate(commands):
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        walls[index].append((time.perf_counter() - start) * 1000)
        cpus[index].append((usage.ru_utime + usage.ru_stime) * 1000)
        if os.waitstatus_to_exitcode(status) != 0: sys.exit(f"failed: {command}")
for wall, cpu in zip(walls, cpus):
    print(f"{statistics.median(wall):.1f} {statistics.median(cpu):.1f} {min(cpu):.0f}-{max(cpu):.0f}")
PY
}
ratio() { python3 -c "print(f'{$1 / $2:.2f}x')"; }
row() { printf '  %-58s %9s %9s  %s\n' "$1" "$2" "$3" "${4:-}"; }

runs=5
echo
echo "== (a) verify of $count records ($appends signed appends) vs the same bytes hashed, and without signatures"
echo "   load average: $(cut -d' ' -f1-3 /proc/loadavg) (on $(nproc) cores); medians of $runs interleaved runs, ms"
{ read -r sha_wall sha_cpu sha_range; read -r signed_wall signed_cpu signed_range; read -r v1_wall v1_cpu v1_range
  read -r bulk_wall bulk_cpu bulk_range; } < <(
  interleaved $runs openssl dgst -sha256 "$signed/log.jsonl" \; "$bin" verify --ledger "$signed" \; \
    "$bin" verify --ledger "$v1" \; "$bin" verify --ledger "$bulk")
printf '  %-58s %9s %9s  %s\n' "" wall cpu "cpu range"
row "openssl dgst -sha256 over the signed log" "$sha_wall" "$sha_cpu" "$sha_range"
row "ledger verify, signed history ($appends appends)" "$signed_wall" "$signed_cpu" \
    "$signed_range; $(ratio "$signed_wall" "$sha_wall") openssl (wall), $(ratio "$signed_cpu" "$sha_cpu") (cpu)"
row "ledger verify, version-1 copy (no signature)" "$v1_wall" "$v1_cpu" "$v1_range"
row "ledger verify, fewer, larger appends ($bulk_appends appends)" "$bulk_wall" "$bulk_cpu" "$bulk_range"
python3 - "$signed_wall" "$signed_cpu" "$v1_wall" "$v1_cpu" "$bulk_wall" "$bulk_cpu" "$appends" "$bulk_appends" "$count" <<'PY'
import sys
sw, sc, vw, vc, bw, bc = map(float, sys.argv[1:7])
appends, bulk_appends, count = map(int, sys.argv[7:])
print(f"  signed vs version 1: {sw / vw:.2f}x wall, {sc / vc:.2f}x cpu; the signatures and their bookkeeping cost "
      f"{sw - vw:.0f} ms wall, {sc - vc:.0f} ms cpu: {(sc - vc) * 1000 / appends:.0f} us cpu per signature")
print(f"  signed vs fewer, larger appends: {sw / bw:.2f}x wall, {sc / bc:.2f}x cpu "
      f"({appends - bulk_appends:,} more signatures: {(sc - bc) * 1000 / max(1, appends - bulk_appends):.0f} us cpu each)")
print(f"  verify throughput, signed: {count / sw * 1000:,.0f} records/s wall")
PY

echo
echo "== (b) one append, a signed note (process start included), median of 21 interleaved runs, ms"
# On copies, so that the ledgers of (a) stay as built: the signed ledger as its import left it
# (its newest state snapshot some records behind the head, as the snapshot policy leaves it), and
# with a snapshot at the head (cache/snapshots/ removed, then one append rebuilds and seals one).
rm -rf "$work/append-as-left" "$work/append-fresh" "$work/append-empty"
cp -a "$signed" "$work/append-as-left"
cp -a "$signed" "$work/append-fresh"
cp -a "$empty" "$work/append-empty"
note=(--operator "$founder" --key "$keys/$founder.key" --type note.recorded --payload '{"text":"latency"}')
rm -rf "$work/append-fresh/cache/snapshots"
"$bin" append --ledger "$work/append-fresh" "${note[@]}" > /dev/null
snapshot_of() { ls "$1/cache/snapshots" | sed -n 's/^state-core-[^-]*-\([0-9]*\)\.snap$/\1/p' | sort -n | tail -1; }
left_covered=$(snapshot_of "$work/append-as-left")
{ read -r empty_wall empty_cpu _; read -r left_wall left_cpu _; read -r fresh_wall fresh_cpu _; } < <(
  interleaved 21 "$bin" append --ledger "$work/append-empty" "${note[@]}" \; \
    "$bin" append --ledger "$work/append-as-left" "${note[@]}" \; "$bin" append --ledger "$work/append-fresh" "${note[@]}")
printf '  %-58s %9s %9s\n' "" wall cpu
row "append on an empty ledger" "$empty_wall" "$empty_cpu"
row "on the signed ledger of $count records, as imported" "$left_wall" "$left_cpu" \
    "$(ratio "$left_wall" "$empty_wall") empty (wall), $(ratio "$left_cpu" "$empty_cpu") (cpu)"
row "the same with a snapshot at the head" "$fresh_wall" "$fresh_cpu" \
    "$(ratio "$fresh_wall" "$empty_wall") empty (wall), $(ratio "$fresh_cpu" "$empty_cpu") (cpu)"
echo "  as imported, the newest snapshot covered $left_covered of $count records: each append folds the rest"
rm -rf "$work/append-as-left" "$work/append-fresh" "$work/append-empty"

echo
echo "== (c) Ed25519: ours vs openssl speed (scripts/bench_ed25519.sh 2)"
bash scripts/bench_ed25519.sh 2 | tee "$work/ed25519.txt" | sed 's/^/  /'

echo
echo "== (d) one signature per append vs one per record: verifying the history's signatures"
"$bench" signatures --records "$count" --appends "$appends" > "$work/signatures.txt"
python3 - "$work/signatures.txt" "$work/ed25519.txt" "$signed_wall" "$count" "$appends" <<'PY'
import sys
measures = {}
for line in open(sys.argv[1]):
    name, items, nanoseconds = line.split()
    measures[name] = (int(items), int(nanoseconds))
rates = {}
for line in open(sys.argv[2]):
    fields = line.split()
    if len(fields) >= 3 and fields[0] == "ours":
        rates[fields[1]] = int(fields[2])
verify_ms, count, appends = float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
print(f"  command: ledger-bench signatures --records {count} --appends {appends}")
for way, label in (("engine", "one at a time (groups of 256 on every core, as verify did before batches)"), ("batch", "by batch verification (every core)")):
    n, record_ns = measures["per-record-" + way]
    a, append_ns = measures["per-append-" + way]
    print(f"  {label}:")
    print(f"    one per record: {n:>9,} signatures {record_ns / 1e6:10.1f} ms  ({record_ns / 1e6 / verify_ms:.2f}x the whole signed verify of (a))")
    print(f"    one per append: {a:>9,} signatures {append_ns / 1e6:10.1f} ms  ({append_ns / 1e6 / verify_ms:.3f}x it)")
    print(f"    per record / per append: {record_ns / append_ns:.0f}x")
if "sign" in rates:
    print(f"  signing (one core, {rates['sign']:,}/s, (c)): one per record {count / rates['sign']:.1f} s for the history,"
          f" one per append {appends / rates['sign']:.2f} s; a batch of 5,000 records: {5000 / rates['sign'] * 1000:.0f} ms per record-signed batch"
          f" vs {1000 / rates['sign']:.2f} ms")
PY

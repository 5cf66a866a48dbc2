#!/usr/bin/env bash
# Benchmarks of the projections (issue 4), each measured side by side in one run, on two ledger
# shapes of EVENTS records: a fund (scripts/gen_fund_history.py: mostly contributions, so the
# state holds one entry per contribution, with ballots, commitments, disbursements, repayments)
# and a contrast shape (scripts/gen_events.py: notes only, each with an idempotency key, so the
# state holds only the keys). Both are
# signed (log format version 2): every operator has a key pair (made in the work directory,
# outside the ledgers) and every append is signed by its operator's key.
#   1. `ledger balances` rebuilt from the genesis (no snapshot: the rules and the projections it
#      prints) vs `hledger bal` and ledger-cli's `bal` on `ledger export --format hledger` of the
#      fund ledger, and every projection rebuilt (`ledger party statement`, on the fund);
#   2. peak memory of those rebuilds at 100k records (--at 99999) and at EVENTS records;
#   3. a report with a fresh snapshot (median of 11);
#   4. one append on the EVENTS-record ledgers vs on an empty one (a note) and on a small fund
#      (a contribution, which looks its reference up in the bulk tables) (median of 21), and a
#      contribution onto the fund whose snapshot is about 1,000 and 8,000 records behind (median of 11);
#   5. a batch of 100,000 contributions onto the fund ledger vs onto the small fund: from one
#      donor, then from every person the history registered (a bank statement's shape).
# Usage: scripts/bench_projections.sh [EVENTS]   (default 1,000,000; hledger and ledger-cli are
# stopped after TOOL_TIMEOUT seconds, default 600, and the timeout is reported).
# SHAPE=mixed gives the fund the shape of issue 14 (gen_fund_history.py --shape mixed: about a
# third contributions, a third ballots, votes and decisions, a sixth disbursements, repayments),
# and adds `ledger verify` of the fund against `openssl dgst -sha256` on the same bytes.
# Debian's ledger-cli also installs a `ledger` binary: ours is called by its build path.
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-1000000}
history_shape=${SHAPE:-fund}
timeout_seconds=${TOOL_TIMEOUT:-600}
swift build -c release >/dev/null
work=$(mktemp -d /tmp/ledger-bench-projections.XXXXXX)
trap 'rm -rf "$work"' EXIT
# A copy: a build during the run (it lasts half an hour at 1.6M records) must not change what is measured.
cp .build/release/ledger "$work/ledger"
bin=$work/ledger
# shellcheck source=scripts/bench_fund.sh
source scripts/bench_fund.sh   # make_keys, as, import_history, gifts, now, seconds
make_keys

# `measure LABEL COMMAND...`: wall time and peak memory (GNU time), one line.
measure() {
    local label=$1; shift
    local status=0
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || status=$?
    read -r wall kilobytes < <(tail -1 "$work/time")
    local note=""
    [ "$status" -eq 124 ] && note="  TIMED OUT after ${timeout_seconds} s"
    [ "$status" -ne 0 ] && [ "$status" -ne 124 ] && note="  (exit $status: $(head -c 200 "$work/stderr"))"
    printf '%-58s %8.2f s  %8.0f MB%s\n' "$label" "$wall" "$(python3 -c "print($kilobytes / 1024)")" "$note"
}

# `ratio LABEL A B`: A / B, from the walls `measure` left in $wall.
ratio() { python3 -c "print(f'{\"$1\":<58} {$2 / $3:8.2f}x')"; }

median() {  # median of N runs of a command, in milliseconds
    local runs=$1; shift
    local out=()
    for _ in $(seq 1 "$runs"); do
        local t0; t0=$(now); "$@" >/dev/null; local t1; t1=$(now)
        out+=("$(seconds "$t0" "$t1")")
    done
    printf '%s\n' "${out[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p" | python3 -c "import sys; print(f'{float(sys.stdin.read()) * 1000:.1f}')"
}

echo "== building the ledgers ($events records each)"
t0=$(now)
import_history "$events" "$work/fund" "$work/snapshots-behind"
t1=$(now)
fund_records=$(( $(wc -l < "$work/fund/log.jsonl") ))
echo "fund ledger: $fund_records records, $(( $(stat -c %s "$work/fund/log.jsonl") / 1000000 )) MB, built in $(seconds "$t0" "$t1") s ($(ls "$work"/fund/cache/snapshots | wc -l) snapshot files)"
as OP-BENCH init --ledger "$work/notes" --origin bench.example/notes --name "Notes" >/dev/null
for ((start = 0; start < events; start += 100000)); do
    n=$(( events - start < 100000 ? events - start : 100000 ))
    python3 scripts/gen_events.py "$n" "$start" > "$work/batch.jsonl"
    as OP-BENCH append --ledger "$work/notes" --batch "$work/batch.jsonl" >/dev/null
done
echo "notes ledger: $(( $(wc -l < "$work/notes/log.jsonl") )) records, $(( $(stat -c %s "$work/notes/log.jsonl") / 1000000 )) MB"
echo "fund ledger's events: $(python3 -c '
import collections, json, sys
counts = collections.Counter(json.loads(line)["type"].split(".")[0] for line in open(sys.argv[1], "rb"))
total = sum(counts.values())
print(", ".join("%s %.0f %%" % (family, 100 * n / total) for family, n in counts.most_common(8)))' "$work/fund/log.jsonl")"
if [ "$history_shape" = mixed ]; then
    echo
    echo "== 0. verify the fund ledger vs openssl dgst -sha256 on the same bytes"
    measure "openssl dgst -sha256 log.jsonl" openssl dgst -sha256 "$work/fund/log.jsonl"
    openssl_wall=$wall
    measure "ledger verify, fund ledger" "$bin" verify --ledger "$work/fund"
    ratio "ratio: ledger verify / openssl dgst" "$wall" "$openssl_wall"
fi

echo
echo "== 1. balances rebuilt from the genesis vs plain-text accounting on the same history"
"$bin" export --ledger "$work/fund" --format hledger > "$work/fund.journal"
transactions=$(grep -c '^    ; seq: ' "$work/fund.journal")
echo "export: $transactions transactions, $(( $(stat -c %s "$work/fund.journal") / 1000000 )) MB (ledger export --format hledger)"
for shape in fund notes; do
    rm -rf "$work/$shape/cache/snapshots"
    measure "ledger balances, $shape ledger, no snapshot (rebuild)" "$bin" balances --ledger "$work/$shape"
    [ "$shape" = fund ] && rebuild_wall=$wall
done
measure "ledger party statement, fund ledger, no snapshot (every projection rebuilt)" "$bin" party statement P-000001 --ledger "$work/fund"
if command -v hledger >/dev/null 2>&1; then
    measure "hledger bal ($(hledger --version | head -1 | cut -d, -f1))" timeout "$timeout_seconds" hledger -f "$work/fund.journal" bal
    ratio "ratio: hledger bal / ledger rebuild (fund)" "$wall" "$rebuild_wall"
else
    echo "hledger: not installed (apt-get install -y hledger)"
fi
if [ -x /usr/bin/ledger ]; then
    measure "ledger-cli bal ($(/usr/bin/ledger --version | head -1 | cut -d, -f1))" timeout "$timeout_seconds" /usr/bin/ledger -f "$work/fund.journal" bal
    ratio "ratio: ledger-cli bal / ledger rebuild (fund)" "$wall" "$rebuild_wall"
else
    echo "ledger-cli: not installed (apt-get install -y ledger)"
fi

echo
echo "== 2. peak memory of the rebuild (the fund's state grows with its contributions, the notes' with their idempotency keys)"
for shape in fund notes; do
    measure "rebuild, $shape ledger, 100,000 records (--at 99999)" "$bin" balances --ledger "$work/$shape" --at 99999
    rm -rf "$work/$shape/cache/snapshots"
    measure "rebuild, $shape ledger, $events records" "$bin" balances --ledger "$work/$shape"
done
measure "every projection rebuilt, fund ledger, $events records" "$bin" party statement P-000001 --ledger "$work/fund"

echo
echo "== 3. a report with a fresh snapshot (median of 11, process start included)"
# A reader never writes a snapshot (only a writer seals one, after its own append): one signed
# note per ledger folds the log from the genesis and saves a fresh snapshot.
declare -A writer=([fund]=OP-SAISIE [notes]=OP-BENCH)
for shape in fund notes; do
    as "${writer[$shape]}" append --ledger "$work/$shape" --type note.recorded --payload '{"text":"snapshot"}' >/dev/null
    [ -n "$(ls "$work/$shape/cache/snapshots" 2>/dev/null)" ] || { echo "no snapshot was saved in $shape" >&2; exit 1; }
    for report in "balances" "balances --by territory" "ballots" "project list" "fund status"; do
        # shellcheck disable=SC2086
        echo "$shape ledger, ledger $report: $(median 11 "$bin" $report --ledger "$work/$shape") ms"
    done
done
party=P-000001   # registered early in every history gen_fund_history.py writes
echo "fund ledger, ledger party statement $party: $(median 11 "$bin" party statement "$party" --ledger "$work/fund") ms"
for shape in fund notes; do
    echo "$shape snapshot files (KB): $(du -k "$work/$shape"/cache/snapshots/* | awk '{ sub(/.*\//, "", $2); printf "%s %s  ", $2, $1 }')"
done

echo
echo "== 4. one append (process start included), median of 21"
as OP-BENCH init --ledger "$work/empty" --origin bench.example/empty --name "Empty" >/dev/null
last_date=$(tail -1 "$work/fund/log.jsonl" | grep -o '"effective":"[0-9-]*"' | cut -d'"' -f4)
note() { as "$2" append --ledger "$1" --type note.recorded --payload '{"text":"latency"}' --date "$last_date"; }
empty=$(median 21 note "$work/empty" OP-BENCH)
notes=$(median 21 note "$work/notes" OP-BENCH)
fund=$(median 21 note "$work/fund" OP-SAISIE)
python3 -c "print(f'a note: empty ledger {$empty} ms; notes ledger of {$events:,}: {$notes} ms ({$notes/$empty:.2f}x); fund ledger of {$fund_records:,}: {$fund} ms ({$fund/$empty:.2f}x)')"
# A contribution needs a fund and a party: the small fund is the same history cut at 2,000 events.
import_history 2000 "$work/small"
counter=0
gift() {
    counter=$((counter + 1))
    as OP-SAISIE contribution record --ledger "$1" --party "$party" --fund citoyens --instrument donation --amount 20 \
        --ref "BENCH-$counter-$RANDOM" --date "$last_date"
}
small=$(median 21 gift "$work/small")
big=$(median 21 gift "$work/fund")
python3 -c "print(f'a contribution: small fund (2,000 records) {$small} ms; fund ledger of {$fund_records:,}: {$big} ms ({$big/$small:.2f}x)')"
# The same with the snapshot behind: one saved before the last batch of the import, or before
# its last 8, is put back before each run (not timed), so that each append folds the records
# since it first. (A writer saves a snapshot once 512 records are folded past the newest, so
# it folds at most 511 unless a save failed or the cache was restored from a copy.)
cp -a "$work/fund/cache/snapshots" "$work/snapshots-fresh"   # put back after, for section 5
for left in 1 8; do
    if [ -z "${behind_at[$left]:-}" ]; then
        echo "a contribution, the snapshot $left batches behind: not measured (the import had fewer than 9 batches)"
        continue
    fi
    behind=$(( $(wc -l < "$work/fund/log.jsonl") - behind_at[$left] ))
    behind_runs=()
    for _ in $(seq 1 11); do
        rm -rf "$work/fund/cache/snapshots" && cp -a "$work/snapshots-behind-$left" "$work/fund/cache/snapshots"
        t0=$(now); gift "$work/fund" >/dev/null; t1=$(now)
        behind_runs+=("$(seconds "$t0" "$t1")")
    done
    late=$(printf '%s\n' "${behind_runs[@]}" | sort -n | sed -n 6p | python3 -c "import sys; print(f'{float(sys.stdin.read()) * 1000:.1f}')")
    python3 -c "print(f'a contribution, the snapshot {$behind:,} to {$behind + 10:,} records behind (median of 11): {$late} ms ({$late/$small:.2f}x the small fund)')"
done
rm -rf "$work/fund/cache/snapshots" && mv "$work/snapshots-fresh" "$work/fund/cache/snapshots"

echo
echo "== 5. a batch of 100,000 contributions (ledger append --batch), process start included"
gifts 1 BATCH "$last_date" > "$work/gifts.jsonl"
for shape in small fund; do
    measure "100,000 contributions onto the $shape ledger" "$bin" append --ledger "$work/$shape" --batch "$work/gifts.jsonl" \
        --operator OP-SAISIE --key "$keys/OP-SAISIE.key"
done
# The same from many donors, as a bank's statement brings them: every person the history
# registered (gen_fund_history.py registers max(200, EVENTS / 50), P-000001 on), so that the
# batch touches tens of thousands of statements and references pages, not one.
for shape in small fund; do
    persons=200
    if [ "$shape" = fund ]; then persons=$(persons_of "$events"); fi
    gifts "$persons" DONORS "$last_date" > "$work/donors.jsonl"
    measure "100,000 contributions from $persons donors onto the $shape ledger" "$bin" append --ledger "$work/$shape" \
        --batch "$work/donors.jsonl" --operator OP-SAISIE --key "$keys/OP-SAISIE.key"
done

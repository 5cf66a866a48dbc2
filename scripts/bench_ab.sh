#!/usr/bin/env bash
# A before/after benchmark: a baseline build of ledger and this tree's, run alternately on the
# same fund, round after round, so that both meet the machine in the same state (on a shared
# or virtual machine the speed of the same command moves by a third from hour to hour, so
# figures from two invocations do not compare; alternations in one do).
#
# Usage: scripts/bench_ab.sh BASELINE [EVENTS] [ROUNDS]
#   BASELINE  a ledger binary, or a git revision of this repository (built in a temporary
#             worktree, which takes a few minutes)
#   EVENTS    the fund's history (scripts/gen_fund_history.py --shape mixed), default 1,640,000
#   ROUNDS    alternations, default 7; each figure is the median of ROUNDS runs
#   MEASURES  (environment) the measures to take, by the names below, default all of them
# Measured, in each round baseline first then this tree's:
#   - verify: `ledger verify` of the fund;
#   - rebuild: its rebuild without snapshot (`ledger balances` on a copy without cache/snapshots:
#     the rules and the projections balances prints, Projections.Parts);
#   - rebuild-all (not by default): the same with every projection (`ledger party statement`,
#     which folds each party's statement lines and each ballot's votes too);
#   - small, fresh, behind-1, behind-8: one contribution appended onto a fund of 2,000 events,
#     onto the fund with a fresh snapshot, and onto the fund whose snapshot is put back to
#     before its last batch, and to before its last 8 (about 1,000 and 8,000 records behind:
#     each such append folds them);
#   - batch-one, batch-many: on a fresh copy of the fund, 100,000 contributions from one donor
#     in one batch, then 100,000 from every person the history registered;
#   - import (not by default: about 90 s a run at 1.64M events): the history imported again onto
#     a new ledger, batch by batch, with every snapshot its saves write; its total time, and
#     the largest peak memory of one of its commands.
# By default both builds run on the fund this tree's build imported, with the snapshots it
# wrote: a baseline of another snapshot layout (the layout in the files' names, Specs/reports.md
# section 6) then folds from the genesis, and the figures show it. With OWN_SNAPSHOTS=1 each
# build imports the fund itself and is measured on its own snapshots (twice the import's time):
# for a baseline of another layout, or another save policy, whose snapshots differ in shape.
# Debian's ledger-cli installs a `ledger` too: builds are called by path.
set -euo pipefail
cd "$(dirname "$0")/.."
baseline=${1:?usage: scripts/bench_ab.sh BASELINE [EVENTS] [ROUNDS]}
events=${2:-1640000}
rounds=${3:-7}
history_shape=mixed
work=$(mktemp -d /tmp/ledger-bench-ab.XXXXXX)
trap 'rm -rf "$work"; [ -d "$work.base" ] && git worktree remove --force "$work.base" >/dev/null 2>&1 || true' EXIT

swift build -c release >/dev/null
cp .build/release/ledger "$work/new"
if [ -x "$baseline" ] && [ -f "$baseline" ]; then
    cp "$baseline" "$work/old"
else
    git worktree add --detach "$work.base" "$baseline" >/dev/null
    (cd "$work.base" && swift build -c release >/dev/null)
    cp "$work.base/.build/release/ledger" "$work/old"
fi
echo "baseline: $baseline; new: this tree ($(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ', with changes'))"

# shellcheck source=scripts/bench_fund.sh
source scripts/bench_fund.sh
bin=$work/new
make_keys
# `prepare BUILD`: in $work/data.BUILD, the fund and a small one as BUILD imports them, with the
# snapshots kept on the way (before the last batch and the last 8), a fresh snapshot as a fold
# from the genesis writes it (one base file, as the bench's sections 4 and 5 find it), and a
# copy without snapshots whose other caches are made before the rounds.
prepare() {
    local data=$work/data.$1
    bin=$work/$1
    mkdir -p "$data"
    behind_at=()
    import_history "$events" "$data/fund" "$data/snapshots-behind"
    import_history 2000 "$data/small"
    [ -n "${behind_at[8]:-}" ] || { echo "the import had fewer than 9 batches: use more EVENTS" >&2; exit 1; }
    last_date=$(tail -1 "$data/fund/log.jsonl" | grep -o '"effective":"[0-9-]*"' | cut -d'"' -f4)
    rm -rf "$data/fund/cache/snapshots"
    as OP-SAISIE append --ledger "$data/fund" --type note.recorded --payload '{"text":"snapshot"}' --date "$last_date" >/dev/null
    cp -a "$data/fund/cache/snapshots" "$data/snapshots-fresh"
    cp -a "$data/fund" "$data/bare" && rm -rf "$data/bare/cache/snapshots"
    "$bin" balances --ledger "$data/bare" >/dev/null
    local records; records=$(wc -l < "$data/fund/log.jsonl")
    echo "fund imported by the $1 build: $records records; snapshots $(( records - behind_at[1] )) and" \
         "$(( records - behind_at[8] )) records behind"
}
prepare new
if [ -n "${OWN_SNAPSHOTS:-}" ]; then prepare old; fi
# The data a build is measured on: its own, or this tree's.
data_of() { if [ -n "${OWN_SNAPSHOTS:-}" ]; then echo "$work/data.$1"; else echo "$work/data.new"; fi; }
# The import measure appends the history's batches again (the generator is deterministic).
measures=" ${MEASURES:-verify rebuild small fresh behind-1 behind-8 batch-one batch-many} "
wanted() { [[ "$measures" == *" $1 "* ]]; }
if wanted import; then python3 scripts/gen_fund_history.py "$events" "$work/import-batches" "$keys" --shape "$history_shape" >/dev/null; fi
gifts 1 ONE "$last_date" > "$work/one.jsonl"
gifts "$(persons_of "$events")" MANY "$last_date" > "$work/many.jsonl"
echo "$rounds rounds"

# `timed NAME BUILD LEDGER-ARGUMENTS...`: runs BUILD's ledger with the arguments and appends its
# wall time (ms) and peak memory (MB, GNU time) to $work/times/NAME.BUILD (a measure MEASURES
# leaves out is not run).
mkdir -p "$work/times"
timed() {
    local name=$1 build=$2; shift 2
    wanted "$name" || return 0
    local t0; t0=$(now); /usr/bin/time -f %M -o "$work/peak" "$work/$build" "$@" >/dev/null; local t1; t1=$(now)
    python3 -c "print(f'{($t1 - $t0) * 1000:.1f} {$(tail -1 "$work/peak") / 1024:.1f}')" >> "$work/times/$name.$build"
}
signed=(--operator OP-SAISIE --key "$keys/OP-SAISIE.key")
counter=0
gift() {   # `gift LEDGER`: in $gift, the arguments of one contribution, as a clerk enters it
    counter=$((counter + 1))
    gift=(contribution record --ledger "$1" --party P-000001 --fund citoyens --instrument donation --amount 20
          --ref "AB-$counter" --date "$last_date" "${signed[@]}")
}
# `gift_onto NAME BUILD SNAPSHOTS`: a contribution onto BUILD's fund, its snapshots put back to
# its SNAPSHOTS first (not timed, and not done for a measure MEASURES leaves out).
gift_onto() {
    wanted "$1" || return 0
    local data; data=$(data_of "$2")
    rm -rf "$data/fund/cache/snapshots" && cp -a "$data/$3" "$data/fund/cache/snapshots"
    gift "$data/fund"; timed "$1" "$2" "${gift[@]}"
}

# `timed_import BUILD`: the import measure (see above) by BUILD onto a new ledger.
timed_import() {
    wanted import || return 0
    rm -rf "$work/imported"
    "$work/$1" init --ledger "$work/imported" --origin bench.example/imported --name Fonds --date 2024-03-26 \
        --operator OP-FONDATEUR --key "$keys/OP-FONDATEUR.key" >/dev/null
    local total=0 peak=0 batch name t0   # nanoseconds, kilobytes (no interpreter started per batch)
    for batch in "$work"/import-batches/*.jsonl; do
        name=$(basename "$batch" .jsonl)
        t0=$(date +%s%N)
        /usr/bin/time -f %M -o "$work/peak" "$work/$1" append --ledger "$work/imported" --batch "$batch" \
            --operator "${name#*-}" --key "$keys/${name#*-}.key" >/dev/null
        total=$(( total + $(date +%s%N) - t0 ))
        peak=$(( $(tail -1 "$work/peak") > peak ? $(tail -1 "$work/peak") : peak ))
    done
    python3 -c "print(f'{$total / 1e6:.1f} {$peak / 1024:.1f}')" >> "$work/times/import.$1"
}
for round in $(seq 1 "$rounds"); do
    for build in old new; do
        data=$(data_of "$build")
        timed verify "$build" verify --ledger "$data/fund"
        timed rebuild "$build" balances --ledger "$data/bare"
        timed rebuild-all "$build" party statement P-000001 --ledger "$data/bare"
        gift "$data/small"; timed small "$build" "${gift[@]}"
        gift_onto fresh "$build" snapshots-fresh
        for left in 1 8; do gift_onto "behind-$left" "$build" "snapshots-behind-$left"; done
        timed_import "$build"
        # When both batches are measured, the many donors' follows the one donor's on the same copy, as in the bench.
        wanted batch-one || wanted batch-many || continue
        rm -rf "$work/copy" && cp -a "$data/bare" "$work/copy" && cp -a "$data/snapshots-fresh" "$work/copy/cache/snapshots" && sync
        timed batch-one "$build" append --ledger "$work/copy" --batch "$work/one.jsonl" "${signed[@]}"
        timed batch-many "$build" append --ledger "$work/copy" --batch "$work/many.jsonl" "${signed[@]}"
    done
    echo "round $round of $rounds done"
done

python3 - "$work/times" <<'PY'
import os, statistics, sys
times = sys.argv[1]
labels = [("verify", "ledger verify"), ("rebuild", "rebuild, no snapshot (balances)"),
          ("rebuild-all", "rebuild, every projection (party statement)"),
          ("small", "a contribution, fund of 2,000 events"), ("fresh", "a contribution, fresh snapshot"),
          ("behind-1", "a contribution, snapshot 1 batch behind"), ("behind-8", "a contribution, snapshot 8 batches behind"),
          ("batch-one", "100,000 contributions, one donor"), ("batch-many", "100,000 contributions, every person"),
          ("import", "the history imported, batch by batch")]
print(f"{'median of each: time (ms), peak memory (MB)':<44} {'baseline':>9} {'new':>9} {'new/base':>9}   runs (baseline | new)")
for name, label in labels:
    if not os.path.exists(os.path.join(times, f"{name}.old")): continue
    runs = {build: [tuple(map(float, line.split())) for line in open(os.path.join(times, f"{name}.{build}"))] for build in ("old", "new")}
    for column, unit in ((0, "ms"), (1, "MB")):
        old, new = (statistics.median(run[column] for run in runs[build]) for build in ("old", "new"))
        spread = " | ".join(" ".join(f"{v:.0f}" for v in sorted(run[column] for run in runs[build])) for build in ("old", "new"))
        print(f"{label + ', ' + unit:<44} {old:9.1f} {new:9.1f} {new / old:9.3f}   {spread}")
PY

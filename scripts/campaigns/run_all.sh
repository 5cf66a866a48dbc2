#!/usr/bin/env bash
# Runs every reliability campaign and prints one summary table; exits 1 if any check failed.
#
#   scripts/campaigns/run_all.sh --quick            CI size, a few minutes on 2 cores
#   scripts/campaigns/run_all.sh                    full size (the figures we publish)
#   options: --bin PATH (default: $LEDGER_BIN, else `swift build -c release` and its ledger)
#            --only crash,tamper (a subset)   --strict (known issues fail too)   --keep
#
# Our binary is always called by path: Debian's ledger-cli is also named `ledger`.
# Each campaign prints its own tables and one "TOTALS {json}" line; the totals of this run are
# also kept in the file named by --totals (default: /tmp/campaigns-totals-<time>.jsonl).
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"

size=""
bin="${LEDGER_BIN:-}"
only="crash,concurrency,tamper,hostile,fuzz,resources,insider"
extra=()
totals="/tmp/campaigns-totals-$(date +%Y%m%d-%H%M%S).jsonl"
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) size="--quick" ;;
        --bin) bin="$2"; shift ;;
        --only) only="$2"; shift ;;
        --strict) extra+=("--strict") ;;
        --keep) extra+=("--keep") ;;
        --totals) totals="$2"; shift ;;
        *) echo "run_all.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

if [ -z "$bin" ]; then
    swift build -c release --product ledger >&2 || { echo "run_all.sh: the release build failed" >&2; exit 1; }
    bin="$(swift build -c release --show-bin-path)/ledger"
fi
[ -x "$bin" ] || { echo "run_all.sh: no ledger binary at $bin" >&2; exit 1; }
: > "$totals"

failed=()
started=$(date +%s)
for campaign in ${only//,/ }; do
    script="$repo/scripts/campaigns/$campaign.py"
    [ -f "$script" ] || { echo "run_all.sh: no campaign $campaign" >&2; exit 2; }
    flags=("${extra[@]}")
    # crash/concurrency/tamper/fuzz take no --strict of their own where it has no meaning.
    case "$campaign" in concurrency|fuzz) flags=(); for f in "${extra[@]}"; do [ "$f" = "--keep" ] && flags+=("$f"); done ;; esac
    echo
    echo "================ $campaign ${size:-(full size)} ================"
    campaign_started=$(date +%s)
    if ! python3 "$script" $size --bin "$bin" --totals-file "$totals" ${flags[@]+"${flags[@]}"}; then
        failed+=("$campaign")
    fi
    echo "($campaign: $(( $(date +%s) - campaign_started )) s)"
done
elapsed=$(( $(date +%s) - started ))

python3 - "$totals" "$elapsed" "${size:-full}" <<'EOF'
import json, sys
path, elapsed, size = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = []
for line in open(path):
    t = json.loads(line[len("TOTALS "):])
    c = t["campaign"]
    if c == "crash":
        what = "%d kill -9 runs, %d crash states, %d faults; %d records acknowledged; lost %d; duplicate keys %d" % (
            t["runs"], t["crash_states"], t["faults_injected"], t["records_acknowledged"], t["acknowledged_lost"], t["duplicates"])
    elif c == "concurrency":
        what = "%d writers x %d appends: %d new records (expected %d), %d failed; lost %d; reader %d passes" % (
            t["writers"], t["appends_per_writer"], t["new_records"], t["expected_new_records"], t["appends_failed"],
            t["acknowledged_lost"], t["reader_log_runs"])
    elif c == "tamper":
        what = "%d changes: %.2f %% right kind and place, %d alarms; %d false alarms; independent agrees %d/%d" % (
            t["changes_detectable"], t["detection_rate_percent"], t["alarms_raised"], t["false_alarms"],
            t["independent_agreement"], t["independent_compared"])
    elif c == "hostile":
        what = "%d cases, %d as expected, %d business-rule cases" % (t["cases"], t["as_expected"], t["rule_cases"])
    elif c == "fuzz":
        lf = t["libfuzzer"]
        fuzz = "libFuzzer %s inputs in %s s" % (lf.get("runs"), lf.get("seconds")) if lf.get("status") == "ran" else "libFuzzer " + lf.get("status", "?")
        what = "%s; %d CLI mutations, independent agrees %d" % (fuzz, t["mutation_runs"], t["independent_agreement"])
    elif c == "resources":
        what = "%d scenarios run, %d skipped; lost %d" % (t["ran"], len(t["skipped"]), t["acknowledged_lost"])
    elif c == "insider":
        what = "%d scenarios, %d reports compared; lies %d (%d unexplained), rule-breaking appends %d (%d unexplained), " \
               "files outside touched %d" % (t["scenarios"], t["reports_compared"], t["lies_printed"], t["lies_unexplained"],
                                             t["rule_breaking_appended"], t["rule_breaking_unexplained"], t["files_outside_touched"])
        if t["skipped"]:
            what += "; skipped: " + ", ".join(t["skipped"])
    else:
        what = ""
    known = ", ".join("%s x%d" % (k.split("-")[0], v) for k, v in sorted(t.get("known_issues", {}).items()))
    crashes = "%d (%d unexplained)" % (t.get("crashes", 0), t.get("crashes_unexpected", t.get("crashes", 0)))
    rows.append([c, "PASS" if t["passed"] else "FAIL", crashes, known or "-", what])
header = ["campaign", "result", "crashes", "known issues", "figures"]
widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
print()
print("Reliability campaigns (%s size), %d s" % (size, elapsed))
for i, row in enumerate([header] + rows):
    print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    if i == 0:
        print("  ".join("-" * width for width in widths))
print("totals: " + path)
EOF

if [ ${#failed[@]} -gt 0 ]; then
    echo "FAILED: ${failed[*]}"
    exit 1
fi
echo "all campaigns passed"

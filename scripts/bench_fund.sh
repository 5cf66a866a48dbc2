# Sourced by the benchmarks that measure a fund's history (scripts/bench_projections.sh,
# scripts/bench_ab.sh): its operators' keys, its signed import batch by batch, the bank
# statements appended onto it, and timing helpers. Needs $work (a scratch directory), $bin
# (the ledger binary that imports) and $history_shape (fund or mixed).

# `make_keys`: a key pair for every operator of gen_fund_history.py, and OP-BENCH, in $work/keys.
make_keys() {
    keys=$work/keys; mkdir -p "$keys"
    for operator in $(python3 scripts/gen_fund_history.py --operators) OP-BENCH; do
        "$bin" keygen --name "$operator" --output "$keys/$operator" >/dev/null
    done
}

# `as OPERATOR COMMAND...`: runs ledger COMMAND as OPERATOR, signed with their key.
as() { local operator=$1; shift; "$bin" "$@" --operator "$operator" --key "$keys/$operator.key"; }

# `import_history EVENTS DIR [BEHIND]`: a signed fund ledger of EVENTS records in DIR, batch by
# batch. With BEHIND, the snapshots before its last batch and before its last 8 (about 1,000
# and 8,000 records of every kind) are kept as BEHIND-1 and BEHIND-8, and the fund's record
# count then in behind_at[1] and behind_at[8].
behind_at=()
import_history() {
    python3 scripts/gen_fund_history.py "$1" "$work/batches" "$keys" --shape "$history_shape" >/dev/null
    as OP-FONDATEUR init --ledger "$2" --origin "bench.example/$(basename "$2")" --name "Fonds" --date 2024-03-26 >/dev/null
    local batches=("$work"/batches/*.jsonl) index=0
    for batch in "${batches[@]}"; do
        name=$(basename "$batch" .jsonl)
        as "${name#*-}" append --ledger "$2" --batch "$batch" >/dev/null
        index=$((index + 1))
        local left=$(( ${#batches[@]} - index ))
        if [ -n "${3:-}" ] && { [ "$left" -eq 1 ] || [ "$left" -eq 8 ]; }; then
            cp -a "$2/cache/snapshots" "$3-$left"
            behind_at[$left]=$(( $(wc -l < "$2/log.jsonl") ))
        fi
    done
    rm -rf "$work/batches"
}

# `gifts PERSONS PREFIX DATE`: 100,000 contributions from P-000001 to P-PERSONS (one donor when
# PERSONS is 1), in a scattered order, their references PREFIX-0000000 on, as JSON Lines.
gifts() {
    python3 - "$1" "$2" "$3" <<'PY'
import json, sys
persons, prefix, date = int(sys.argv[1]), sys.argv[2], sys.argv[3]
for i in range(100000):
    party = "P-%06d" % (1 + (i * 7919) % persons)
    print(json.dumps({"type": "contribution.recorded", "effective": date, "payload": {"amount": 2000 + i % 500, "fund": "citoyens",
                      "instrument": "donation", "party": party, "ref": "%s-%07d" % (prefix, i)}}, separators=(",", ":")))
PY
}

# The persons a fund of EVENTS events registers (gen_fund_history.py: max(200, EVENTS / 50)).
persons_of() { echo $(( $1 / 50 > 200 ? $1 / 50 : 200 )); }

now() { date +%s.%N; }
seconds() { python3 -c "print(f'{$2 - $1:.3f}')"; }

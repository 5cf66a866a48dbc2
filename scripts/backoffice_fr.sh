#!/usr/bin/env bash
# A back office's day in French (--locale fr), command by command: set-up, gifts, a vote, a
# commitment, a disbursement, reports and a verification. Its output is compared with the
# checked-in transcript scripts/backoffice_fr.transcript, so that any change of what a treasurer
# reads (an amount's form, a column, a message) shows up as a diff to look at.
#
# Usage: scripts/backoffice_fr.sh [PATH/TO/ledger] [--update]
#   --update rewrites the transcript (after reading the diff).
# Reproducible: a simulated clock (one second per command) and the public test keys of
# Specs/vectors/keys/ (never to be used for a real ledger).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build/debug/ledger}
[ "${1:-}" = "--update" ] && BIN=.build/debug/ledger
UPDATE=no; for word in "$@"; do [ "$word" = "--update" ] && UPDATE=yes; done
EXPECTED=scripts/backoffice_fr.transcript

WORK=$(mktemp -d /tmp/ledger-backoffice-fr.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mkdir -m 700 "$WORK/cles"
for role in founder treasurer secretary clerk; do
    cp "Specs/vectors/keys/$role.key" "Specs/vectors/keys/$role.pub" "$WORK/cles/"
    chmod 600 "$WORK/cles/$role.key"
done
export LEDGER_DIR="$WORK/fonds" LEDGER_LOCALE=fr
declare -A KEYS=([OP-FONDATRICE]=founder [OP-TRESORIERE]=treasurer [OP-SECRETAIRE]=secretary [OP-SAISIE]=clerk)
step=0

# One command: echoed, run as OPERATOR with their key, its output and a non-zero status kept.
run() {
    local operator=$1; shift
    step=$((step + 1))
    local shown=() word
    for word in "$@"; do [[ "$word" == *" "* ]] && shown+=("\"$word\"") || shown+=("$word"); done
    echo "\$ ledger ${shown[*]}"
    local status=0
    LEDGER_NOW=$(printf '2026-03-02T09:%02d:%02d.000000Z' $((step / 60)) $((step % 60))) LEDGER_OPERATOR=$operator \
        LEDGER_KEY="$WORK/cles/${KEYS[$operator]}.key" "$BIN" "$@" 2>&1 || status=$?
    [ "$status" -eq 0 ] || echo "(statut de sortie $status)"
}

transcript() {
    run OP-FONDATRICE init --origin fonds.exemple/essai --name "Fonds d'essai" --date 2026-01-05 --simulated-clock
    run OP-FONDATRICE operator register --id OP-TRESORIERE --role treasurer --public-key "$WORK/cles/treasurer.pub" --date 2026-01-05
    run OP-FONDATRICE operator register --id OP-SECRETAIRE --role secretary --public-key "$WORK/cles/secretary.pub" --date 2026-01-05
    run OP-FONDATRICE operator register --id OP-SAISIE --role clerk --public-key "$WORK/cles/clerk.pub" --date 2026-01-05
    run OP-FONDATRICE territory define --code FR --name France --date 2026-01-05
    run OP-FONDATRICE territory define --code FR-BRE --name Bretagne --parent FR --date 2026-01-05
    run OP-FONDATRICE fund open --fund citoyens --name "Fondation citoyenne" --pool citizens --accepts donation,membership_fee --uses grant,loan --date 2026-01-05
    run OP-FONDATRICE body constitute --body CA --kind board --name "Conseil d'administration" --quorum 1/2 --majority simple \
        --abstentions excluded --blanks excluded --proxies-max 1 --amount-max "50 000" --date 2026-01-05
    for party in P-0001 P-0002 P-0003; do run OP-SAISIE party register --party $party --kind person --date 2026-01-06; done
    run OP-SAISIE party register --party ORG-0001 --kind organisation --date 2026-01-06
    for party in P-0001 P-0002 P-0003; do run OP-SECRETAIRE body add-member --body CA --party $party --date 2026-01-06; done
    run OP-SAISIE contribution record --party P-0001 --amount "1 234,50" --instrument donation --fund citoyens --ref VIR-2026-0001 --date 2026-01-10
    run OP-SAISIE contribution record --party P-0002 --amount "20,00" --instrument membership_fee --fund citoyens --ref COT-2026-0001 --date 2026-01-10
    run OP-SAISIE contribution record --party P-0003 --amount 250 --instrument donation --fund citoyens --ref VIR-2026-0002 --date 2026-01-11
    run OP-SAISIE contribution record --party P-0003 --amount "1.234,50" --instrument donation --fund citoyens --ref VIR-2026-0003 --date 2026-01-11
    run OP-SAISIE project apply --project PRJ-0001 --organisation ORG-0001 --territory FR-BRE --instrument grant --amount "1 000" --date 2026-01-12
    run OP-SECRETAIRE ballot open --ballot B-0001 --body CA --motion fund_project --project PRJ-0001 --fund citoyens --amount "1 000" --date 2026-01-20
    for voter in P-0001 P-0002; do run OP-SECRETAIRE vote cast --ballot B-0001 --voter $voter --choice for --date 2026-01-20; done
    run OP-SECRETAIRE vote cast --ballot B-0001 --voter P-0003 --choice against --date 2026-01-20
    run OP-SECRETAIRE ballot close --ballot B-0001 --date 2026-01-20
    run OP-SECRETAIRE decision record --decision D-0001 --ballot B-0001 --date 2026-01-20
    run OP-TRESORIERE commitment make --commitment C-0001 --decision D-0001 --tranches "600+400" --date 2026-01-21
    run OP-SAISIE disbursement request --disbursement DSB-0001 --commitment C-0001 --tranche 1 --amount 600 --date 2026-01-22
    run OP-SAISIE disbursement approve --disbursement DSB-0001 --date 2026-01-22
    run OP-SECRETAIRE disbursement approve --disbursement DSB-0001 --date 2026-01-22
    run OP-TRESORIERE disbursement execute --disbursement DSB-0001 --ref VIR-OUT-0001 --date 2026-01-23
    run OP-SECRETAIRE fund status
    run OP-SECRETAIRE balances --by territory
    run OP-SECRETAIRE party statement P-0001
    run OP-SECRETAIRE ballots B-0001
    run OP-SECRETAIRE verify
}

transcript | sed "s|$WORK|WORK|g" > "$WORK/transcript"
if [ "$UPDATE" = yes ]; then
    cp "$WORK/transcript" "$EXPECTED"
    echo "backoffice_fr: wrote $EXPECTED ($(grep -c '^\$ ledger' "$EXPECTED") commands)"
elif diff -u "$EXPECTED" "$WORK/transcript"; then
    echo "backoffice_fr: $(grep -c '^\$ ledger' "$EXPECTED") commands, output as in $EXPECTED"
else
    echo "backoffice_fr: the output differs from $EXPECTED (above); if the change is meant, run with --update" >&2
    exit 1
fi

#!/usr/bin/env bash
# Our Ed25519 sign, verify and batch-verify rates next to `openssl speed ed25519`, measured in the
# same invocation so that both see the same machine and the same load; prints every rate and the
# ratio of ours to OpenSSL's single-core rate (higher is better for us).
#
#   scripts/bench_ed25519.sh [SECONDS]    seconds per measure, default 2 (about 18 x SECONDS in all)
#
# Ours come from `ledger-bench ed25519` (Sources/ledger-bench): 64 keys, 100- to 163-byte
# messages. `verify-new-key` parses the key for every signature; the batch runs on one thread,
# then on every core. OpenSSL's are from `openssl speed -seconds SECONDS ed25519`, one core.
# Both run twice, in turn (ours, openssl, ours, openssl), and each rate is the better of its two
# runs: on a shared machine another process's load lowers a rate, never raises it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-2}"
case "$seconds" in '' | *[!0-9]* | 0) echo "usage: $0 [SECONDS]" >&2; exit 2 ;; esac

swift build -c release --product ledger-bench >/dev/null
ours=""
theirs=""
for round in 1 2; do
    ours+="$(.build/release/ledger-bench ed25519 --seconds "$seconds")"$'\n'
    # The result line: " 253 bits EdDSA (Ed25519)   0.0000s   0.0001s  21536.5   8125.1" (sign/s, verify/s).
    theirs+="$(openssl speed -seconds "$seconds" ed25519 2>/dev/null | grep 'EdDSA (Ed25519)')"$'\n'
done

echo "command: openssl speed -seconds $seconds ed25519; .build/release/ledger-bench ed25519 --seconds $seconds (twice each, in turn; the better run)"
awk -v theirs="$theirs" '
    BEGIN {
        lines = split(theirs, line, "\n")
        for (i = 1; i <= lines; i++) {
            n = split(line[i], field, " ")
            if (n < 2) continue
            if (field[n - 1] + 0 > openssl["sign"]) openssl["sign"] = field[n - 1] + 0
            if (field[n] + 0 > openssl["verify"]) openssl["verify"] = field[n] + 0
        }
        printf "%-28s %10s %10s\n", "measure", "per second", "vs openssl"
        printf "%-28s %10d\n", "openssl sign", openssl["sign"]
        printf "%-28s %10d\n", "openssl verify", openssl["verify"]
    }
    NF == 2 {
        if (!($1 in best)) order[++measures] = $1
        if ($2 + 0 > best[$1]) best[$1] = $2 + 0
    }
    END {
        for (i = 1; i <= measures; i++) {
            name = order[i]
            base = (name == "sign") ? openssl["sign"] : openssl["verify"]
            printf "%-28s %10d %9.2fx\n", "ours " name, best[name], best[name] / base
        }
    }' <<<"$ours"

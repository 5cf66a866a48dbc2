#!/usr/bin/env bash
# Our Ed25519 sign, verify and batch-verify rates next to `openssl speed ed25519`, measured in the
# same invocation so that both see the same machine and the same load; prints every rate and the
# ratio of ours to OpenSSL's single-core rate (higher is better for us).
#
#   scripts/bench_ed25519.sh [SECONDS]    seconds per measure, default 2 (about 7 x SECONDS in all)
#
# Ours come from `ledger-bench ed25519` (Sources/ledger-bench): 64 keys, 100- to 163-byte
# messages. `verify-new-key` parses the key for every signature; the batch runs on one thread,
# then on every core. OpenSSL's are from `openssl speed -seconds SECONDS ed25519`, one core.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-2}"
case "$seconds" in '' | *[!0-9]* | 0) echo "usage: $0 [SECONDS]" >&2; exit 2 ;; esac

swift build -c release --product ledger-bench >/dev/null
ours="$(.build/release/ledger-bench ed25519 --seconds "$seconds")"
# The result line: " 253 bits EdDSA (Ed25519)   0.0000s   0.0001s  21536.5   8125.1" (sign/s, verify/s).
theirs="$(openssl speed -seconds "$seconds" ed25519 2>/dev/null | grep 'EdDSA (Ed25519)')"

echo "command: openssl speed -seconds $seconds ed25519; .build/release/ledger-bench ed25519 --seconds $seconds"
awk -v theirs="$theirs" '
    BEGIN {
        n = split(theirs, field, " ")
        openssl["sign"] = field[n - 1]
        openssl["verify"] = field[n]
        printf "%-28s %10s %10s\n", "measure", "per second", "vs openssl"
        printf "%-28s %10d\n", "openssl sign", openssl["sign"]
        printf "%-28s %10d\n", "openssl verify", openssl["verify"]
    }
    {
        base = ($1 == "sign") ? openssl["sign"] : openssl["verify"]
        printf "%-28s %10d %9.2fx\n", "ours " $1, $2, $2 / base
    }' <<<"$ours"

#!/usr/bin/env bash
# Builds the libFuzzer target scripts/fuzz/FuzzVerifier.swift (with AddressSanitizer) against the
# package's own modules: LedgerJSON, LedgerCrypto, LedgerProofs, LedgerCore and the C SHA kernel.
#
# Usage: scripts/fuzz/build.sh [OUTPUT]       (default: .build-fuzz/fuzz-verifier)
# Run:   .build-fuzz/fuzz-verifier -max_total_time=60 CORPUS_DIR    (see scripts/campaigns/fuzz.py)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
scratch="$repo/.build-fuzz"
output=${1:-$scratch/fuzz-verifier}
# -sanitize=fuzzer while compiling adds libFuzzer's coverage instrumentation to every module.
# One flag for both: given as two -sanitize flags, the last one wins and coverage is lost.
swift build -c release --package-path "$repo" --scratch-path "$scratch" --target LedgerCore \
    -Xswiftc -sanitize=fuzzer,address >&2
modules="$scratch/release"
swiftc -O -sanitize=fuzzer,address -parse-as-library \
    -I "$modules/Modules" -Xcc -fmodule-map-file="$modules/CLedgerSHA.build/module.modulemap" \
    "$repo/scripts/fuzz/FuzzVerifier.swift" \
    "$modules"/LedgerCore.build/*.o "$modules"/LedgerJSON.build/*.o "$modules"/LedgerCrypto.build/*.o \
    "$modules"/LedgerProofs.build/*.o "$modules"/CLedgerSHA.build/*.o \
    -o "$output" 2> >(grep -v "Cannot export local symbol '__asan" >&2)
echo "$output"

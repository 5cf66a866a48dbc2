#!/usr/bin/env bash
# The test command of README.md: unit, vector and end-to-end tests, then the independent
# verifier's verdicts compared with ours on every vector and on the demo ledger.
set -euo pipefail
cd "$(dirname "$0")/.."
# The tests' temporary ledgers and files go in a directory of this run's, removed at the end
# (Foundation's temporaryDirectory and Python's tempfile follow TMPDIR).
TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/ledger-tests.XXXXXX")
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT
swift build
swift test --parallel
python3 scripts/check_vectors.py .build/debug/ledger
bash scripts/backoffice_fr.sh .build/debug/ledger   # a back office's day in French, against its transcript

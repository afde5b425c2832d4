#!/usr/bin/env bash
# Runs the whole test suite and ends with one plain summary line ("tests: N passed, N failed, N skipped").
# Every test is XCTest, so Swift Testing's own (empty) run is switched off rather than left to report "0 tests".
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
swift test --skip-build --disable-swift-testing 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
summary=$(grep -E 'Executed [0-9]+ tests?' "$log" | tail -n 1)
total=$(sed -E 's/.*Executed ([0-9]+) tests?.*/\1/' <<<"$summary")
skipped=$(grep -oE '[0-9]+ tests? skipped' <<<"$summary" | grep -oE '^[0-9]+' || echo 0)
failed=$(grep -oE '[0-9]+ failures?' <<<"$summary" | head -n 1 | grep -oE '^[0-9]+')
if [ -z "$summary" ]; then
  echo "tests: no XCTest summary found; treating the run as failed"
  exit 1
fi
if [ "${failed:-0}" != 0 ]; then
  echo "failures:"
  grep -E ': error: ' "$log" | sed 's/^/  /'
fi
echo "tests: $((total - skipped - failed)) passed, ${failed} failed, ${skipped} skipped"
exit "$status"

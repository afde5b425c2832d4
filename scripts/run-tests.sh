#!/usr/bin/env bash
# Runs the whole test suite and ends with one plain summary line ("tests: N passed, N failed, N skipped").
# Every test is XCTest, so Swift Testing's own (empty) run is switched off rather than left to report "0 tests".
# Arguments go to `swift test` (e.g. `--filter ServicesSmokeTests`), to run part of the suite the same way.
#
# Before the tests it starts the real servers the organisation-store tests use (scripts/services/: PostgreSQL 15 and
# a one-node Ceph radosgw, in one temporary folder), exports their variables and AMANA_REQUIRE_SERVICES=1 (a test
# that finds a service missing then fails instead of skipping), and a trap stops both by pid and removes the folder
# on any exit: success, failure, Ctrl-C. A service that cannot start is reported, its variables stay unset, the
# tests that need it skip, and the summary says so on an `amana: services: ... skipped` line.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
services=$(mktemp -d "${TMPDIR:-/tmp}/amana-services.XXXXXX")
# As root, PostgreSQL runs as the unprivileged amana-test (initdb refuses root), which must be able to enter the folder.
chmod 0711 "$services"
# Stops both servers by pid, once: right after the tests (so that the summary stays the last line), or from the trap
# when the run ends any other way.
stop_services() {
  [ -d "$services" ] || return 0
  scripts/services/ceph.sh stop "$services/ceph" || true
  scripts/services/postgres.sh stop "$services/postgres" || true
  rm -rf "$services"
}
cleanup() {
  stop_services
  rm -f "$log"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

unset AMANA_TEST_POSTGRES_URL PGPASSWORD AMANA_TEST_POSTGRES_DIR AMANA_TEST_S3_ENDPOINT AMANA_TEST_S3_REGION \
  AMANA_TEST_S3_ACCESS_KEY AMANA_TEST_S3_SECRET_KEY AMANA_TEST_CEPH_DIR AMANA_REQUIRE_SERVICES
skipped_services=()
# Each start is tried twice: a port taken by another process between the scripts' choice and the bind is a passing
# accident, not a reason to skip a whole group of tests.
start_service() {
  scripts/services/"$1".sh start "$services/$1" >/dev/null && return 0
  echo "amana: services: $1 did not start; trying once more"
  scripts/services/"$1".sh stop "$services/$1" >/dev/null 2>&1
  scripts/services/"$1".sh start "$services/$1" >/dev/null
}
for service in postgres ceph; do
  if start_service "$service"; then
    # shellcheck disable=SC1090
    . "$services/$service/env"
  else
    echo "amana: services: $service could not start (above); the tests that need it will be skipped"
    skipped_services+=("$service")
  fi
done
if [ ${#skipped_services[@]} -eq 0 ]; then
  export AMANA_REQUIRE_SERVICES=1
fi

swift test --skip-build --disable-swift-testing "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
stop_services
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
for service in "${skipped_services[@]}"; do
  echo "amana: services: $service skipped (it could not start here): the tests against it did not run"
done
echo "tests: $((total - skipped - failed)) passed, ${failed} failed, ${skipped} skipped"
exit "$status"

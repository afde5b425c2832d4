#!/usr/bin/env bash
# `make bench`: installs what the benchmark needs, builds Amana in release mode, and runs scripts/bench/bench.py.
#   BENCH_LARGE=1   also 55,000 files of 200 KB (sealed, and ingested into a store instead of the default 5,000) and
#                   an 8 GiB file (about 30 GB more disk; the 55,000-file store rows alone take 10 to 40 minutes,
#                   most of it waiting for the disk's flushes)
#   BENCH_DIR=DIR   where the data and outputs go (default: bench-data/ in the checkout, git-ignored)
#   BENCH_RUNS=N    runs per command (default 3; the table shows the median)
#   BENCH_AGE_MIB=N size of the file for the encryption rows, amana vs age (default 2048, the 2 GiB file)
#   BENCH_ONLY=age  run only the encryption rows (a quick check: BENCH_ONLY=age BENCH_AGE_MIB=64 make bench)
#   BENCH_ONLY=store  run only the evidence store rows (ingest vs cp + sync + sha256sum + sha512sum, store verify
#                   vs openssl, first ingest vs re-run of many photos), at BENCH_STORE_MIB (default 2048) and
#                   BENCH_STORE_FILES (default 55000); a quick check: BENCH_ONLY=store BENCH_STORE_MIB=64
#                   BENCH_STORE_FILES=500 make bench
#   BENCH_FILES=N   files in the small set (default 20000); with BENCH_QUICK=1, only that set (no 2 GiB file),
#                   e.g. BENCH_FILES=500 BENCH_QUICK=1 make bench for the metadata on/off row alone
#   BENCH_ONLY=org  run only the organisation store rows (also part of the full run): PostgreSQL 15 and a one-node
#                   Ceph radosgw on bluestore, started here (scripts/services/, in BENCH_DIR/services) and stopped by
#                   pid when the bench ends, however it ends. Rows: ingest of one file of BENCH_STORE_MIB into S3
#                   against a local folder store (target >= 0.5x), and BENCH_ORG_STATIONS stations (default 4) at
#                   once with BENCH_ORG_FILES files of 100 KB each (default 5000) against one station doing them all
#                   (aggregate throughput >= 0.9x; peak RSS per process < 150 MiB). A quick check:
#                   BENCH_ONLY=org BENCH_STORE_MIB=256 BENCH_ORG_FILES=500 BENCH_RUNS=1 make bench
#   BENCH_ORG_RUNS=N  runs of the many-stations row (default BENCH_RUNS; 20,000 files take minutes per run)
#   BENCH_AMANA=PATH  benchmark this amana binary instead of building one in release mode
set -euo pipefail
cd "$(dirname "$0")/../.."
bench_dir=${BENCH_DIR:-$PWD/bench-data}

# minisign, bsdtar, openssl, coreutils and bagit.py (in .venv), as for the tests.
scripts/install-deps.sh test
# GNU time, for each command's peak resident memory.
if [ ! -x /usr/bin/time ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  echo "amana: installing time (apt)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends time >/dev/null
fi

if [ -n "${BENCH_AMANA:-}" ]; then
  # A binary already built (e.g. a debug build for a quick look at the rows: its numbers are not the product's).
  amana=$(cd "$(dirname "$BENCH_AMANA")" && pwd)/$(basename "$BENCH_AMANA")
  echo "amana: benchmarking $amana (not rebuilt)"
else
  echo "amana: building in release mode"
  swift build -c release --product amana
  amana="$(swift build -c release --show-bin-path)/amana"
fi

# The organisation store rows run against real servers: started here, their variables exported for bench.py (as
# for the tests), and stopped by pid on the way out, whatever ends the bench (the trap).
if [ "${BENCH_ONLY:-}" = org ] || { [ -z "${BENCH_ONLY:-}" ] && [ -z "${BENCH_QUICK:-}" ]; }; then
  services=$bench_dir/services
  stop_services() {
    scripts/services/ceph.sh stop "$services/ceph" || true
    scripts/services/postgres.sh stop "$services/postgres" || true
    # Throwaway: the OSD's bluestore file holds every object the bench wrote (Object Lock keeps them otherwise).
    rm -rf "$services"
  }
  trap stop_services EXIT
  trap 'exit 130' INT TERM
  rm -rf "$services"
  mkdir -p "$services"
  eval "$(scripts/services/postgres.sh start "$services/postgres")"
  eval "$(AMANA_CEPH_BLUESTORE=1 scripts/services/ceph.sh start "$services/ceph")"
fi

# Not exec: the trap above must run when bench.py ends.
python3 scripts/bench/bench.py --amana "$amana" --bagit "$PWD/.venv/bin/bagit.py" \
  --dir "$bench_dir" --runs "${BENCH_RUNS:-3}" ${BENCH_LARGE:+--large} \
  --files "${BENCH_FILES:-20000}" ${BENCH_QUICK:+--only-small} \
  --age-mib "${BENCH_AGE_MIB:-2048}" ${BENCH_ONLY:+--only "$BENCH_ONLY"} \
  --store-mib "${BENCH_STORE_MIB:-2048}" --store-files "${BENCH_STORE_FILES:-55000}" \
  --org-files "${BENCH_ORG_FILES:-5000}" --org-stations "${BENCH_ORG_STATIONS:-4}" --org-runs "${BENCH_ORG_RUNS:-0}"

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
set -euo pipefail
cd "$(dirname "$0")/../.."

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

echo "amana: building in release mode"
swift build -c release --product amana
amana="$(swift build -c release --show-bin-path)/amana"

exec python3 scripts/bench/bench.py --amana "$amana" --bagit "$PWD/.venv/bin/bagit.py" \
  --dir "${BENCH_DIR:-$PWD/bench-data}" --runs "${BENCH_RUNS:-3}" ${BENCH_LARGE:+--large} \
  --files "${BENCH_FILES:-20000}" ${BENCH_QUICK:+--only-small} \
  --age-mib "${BENCH_AGE_MIB:-2048}" ${BENCH_ONLY:+--only "$BENCH_ONLY"} \
  --store-mib "${BENCH_STORE_MIB:-2048}" --store-files "${BENCH_STORE_FILES:-55000}"

#!/usr/bin/env bash
# `make fuzz`: builds amana-fuzz with libFuzzer and AddressSanitizer in its own scratch path (.build-fuzz), then runs
# each target for FUZZ_SECONDS (default 60; FUZZ_VERIFY_SECONDS for the verify target) with its seed corpus, and
# prints a summary. The inputs libFuzzer finds are kept in .build-fuzz/corpus/<target> (ignored by git), so each run
# starts where the last one stopped; crashes go to a temporary folder, kept only when something crashed.
#
#   FUZZ_SECONDS=300 make fuzz                  longer runs
#   FUZZ_TARGETS="verify receipt" make fuzz     only some targets
#
# A crash must be fixed, and its input kept under fixtures/fuzz/regressions/<target>/, which FuzzRegressionTests
# replays in `make test`.
set -uo pipefail
cd "$(dirname "$0")/../.."
SWIFT="${SWIFT:-swift}"
FUZZ_SECONDS="${FUZZ_SECONDS:-60}"
FUZZ_VERIFY_SECONDS="${FUZZ_VERIFY_SECONDS:-$FUZZ_SECONDS}"
SCRATCH=.build-fuzz
CORPUS=fixtures/fuzz/corpus
REGRESSIONS=fixtures/fuzz/regressions
DICTS=fixtures/fuzz/dict

# gold warns once per sanitizer symbol that it cannot export it; those lines say nothing about Amana.
"$SWIFT" build --scratch-path "$SCRATCH" -Xswiftc -sanitize=fuzzer,address -Xswiftc -DAMANA_FUZZER \
  --product amana-fuzz 2>&1 | grep -v "warning: Cannot export local symbol"
[ "${PIPESTATUS[0]}" -eq 0 ] || exit 1
BIN="$SCRATCH/debug/amana-fuzz"

TARGETS="${FUZZ_TARGETS:-$(ls "$CORPUS")}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/amana-fuzz.XXXXXX")"
CONFORMANCE=../shared/conformance
# Swift's runtime keeps reachable caches; leak checks stay on (a real leak is a finding), ODR checks do not apply.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_odr_violation=0:abort_on_error=0:symbolize=1}"

# Extra seeds from the outside conformance material when it sits beside the checkout. They are copied into the
# temporary work folder only, never into the repository (shared/conformance/README.md).
extra_seeds() {
  local target="$1" dir="$WORK/extra/$1"
  [ -d "$CONFORMANCE" ] || return 0
  mkdir -p "$dir"
  local pattern=()
  case "$target" in
    bag-declaration) pattern=(-name bagit.txt) ;;
    bag-info|tag-file) pattern=(-name bag-info.txt -o -name package-info.txt) ;;
    manifest) pattern=(-name 'manifest-*.txt' -o -name 'tagmanifest-*.txt') ;;
    fetch) pattern=(-name fetch.txt) ;;
    public-key) pattern=(-name '*.pub') ;;
    signature) pattern=(-name '*.minisig') ;;
    timestamp-token) pattern=(-name '*.tsr') ;;
    metadata-jpeg) pattern=(-name '*.jpg') ;;
    metadata-tiff) pattern=(-name '*.tif' -o -name '*.dng' -o -name '*.nef' -o -name '*.cr2') ;;
    metadata-png) pattern=(-name '*.png') ;;
    metadata-isobmff) pattern=(-name '*.mov' -o -name '*.m4a' -o -name '*.mp4' -o -name '*.cr3' -o -name '*.heic' -o -name '*.avif') ;;
    metadata-wav) pattern=(-name '*.wav') ;;
    metadata-mp3) pattern=(-name '*.mp3') ;;
    metadata-pdf) pattern=(-name '*.pdf') ;;
    metadata-xmp) pattern=(-name '*.xmp') ;;
    *) return 0 ;;
  esac
  local n=0
  while IFS= read -r file; do
    n=$((n + 1))
    cp "$file" "$dir/$n-$(basename "$file")"
  done < <(find "$CONFORMANCE/bagit" "$CONFORMANCE/minisign" "$CONFORMANCE/rfc3161" "$CONFORMANCE/exiftool-images" -type f \( "${pattern[@]}" \) -size -16k 2>/dev/null)
  echo "$dir"
}

rows=()
total_crashes=0
for target in $TARGETS; do
  seconds="$FUZZ_SECONDS"
  max_len=16384
  if [ "$target" = verify ]; then seconds="$FUZZ_VERIFY_SECONDS"; max_len=65536; fi
  corpus="$SCRATCH/corpus/$target"
  crashes="$WORK/crashes/$target"
  mkdir -p "$corpus" "$crashes"
  seeds=("$CORPUS/$target")
  [ -d "$REGRESSIONS/$target" ] && seeds+=("$REGRESSIONS/$target")
  extra="$(extra_seeds "$target")"
  [ -n "$extra" ] && seeds+=("$extra")
  options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len="$max_len"
           -artifact_prefix="$crashes/" -print_final_stats=1)
  case "$target" in
    tag-file|bag-declaration|bag-info|manifest|fetch) dict=bagit ;;
    public-key|secret-key|signature) dict=minisign ;;
    custody-event|custody-log|canonical-json|receipt|items|store-proofs) dict=json ;;
    seal-statement) dict=seal ;;
    keyring) dict=keyring ;;
    verify) dict=tar ;;
    timestamp-token|tst-info) dict=der ;;
    *) dict="$target" ;;
  esac
  [ -f "$DICTS/$dict.dict" ] && options+=(-dict="$DICTS/$dict.dict")
  log="$WORK/$target.log"
  echo "fuzz: $target for ${seconds}s (log: $log)"
  start=$(date +%s)
  AMANA_FUZZ_TARGET="$target" "$BIN" "${options[@]}" "$corpus" "${seeds[@]}" > "$log" 2>&1
  status=$?
  elapsed=$(( $(date +%s) - start ))
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  added="$(sed -n 's/^stat::new_units_added: *//p' "$log" | tail -1)"
  last="$(grep -E '^#[0-9]+' "$log" | tail -1)"
  cov="$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<< "$last")"
  corp="$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<< "$last")"
  found="$(find "$crashes" -type f | wc -l)"
  if [ "$found" -eq 0 ] && [ "$status" -ne 0 ]; then found=1; fi  # died without an artifact (e.g. a setup error)
  total_crashes=$((total_crashes + found))
  rows+=("$(printf '%-16s %8s %12s %8s %8s %8s %8s' "$target" "$elapsed" "${execs:-?}" "${cov:-?}" "${corp:-?}" \
    "${added:-?}" "$found")")
  if [ "$found" -ne 0 ]; then
    echo "fuzz: $target FOUND A PROBLEM; inputs in $crashes; last lines of the log:"
    tail -30 "$log"
  fi
done

echo
printf '%-16s %8s %12s %8s %8s %8s %8s\n' target seconds executions cov corpus new crashes
for row in "${rows[@]}"; do echo "$row"; done
if [ "$total_crashes" -ne 0 ]; then
  echo "fuzz: $total_crashes problem(s); work folder kept: $WORK"
  exit 1
fi
rm -rf "$WORK"
echo "fuzz: no crashes, hangs or leaks"

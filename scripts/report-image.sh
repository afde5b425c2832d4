#!/usr/bin/env bash
# Makes docs/report-en.png: page 1 of the English court report of the sample media, as `amana report --pdf` prints
# it. The bundle is sealed with a fresh demo key and the report is made at a fixed validation time; only the picture
# is kept (the key, bundle, HTML and PDF go with the temporary folder).
set -euo pipefail
amana=${1:?usage: report-image.sh PATH-TO-AMANA}
amana=$(realpath "$amana")
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$amana" keygen --output "$work/field-team" --name "Demo Documenter" --organization "Example Archive" --unencrypted >/dev/null
"$amana" seal fixtures/media/sample/checkpoint-photo.png fixtures/media/sample/scanned-document.pdf \
  "fixtures/media/sample/شهادة-statement.txt" fixtures/media/sample/day-2 \
  --key "$work/field-team.key" --output "$work/case-0001.tar" \
  --case DEMO-0001 --title "Sample media (not real evidence)" --collector "Demo Documenter" >/dev/null
# Run beside the bundle, so that the report shows short relative names rather than a temporary folder's path.
status=0
(cd "$work" && "$amana" report case-0001.tar --trust field-team.pub --lang en --output report.html --pdf report.pdf) \
  >/dev/null || status=$?
if [ "$status" -ne 0 ]; then
  echo "report-image: amana report exited $status" >&2
  exit 1
fi
cd "$root"
mkdir -p docs
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$work/report.pdf" "$work/page"
mv "$work/page.png" docs/report-en.png
echo "wrote docs/report-en.png"

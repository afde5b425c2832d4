#!/usr/bin/env bash
# The main job, on the bundled sample media: make a key, seal, verify, tamper, verify again, extract, hand over;
# then ingest the media into an evidence store twice (the second time all duplicates), inspect the store, and seal
# the case from the store and verify its carried acquisition events offline.
# Writes only into demo-output/ (recreated each run).
set -uo pipefail
amana=${1:?usage: demo.sh PATH-TO-AMANA}
cd "$(dirname "$0")/.."
out=demo-output
rm -rf "$out"
mkdir -p "$out"

step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "${*:2}"; }
run() { step "$@"; "${@:2}"; echo "(exit status $?)"; }

run "1. make a key pair (unencrypted for this demo; real keys get a passphrase)" \
  "$amana" keygen --output "$out/field-team" --name "Demo Documenter" --organization "Example Archive" --unencrypted

run "2. seal the sample media into a bundle" \
  "$amana" seal fixtures/media/sample/checkpoint-photo.png fixtures/media/sample/scanned-document.pdf \
  "fixtures/media/sample/شهادة-statement.txt" fixtures/media/sample/day-2 \
  --key "$out/field-team.key" --output "$out/case-0001.tar" \
  --case DEMO-0001 --title "Sample media (not real evidence)" --collector "Demo Documenter" \
  --device "sample generator" --location "nowhere (synthetic)"

run "3. what the bundle claims (nothing verified yet)" "$amana" inspect "$out/case-0001.tar"

run "4. verify, trusting the field team's public key" \
  "$amana" verify "$out/case-0001.tar" --trust "$out/field-team.pub"

run "5. verify without naming a trusted key: the seal is valid, but whose is it?" \
  "$amana" verify "$out/case-0001.tar"

step "6. tamper: change one byte of the PDF inside a copy of the bundle" "python3 (flip a byte)"
cp "$out/case-0001.tar" "$out/tampered.tar"
python3 - "$out/tampered.tar" <<'PY'
import sys
path = sys.argv[1]
data = bytearray(open(path, "rb").read())
at = data.find(b"SAMPLE DOCUMENT")
data[at] ^= 0x20  # "SAMPLE" becomes "sAMPLE"
open(path, "wb").write(data)
print(f"flipped the byte at offset {at}")
PY

run "7. verify the tampered copy" "$amana" verify "$out/tampered.tar" --trust "$out/field-team.pub"

run "8. extraction refuses the tampered copy" \
  "$amana" extract "$out/tampered.tar" --output "$out/tampered-extracted" --trust "$out/field-team.pub"

run "9. extract the good bundle, and check it with the standard tools" \
  "$amana" extract "$out/case-0001.tar" --output "$out/case-0001" --trust "$out/field-team.pub"
if command -v minisign >/dev/null; then
  run "10. stock minisign verifies the seal" \
    minisign -V -p "$out/field-team.pub" -m "$out/case-0001/seals/0001.seal"
fi
step "11. sha256sum checks the payload from the bag root" "(cd $out/case-0001 && sha256sum -c manifest-sha256.txt)"
(cd "$out/case-0001" && sha256sum -c manifest-sha256.txt)

run "12. a second party (an archive) gets a key" \
  "$amana" keygen --output "$out/archive" --name "Demo Archivist" --organization "Example Court Archive" --unencrypted
run "13. the field team records the hand-off to the archive, and seals" \
  "$amana" custody transfer "$out/case-0001.tar" --key "$out/field-team.key" --to "$out/archive.pub" \
  --output "$out/case-0001-sent.tar" --note "hand delivered on an encrypted USB stick"
run "14. the archive verifies, records what it received, seals, and signs a receipt for the field team" \
  "$amana" custody receive "$out/case-0001-sent.tar" --key "$out/archive.key" --trust "$out/field-team.pub" \
  --output "$out/case-0001-archive.tar" --role archivist --receipt "$out/receipt-for-field-team.json"
run "15. the custody timeline, with the receipt checked against it" \
  "$amana" custody show "$out/case-0001-archive.tar" --trust "$out/field-team.pub" --trust "$out/archive.pub" \
  --receipt "$out/receipt-for-field-team.json"

# The store: evidence lives here from the first minute. The sample media is ingested from a read-only copy, as from
# a write-protected SD card, and its files are checked unchanged afterwards.
step "16. a read-only copy of the sample media, as from a write-protected card" "cp -r + chmod -R a-w"
cp -r fixtures/media/sample "$out/card"
chmod -R a-w "$out/card"
(cd "$out/card" && find . -type f -print0 | sort -z | xargs -0 sha256sum) > "$out/card-before.sha256"
ls -lR "$out/card"
run "17. create an evidence store (a private folder, mode 0700)" \
  "$amana" store init "$out/store" --key "$out/field-team.key"
run "18. ingest the card: each file copied while hashed, read back from the disk, stored read-only, and signed" \
  "$amana" ingest "$out/card" --store "$out/store" --case DEMO-0002 --collector "Demo Documenter" \
  --key "$out/field-team.key" --device "sample SD card" --location "nowhere (synthetic)"
run "19. ingest the same card again: everything is a duplicate, nothing is copied twice" \
  "$amana" ingest "$out/card" --store "$out/store" --case DEMO-0002 --collector "Demo Documenter" \
  --key "$out/field-team.key" --device "sample SD card" --note "second pass"
step "20. the originals are unchanged" "sha256sum -c card-before.sha256"
(cd "$out/card" && sha256sum -c ../card-before.sha256)
run "21. what the store holds" "$amana" store list --store "$out/store"
run "22. re-hash every stored object from the disk, and record the scrub in the ledger" "$amana" store verify --store "$out/store" --key "$out/field-team.key"
run "23. the store's signed ledger as a timeline" "$amana" store log --store "$out/store"
run "24. seal the case from the store: its ledger's acquisition events travel in the bundle, with inclusion proofs" \
  "$amana" seal --store "$out/store" --case DEMO-0002 --key "$out/field-team.key" --output "$out/case-0002.tar" \
  --title "Sample media, sealed from the evidence store"
run "25. verify it offline: the seal, and every carried acquisition against the store checkpoint (its key trusted)" \
  "$amana" verify "$out/case-0002.tar" --trust "$out/field-team.pub"
run "26. the store's ledger records the seal" "$amana" store log --store "$out/store"
chmod -R u+w "$out/card"
echo
echo "demo finished: outputs are in $out/"

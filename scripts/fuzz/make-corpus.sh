#!/usr/bin/env bash
# Writes the fuzz seed corpora, fixtures/fuzz/corpus/<target>/, from fixtures/ and from a small bundle sealed, handed
# over and received here with the vector keys. Run it after `swift build` when a format changes; commit the result.
# The seeds stay small (a few KB each) so that libFuzzer mutates structure, not payload.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="$(swift build --show-bin-path)"
AMANA="$BIN/amana"
FUZZ="$BIN/amana-fuzz"
KEYS=fixtures/vectors/keys
OUT=fixtures/fuzz/corpus
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# A bundle with two tiny payload files, signed by the vectors' signer (whom the verify target trusts), then a
# hand-off to the other vector key: three seals, and transferred/received events in the custody log.
mkdir -p "$WORK/src/photos"
printf 'I saw the convoy at 14:10.\n' > "$WORK/src/statement.txt"
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\x08\x02\0\0\0' > "$WORK/src/photos/p.png"
"$AMANA" seal "$WORK/src/statement.txt" "$WORK/src/photos" --key "$KEYS/signer.key" --output "$WORK/small.tar" \
  --case FUZZ-1 --title "Fuzz seed" --collector "seed team" --device "phone" --location "here" --note "n" >/dev/null
"$AMANA" custody transfer "$WORK/small.tar" --key "$KEYS/signer.key" --to "$KEYS/other.pub" \
  --output "$WORK/sent.tar" >/dev/null
"$AMANA" custody receive "$WORK/sent.tar" --key "$KEYS/other.key" --trust "$KEYS/signer.pub" \
  --output "$WORK/received.tar" --role archivist --receipt "$WORK/receipt.json" >/dev/null
mkdir "$WORK/x"
tar -xf "$WORK/received.tar" -C "$WORK/x"
BAG="$(echo "$WORK"/x/*)"

rm -rf "$OUT"
seed() {  # seed TARGET NAME < bytes
  mkdir -p "$OUT/$1"
  cat > "$OUT/$1/$2"
}

seed bag-declaration bagit.txt < "$BAG/bagit.txt"
printf 'BagIt-Version: 0.97\r\nTag-File-Character-Encoding: ISO-8859-1\r\n' | seed bag-declaration bagit-0.97-crlf.txt
seed bag-info bag-info.txt < "$BAG/bag-info.txt"
printf 'Payload-Oxum: 12.2\nContact-Name: A\n  continued\nBagging-Date: 2024-02-29\nTest-Tag    :   5\n' \
  | seed bag-info bag-info-lenient.txt
seed tag-file bag-info.txt < "$BAG/bag-info.txt"
seed tag-file bagit.txt < "$BAG/bagit.txt"
for f in manifest-sha256.txt manifest-sha512.txt tagmanifest-sha256.txt; do seed manifest "$f" < "$BAG/$f"; done
printf '%s  data/a%%25b%%0Ac.txt\r\n%s *./data/x y\n' "$(printf 'ab%.0s' {1..16})" "$(printf 'cd%.0s' {1..16})" \
  | seed manifest manifest-encoded.txt
printf 'https://example.org/a.jpg 1024 data/a.jpg\nftp://h/b - data/sub dir/b%%0A.txt\n' | seed fetch fetch.txt

seed public-key signer.pub < "$KEYS/signer.pub"
seed public-key other.pub < "$KEYS/other.pub"
seed secret-key signer.key < "$KEYS/signer.key"
"$FUZZ" make-seeds "$KEYS/signer.key" "$OUT/secret-key"
seed signature 0001.seal.minisig < "$BAG/seals/0001.seal.minisig"
seed signature vector-valid.minisig < fixtures/vectors/bundle/valid-folder/vector-bundle-1/seals/0001.seal.minisig
{
  echo "amana-keyring: 1"
  echo "# the vector keys"
  echo
  echo "key: $(sed -n 2p "$KEYS/signer.pub")"
  printf 'name: Vector Signer\norganization: Amana\nrole: documenter\nnot-before: 2026-01-01T00:00:00Z\n'
  printf 'not-after: 2028-12-31T23:59:59Z\nrevoked-at: 2027-03-01T00:00:00Z\n\n'
  echo "key: $(sed -n 2p "$KEYS/other.pub")"
  echo "name: Other"
} | seed keyring keyring.txt

for f in "$BAG"/seals/*.seal; do seed seal-statement "$(basename "$f")" < "$f"; done
seed seal-statement vector-valid < fixtures/vectors/bundle/valid-folder/vector-bundle-1/seals/0001.seal
# Seed names kept from the earlier vector layout (seed name, then the seal vector it comes from).
for pair in crlf-line-ends:statement-crlf unknown-field:statement-unknown-field sha1-commitment:statement-sha1; do
  seed seal-statement "vector-${pair%%:*}" < "fixtures/vectors/seal/${pair#*:}/vector-bundle-1/seals/0001.seal"
done
seed custody-log small.jsonl < <(tar -xOf "$WORK/small.tar" --wildcards '*/amana/custody.jsonl')
seed custody-log received.jsonl < "$BAG/amana/custody.jsonl"
n=0
while IFS= read -r line; do
  n=$((n + 1))
  printf '%s' "$line" | seed custody-event "event-$n.json"
done < "$BAG/amana/custody.jsonl"
head -c -1 "$WORK/receipt.json" | seed canonical-json receipt.json
printf '%s' "$(head -n 1 "$BAG/amana/custody.jsonl")" | seed canonical-json event-1.json
printf '{"a":[1,-2,true,false,null,"\\u0000\\u00e9\\ud83d\\ude00"],"b":{}}' | seed canonical-json values.json
seed receipt receipt.json < "$WORK/receipt.json"
seed items items.json < "$BAG/amana/items.json"

# RFC 3161 tokens over the line the timestamp targets stamp (Sources/amana-fuzz/TimestampTargets.swift), from
# throwaway test TSAs (scripts/tsa/make-tsa.sh) answering with `openssl ts -reply`: a response with and without
# the TSA's certificates, a SHA-512 imprint, a bare token, an RSA TSA, and a rejection. The TSTInfo target gets the
# signed content of two of them.
printf 'amana fuzz: the stamped seal signature\n' > "$WORK/stamped"
scripts/tsa/make-tsa.sh "$WORK/tsa-ec" >/dev/null
scripts/tsa/make-tsa.sh "$WORK/tsa-rsa" --key rsa --name "Amana Fuzz RSA TSA" >/dev/null
tsr() {  # tsr TSA NAME QUERY-OPTIONS... : a TimeStampResp answering a query made with those options
  local tsa="$1" name="$2"; shift 2
  openssl ts -query -data "$WORK/stamped" "$@" -out "$WORK/$name.tsq" 2>/dev/null
  openssl ts -reply -config "$WORK/$tsa/tsa.cnf" -queryfile "$WORK/$name.tsq" -out "$WORK/$name.tsr" 2>/dev/null
  seed timestamp-token "$name.tsr" < "$WORK/$name.tsr"
}
tsr tsa-ec response-sha256 -sha256 -cert
tsr tsa-ec response-no-certificates -sha256
tsr tsa-ec response-sha512 -sha512 -cert
tsr tsa-rsa response-rsa -sha256 -cert
tsr tsa-ec response-rejected -md5 -cert
openssl ts -reply -config "$WORK/tsa-ec/tsa.cnf" -queryfile "$WORK/response-sha256.tsq" -token_out \
  -out "$WORK/token.tsr" 2>/dev/null
seed timestamp-token token.tsr < "$WORK/token.tsr"
tstinfo() {  # tstinfo TOKEN NAME: the signed content (the TSTInfo) of a bare token
  openssl cms -verify -noverify -inform DER -in "$1" -binary -out "$WORK/$2" 2>/dev/null
  seed tst-info "$2" < "$WORK/$2"
}
tstinfo "$WORK/token.tsr" tstinfo-ec.der
openssl ts -reply -in "$WORK/response-rsa.tsr" -token_out -out "$WORK/token-rsa.der" 2>/dev/null
tstinfo "$WORK/token-rsa.der" tstinfo-rsa.der

seed verify small.tar < "$WORK/small.tar"
seed verify vector-valid.tar < fixtures/vectors/bundle/valid/bundle.tar
seed verify vector-truncated.tar < fixtures/vectors/bundle/truncated/bundle.tar
seed verify received.tar < "$WORK/received.tar"
gzip -9 -n -c "$WORK/small.tar" | seed verify small.tar.gz
zstd -19 -q -c "$WORK/small.tar" | seed verify small.tar.zst
xz -9 -c "$WORK/received.tar" | seed verify received.tar.xz

du -sh "$OUT"
find "$OUT" -type f | wc -l

#!/usr/bin/env bash
# Installs what `make demo` (mode "build") or `make test` (mode "test") needs, and nothing that is already present.
# Debian packages come from apt; bagit.py, jsonschema and boto3 come from PyPI into a project-local venv (.venv), never
# system-wide.
set -euo pipefail
mode=${1:-build}
cd "$(dirname "$0")/.."

# libsqlite3-dev: the evidence store's catalog (GRDB links the system SQLite on Linux); zlib1g-dev: inflating a PDF's
# compressed metadata (object streams, cross-reference streams, a FlateDecode XMP stream).
packages=(pkg-config libsodium-dev libarchive-dev libssl-dev libsqlite3-dev zlib1g-dev)
# `amana report` embeds DejaVu (Latin, digests) and Noto Naskh Arabic in its HTML, read from these packages at render
# time (spec/report.md section 11); without them the report still renders, with a warning.
packages+=(fonts-dejavu-core fonts-noto-core)
if [ "$mode" = test ]; then
  # sqlite3: the store tests compare catalogs with the real SQLite shell.
  packages+=(sqlite3)
  # The interop tests run the real tools: minisign, bsdtar, openssl, age, sha256sum (coreutils), bagit.py, and GNU
  # tar and python3 (tarfile) for the differential tar test; the compressed-bundle tests run gzip and zstd, and the
  # container-format tests lz4 and python3 (zipfile), and lzop and lrzip, which bsdtar runs to write those formats;
  # the metadata tests compare with exiftool and ffprobe, and have ffmpeg and exiftool write files to read back;
  # `make vectors` also compresses with bzip2, xz and compress(1) (ncompress); heif-enc (libheif-examples) makes a
  # real HEIC from a JPEG with EXIF, and qpdf writes PDFs with object streams, for the metadata readers to read; the
  # ETSI report tests validate the XML against the TS 119 102-2 schema with xmllint (libxml2-utils).
  packages+=(minisign libarchive-tools openssl age coreutils gzip zstd tar python3 lz4 lzop lrzip
             libimage-exiftool-perl ffmpeg bzip2 xz-utils ncompress libheif-examples qpdf libxml2-utils)
  # `amana report --pdf` prints with headless Chromium; the report tests and `make report-image` read the PDF back
  # with poppler's pdftotext and pdftoppm.
  packages+=(chromium poppler-utils)
  # The organisation store's tests run real servers, started by scripts/services/ on 127.0.0.1 (no systemd, no
  # Docker): PostgreSQL 15 for the catalog, and a one-node Ceph 16.2 cluster whose radosgw serves S3 with Object Lock;
  # uuid-runtime gives the cluster its fsid, curl tells when radosgw answers.
  packages+=(postgresql-15 ceph-mon ceph-osd radosgw ceph-common uuid-runtime curl)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

apt_install() {
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  echo "amana: installing $* (apt)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if [ ${#missing[@]} -gt 0 ]; then
  apt_install "${missing[@]}"
fi

if [ "$mode" = test ] && [ ! -x .venv/bin/python3 ]; then
  if ! python3 -m venv .venv 2>/dev/null; then
    rm -rf .venv
    apt_install python3-venv
    python3 -m venv .venv
  fi
fi
if [ "$mode" = test ] && [ ! -x .venv/bin/bagit.py ]; then
  echo "amana: installing bagit 1.9.0 into .venv (pip)"
  .venv/bin/pip install -q --disable-pip-version-check bagit==1.9.0
fi
# jsonschema validates every verification report against spec/verification-report.schema.json
# (scripts/check-report-schema.py).
if [ "$mode" = test ] && ! .venv/bin/python3 -c 'import jsonschema' 2>/dev/null; then
  echo "amana: installing jsonschema 4.26.0 into .venv (pip)"
  .venv/bin/pip install -q --disable-pip-version-check jsonschema==4.26.0
fi
# boto3 is the S3 tests' independent client (scripts/services/s3tool.py); botocore pinned with it, since its default
# request checksums change between releases and Ceph 16 predates the newer ones.
if [ "$mode" = test ] && ! .venv/bin/python3 -c 'import boto3' 2>/dev/null; then
  echo "amana: installing boto3 1.43.11 into .venv (pip)"
  .venv/bin/pip install -q --disable-pip-version-check boto3==1.43.11 botocore==1.43.11
fi

#!/usr/bin/env python3
"""What an organisation store's bucket holds, as boto3 (not Amana's own client) sees it, in one process: the fault
and concurrency tests compare it with the catalog (Tests/AmanaKitTests/Store/OrganisationFaultTests.swift).

usage: store_view.py BUCKET PREFIX [KEY VERSION]...

stdout, one JSON document:
  {"versions": {KEY: [VERSION_ID, ...]},        every version under PREFIX/objects/, newest first
   "deleteMarkers": [KEY, ...],
   "uploads": [{"key": KEY, "uploadId": ID}],    incomplete multipart uploads under PREFIX/
   "reads": [{"key", "versionId", "size", "sha256"} or {"key", "versionId", "error"}]}
                                                 each KEY VERSION pair read back (GET by version id) and hashed

The client is scripts/services/s3tool.py's (path-style, Content-MD5, no `Expect: 100-continue`), so its fixes for
Ceph and botocore hold here too. Exit 2 when the server does not answer.
"""
import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "services"))
import botocore.exceptions  # noqa: E402
import s3tool  # noqa: E402


def main():
    if len(sys.argv) < 3 or len(sys.argv) % 2 == 0:
        print("usage: store_view.py BUCKET PREFIX [KEY VERSION]...", file=sys.stderr)
        sys.exit(2)
    bucket, prefix = sys.argv[1], sys.argv[2].rstrip("/") + "/"
    pairs = list(zip(sys.argv[3::2], sys.argv[4::2]))
    s3 = s3tool.client()
    view = {"versions": {}, "deleteMarkers": [], "uploads": [], "reads": []}
    try:
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix + "objects/"):
            for version in page.get("Versions", []):
                view["versions"].setdefault(version["Key"], []).append(version["VersionId"])
            for marker in page.get("DeleteMarkers", []):
                view["deleteMarkers"].append(marker["Key"])
        for page in s3.get_paginator("list_multipart_uploads").paginate(Bucket=bucket, Prefix=prefix):
            for upload in page.get("Uploads", []):
                view["uploads"].append({"key": upload["Key"], "uploadId": upload["UploadId"]})
        for key, version in pairs:
            try:
                body = s3.get_object(Bucket=bucket, Key=key, VersionId=version)["Body"]
                digest, size = hashlib.sha256(), 0
                for chunk in iter(lambda: body.read(1 << 20), b""):
                    digest.update(chunk)
                    size += len(chunk)
                view["reads"].append({"key": key, "versionId": version, "size": size, "sha256": digest.hexdigest()})
            except botocore.exceptions.ClientError as error:
                code = error.response.get("Error", {}).get("Code", "Unknown")
                view["reads"].append({"key": key, "versionId": version, "error": code})
    except (botocore.exceptions.BotoCoreError, OSError) as error:
        print(f"store_view: error: {error}", file=sys.stderr)
        sys.exit(2)
    json.dump(view, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

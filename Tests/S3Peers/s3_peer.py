#!/usr/bin/env python3
"""boto3 as an independent S3 peer for the S3 client's tests (Tests/AmanaKitTests/S3/).

The server and keys come from AMANA_TEST_S3_ENDPOINT, _REGION, _ACCESS_KEY and _SECRET_KEY. Commands:
  create-bucket BUCKET            a bucket with Object Lock (and so versioning) enabled
  empty-bucket BUCKET             delete every version (bypassing GOVERNANCE), every upload, then the bucket
  retention BUCKET KEY VERSION    print MODE RETAIN-UNTIL (ISO 8601) as S3 reports them
  versions BUCKET PREFIX          print one line per version: KEY VERSION IS-LATEST SIZE
  get BUCKET KEY VERSION          print the version's bytes' SHA-256
  put BUCKET KEY HEX              overwrite KEY with the bytes; print the new version id
  delete-version BUCKET KEY VERSION   try to delete a version; print "refused CODE" or "deleted"

botocore sends `Expect: 100-continue` on PUT and mishandles an early error answer on a pooled connection
(boto/botocore issues 3010 and 3755); the header is removed by an event hook before every request is sent.
"""
import hashlib
import os
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def client():
    s3 = boto3.client(
        "s3",
        endpoint_url=os.environ["AMANA_TEST_S3_ENDPOINT"],
        region_name=os.environ.get("AMANA_TEST_S3_REGION", "us-east-1"),
        aws_access_key_id=os.environ["AMANA_TEST_S3_ACCESS_KEY"],
        aws_secret_access_key=os.environ["AMANA_TEST_S3_SECRET_KEY"],
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1},
                      request_checksum_calculation="when_required", response_checksum_validation="when_required"),
    )

    def drop_expect(request, **_):
        request.headers.pop("Expect", None)

    s3.meta.events.register("before-send.s3", drop_expect)
    return s3


def main(argv):
    s3 = client()
    command, args = argv[0], argv[1:]
    if command == "create-bucket":
        s3.create_bucket(Bucket=args[0], ObjectLockEnabledForBucket=True)
    elif command == "empty-bucket":
        bucket = args[0]
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
            for entry in page.get("Versions", []) + page.get("DeleteMarkers", []):
                try:
                    s3.delete_object(Bucket=bucket, Key=entry["Key"], VersionId=entry["VersionId"],
                                     BypassGovernanceRetention=True)
                except ClientError:
                    pass  # COMPLIANCE: stays until its date
        for upload in s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []):
            s3.abort_multipart_upload(Bucket=bucket, Key=upload["Key"], UploadId=upload["UploadId"])
        try:
            s3.delete_bucket(Bucket=bucket)
        except ClientError:
            pass
    elif command == "retention":
        answer = s3.get_object_retention(Bucket=args[0], Key=args[1], VersionId=args[2])["Retention"]
        print(answer["Mode"], answer["RetainUntilDate"].strftime("%Y-%m-%dT%H:%M:%SZ"))
    elif command == "versions":
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=args[0], Prefix=args[1]):
            for entry in page.get("Versions", []):
                print(entry["Key"], entry["VersionId"], entry["IsLatest"], entry["Size"])
    elif command == "get":
        body = s3.get_object(Bucket=args[0], Key=args[1], VersionId=args[2])["Body"].read()
        print(hashlib.sha256(body).hexdigest())
    elif command == "put":
        print(s3.put_object(Bucket=args[0], Key=args[1], Body=bytes.fromhex(args[2]))["VersionId"])
    elif command == "delete-version":
        try:
            s3.delete_object(Bucket=args[0], Key=args[1], VersionId=args[2])
            print("deleted")
        except ClientError as error:
            print("refused", error.response["Error"]["Code"])
    else:
        sys.exit("unknown command " + command)


main(sys.argv[1:])

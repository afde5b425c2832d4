#!/usr/bin/env python3
"""The independent S3 peer of the tests: boto3, not Amana's own client, says what the server holds.

Every subcommand prints one JSON document on stdout. A request the server refuses exits 1 with
{"error": CODE, "status": HTTP, "message": ...} on stdout and a one-line `s3tool: error: ...` on stderr, so a test
can tell "refused by Object Lock" from "no answer" (exit 2, one line on stderr) and from a bug in this script (exit 3,
Python's traceback).

The endpoint and keys come from the variables scripts/services/ceph.sh prints:
AMANA_TEST_S3_ENDPOINT, AMANA_TEST_S3_REGION, AMANA_TEST_S3_ACCESS_KEY, AMANA_TEST_S3_SECRET_KEY.

  make-bucket NAME [--object-lock] [--versioning] [--default-retention MODE DAYS]
  bucket-info BUCKET                       versioning status, Object Lock configuration
  put BUCKET KEY FILE [--retention MODE DAYS] [--legal-hold]
                                           a plain PutObject: a new version, or an overwrite by anyone
  get BUCKET KEY VERSION FILE              writes that version to FILE; size, SHA-256
  versions BUCKET PREFIX                   every version and delete marker under PREFIX
  retention BUCKET KEY VERSION             mode and retain-until date of that version
  set-retention BUCKET KEY VERSION MODE DAYS [--bypass-governance]
  legal-hold BUCKET KEY VERSION [on|off]   reads, or sets, the legal hold of that version
  delete BUCKET KEY [VERSION] [--bypass-governance]
  start-upload BUCKET KEY                  a multipart upload; prints its upload id
  upload-part BUCKET KEY UPLOAD NUMBER FILE
  complete-upload BUCKET KEY UPLOAD        completes with every part the server lists
  list-uploads BUCKET [PREFIX]
  abort-uploads BUCKET [PREFIX]            aborts every incomplete multipart upload
  empty-bucket BUCKET                      deletes every version it may (bypassing GOVERNANCE), then the bucket
                                           if empty; says what Object Lock kept
  batch                                    runs several of the commands above in this one process (starting Python
                                           and boto3 costs a second or two each time): a JSON list of argument lists
                                           on stdin, e.g. [["put", "b", "k", "f"], ["versions", "b", "k"]], run in
                                           order with one client; prints one JSON list with, for each, {"exit": 0, 1
                                           or 2 as if run alone, "reply": its JSON document or null, "stderr": its
                                           error line or null}. Every command runs, whatever the ones before did.
                                           An argument `@N.FIELD` is FIELD of command N's reply (N counts from 0),
                                           e.g. ["retention", "b", "k", "@0.versionId"] after a put.
"""

import argparse
import base64
import datetime
import hashlib
import json
import os
import re
import sys
import traceback

import boto3
import botocore.config
import botocore.exceptions


def client():
    try:
        endpoint = os.environ["AMANA_TEST_S3_ENDPOINT"]
        access = os.environ["AMANA_TEST_S3_ACCESS_KEY"]
        secret = os.environ["AMANA_TEST_S3_SECRET_KEY"]
    except KeyError as missing:
        fail_usage(f"{missing.args[0]} is not set (start the services: make services-up)")
    config = botocore.config.Config(
        s3={"addressing_style": "path"},
        retries={"max_attempts": 1, "mode": "standard"},
        connect_timeout=10,
        read_timeout=120,
        # Ceph 16 predates the flexible checksums (CRC32 and aws-chunked bodies) that recent botocore sends by
        # default; only the checksums an operation requires are sent, and Content-MD5 is added below.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    s3 = boto3.session.Session().client(
        "s3",
        endpoint_url=endpoint,
        region_name=os.environ.get("AMANA_TEST_S3_REGION", "us-east-1"),
        aws_access_key_id=access,
        aws_secret_access_key=secret,
        config=config,
    )
    # botocore adds `Expect: 100-continue` to every PUT or POST with a file-like body. When the server answers such a
    # request early with an error (Object Lock refusing an overwrite, a bad Content-MD5) instead of 100 Continue,
    # botocore's pooled connection can be left mid-request, and the next request on it fails or hangs (boto/botocore
    # issues 3010 and 3755). A test that provokes refusals on purpose would then fail for the client's reason, not
    # the server's, so the header is removed just before every request is sent.
    s3.meta.events.register("before-send.s3", drop_expect_header)
    # Object Lock requires an integrity header on PutObject and UploadPart; send the MD5 every S3 server checks.
    s3.meta.events.register("before-sign.s3.PutObject", add_content_md5)
    s3.meta.events.register("before-sign.s3.UploadPart", add_content_md5)
    return s3


def drop_expect_header(request, **_):
    request.headers.pop("Expect", None)


def add_content_md5(request, **_):
    if "Content-MD5" in request.headers:
        return
    body = request.body
    if body is None:
        data = b""
    elif isinstance(body, (bytes, bytearray)):
        data = bytes(body)
    else:
        position = body.tell()
        data = body.read()
        body.seek(position)
    request.headers["Content-MD5"] = base64.b64encode(hashlib.md5(data).digest()).decode()


def fail_usage(message):
    print(f"s3tool: error: {message}", file=sys.stderr)
    sys.exit(2)


def emit(value):
    json.dump(value, sys.stdout, indent=None, sort_keys=True, default=str)
    sys.stdout.write("\n")


def until(days):
    return datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=float(days))


def iso(date):
    return date.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if date else None


def make_bucket(s3, a):
    s3.create_bucket(Bucket=a.name, ObjectLockEnabledForBucket=a.object_lock)
    if a.versioning and not a.object_lock:
        s3.put_bucket_versioning(Bucket=a.name, VersioningConfiguration={"Status": "Enabled"})
    if a.default_retention:
        mode, days = a.default_retention
        s3.put_object_lock_configuration(
            Bucket=a.name,
            ObjectLockConfiguration={
                "ObjectLockEnabled": "Enabled",
                "Rule": {"DefaultRetention": {"Mode": mode, "Days": int(days)}},
            },
        )
    return bucket_info(s3, argparse.Namespace(bucket=a.name))


def bucket_info(s3, a):
    versioning = s3.get_bucket_versioning(Bucket=a.bucket).get("Status", "Disabled")
    lock, default = "Disabled", None
    try:
        config = s3.get_object_lock_configuration(Bucket=a.bucket)["ObjectLockConfiguration"]
        lock = config.get("ObjectLockEnabled", "Disabled")
        rule = config.get("Rule", {}).get("DefaultRetention")
        if rule:
            default = {"mode": rule.get("Mode"), "days": rule.get("Days"), "years": rule.get("Years")}
    except botocore.exceptions.ClientError as error:
        if error.response["Error"]["Code"] != "ObjectLockConfigurationNotFoundError":
            raise
    return {"bucket": a.bucket, "versioning": versioning, "objectLock": lock, "defaultRetention": default}


def put(s3, a):
    extra = {}
    if a.retention:
        extra["ObjectLockMode"] = a.retention[0]
        extra["ObjectLockRetainUntilDate"] = until(a.retention[1])
    if a.legal_hold:
        extra["ObjectLockLegalHoldStatus"] = "ON"
    with open(a.file, "rb") as body:
        reply = s3.put_object(Bucket=a.bucket, Key=a.key, Body=body, **extra)
    return {"key": a.key, "versionId": reply.get("VersionId"), "etag": reply["ETag"].strip('"')}


def get(s3, a):
    reply = s3.get_object(Bucket=a.bucket, Key=a.key, VersionId=a.version)
    digest, size = hashlib.sha256(), 0
    with open(a.file, "wb") as out:
        for chunk in reply["Body"].iter_chunks(1 << 20):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return {
        "key": a.key,
        "versionId": reply.get("VersionId"),
        "size": size,
        "sha256": digest.hexdigest(),
        "objectLockMode": reply.get("ObjectLockMode"),
        "objectLockRetainUntil": iso(reply.get("ObjectLockRetainUntilDate")),
        "legalHold": reply.get("ObjectLockLegalHoldStatus"),
    }


def versions(s3, a):
    found, markers = [], []
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=a.bucket, Prefix=a.prefix):
        for v in page.get("Versions", []):
            found.append({
                "key": v["Key"], "versionId": v["VersionId"], "isLatest": v["IsLatest"], "size": v["Size"],
                "etag": v["ETag"].strip('"'), "lastModified": iso(v["LastModified"]),
            })
        for m in page.get("DeleteMarkers", []):
            markers.append({"key": m["Key"], "versionId": m["VersionId"], "isLatest": m["IsLatest"]})
    return {"versions": found, "deleteMarkers": markers}


def retention(s3, a):
    try:
        r = s3.get_object_retention(Bucket=a.bucket, Key=a.key, VersionId=a.version)["Retention"]
        return {"key": a.key, "versionId": a.version, "mode": r.get("Mode"), "retainUntil": iso(r.get("RetainUntilDate"))}
    except botocore.exceptions.ClientError as error:
        if error.response["Error"]["Code"] != "NoSuchObjectLockConfiguration":
            raise
        return {"key": a.key, "versionId": a.version, "mode": None, "retainUntil": None}


def set_retention(s3, a):
    s3.put_object_retention(
        Bucket=a.bucket, Key=a.key, VersionId=a.version,
        Retention={"Mode": a.mode, "RetainUntilDate": until(a.days)},
        BypassGovernanceRetention=a.bypass_governance,
    )
    return retention(s3, a)


def legal_hold(s3, a):
    if a.state:
        s3.put_object_legal_hold(
            Bucket=a.bucket, Key=a.key, VersionId=a.version, LegalHold={"Status": a.state.upper()})
    try:
        status = s3.get_object_legal_hold(Bucket=a.bucket, Key=a.key, VersionId=a.version)["LegalHold"]["Status"]
    except botocore.exceptions.ClientError as error:
        # A version that never had a legal hold: AWS says NoSuchObjectLockConfiguration, Ceph 16
        # ObjectLockConfigurationNotFoundError (HTTP 404 both).
        if error.response["Error"]["Code"] not in ("NoSuchObjectLockConfiguration",
                                                   "ObjectLockConfigurationNotFoundError"):
            raise
        status = "OFF"
    return {"key": a.key, "versionId": a.version, "legalHold": status}


def delete(s3, a):
    extra = {"VersionId": a.version} if a.version else {}
    reply = s3.delete_object(Bucket=a.bucket, Key=a.key, BypassGovernanceRetention=a.bypass_governance, **extra)
    return {"key": a.key, "versionId": reply.get("VersionId"), "deleteMarker": reply.get("DeleteMarker", False)}


def start_upload(s3, a):
    return {"key": a.key, "uploadId": s3.create_multipart_upload(Bucket=a.bucket, Key=a.key)["UploadId"]}


def upload_part(s3, a):
    with open(a.file, "rb") as body:
        reply = s3.upload_part(Bucket=a.bucket, Key=a.key, UploadId=a.upload, PartNumber=a.number, Body=body)
    return {"partNumber": a.number, "etag": reply["ETag"].strip('"')}


def complete_upload(s3, a):
    parts = []
    for page in s3.get_paginator("list_parts").paginate(Bucket=a.bucket, Key=a.key, UploadId=a.upload):
        parts += [{"PartNumber": p["PartNumber"], "ETag": p["ETag"]} for p in page.get("Parts", [])]
    reply = s3.complete_multipart_upload(
        Bucket=a.bucket, Key=a.key, UploadId=a.upload, MultipartUpload={"Parts": parts})
    return {"key": a.key, "versionId": reply.get("VersionId"), "etag": reply["ETag"].strip('"'), "parts": len(parts)}


def list_uploads(s3, a):
    uploads = []
    for page in s3.get_paginator("list_multipart_uploads").paginate(Bucket=a.bucket, Prefix=a.prefix):
        uploads += [{"key": u["Key"], "uploadId": u["UploadId"], "initiated": iso(u["Initiated"])}
                    for u in page.get("Uploads", [])]
    return {"uploads": uploads}


def abort_uploads(s3, a):
    aborted = []
    for upload in list_uploads(s3, a)["uploads"]:
        s3.abort_multipart_upload(Bucket=a.bucket, Key=upload["key"], UploadId=upload["uploadId"])
        aborted.append(upload)
    return {"aborted": aborted}


def empty_bucket(s3, a):
    abort_uploads(s3, argparse.Namespace(bucket=a.bucket, prefix=""))
    listing = versions(s3, argparse.Namespace(bucket=a.bucket, prefix=""))
    deleted, kept = 0, []
    for v in listing["versions"] + listing["deleteMarkers"]:
        try:
            s3.delete_object(Bucket=a.bucket, Key=v["key"], VersionId=v["versionId"], BypassGovernanceRetention=True)
            deleted += 1
        except botocore.exceptions.ClientError as error:
            kept.append({"key": v["key"], "versionId": v["versionId"], "error": error.response["Error"]["Code"]})
    removed = False
    if not kept:
        s3.delete_bucket(Bucket=a.bucket)
        removed = True
    return {"deleted": deleted, "kept": kept, "bucketDeleted": removed}


def parser():
    p = argparse.ArgumentParser(prog="s3tool", description="boto3 as the tests' independent S3 client")
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("make-bucket")
    c.add_argument("name")
    c.add_argument("--object-lock", action="store_true")
    c.add_argument("--versioning", action="store_true")
    c.add_argument("--default-retention", nargs=2, metavar=("MODE", "DAYS"))
    c.set_defaults(run=make_bucket)

    c = sub.add_parser("bucket-info")
    c.add_argument("bucket")
    c.set_defaults(run=bucket_info)

    c = sub.add_parser("put")
    c.add_argument("bucket")
    c.add_argument("key")
    c.add_argument("file")
    c.add_argument("--retention", nargs=2, metavar=("MODE", "DAYS"))
    c.add_argument("--legal-hold", action="store_true")
    c.set_defaults(run=put)

    c = sub.add_parser("get")
    for name in ("bucket", "key", "version", "file"):
        c.add_argument(name)
    c.set_defaults(run=get)

    c = sub.add_parser("versions")
    c.add_argument("bucket")
    c.add_argument("prefix", nargs="?", default="")
    c.set_defaults(run=versions)

    c = sub.add_parser("retention")
    for name in ("bucket", "key", "version"):
        c.add_argument(name)
    c.set_defaults(run=retention)

    c = sub.add_parser("set-retention")
    for name in ("bucket", "key", "version", "mode", "days"):
        c.add_argument(name)
    c.add_argument("--bypass-governance", action="store_true")
    c.set_defaults(run=set_retention)

    c = sub.add_parser("legal-hold")
    for name in ("bucket", "key", "version"):
        c.add_argument(name)
    c.add_argument("state", nargs="?", choices=("on", "off"))
    c.set_defaults(run=legal_hold)

    c = sub.add_parser("delete")
    c.add_argument("bucket")
    c.add_argument("key")
    c.add_argument("version", nargs="?")
    c.add_argument("--bypass-governance", action="store_true")
    c.set_defaults(run=delete)

    c = sub.add_parser("start-upload")
    c.add_argument("bucket")
    c.add_argument("key")
    c.set_defaults(run=start_upload)

    c = sub.add_parser("upload-part")
    c.add_argument("bucket")
    c.add_argument("key")
    c.add_argument("upload")
    c.add_argument("number", type=int)
    c.add_argument("file")
    c.set_defaults(run=upload_part)

    c = sub.add_parser("complete-upload")
    for name in ("bucket", "key", "upload"):
        c.add_argument(name)
    c.set_defaults(run=complete_upload)

    for name, run in (("list-uploads", list_uploads), ("abort-uploads", abort_uploads)):
        c = sub.add_parser(name)
        c.add_argument("bucket")
        c.add_argument("prefix", nargs="?", default="")
        c.set_defaults(run=run)

    c = sub.add_parser("empty-bucket")
    c.add_argument("bucket")
    c.set_defaults(run=empty_bucket)
    return p


# Flags and how many values each takes. S3 version ids and keys may begin with '-' (radosgw's often do), which
# argparse would take for an option: every flag is moved before a '--', and everything else after it.
FLAGS = {"--object-lock": 0, "--versioning": 0, "--default-retention": 2, "--retention": 2, "--legal-hold": 0,
         "--bypass-governance": 0}


def ordered(argv):
    if not argv or argv[0].startswith("-"):
        return argv
    flags, positionals, index = [], [], 1
    while index < len(argv):
        word = argv[index]
        if word in FLAGS:
            flags += argv[index:index + 1 + FLAGS[word]]
            index += 1 + FLAGS[word]
        else:
            positionals.append(word)
            index += 1
    return [argv[0]] + flags + ["--"] + positionals


def run(s3, args):
    """One command: (exit status, JSON reply or None, error line or None), as main() reports it. A bug raises."""
    try:
        return 0, args.run(s3, args), None
    except botocore.exceptions.ClientError as error:
        code = error.response.get("Error", {}).get("Code", "Unknown")
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        message = error.response.get("Error", {}).get("Message") or str(error)
        return 1, {"error": code, "status": status, "message": message}, \
            f"s3tool: error: {args.command}: {code} (HTTP {status}): {message}"
    except (botocore.exceptions.BotoCoreError, OSError) as error:
        # No answer from the server (radosgw stopped, a timeout) or a local file problem: not a refusal.
        return 2, None, f"s3tool: error: {args.command}: {error}"


def earlier(results, number, word):
    """`@N.FIELD`: FIELD of the reply of command N, which must come before command `number` and have given it."""
    match = re.fullmatch(r"@(\d+)\.(\w+)", word)
    if not match:
        return word
    index, field = int(match.group(1)), match.group(2)
    if index >= number:
        fail_usage(f"batch: command {number} refers to command {index}, which does not come before it")
    reply = results[index]["reply"]
    if not isinstance(reply, dict) or reply.get(field) is None:
        fail_usage(f"batch: command {number} refers to {field} of command {index}, which did not give one")
    return str(reply[field])


def batch(s3):
    try:
        commands = json.load(sys.stdin)
    except ValueError as error:
        fail_usage(f"batch: stdin is not JSON: {error}")
    if not isinstance(commands, list) or not all(
            isinstance(c, list) and c and all(isinstance(w, str) for w in c) for c in commands):
        fail_usage("batch: stdin must be a JSON list of non-empty lists of strings")
    if any(c[0] == "batch" for c in commands):
        fail_usage("batch: a batch cannot hold a batch")
    results = []
    for number, command in enumerate(commands):
        status, reply, line = run(s3, parser().parse_args(ordered([earlier(results, number, w) for w in command])))
        results.append({"exit": status, "reply": reply, "stderr": line})
    emit(results)


def main():
    if sys.argv[1:] == ["batch"]:
        try:
            batch(client())
        except Exception:  # a bug here, never to be mistaken for the server's refusal
            traceback.print_exc()
            sys.exit(3)
        return
    args = parser().parse_args(ordered(sys.argv[1:]))
    s3 = client()
    try:
        status, reply, line = run(s3, args)
    except Exception:  # a bug here, never to be mistaken for the server's refusal (exit 1)
        traceback.print_exc()
        sys.exit(3)
    if reply is not None:
        emit(reply)
    if line is not None:
        print(line, file=sys.stderr)
    sys.exit(status)


if __name__ == "__main__":
    main()

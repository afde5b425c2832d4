#!/usr/bin/env python3
"""Signs requests with botocore's S3SigV4Auth (SigV4Auth with S3's path rule), the reference the Swift signer is
compared with byte for byte (Tests/AmanaKitTests/S3/SigV4BotocoreInteropTests.swift).

stdin: a JSON list of cases {method, path (decoded), query [[name, value]], headers [[name, value]], body_hex,
unsigned (bool), timestamp (YYYYMMDDTHHMMSSZ), access_key, secret_key, token (or null), region}.
stdout: a JSON list of {authorization, x_amz_date, x_amz_content_sha256, x_amz_security_token, canonical_request}.
"""
import datetime
import json
import sys
from urllib.parse import quote

import botocore.auth
from botocore.auth import S3SigV4Auth, UNSIGNED_PAYLOAD
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


class RecordingS3SigV4Auth(S3SigV4Auth):
    """Keeps the canonical request botocore signed (after signing, the request also holds Authorization)."""

    def canonical_request(self, request):
        self.signed_canonical_request = super().canonical_request(request)
        return self.signed_canonical_request


class UnsignedS3SigV4Auth(RecordingS3SigV4Auth):
    def payload(self, request):
        return UNSIGNED_PAYLOAD


def sign(case):
    stamp = datetime.datetime.strptime(case["timestamp"], "%Y%m%dT%H%M%SZ")
    botocore.auth.get_current_datetime = lambda: stamp
    credentials = Credentials(case["access_key"], case["secret_key"], case.get("token"))
    auth_class = UnsignedS3SigV4Auth if case["unsigned"] else RecordingS3SigV4Auth
    auth = auth_class(credentials, "s3", case["region"])
    host = dict((name.lower(), value) for name, value in case["headers"])["host"]
    # botocore's serializer encodes an S3 key this way before signing; S3SigV4Auth then uses the path as it is.
    url = "http://" + host + quote(case["path"], safe="/~")
    request = AWSRequest(method=case["method"], url=url, data=bytes.fromhex(case["body_hex"]),
                         params=[tuple(pair) for pair in case["query"]])
    for name, value in case["headers"]:
        request.headers[name] = value
    auth.add_auth(request)
    return {
        "authorization": request.headers["Authorization"],
        "x_amz_date": request.headers["X-Amz-Date"],
        "x_amz_content_sha256": request.headers["X-Amz-Content-SHA256"],
        "x_amz_security_token": request.headers.get("X-Amz-Security-Token"),
        "canonical_request": auth.signed_canonical_request,
    }


json.dump([sign(case) for case in json.load(sys.stdin)], sys.stdout)

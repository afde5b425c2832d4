#!/usr/bin/env python3
"""A local RFC 3161 time-stamping server for tests: `openssl ts -reply` behind HTTP on 127.0.0.1.

    tsa-server.py CONFIG [--lifetime SECONDS]

It binds a free port on 127.0.0.1, prints "PORT <n>" on stdout, and answers POSTs of application/timestamp-query.
The path chooses how it behaves, so tests can check every client error:

    /ok             a real reply from openssl ts -reply
    /http500        HTTP 500
    /reject         a TimeStampResp with status rejection (badAlg) and no token
    /wrong-nonce    a real reply to the request with its nonce changed
    /wrong-imprint  a real reply to the request with its imprint changed
    /garbage        200 with bytes that are not DER
    /token-only     a bare TimeStampToken instead of a TimeStampResp
    /slow           waits 5 seconds, then answers like /ok

It serves only loopback, and stops by itself after --lifetime seconds (default 120) or 500 requests.
"""
import http.server
import os
import subprocess
import sys
import tempfile
import threading
import time


def tlv(data, offset):
    """Returns (tag, content_start, content_end) of the DER element at offset."""
    tag = data[offset]
    first = data[offset + 1]
    if first < 0x80:
        return tag, offset + 2, offset + 2 + first
    count = first & 0x7F
    length = int.from_bytes(data[offset + 2:offset + 2 + count], "big")
    start = offset + 2 + count
    return tag, start, start + length


def children(data, start, end):
    out = []
    while start < end:
        tag, content_start, content_end = tlv(data, start)
        out.append((tag, content_start, content_end))
        start = content_end
    return out


def request_fields(query):
    """Offsets of the imprint's hash content and the nonce's content in a TimeStampReq."""
    _, start, end = tlv(query, 0)
    fields = children(query, start, end)
    imprint = fields[1]
    _, hash_start, hash_end = children(query, imprint[1], imprint[2])[1]
    nonce = next(((s, e) for tag, s, e in fields[2:] if tag == 0x02), None)
    return (hash_start, hash_end), nonce


def der(tag, content):
    n = len(content)
    if n < 0x80:
        return bytes([tag, n]) + content
    size = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(size)]) + size + content


def rejection():
    text = der(0x0C, b"unsupported algorithm (test)")
    status = der(0x30, der(0x02, b"\x02") + der(0x30, text) + der(0x03, b"\x07\x80"))  # failInfo badAlg
    return der(0x30, status)


class Handler(http.server.BaseHTTPRequestHandler):
    config = None

    def log_message(self, *args):
        pass

    def send(self, status, body, media="application/timestamp-reply"):
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def openssl_reply(self, query, token_only=False):
        with tempfile.TemporaryDirectory() as folder:
            request = os.path.join(folder, "request.tsq")
            reply = os.path.join(folder, "reply.tsr")
            with open(request, "wb") as f:
                f.write(query)
            args = ["openssl", "ts", "-reply", "-config", self.config, "-queryfile", request, "-out", reply]
            if token_only:
                args.append("-token_out")
            subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            with open(reply, "rb") as f:
                return f.read()

    def do_POST(self):
        self.server.requests += 1
        query = bytearray(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        path = self.path
        if path == "/http500":
            return self.send(500, b"internal error\n", "text/plain")
        if path == "/reject":
            return self.send(200, rejection())
        if path == "/garbage":
            return self.send(200, b"this is not DER \x00\xff" * 4)
        (hash_start, _), nonce = request_fields(query)
        if path == "/wrong-nonce" and nonce:
            query[nonce[1] - 1] ^= 0x01
        if path == "/wrong-imprint":
            query[hash_start] ^= 0x01
        if path == "/slow":
            time.sleep(5)
        if path not in ("/ok", "/wrong-nonce", "/wrong-imprint", "/slow", "/token-only"):
            return self.send(404, b"unknown path\n", "text/plain")
        try:
            body = self.openssl_reply(bytes(query), token_only=(path == "/token-only"))
        except subprocess.CalledProcessError:
            return self.send(500, b"openssl ts -reply failed\n", "text/plain")
        self.send(200, body)


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(64)
    Handler.config = sys.argv[1]
    lifetime = 120.0
    if "--lifetime" in sys.argv:
        lifetime = float(sys.argv[sys.argv.index("--lifetime") + 1])
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.requests = 0
    server.daemon_threads = True
    print("PORT %d" % server.server_address[1], flush=True)

    def stop_later():
        deadline = time.monotonic() + lifetime
        while time.monotonic() < deadline and server.requests < 500:
            time.sleep(0.2)
        server.shutdown()

    threading.Thread(target=stop_later, daemon=True).start()
    server.serve_forever(poll_interval=0.2)


if __name__ == "__main__":
    main()

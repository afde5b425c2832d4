import Foundation
import SwiftASN1
import X509

/// The certificates a timestamp is checked against, with where they came from (for the report's trust inputs).
///
/// Every certificate given is used to find the TSA's signer certificate and to build the chain; the self-signed ones
/// are the trust anchors. So a file that holds a TSA's whole chain (leaf, intermediates, root) works, as it does with
/// `openssl ts -verify -CAfile`, and a file that holds only an intermediate anchors nothing.
public struct TSARoots: Sendable {
    public struct Source: Codable, Sendable, Equatable {
        /// The file, or `system` for the system trust store.
        public var source: String
        public var subject: String
        /// SHA-256 of the certificate's DER, hex.
        public var sha256: String
        public var notAfter: String
        /// True for a self-signed certificate, which is a trust anchor.
        public var anchor: Bool
    }

    /// Debian's bundle of the system's trusted roots (the `ca-certificates` package).
    public static let systemBundlePath = "/etc/ssl/certs/ca-certificates.crt"

    package private(set) var certificates: [Certificate] = []
    public private(set) var sources: [Source] = []
    /// True when the certificates are the system trust store rather than files the user named.
    public private(set) var isSystem = false

    public init() {}

    package init(certificates: [Certificate], source: String) {
        for certificate in certificates { append(certificate, source: source) }
    }

    /// Reads every certificate in a PEM file (any number of CERTIFICATE blocks) or a DER file (one certificate, or
    /// several back to back: `identrust/ts_chain.pem` is DER despite its name).
    /// - Throws: `AmanaError` `usage` when the file cannot be read or holds no certificate (exit 64, as `--trust`).
    public mutating func load(file path: String) throws {
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw AmanaError(.usage, "cannot read the TSA root file \(path)",
                             hint: "--tsa-root takes a PEM or DER file of certificates")
        }
        let certificates: [Certificate]
        do {
            certificates = try TSARoots.parseCertificates(bytes)
        } catch {
            throw AmanaError(.usage, "\(path) holds no readable X.509 certificate (\(TimestampToken.describe(error)))",
                             hint: "--tsa-root takes a PEM or DER file of certificates")
        }
        for certificate in certificates { append(certificate, source: path) }
    }

    /// The system trust store (``systemBundlePath``).
    public static func system() throws -> TSARoots {
        var roots = TSARoots()
        do {
            try roots.load(file: systemBundlePath)
        } catch {
            throw AmanaError(.inputUnreadable, "cannot read the system trust store \(systemBundlePath)",
                             hint: "install ca-certificates, or name the TSA's root with --tsa-root")
        }
        roots.isSystem = true
        return roots
    }

    mutating func append(_ certificate: Certificate, source: String) {
        guard !certificates.contains(certificate) else { return }
        certificates.append(certificate)
        let der = (try? TSARoots.der(certificate)) ?? []
        sources.append(Source(source: source, subject: certificate.subject.description,
                              sha256: MultiDigest.digests(of: der, [.sha256])[.sha256]!.hex,
                              notAfter: UTCTime.format(certificate.notValidAfter),
                              anchor: TSARoots.isSelfSigned(certificate)))
    }

    static func parseCertificates(_ bytes: [UInt8]) throws -> [Certificate] {
        let text = String(decoding: bytes, as: UTF8.self)
        if text.contains("-----BEGIN CERTIFICATE-----") {
            let certificates = try pemBlocks(text).map { try Certificate(derEncoded: $0) }
            guard !certificates.isEmpty else { throw AmanaError(.inputInvalid, "no CERTIFICATE block") }
            return certificates
        }
        var rest = bytes[...]
        var certificates = [Certificate]()
        while !rest.isEmpty {
            let length = try derElementLength(rest)
            certificates.append(try Certificate(derEncoded: Array(rest.prefix(length))))
            rest = rest.dropFirst(length)
        }
        guard !certificates.isEmpty else { throw AmanaError(.inputInvalid, "the file is empty") }
        return certificates
    }

    /// The DER of every CERTIFICATE block. Line lengths are not policed (many tools wrap at 76 or not at all, and
    /// swift-asn1's PEM reader insists on 64); the base64 itself must be valid.
    static func pemBlocks(_ text: String) throws -> [[UInt8]] {
        let begin = "-----BEGIN CERTIFICATE-----", end = "-----END CERTIFICATE-----"
        var blocks = [[UInt8]]()
        var rest = Substring(text)
        while let start = rest.range(of: begin) {
            guard let stop = rest.range(of: end, range: start.upperBound..<rest.endIndex) else {
                throw AmanaError(.inputInvalid, "a CERTIFICATE block has no END line")
            }
            let body = rest[start.upperBound..<stop.lowerBound].filter { !$0.isWhitespace }
            guard let der = Data(base64Encoded: String(body)) else {
                throw AmanaError(.inputInvalid, "a CERTIFICATE block is not valid base64")
            }
            blocks.append(Array(der))
            rest = rest[stop.upperBound...]
        }
        return blocks
    }

    /// The length of the first DER element (tag, length and content) in `bytes`.
    private static func derElementLength(_ bytes: ArraySlice<UInt8>) throws -> Int {
        let start = bytes.startIndex
        guard bytes.count >= 2, bytes[start] == 0x30 else { throw AmanaError(.inputInvalid, "not DER") }
        let first = Int(bytes[start + 1])
        if first < 0x80 { return 2 + first }
        let count = first & 0x7F
        guard count >= 1, count <= 4, bytes.count >= 2 + count else { throw AmanaError(.inputInvalid, "not DER") }
        var length = 0
        for index in 0..<count { length = length << 8 | Int(bytes[start + 2 + index]) }
        guard bytes.count >= 2 + count + length else { throw AmanaError(.inputInvalid, "truncated DER") }
        return 2 + count + length
    }

    static func der(_ certificate: Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }

    /// Self-issued and verifiably signed by its own key.
    static func isSelfSigned(_ certificate: Certificate) -> Bool {
        certificate.subject == certificate.issuer
            && certificate.publicKey.isValidSignature(certificate.signature, for: certificate)
    }

    /// The trust anchors: the self-signed certificates.
    package var anchors: [Certificate] { certificates.filter(TSARoots.isSelfSigned) }
}

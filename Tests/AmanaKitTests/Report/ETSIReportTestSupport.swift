@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// Runs ETSI reports through the outside tools: `xmllint` against the TS 119 102-2 schema (offline, through the
/// conformance folder's catalog), and Python's ElementTree to read back what the XML states.
struct ETSISchemaCheck {
    let xmllint: String
    let python: String
    let folder: URL
    let scratch = TemporaryFolder("amana-etsi")

    init() throws {
        folder = try TestEnvironment.requireConformance("etsi-119102-2")
        xmllint = try TestEnvironment.requireTool("xmllint")
        python = try TestEnvironment.requireTool("python3")
    }

    /// xmllint's answer for `path`: true when the document is valid against TS119102-2-v141.xsd.
    func validates(_ path: String) throws -> RunResult {
        try runTool(xmllint, ["--nonet", "--noout", "--schema", "TS119102-2-v141.xsd", path],
                    environment: ["XML_CATALOG_FILES": folder.appendingPathComponent("catalog.xml").path],
                    in: folder.path)
    }

    func write(_ xml: [UInt8], _ name: String = "report.xml") throws -> String { try scratch.write(name, xml) }

    /// What the report states, read by ElementTree: each top-level signature report and each validation object.
    func read(_ path: String) throws -> ETSIReadBack {
        let result = try runTool(python, ["-c", ETSISchemaCheck.reader, path])
        guard result.status == 0 else { throw XCTSkip("python3 could not read the report: \(result)") }
        return try JSONDecoder().decode(ETSIReadBack.self, from: Data(result.stdout.utf8))
    }

    private static let reader = #"""
import json, sys, xml.etree.ElementTree as ET
V = '{http://uri.etsi.org/19102/v1.4.1#}'
D = '{http://www.w3.org/2000/09/xmldsig#}'
A = '{urn:amana:verification-report:1}'
root = ET.parse(sys.argv[1]).getroot()
def status(node):
    s = node.find(V + 'SignatureValidationStatus')
    return s.findtext(V + 'MainIndication'), [e.text for e in s.findall(V + 'SubIndication')]
reports = []
for r in root.findall(V + 'SignatureValidationReport'):
    main, subs = status(r)
    ident = r.find(V + 'SignatureIdentifier')
    best = r.find(V + 'ValidationTimeInfo/' + V + 'BestSignatureTime')
    poe = best.find(V + 'POEObject') if best is not None else None
    anchor = r.find(V + 'SignatureValidationStatus/' + V + 'AssociatedValidationReportData/' + V + 'TrustAnchor')
    reports.append({'id': ident.get('id') if ident is not None else None,
                    'signatureValue': ident.findtext(D + 'SignatureValue') if ident is not None else None,
                    'main': main, 'subs': subs,
                    'signer': r.findtext(V + 'SignerInformation/' + V + 'Signer'),
                    'signerKey': (r.find(V + 'SignerInformation/' + V + 'SignerCertificate').get('VOReference')
                                  if r.find(V + 'SignerInformation') is not None else None),
                    'trustAnchor': anchor.get('VOReference') if anchor is not None else None,
                    'validationTime': r.findtext(V + 'ValidationTimeInfo/' + V + 'ValidationTime'),
                    'poeTime': best.findtext(V + 'POETime') if best is not None else None,
                    'poeObject': poe.get('VOReference') if poe is not None else None,
                    'codes': [f.get('code') for f in r.findall(V + 'OtherInformation/' + A + 'Finding')]})
objects = []
for o in root.findall(V + 'SignatureValidationObjects/' + V + 'ValidationObject'):
    nested = o.find(V + 'ValidationReport')
    main, subs = status(nested) if nested is not None else (None, [])
    chain = nested.find(V + 'SignatureValidationStatus/' + V + 'AssociatedValidationReportData/' + V + 'CertificateChain') if nested is not None else None
    objects.append({'id': o.get('id'), 'type': o.findtext(V + 'ObjectType'),
                    'base64': o.findtext(V + 'ValidationObjectRepresentation/' + V + 'base64'),
                    'main': main, 'subs': subs,
                    'signer': nested.findtext(V + 'SignerInformation/' + V + 'Signer') if nested is not None else None,
                    'chain': [c.get('VOReference') for c in chain] if chain is not None else [],
                    'facts': nested.find(V + 'OtherInformation/' + A + 'Token').attrib if nested is not None else {},
                    'qcStatements': [q.get('oid') for q in o.iter(A + 'QcStatement')]})
print(json.dumps({'reports': reports, 'objects': objects}))
"""#
}

struct ETSIReadBack: Decodable {
    struct Report: Decodable {
        var id: String?
        var signatureValue: String?
        var main: String
        var subs: [String]
        var signer: String?
        var signerKey: String?
        var trustAnchor: String?
        var validationTime: String?
        var poeTime: String?
        var poeObject: String?
        var codes: [String]
    }

    struct Object: Decodable {
        var id: String
        var type: String
        var base64: String?
        var main: String?
        var subs: [String]
        var signer: String?
        var chain: [String]
        /// The token's `amana:Token` attributes.
        var facts: [String: String]
        var qcStatements: [String]
    }

    var reports: [Report]
    var objects: [Object]
}

/// A vector case verified through the library with the trust inputs, TSA roots and `--at` of its expected.json.
enum ETSIVectorCase {
    private struct Expected: Decodable { var arguments: [String] }

    /// - Parameter trustingKeys: false drops every `--trust` input, to see the same bundle with no trusted signer.
    static func verify(_ family: String, _ name: String, trustingKeys: Bool = true) throws -> VerificationReport {
        let folder = TestEnvironment.packageRoot.appendingPathComponent("fixtures/vectors/\(family)/\(name)")
        let expected = try JSONDecoder().decode(
            Expected.self, from: Data(try readBytes(folder.appendingPathComponent("expected.json").path)))
        var arguments = expected.arguments[...]
        let input = try XCTUnwrap(arguments.popFirst())
        var keys = [TrustedKey]()
        var roots: TSARoots?
        var time: Date?
        while let option = arguments.popFirst() {
            let value = try XCTUnwrap(arguments.popFirst(), option)
            let path = folder.appendingPathComponent(value).path
            switch option {
            case "--trust" where trustingKeys:
                let bytes = try readBytes(path)
                if bytes.starts(with: Array("amana-keyring: 1".utf8)) {
                    keys += try Keyring.parse(bytes, source: value)
                } else {
                    keys.append(TrustedKey(key: try PublicKey(minisignFile: bytes), source: value))
                }
            case "--trust": continue
            case "--tsa-root":
                var loaded = roots ?? TSARoots()
                try loaded.load(file: path)
                roots = loaded
            case "--at": time = UTCTime.parse(value)
            default: XCTFail("unexpected option \(option) in \(family)/\(name)")
            }
        }
        let options = try VerifyOptions(trustedKeys: keys, validationTime: try XCTUnwrap(time), tsaRoots: roots)
        return try Verifier.verify(folder.appendingPathComponent(input).path, options: options)
    }
}

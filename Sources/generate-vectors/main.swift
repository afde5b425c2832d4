// Writes Amana's test vectors under fixtures/vectors/ (the folder is the first argument).
//
// Never edit a vector by hand: change this program and run `make vectors`. The signer keys in keys/ are made once and
// then reused, so that regenerating gives the same bytes; they are TEST keys, unencrypted, and sign nothing else.
@_spi(Testing) import AmanaKit
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: generate-vectors OUTPUT-FOLDER\n".utf8))
    exit(64)
}
let root = URL(fileURLWithPath: arguments[1])
let fileManager = FileManager.default
let sealTime = UTCTime.parse("2026-01-15T09:30:00Z")!

func write(_ bytes: [UInt8], _ path: URL) throws {
    try fileManager.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: path)
}

func writeJSON(_ object: [String: Any], _ path: URL) throws {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    try write(Array(data) + [10], path)
}

/// Loads a test key from keys/, making it the first time.
func testKey(_ name: String, person: String) throws -> SecretKey {
    let keyPath = root.appendingPathComponent("keys/\(name).key")
    if let text = try? String(contentsOf: keyPath, encoding: .utf8) {
        return try SecretKey(minisignFile: text) { "" }
    }
    let key = try SecretKey.generate(name: person, organization: "Amana test vectors")
    try write(Array(try key.minisignFile(passphrase: nil).utf8), keyPath)
    try write(Array(key.publicKey.minisignFile().utf8), root.appendingPathComponent("keys/\(name).pub"))
    return key
}

let signer = try testKey("signer", person: "Vector Signer")
let other = try testKey("other", person: "Vector Other")

// MARK: seal statements

func statement(_ key: SecretKey, bundle: String = "vector-bundle-1", number: Int = 1) -> SealStatement {
    SealStatement(
        bundleID: bundle, number: number, claimedTime: UTCTime.format(sealTime), signerKeyID: key.keyID.description,
        signerPublicKey: key.publicKey.base64,
        manifests: [.init(algorithm: .sha256, hex: String(repeating: "ab", count: 32)),
                    .init(algorithm: .sha512, hex: String(repeating: "cd", count: 64))],
        tagManifests: [.init(algorithm: .sha256, hex: String(repeating: "ef", count: 32)),
                       .init(algorithm: .sha512, hex: String(repeating: "01", count: 64))],
        custodyLength: 3, custodyRoot: String(repeating: "45", count: 32),
        previousSeal: number == 1 ? nil : String(repeating: "23", count: 32))
}

func sealCase(_ name: String, comment: String, statement bytes: [UInt8], signature: MinisignSignature,
              expect: String) throws {
    let folder = root.appendingPathComponent("seal/\(name)")
    try write(bytes, folder.appendingPathComponent("statement"))
    try write(Array(signature.minisignFile().utf8), folder.appendingPathComponent("statement.minisig"))
    try writeJSON(["comment": comment, "expect": expect, "trust": "signer.pub"], folder.appendingPathComponent("expected.json"))
}

func trustedComment(_ s: SealStatement) -> String {
    "timestamp:\(Int(sealTime.timeIntervalSince1970))\tfile:0001.seal\tbundle:\(s.bundleID)\tseal:\(s.number)"
}

let good = statement(signer)
let goodBytes = good.serialized()
let goodSignature = try signer.sign(goodBytes, trustedComment: trustedComment(good))
try sealCase("valid", comment: "a canonical statement signed by the trusted key",
             statement: goodBytes, signature: goodSignature, expect: "valid")
try sealCase("edited-statement", comment: "one digit of a manifest digest changed after signing",
             statement: Array(String(decoding: goodBytes, as: UTF8.self).replacingOccurrences(of: "abab", with: "abac").utf8),
             signature: goodSignature, expect: "seal.signature.invalid")
try sealCase("crlf-line-ends", comment: "the same fields with CRLF line ends: not canonical",
             statement: Array(String(decoding: goodBytes, as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n").utf8),
             signature: goodSignature, expect: "seal.statement.malformed")
let unknownField = Array((String(decoding: goodBytes, as: UTF8.self) + "Note: hello\n").utf8)
try sealCase("unknown-field", comment: "an extra field a v1 verifier cannot vouch for",
             statement: unknownField, signature: try signer.sign(unknownField, trustedComment: "t"),
             expect: "seal.statement.malformed")
let weak = Array(String(decoding: goodBytes, as: UTF8.self)
    .replacingOccurrences(of: "Manifest: sha256 " + String(repeating: "ab", count: 32),
                          with: "Manifest: sha1 " + String(repeating: "ab", count: 20)).utf8)
try sealCase("sha1-commitment", comment: "a seal may not commit with SHA-1",
             statement: weak, signature: try signer.sign(weak, trustedComment: "t"), expect: "seal.statement.malformed")
let byOther = statement(other)
try sealCase("untrusted-signer", comment: "valid statement and signature, by a key that is not trusted",
             statement: byOther.serialized(), signature: try other.sign(byOther.serialized(), trustedComment: "t"),
             expect: "seal.key.untrusted")
try sealCase("signed-by-other-key", comment: "names the trusted signer but is signed by another key",
             statement: goodBytes, signature: try other.sign(goodBytes, trustedComment: "t"),
             expect: "seal.signature.key-mismatch")
var commentTampered = Array(goodSignature.minisignFile().utf8)
if let tab = commentTampered.firstIndex(of: UInt8(ascii: "\t")) { commentTampered[tab + 1] ^= 0x20 }
let tamperedSignature = try MinisignSignature(minisignFile: String(decoding: commentTampered, as: UTF8.self))
try sealCase("trusted-comment-edited", comment: "the trusted comment changed after signing",
             statement: goodBytes, signature: tamperedSignature, expect: "seal.signature.comment-invalid")

// MARK: bundles

/// Copies the sample media with fixed modification times, so the sealed tar is the same on every run.
let media = root.deletingLastPathComponent().appendingPathComponent("media/sample")
let staging = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("amana-vectors-\(getpid())")
try? fileManager.removeItem(at: staging)
try fileManager.createDirectory(at: staging, withIntermediateDirectories: true)
defer { try? fileManager.removeItem(at: staging) }
var inputs = [String]()
for name in ["checkpoint-photo.png", "scanned-document.pdf"] {
    let target = staging.appendingPathComponent(name)
    try fileManager.copyItem(at: media.appendingPathComponent(name), to: target)
    try fileManager.setAttributes([.modificationDate: sealTime], ofItemAtPath: target.path)
    inputs.append(target.path)
}

func bundleCase(_ name: String, comment: String, bytes: [UInt8], trust: String, verdict: String, codes: [String]) throws {
    let folder = root.appendingPathComponent("bundle/\(name)")
    try write(bytes, folder.appendingPathComponent("bundle.tar"))
    try writeJSON(["comment": comment, "trust": trust, "verdict": verdict, "codes": codes],
                  folder.appendingPathComponent("expected.json"))
}

let sealed = staging.appendingPathComponent("sealed.tar")
var options = SealOptions(inputs: inputs, output: sealed.path)
options.bundleID = "vector-bundle-1"
options.time = sealTime
options.caseID = "VECTORS"
options.acquisition = Acquisition(collector: "Vector Signer", device: "generator")
_ = try Sealer.seal(options, key: signer)
let tar = Array(try Data(contentsOf: sealed))
try bundleCase("valid", comment: "two sample files sealed by the trusted signer",
               bytes: tar, trust: "signer.pub", verdict: "TOTAL-PASSED", codes: [])
try bundleCase("untrusted", comment: "the same bundle, verified trusting only another key",
               bytes: tar, trust: "other.pub", verdict: "INDETERMINATE", codes: ["seal.key.untrusted"])
var flipped = tar
let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47]
if let at = (0..<(flipped.count - 4)).first(where: { Array(flipped[$0..<$0 + 4]) == png }) { flipped[at + 200] ^= 1 }
try bundleCase("flipped-payload-byte", comment: "one bit of the PNG's data flipped inside the tar",
               bytes: flipped, trust: "signer.pub", verdict: "TOTAL-FAILED", codes: ["payload.digest.mismatch"])
try bundleCase("truncated", comment: "the tar cut in the middle of the payload",
               bytes: Array(tar.prefix(tar.count / 3)), trust: "signer.pub", verdict: "TOTAL-FAILED",
               codes: ["archive.truncated"])
// A hand-off: the signer transfers the bundle to `other`, who receives it. Three seals, eight events.
var transfer = BundleAppender.Request(input: sealed.path, output: staging.appendingPathComponent("sent.tar").path, key: signer)
transfer.time = sealTime.addingTimeInterval(3600)
_ = try BundleAppender.append(transfer) { recorder, _, _ in
    try recorder.record(.transferred, items: [], details: ["to": other.keyID.description, "toPublicKey": other.publicKey.base64],
                        time: sealTime.addingTimeInterval(3600))
}
var receive = BundleAppender.Request(input: transfer.output!, output: staging.appendingPathComponent("received.tar").path, key: other)
receive.time = sealTime.addingTimeInterval(7200)
receive.trusted = [TrustedKey(key: signer.publicKey, source: "signer.pub")]
receive.required = .totalPassed
let received = try BundleAppender.append(receive) { recorder, report, _ in
    try recorder.record(.received, items: [], details: ["from": signer.keyID.description, "verdict": report.verdict.rawValue],
                        time: sealTime.addingTimeInterval(7200))
}
let handedOff = Array(try Data(contentsOf: URL(fileURLWithPath: receive.output!)))
try bundleCase("handed-off", comment: "sealed by signer, transferred to other, received by other: three seals, eight events",
               bytes: handedOff, trust: "signer.pub other.pub", verdict: "TOTAL-PASSED", codes: [])
try bundleCase("handed-off-receiver-untrusted", comment: "the same, trusting only the original signer",
               bytes: handedOff, trust: "signer.pub", verdict: "INDETERMINATE", codes: ["seal.key.untrusted", "custody.actor.untrusted"])

// MARK: receipts (custody-log.md section 8.1)

/// A receipt case: the handed-off bundle it answers (in `bundle/handed-off`), the receipt, and the trust inputs.
func receiptCase(_ name: String, comment: String, receipt: Receipt, trust: [String], verdict: String, codes: [String],
                 files: [String: [UInt8]] = [:]) throws {
    let folder = root.appendingPathComponent("receipt/\(name)")
    try write(receipt.bytes, folder.appendingPathComponent("receipt.json"))
    for (file, bytes) in files { try write(bytes, folder.appendingPathComponent(file)) }
    try writeJSON(["comment": comment, "bundle": "bundle/handed-off/bundle.tar", "trust": trust.joined(separator: " "),
                   "verdict": verdict, "codes": codes], folder.appendingPathComponent("expected.json"))
}

func receipt(signedBy key: SecretKey, _ change: (inout Receipt) -> Void = { _ in }) throws -> Receipt {
    var document = Receipt(bundleID: received.bundleID, verdict: received.report.verdict.rawValue,
                           receivedAt: UTCTime.format(sealTime.addingTimeInterval(7200)), custodyLength: received.custodyLength,
                           custodyRoot: received.custodyRoot, seal: received.sealNumber,
                           recipient: CustodyEvent.Actor(keyID: key.keyID.description, publicKey: key.publicKey.base64,
                                                         name: "Vector Other", organization: "Amana test vectors"),
                           sender: signer.keyID.description)
    change(&document)
    try document.sign(with: key)
    return document
}

try receiptCase("valid", comment: "the receipt other signed after receiving the handed-off bundle",
                receipt: try receipt(signedBy: other), trust: ["signer.pub", "other.pub"], verdict: "TOTAL-PASSED", codes: [])
try receiptCase("untrusted-signer", comment: "the same receipt, with other's key not trusted",
                receipt: try receipt(signedBy: other), trust: ["signer.pub"], verdict: "INDETERMINATE",
                codes: ["receipt.key.untrusted"])
let impostor = try SecretKey.generate(name: "Vector Other", organization: "Amana test vectors", keyID: other.keyID)
try receiptCase("substituted-key", comment: "a new key carrying other's key id and name signs a receipt in other's name",
                receipt: try receipt(signedBy: impostor), trust: ["signer.pub", "other.pub"], verdict: "TOTAL-FAILED",
                codes: ["receipt.key.substituted"])
var altered = try receipt(signedBy: other)
altered.verdict = "INDETERMINATE"
try receiptCase("altered", comment: "the verdict changed after signing", receipt: altered, trust: ["signer.pub", "other.pub"],
                verdict: "TOTAL-FAILED", codes: ["receipt.signature.invalid"])
try receiptCase("log-diverged", comment: "a receipt for a log whose first events differ from the bundle's",
                receipt: try receipt(signedBy: other) { $0.custodyRoot = String(repeating: "0", count: 64) },
                trust: ["signer.pub", "other.pub"], verdict: "TOTAL-FAILED", codes: ["receipt.log.diverged"])
try receiptCase("other-bundle", comment: "a receipt for another bundle",
                receipt: try receipt(signedBy: other) { $0.bundleID = "vector-bundle-2" },
                trust: ["signer.pub", "other.pub"], verdict: "TOTAL-FAILED", codes: ["receipt.bundle.mismatch"])
let revoked = "amana-keyring: 1\n\nkey: \(other.publicKey.base64)\nname: Vector Other\nrevoked-at: \(UTCTime.format(sealTime))\n"
try receiptCase("revoked-signer", comment: "other's key was revoked before the receipt's time",
                receipt: try receipt(signedBy: other), trust: ["signer.pub", "revoked.keyring"], verdict: "TOTAL-FAILED",
                codes: ["receipt.key.validity"], files: ["revoked.keyring": Array(revoked.utf8)])
print("wrote vectors under \(root.path)")

import AmanaKit
import Foundation

/// The honest bundles every family alters: one sealed by the signer, and the same handed off to `other`.
/// Fixed times, ids and file dates make them the same bytes on every run.
struct BaseBundles {
    static let sealTime = UTCTime.parse("2026-01-15T09:30:00Z")!
    static let bundleID = "vector-bundle-1"
    static let payload: [(String, [UInt8])] = [
        ("interview-notes.txt", utf8("Interview 7, 14:05. The witness describes the checkpoint and the vehicles.\n")),
        ("photo-log.csv", utf8("file,taken,place\nIMG_0041.JPG,2026-01-14T16:20:00Z,north gate\n")),
    ]

    /// One seal by the signer over the two payload files.
    let sealed: [UInt8]
    /// The same, sealed with SHA-256 and BLAKE2b-512 manifests.
    let blake2: [UInt8]
    /// Sealed by the signer, transferred to `other` (seal 2), received and sealed by `other` (seal 3): 7 events.
    let handedOff: [UInt8]
    let keys: VectorKeys

    init(keys: VectorKeys) throws {
        self.keys = keys
        let fileManager = FileManager.default
        let staging = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("amana-vectors-\(getpid())")
        try? fileManager.removeItem(at: staging)
        try fileManager.createDirectory(at: staging, withIntermediateDirectories: true)
        defer { try? fileManager.removeItem(at: staging) }
        var inputs = [String]()
        for (name, bytes) in BaseBundles.payload {
            let target = staging.appendingPathComponent(name)
            try writeFile(bytes, target)
            try fileManager.setAttributes([.modificationDate: BaseBundles.sealTime], ofItemAtPath: target.path)
            inputs.append(target.path)
        }
        let output = staging.appendingPathComponent("sealed.tar")
        var options = SealOptions(inputs: inputs, output: output.path)
        options.bundleID = BaseBundles.bundleID
        options.time = BaseBundles.sealTime
        options.caseID = "VECTORS"
        options.acquisition = Acquisition(collector: "Vector Signer", device: "generator")
        _ = try Sealer.seal(options, key: keys.signer)
        sealed = Array(try Data(contentsOf: output))
        let blake2Output = staging.appendingPathComponent("blake2.tar")
        var blake2Options = options
        blake2Options.output = blake2Output.path
        blake2Options.algorithms = [.sha256, .blake2b512]
        _ = try Sealer.seal(blake2Options, key: keys.signer)
        blake2 = Array(try Data(contentsOf: blake2Output))

        let signer = keys.signer, other = keys.other
        var transfer = BundleAppender.Request(input: output.path, output: staging.appendingPathComponent("sent.tar").path, key: signer)
        transfer.time = BaseBundles.sealTime.addingTimeInterval(3600)
        _ = try BundleAppender.append(transfer) { recorder, _, _ in
            try recorder.record(.transferred, items: [], details: ["to": other.keyID.description, "toPublicKey": other.publicKey.base64],
                                time: BaseBundles.sealTime.addingTimeInterval(3600))
        }
        var receive = BundleAppender.Request(input: transfer.output!, output: staging.appendingPathComponent("received.tar").path, key: other)
        receive.time = BaseBundles.sealTime.addingTimeInterval(7200)
        receive.trusted = [TrustedKey(key: signer.publicKey, source: "signer.pub")]
        receive.required = .totalPassed
        let received = try BundleAppender.append(receive) { recorder, report, _ in
            try recorder.record(.received, items: [], details: ["from": signer.keyID.description, "verdict": report.verdict.rawValue],
                                time: BaseBundles.sealTime.addingTimeInterval(7200))
        }
        handedOffResult = received
        handedOff = Array(try Data(contentsOf: URL(fileURLWithPath: receive.output!)))
    }

    /// What BundleAppender reported for the hand-off (its custody root and length, for receipts).
    let handedOffResult: BundleAppender.Result

    func bag(handedOff: Bool = false) throws -> ForgedBag {
        try ForgedBag(tar: handedOff ? self.handedOff : sealed, keys: keys)
    }
}

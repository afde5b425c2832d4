import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Adds custody events and a new seal to an existing bundle, leaving everything already sealed byte-identical.
///
/// The bundle is verified first. Then every entry is copied through unchanged: the payload, bagit.txt, bag-info.txt,
/// the manifests, items.json and every earlier seal. Only the tag manifests and the custody log are replaced, because
/// they must cover the new events, and the new seal is added. Each copied file is hashed again and compared with what
/// verification read, so a bundle changed between the two passes is refused rather than re-sealed.
package enum BundleAppender {
    package struct Request {
        package var input: String
        /// The new bundle; ignored when `inPlace` is set.
        package var output: String?
        package var inPlace = false
        package var key: SecretKey
        package var role: String?
        /// Keys trusted when verifying the input (the actor's own key is always added).
        package var trusted: [TrustedKey] = []
        package var time = Date()
        /// Append even when the input does not verify; the verdict is then recorded by the caller.
        package var force = false
        /// The lowest verdict accepted without `force`.
        package var required: Verdict = .indeterminate
        /// Set when the input is an age-encrypted bundle: it is decrypted in memory as it is read; the new bundle
        /// is written in plaintext.
        package var identities: [AgeIdentity]?
        /// Called, before `recording`, with the lowercase hex SHA-256 of the encrypted input as read through the same
        /// open file that is then verified and copied, and read again before the output is kept (only when
        /// `identities` is set).
        package var ciphertextDigest: ((String) -> Void)?

        package init(input: String, output: String?, key: SecretKey) {
            self.input = input
            self.output = output
            self.key = key
        }
    }

    package struct Result: Sendable {
        package let output: String
        package let sealNumber: Int
        /// The events this append added, the new `sealed` event included.
        package let events: [CustodyEvent]
        /// The input's verification report, as obtained before appending.
        package let report: VerificationReport
        package let custodyLength: Int
        package let custodyRoot: String
        package let bundleID: String
    }

    /// What the caller adds: gets the recorder, the input's report and what was read, and records its events.
    package typealias Recording = (inout CustodyRecorder, VerificationReport, BagInventory) throws -> Void

    package static func append(_ request: Request, recording: Recording) throws -> Result {
        guard let info = POSIX.lstat(request.input) else {
            throw AmanaError(.inputUnreadable, "cannot read \(request.input): \(POSIX.errorText())")
        }
        guard POSIX.isRegular(info) else {
            throw AmanaError(.usage, "\(request.input) is not a bundle file; custody commands work on bundle tars")
        }
        let target = request.inPlace ? request.input : (request.output ?? "")
        guard !target.isEmpty else { throw AmanaError(.usage, "give --output NEW.tar or --in-place") }
        if !request.inPlace && POSIX.exists(target) {
            throw AmanaError(.outputExists, "\(target) already exists; amana never overwrites", hint: "choose a new name, or use --in-place")
        }
        // The actor's own key joins the trust set; one that shares an id with another trusted key is refused there.
        let trusted = request.trusted + [TrustedKey(key: request.key.publicKey, source: "the signing key")]
        // One open file for verification and copying, so the input cannot be swapped in between.
        let file = try BundleFile(path: request.input, identities: request.identities)
        let ciphertext = request.identities == nil ? nil : try AgeDecryptingSource.sha256(of: file)
        if let ciphertext { request.ciphertextDigest?(ciphertext) }
        var verifyOptions = try VerifyOptions(trustedKeys: trusted)
        verifyOptions.identities = request.identities
        let (report, inventory) = try Verifier.verifyKeepingInventory(file: file, options: verifyOptions)
        let acceptable = report.verdict == .totalPassed || (report.verdict == .indeterminate && request.required != .totalPassed)
        guard acceptable || request.force else {
            throw AmanaError(.inputInvalid, "\(request.input) verifies as \(report.verdict.rawValue); amana adds nothing to it",
                             hint: "run 'amana verify' to see why; --force records the verdict and appends anyway")
        }
        guard let root = inventory.rootName else { throw AmanaError(.inputInvalid, "\(request.input) has no root folder") }
        let previous = sealNumbers(inventory).max() ?? 0
        guard previous >= 1, let previousSeal = inventory.files[BundleLayout.sealFile(previous)] else {
            throw AmanaError(.inputInvalid, "\(request.input) has no seal to extend")
        }
        let existingLog = try inventory.files[CustodyLog.path]?.contents.map(CustodyLog.init(bytes:)) ?? CustodyLog()
        var recorder = CustodyRecorder(log: existingLog, bundleID: root, key: request.key, role: request.role)
        let before = recorder.log.count
        try recording(&recorder, report, inventory)
        try recorder.record(.sealed, items: [], details: ["seal": String(previous + 1)], time: request.time)
        let log = recorder.log
        let added = try log.lines[before...].map { try CustodyEvent(line: $0) }

        let output = try AtomicOutput(path: target, replacing: request.inPlace)
        do {
            let statement = try write(request: request, file: file, inventory: inventory, root: root, log: log,
                                      sealNumber: previous + 1, previousSealDigest: previousSeal.digests[.sha256]!.hex,
                                      output: output)
            // The recorded ciphertext digest must name the bytes that were decrypted: read again, it must not differ.
            if let ciphertext, try AgeDecryptingSource.sha256(of: file) != ciphertext { throw changed(request.input) }
            try output.commit()
            return Result(output: target, sealNumber: previous + 1, events: added, report: report,
                          custodyLength: log.count, custodyRoot: statement.custodyRoot, bundleID: root)
        } catch {
            output.abandon()
            throw error
        }
    }

    static func sealNumbers(_ inventory: BagInventory) -> [Int] {
        inventory.files.keys.compactMap { path in
            BundleLayout.parseSealPath(path).flatMap { $0.kind == .statement ? $0.number : nil }
        }
    }

    private static func isReplaced(_ bagPath: String) -> Bool {
        bagPath == CustodyLog.path || (bagPath.hasBytePrefix(BagItNames.tagManifestPrefix) && !bagPath.utf8.contains(UInt8(ascii: "/")))
    }

    /// Copies the input, writes the longer custody log, and closes the bundle with the next seal (``SealWriter``),
    /// with tag manifests in the algorithms the input's tag manifests use. Returns the new seal's statement.
    private static func write(request: Request, file: BundleFile, inventory: BagInventory, root: String, log: CustodyLog,
                              sealNumber: Int, previousSealDigest: String, output: AtomicOutput) throws -> SealStatement {
        let tar = try TarWriter(output: output)
        var tagFiles = try BundleCopier.copy(file, inventory: inventory, root: root, into: tar, skipping: isReplaced)
        let logBytes = log.bytes
        try tar.addFile("\(root)/\(CustodyLog.path)", contents: logBytes, modified: Int64(request.time.timeIntervalSince1970))
        tagFiles.append((CustodyLog.path, logBytes))

        let tagAlgorithms = inventory.files.keys.compactMap { path -> DigestAlgorithm? in
            guard let manifest = Manifest.identify(fileName: path), manifest.kind == .tag else { return nil }
            return DigestAlgorithm(bagItName: manifest.algorithmName)
        }
        let writer = SealWriter(tar: tar, root: root, key: request.key, time: request.time)
        let tagManifestDigests = try writer.writeTagManifests(
            tagFiles.map { (path: $0.path, digests: MultiDigest.digests(of: $0.bytes, tagAlgorithms)) },
            algorithms: tagAlgorithms)
        let manifestDigests = Verifier.manifestAlgorithms(inventory).sorted().compactMap { algorithm -> SealStatement.FileDigest? in
            inventory.files[BagItNames.manifest(algorithm)]?.digests[algorithm].map { .init(algorithm: algorithm, hex: $0.hex) }
        }
        let statement = writer.statement(number: sealNumber, manifests: manifestDigests, tagManifests: tagManifestDigests,
                                         log: log, previousSeal: previousSealDigest)
        try writer.writeSeal(statement)
        return statement
    }

    static func changed(_ path: String) -> AmanaError {
        AmanaError(.inputInvalid, "\(path) changed while amana was reading it; nothing was written",
                   hint: "make sure nothing writes to the bundle, then try again")
    }
}

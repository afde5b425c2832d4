import Foundation

/// Adds RFC 3161 tokens to the newest seal of an existing bundle (`amana timestamp`).
///
/// Field teams often seal offline; they stamp later, when a network is at hand. Tokens stamp the seal's signature
/// file and live beside it in `seals/`, outside the tag manifests, so adding one changes no sealed byte: every other
/// entry is copied as it was. All tokens are obtained before anything is written, so a TSA failure leaves nothing.
package enum BundleStamper {
    package struct Result: Sendable {
        package let output: String
        package let sealNumber: Int
        package let tokenPaths: [String]
    }

    package static func stamp(_ input: String, output: String?, inPlace: Bool, tsaURLs: [URL], hash: DigestAlgorithm = .sha256,
                             timeout: TimeInterval = 30) throws -> Result {
        guard !tsaURLs.isEmpty else { throw AmanaError(.usage, "give at least one --tsa URL") }
        let target = inPlace ? input : (output ?? "")
        guard !target.isEmpty else { throw AmanaError(.usage, "give --output NEW.tar or --in-place") }
        if !inPlace && POSIX.exists(target) {
            throw AmanaError(.outputExists, "\(target) already exists; amana never overwrites", hint: "choose a new name, or use --in-place")
        }
        let file = try BundleFile(path: input)
        let (report, inventory) = try Verifier.verifyKeepingInventory(file: file, options: VerifyOptions())
        guard report.verdict != .totalFailed else {
            throw AmanaError(.inputInvalid, "\(input) verifies as TOTAL-FAILED; amana stamps nothing in it",
                             hint: "run 'amana verify' to see why")
        }
        guard let root = inventory.rootName, let newest = BundleAppender.sealNumbers(inventory).max(),
              let signature = inventory.files[BundleLayout.sealSignature(newest)]?.contents
        else { throw AmanaError(.inputInvalid, "\(input) has no signed seal to stamp") }
        var index = 1
        while inventory.files[BundleLayout.sealToken(newest, index: index)] != nil { index += 1 }
        let tokens = try tsaURLs.map { try TSAClient.stamp(signature, tsa: $0, hash: hash, timeout: timeout) }
        let paths = tokens.indices.map { BundleLayout.sealToken(newest, index: index + $0) }
        guard index + tokens.count - 1 <= 99 else { throw AmanaError(.usage, "a seal holds at most 99 timestamp tokens") }

        let out = try AtomicOutput(path: target, replacing: inPlace)
        do {
            let tar = try TarWriter(output: out)
            _ = try BundleCopier.copy(file, inventory: inventory, root: root, into: tar, skipping: { _ in false })
            let now = Int64(Date().timeIntervalSince1970)
            for (path, token) in zip(paths, tokens) {
                try tar.addFile("\(root)/\(path)", contents: token, modified: now)
            }
            try tar.finish()
            try out.commit()
        } catch {
            out.abandon()
            throw error
        }
        return Result(output: target, sealNumber: newest, tokenPaths: paths)
    }
}

import ArgumentParser
import AmanaKit
import Foundation

struct CustodyReceive: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receive",
        abstract: "Verify a bundle you were handed, record the verdict in a 'received' event, and seal it.",
        discussion: """
            Refuses a bundle that is not TOTAL-PASSED, unless --force (the verdict is then recorded as it was). \
            --receipt writes a small signed receipt that you can give back to the sender as proof of the hand-off.
            """
    )

    @Argument(help: "The bundle .tar, or with --identity an encrypted .tar.age (the new bundle is written decrypted).")
    var bundle: String

    @Option(name: .long, help: "Write a signed receipt for the sender to this file.")
    var receipt: String?

    @Flag(name: .long, help: "Record the hand-off even if the bundle does not verify as TOTAL-PASSED.")
    var force = false

    @OptionGroup var write: CustodyWriteOptions

    @OptionGroup var identityOptions: AgeIdentityOptions

    func run() throws {
        if let receipt, FileManager.default.fileExists(atPath: receipt) {
            throw AmanaError(.outputExists, "\(receipt) already exists; amana never overwrites")
        }
        var request = try write.request(bundle: bundle)
        request.required = .totalPassed
        request.force = force
        // An encrypted bundle is decrypted in memory; the event records which ciphertext was received.
        request.identities = try identityOptions.identities()
        if request.identities != nil && write.inPlace {
            throw AmanaError(.usage, "--in-place would replace the encrypted bundle with its plaintext",
                             hint: "give --output NEW.tar for the received (decrypted) bundle")
        }
        var ciphertext: String?
        request.ciphertextDigest = { ciphertext = $0 }
        var sender: String?
        let result = try BundleAppender.append(request) { recorder, report, _ in
            let transfers = recorder.log.lines.compactMap { try? CustodyEvent(line: $0) }.filter { $0.action == .transferred }
            var details = ["verdict": report.verdict.rawValue]
            if let last = transfers.last {
                sender = last.actor.keyID
                details["from"] = last.actor.keyID
                // The whole key, never the id alone: a key id is 8 arbitrary bytes that anyone can copy.
                if last.details["toPublicKey"] != recorder.actor.publicKey {
                    details["addressedTo"] = last.details["to"] ?? "(nobody)"
                    if let key = last.details["toPublicKey"] { details["addressedToPublicKey"] = key }
                }
            }
            details["note"] = write.note
            details["ciphertextSHA256"] = ciphertext
            try recorder.record(.received, items: [], details: details, time: Date())
        }
        if result.report.verdict != .totalPassed {
            Output.warning("RECEIVED WITH --force: the bundle verified as \(result.report.verdict.rawValue), and the event says so")
        }
        write.announce(result)
        if let receipt {
            var document = Receipt(bundleID: result.bundleID, verdict: result.report.verdict.rawValue,
                                   receivedAt: result.events.first!.time, custodyLength: result.custodyLength,
                                   custodyRoot: result.custodyRoot, seal: result.sealNumber,
                                   recipient: result.events.first!.actor, sender: sender)
            try document.sign(with: request.key)
            try AtomicOutput.write(document.bytes, to: receipt, mode: 0o644)
            Output.line("receipt for the sender: \(receipt)")
        }
    }
}

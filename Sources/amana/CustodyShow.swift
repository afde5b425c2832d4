import ArgumentParser
import AmanaKit
import Foundation

struct CustodyShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print the custody timeline: who did what, when, on which items, and whether each event verifies."
    )

    @Argument(help: "The bundle .tar or extracted folder.")
    var bundle: String

    @OptionGroup var trustOptions: TrustOptions

    @Option(name: .long, help: "A receipt: also check that the log still begins with the events it acknowledged.")
    var receipt: String?

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    @OptionGroup var identityOptions: AgeIdentityOptions

    func run() throws {
        var options = try trustOptions.verifyOptions()
        options.identities = try identityOptions.identities()
        var timeline = try CustodyTimeline.read(bundle, options: options)
        // A receipt is judged like a seal: believed only from a trusted raw key. Its findings join the report, so
        // the verdict and the exit status cover it.
        let receiptCheck = try receipt.map { path -> (receipt: Receipt, findings: [Finding], holder: TrustedKey?) in
            let parsed = try Receipt(bytes: KeyFiles.bytes(path, what: "receipt"))
            let (findings, holder) = ReceiptRule(receipt: parsed, trusted: options.trust, bundleID: timeline.report.subject.bundleId,
                                                 log: timeline.log).check(subject: path)
            return (parsed, findings, holder)
        }
        if let receiptCheck { timeline.report.append(receiptCheck.findings) }
        if json {
            try printJSON(timeline, receiptCheck)
        } else {
            printText(timeline, receiptCheck)
        }
        throw ExitCode(timeline.report.verdict.exitCode)
    }

    private func printText(_ timeline: CustodyTimeline, _ receipt: (receipt: Receipt, findings: [Finding], holder: TrustedKey?)?) {
        Output.line("custody of bundle \(timeline.report.subject.bundleId ?? "(unknown id)"): \(timeline.events.count) events")
        for status in timeline.events {
            guard let event = status.event else {
                Output.line("  #\(status.line)  MALFORMED EVENT (\(status.problems.joined(separator: ", ")))")
                continue
            }
            let signature = status.signatureValid ? (status.holder != nil ? "signed, trusted" : "signed, key NOT trusted")
                                                  : "SIGNATURE INVALID"
            Output.line("  #\(event.seq)  \(event.time)  \(event.action.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)) \(CustodyShow.actorText(event.actor, holder: status.holder)) [key \(event.actor.keyID): \(signature)]")
            if !event.items.isEmpty {
                Output.line("        items: " + event.items.map(\.path).joined(separator: ", "))
            }
            let details = event.details.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
            if !details.isEmpty { Output.line("        " + details.joined(separator: "; ")) }
            if !status.problems.isEmpty { Output.line("        problems: " + status.problems.joined(separator: ", ")) }
        }
        for checkpoint in timeline.checkpoints {
            Output.line("  seal \(checkpoint.seal) covers events 1–\(checkpoint.length)")
        }
        if let receipt {
            let signer = receipt.holder.map { CustodyShow.actorText(receipt.receipt.recipient, holder: $0) }
                ?? CustodyShow.actorText(receipt.receipt.recipient, holder: nil)
            Output.line("receipt from \(signer) [key \(receipt.receipt.recipient.keyID)], acknowledging \(receipt.receipt.custodyLength) events:")
            for finding in receipt.findings {
                Output.line("  \(finding.status == .passed ? "ok" : finding.status.rawValue): \(finding.code): \(finding.message)")
            }
        }
        for finding in timeline.report.findings where finding.group == "custody" && finding.status != .passed {
            Output.line("  \(finding.status.rawValue): \(finding.code): \(finding.message)")
        }
        Output.line("verdict: \(timeline.report.verdict.rawValue)")
        Output.line("  " + ReportPrinter.explanation(timeline.report))
    }

    /// Who acted, as a person should read it. The name is the trusted key's holder from the trust inputs; what the
    /// event says of its actor's name is shown only as a claim, and only where it differs. An untrusted key names
    /// nobody. The role is the keyring's when it gives one, otherwise the capacity the event states.
    static func actorText(_ actor: CustodyEvent.Actor, holder: TrustedKey?) -> String {
        let role = (holder?.role ?? actor.role).map { ", \($0)" } ?? ""
        let claimed = [actor.name, actor.organization].compactMap { $0 }.joined(separator: ", ")
        guard let holder else {
            return claimed.isEmpty ? "untrusted key" : "untrusted key, claims to be \(claimed)\(role)"
        }
        let trusted = [holder.name, holder.organization].compactMap { $0 }.joined(separator: ", ")
        let shown = (trusted.isEmpty ? "holder of trusted key \(holder.key.keyID)" : trusted) + role
        let same = actor.name == holder.name && actor.organization == holder.organization
        return same || claimed.isEmpty ? shown : "\(shown) (the event claims to be \(claimed))"
    }

    private func printJSON(_ timeline: CustodyTimeline, _ receipt: (receipt: Receipt, findings: [Finding], holder: TrustedKey?)?) throws {
        var events = [[String: Any]]()
        for status in timeline.events {
            var entry: [String: Any] = ["line": status.line, "signatureValid": status.signatureValid, "problems": status.problems]
            if let trusted = status.trustedAs { entry["trustedAs"] = trusted }
            if let holder = status.holder {
                var who: [String: Any] = ["keyId": holder.key.keyID.description, "source": holder.source]
                who["name"] = holder.name
                who["organization"] = holder.organization
                who["role"] = holder.role
                entry["holder"] = who
            }
            if let event = status.event {
                entry["seq"] = event.seq
                entry["time"] = event.time
                entry["action"] = event.action.rawValue
                // What the event claims of its actor; `holder` is who the trust inputs say holds the key.
                var actor: [String: Any] = ["keyId": event.actor.keyID]
                actor["name"] = event.actor.name
                actor["organization"] = event.actor.organization
                actor["role"] = event.actor.role
                entry["actor"] = actor
                entry["items"] = event.items.map { ["path": $0.path, "digests": $0.digests] }
                entry["details"] = event.details
            }
            events.append(entry)
        }
        var document: [String: Any] = [
            "bundleId": timeline.report.subject.bundleId as Any,
            "verdict": timeline.report.verdict.rawValue,
            "events": events,
            "checkpoints": timeline.checkpoints.map { ["seal": $0.seal, "length": $0.length, "root": $0.root] },
        ]
        if let receipt {
            let codes = receipt.findings.map(\.code)
            var entry: [String: Any] = ["recipient": receipt.receipt.recipient.keyID, "length": receipt.receipt.custodyLength,
                                        "signatureValid": receipt.receipt.verifiedRecipient() != nil,
                                        "trusted": receipt.holder != nil,
                                        "logExtendsReceipt": codes.contains(ReceiptCode.log.rawValue),
                                        "findings": receipt.findings.map { ["code": $0.code, "status": $0.status.rawValue, "message": $0.message] }]
            if let holder = receipt.holder { entry["holder"] = ReportPrinter.label(VerificationReport.TrustedKeyInfo(holder)) }
            document["receipt"] = entry
        }
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        Output.write(Array(data) + [10])
    }
}

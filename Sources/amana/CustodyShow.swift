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

    func run() throws {
        let timeline = try CustodyTimeline.read(bundle, options: try trustOptions.verifyOptions())
        let receiptCheck = try receipt.map { path -> (Receipt, Bool, Bool) in
            let parsed = try Receipt(bytes: KeyFiles.bytes(path, what: "receipt"))
            return (parsed, parsed.verifiedRecipient() != nil, timeline.extends(parsed))
        }
        if json {
            try printJSON(timeline, receiptCheck)
        } else {
            printText(timeline, receiptCheck)
        }
        let receiptFailed = receiptCheck.map { !$0.1 || !$0.2 } ?? false
        throw ExitCode(receiptFailed ? 1 : timeline.report.verdict.exitCode)
    }

    private func printText(_ timeline: CustodyTimeline, _ receipt: (Receipt, Bool, Bool)?) {
        Output.line("custody of bundle \(timeline.report.subject.bundleId ?? "(unknown id)"): \(timeline.events.count) events")
        for status in timeline.events {
            guard let event = status.event else {
                Output.line("  #\(status.line)  MALFORMED EVENT (\(status.problems.joined(separator: ", ")))")
                continue
            }
            let who = [event.actor.name, event.actor.organization].compactMap { $0 }.joined(separator: ", ")
            let role = event.actor.role.map { ", \($0)" } ?? ""
            let signature = status.signatureValid ? (status.trustedAs != nil ? "signed, trusted" : "signed, key NOT trusted")
                                                  : "SIGNATURE INVALID"
            Output.line("  #\(event.seq)  \(event.time)  \(event.action.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)) \(who.isEmpty ? "(no name)" : who)\(role) [key \(event.actor.keyID): \(signature)]")
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
        if let (receipt, signed, extends) = receipt {
            Output.line("receipt from \(receipt.recipient.keyID): signature \(signed ? "valid" : "INVALID"); the log \(extends ? "still begins with" : "DOES NOT begin with") the \(receipt.custodyLength) events it acknowledged")
        }
        for finding in timeline.report.findings where finding.group == "custody" && finding.status != .passed {
            Output.line("  \(finding.status.rawValue): \(finding.code): \(finding.message)")
        }
        Output.line("verdict: \(timeline.report.verdict.rawValue)")
        Output.line("  " + ReportPrinter.explanation(timeline.report))
    }

    private func printJSON(_ timeline: CustodyTimeline, _ receipt: (Receipt, Bool, Bool)?) throws {
        var events = [[String: Any]]()
        for status in timeline.events {
            var entry: [String: Any] = ["line": status.line, "signatureValid": status.signatureValid, "problems": status.problems]
            if let trusted = status.trustedAs { entry["trustedAs"] = trusted }
            if let event = status.event {
                entry["seq"] = event.seq
                entry["time"] = event.time
                entry["action"] = event.action.rawValue
                entry["actor"] = ["keyId": event.actor.keyID, "name": event.actor.name as Any, "organization": event.actor.organization as Any,
                                  "role": event.actor.role as Any].compactMapValues { $0 is NSNull ? nil : $0 }
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
        if let (receipt, signed, extends) = receipt {
            document["receipt"] = ["recipient": receipt.recipient.keyID, "signatureValid": signed, "logExtendsReceipt": extends,
                                   "length": receipt.custodyLength]
        }
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        Output.write(Array(data) + [10])
    }
}

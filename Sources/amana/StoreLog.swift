import ArgumentParser
import AmanaKit

struct StoreLog: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Print the store's ledger as a timeline, checking every event's chain and signature and every checkpoint.",
        discussion: "Exit status 0 when every event and checkpoint verifies, 1 otherwise."
    )

    @OptionGroup var location: StoreLocation

    func run() throws {
        let store = try EvidenceStore.open(try location.path(), writing: false)
        var events = 0, problems = 0
        Output.line("ledger of store \(store.config.storeID)")
        let checkpoints = try store.auditLedger { entry in
            events += 1
            if !entry.problems.isEmpty { problems += 1 }
            guard let event = entry.event else {
                Output.line("  #\(entry.seq)  MALFORMED EVENT (\(entry.problems.joined(separator: ", ")))")
                return
            }
            let who = event.actor.name.map { "\($0) (as the key names itself)" } ?? "an unnamed key"
            let signature = entry.signatureValid ? "signed" : "SIGNATURE INVALID"
            Output.line("  #\(event.seq)  \(event.time)  \(event.action.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(who) [key \(event.actor.keyID): \(signature)]")
            if !event.items.isEmpty { Output.line("        items: " + event.items.map(\.path).joined(separator: ", ")) }
            let details = event.details.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
            if !details.isEmpty { Output.line("        " + details.joined(separator: "; ")) }
            if !entry.problems.isEmpty { Output.line("        problems: " + entry.problems.joined(separator: ", ")) }
        }
        for status in checkpoints {
            let checkpoint = status.checkpoint
            let state = status.problems.isEmpty ? "signed, matches the ledger" : status.problems.joined(separator: ", ")
            let covered = checkpoint.size == 0 ? "no events (the empty ledger)" : "events 1–\(checkpoint.size)"
            Output.line("  checkpoint \(checkpoint.time) covers \(covered), root \(checkpoint.root) [key \(checkpoint.keyID): \(state)]")
            if !status.problems.isEmpty { problems += 1 }
        }
        Output.line(problems == 0 ? "\(events) events and \(checkpoints.count) checkpoints verify"
                                  : "\(problems) events or checkpoints FAIL")
        if problems > 0 { throw ExitCode(1) }
    }
}

import ArgumentParser
import AmanaKit

@main
struct Amana: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amana",
        abstract: "Seal evidence into signed, verifiable bundles and verify them later.",
        subcommands: []
    )
}

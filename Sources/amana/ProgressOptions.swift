import ArgumentParser

/// `--quiet`, shared by the verbs that show progress (seal, verify, extract).
struct ProgressOptions: ParsableArguments {
    @Flag(name: [.long, .customShort("q")],
          help: "Show no progress. Progress is shown on stderr only when it is a terminal; results are printed either way.")
    var quiet = false
}

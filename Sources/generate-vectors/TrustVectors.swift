/// Trust inputs (keys.md sections 10a and 10b): keyrings as trust inputs, conflicts between inputs, and inputs a
/// verifier must refuse outright (usage error, exit 64, no report).
enum TrustVectors {
    static func cases(_ base: BaseBundles) throws -> [VectorCase] {
        let keys = base.keys
        var cases = [VectorCase]()
        let sealedFolder = try base.bag().folder()
        func keyringCase(_ name: String, _ comment: String, _ keyring: String, verdict: String?, codes: [String]) {
            var vector = VectorCase("trust", name, comment, input: sealedFolder, verdict: verdict, codes: codes)
            vector.trust = ["team.keyring"]
            vector.files["trust/team.keyring"] = utf8(keyring)
            if verdict == nil { vector.exitOverride = 64 }
            cases.append(vector)
        }
        let signerLine = "key: \(keys.signer.publicKey.base64)\n"
        let otherLine = "key: \(keys.other.publicKey.base64)\n"
        let header = "amana-keyring: 1\n\n"
        keyringCase("keyring-two-keys", "a keyring naming both keys, with holders and roles",
                    header + signerLine + "name: Field Team Lead\norganization: Amana test vectors\nrole: collector\n\n" + otherLine + "name: Archivist\n",
                    verdict: passed, codes: [claimedOnly])
        keyringCase("keyring-comments", "comment lines before and inside a stanza",
                    "amana-keyring: 1\n# the team's keys\n\n" + signerLine + "# the lead\nname: Field Team Lead\n",
                    verdict: passed, codes: [claimedOnly])
        // The keyring grammar of keys.md section 10a: CRLF line ends, runs of blank (or blank-looking) lines, comments
        // inside a stanza, no final LF. All are read as the plain form.
        keyringCase("keyring-crlf", "every line of the keyring ends in CRLF",
                    (header + signerLine + "name: Field Team Lead\n# a comment\nrole: collector\n\n" + otherLine + "name: Archivist\n")
                        .replacingOccurrences(of: "\n", with: "\r\n"),
                    verdict: passed, codes: [claimedOnly])
        keyringCase("keyring-blank-runs", "blank lines before, between (three, one of spaces and a tab) and after the stanzas, no final LF",
                    "amana-keyring: 1\n\n\n" + signerLine + "name: Field Team Lead\n\n  \t\n\n" + otherLine + "name: Archivist\n\n\n# end",
                    verdict: passed, codes: [claimedOnly])
        keyringCase("keyring-comments-inside-stanza", "comment lines between the fields of one stanza neither end it nor belong to it",
                    header + signerLine + "# holder\nname: Field Team Lead\n#role: ignored\norganization: Amana test vectors # not a comment\n",
                    verdict: passed, codes: [claimedOnly])
        keyringCase("keyring-only-other", "a keyring that holds only the other key", header + otherLine,
                    verdict: indeterminate, codes: ["seal.key.untrusted", "custody.actor.untrusted", claimedOnly])
        var refused: [(String, String, String)] = [
            ("keyring-no-header", "no amana-keyring first line", signerLine),
            ("keyring-version-2", "a keyring version this verifier does not know", "amana-keyring: 2\n\n" + signerLine),
            ("keyring-unknown-label", "a label keys.md does not define", header + signerLine + "email: a@example.org\n"),
            ("keyring-label-twice", "name given twice in one stanza", header + signerLine + "name: A\nname: B\n"),
            ("keyring-key-twice", "the same key listed in two stanzas", header + signerLine + "\n" + signerLine),
            ("keyring-no-key", "a keyring with no key", "amana-keyring: 1\n"),
            ("keyring-stanza-without-key", "a stanza that does not start with key:", header + "name: A\n" + signerLine),
            ("keyring-bad-key", "a key that is not a minisign public key", header + "key: RWQnot-a-key\n"),
            ("keyring-bad-time", "a not-after that is not a utc-time (lower-case z)", header + signerLine + "not-after: 2027-01-01T00:00:00z\n"),
            ("keyring-time-offset", "a revoked-at with an offset instead of Z", header + signerLine + "revoked-at: 2027-01-01T00:00:00+00:00\n"),
            ("keyring-control-character", "a name holding a control character", header + signerLine + "name: A\u{7}B\n"),
        ]
        // keys.md section 10a: at most 1 MiB, for the library and --trust alike. A valid keyring padded with comment lines.
        let padding = String(repeating: "# " + String(repeating: "x", count: 61) + "\n", count: 16_384)
        refused.append(("keyring-over-1mib", "a valid keyring padded with comments to 1,048,576 + \(header.utf8.count + signerLine.utf8.count) bytes",
                        header + signerLine + padding))
        for (name, comment, text) in refused {
            keyringCase(name, comment + ": the whole keyring is refused", text, verdict: nil, codes: [])
        }
        func usage(_ name: String, _ comment: String, _ change: (inout VectorCase) -> Void) {
            var vector = VectorCase("trust", name, comment, input: sealedFolder, verdict: nil, codes: [])
            vector.exitOverride = 64
            change(&vector)
            cases.append(vector)
        }
        usage("trust-file-absent", "a --trust file that does not exist") { $0.trust = ["absent.pub"] }
        usage("trust-not-a-key", "a --trust file that is not a key") { $0.trust = ["notes.pub"]; $0.files["trust/notes.pub"] = utf8("hello\n") }
        usage("key-id-conflict", "two --trust inputs giving one key id to different keys") { $0.trust = ["signer.pub", "signer-twin.pub"] }
        usage("at-lowercase", "an --at whose T and Z are lower case") { $0.at = "2026-06-01t00:00:00z" }
        usage("at-offset", "an --at with an offset") { $0.at = "2026-06-01T02:00:00+02:00" }
        usage("at-fraction", "an --at with a fraction of a second") { $0.at = "2026-06-01T00:00:00.5Z" }
        var conflict = VectorCase("trust", "name-conflict", "signer.pub and a keyring that names its holder differently: a warning",
                                  input: sealedFolder, verdict: passed, codes: ["trust.key.conflict", claimedOnly])
        conflict.trust = ["signer.pub", "team.keyring"]
        conflict.files["trust/team.keyring"] = utf8(header + signerLine + "name: Somebody Else\n")
        cases.append(conflict)
        return cases
    }
}

/// An error that stops an operation from running at all.
///
/// Failed *checks* are never errors: verification records them as ``Finding``s in a report. An `AmanaError` means the
/// work could not be done (an unreadable file, a wrong passphrase, an output that already exists). The `code` is
/// stable and is what callers and tests match on; equality compares the code only, as swift-certificates does, so
/// that rewording a reason never breaks a caller.
public struct AmanaError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A stable machine-readable error code. A struct rather than an enum so new codes do not break callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// Bad arguments: maps to exit status 64 (EX_USAGE).
        public static let usage = Code("usage")
        /// An input could not be opened or read: exit status 66 (EX_NOINPUT).
        public static let inputUnreadable = Code("input.unreadable")
        /// An input was read but is not acceptable (wrong type, malformed key, bad name): exit status 65 (EX_DATAERR).
        public static let inputInvalid = Code("input.invalid")
        /// The output already exists and Amana never overwrites: exit status 73 (EX_CANTCREAT).
        public static let outputExists = Code("output.exists")
        /// Writing the output failed (disk full, permissions): exit status 74 (EX_IOERR).
        public static let outputFailed = Code("output.failed")
        /// The passphrase did not decrypt the secret key: exit status 77 (EX_NOPERM).
        public static let wrongPassphrase = Code("key.passphrase.wrong")
        /// A source file changed while it was being read, so its digests cannot be trusted: exit status 65.
        public static let sourceChanged = Code("input.changed")
        /// A C library reported a failure Amana did not expect: exit status 70 (EX_SOFTWARE).
        public static let internalFailure = Code("internal")
    }

    public let code: Code
    /// One lowercase sentence fragment saying what went wrong, without the `amana: error:` prefix.
    public let reason: String
    /// An optional next step for the user, printed as `amana: hint: ...`.
    public let hint: String?
    /// Where the error was raised, for debugging only; never shown to users.
    public let file: String
    public let line: Int

    public init(_ code: Code, _ reason: String, hint: String? = nil, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.reason = reason
        self.hint = hint
        self.file = file
        self.line = line
    }

    public var description: String { reason }

    public static func == (lhs: AmanaError, rhs: AmanaError) -> Bool { lhs.code == rhs.code }
}

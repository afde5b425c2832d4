import Foundation

/// The keys that sign S3 requests: an access key id, its secret, and an optional session token (temporary
/// credentials from STS carry one).
///
/// A plain value that never shows its secret: `description`, `debugDescription` and the mirror (`dump`, string
/// interpolation in a debugger) print the access key id and `<redacted>` instead of the secret and the token, so a
/// log line or an error that interpolates the whole value leaks nothing (spec/s3.md section 6). The access key id is
/// not a secret (it is in every request's `Authorization` header) and helps an administrator find the key in use.
package struct S3Credentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    package let accessKeyID: String
    package let secretAccessKey: String
    package let sessionToken: String?

    package init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// The standard variables `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and optional `AWS_SESSION_TOKEN`.
    /// Throws a usage error naming the missing variable (never a value) when either key is missing or empty.
    package static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> S3Credentials {
        func value(_ name: String) -> String? {
            guard let value = environment[name], !value.isEmpty else { return nil }
            return value
        }
        guard let id = value("AWS_ACCESS_KEY_ID"), let secret = value("AWS_SECRET_ACCESS_KEY") else {
            let missing = value("AWS_ACCESS_KEY_ID") == nil ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY"
            throw AmanaError(.usage, "s3: no credentials: \(missing) is not set",
                             hint: "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give a credentials file")
        }
        return S3Credentials(accessKeyID: id, secretAccessKey: secret, sessionToken: value("AWS_SESSION_TOKEN"))
    }

    /// The strings that must never appear in output: the secret and the session token.
    var secrets: [String] { [secretAccessKey] + (sessionToken.map { [$0] } ?? []) }

    package var description: String {
        "S3Credentials(accessKeyID: \(accessKeyID), secretAccessKey: <redacted>"
            + (sessionToken == nil ? ")" : ", sessionToken: <redacted>)")
    }

    package var debugDescription: String { description }

    package var customMirror: Mirror {
        Mirror(self, children: ["accessKeyID": accessKeyID, "secretAccessKey": "<redacted>",
                                "sessionToken": sessionToken == nil ? "nil" : "<redacted>"])
    }
}

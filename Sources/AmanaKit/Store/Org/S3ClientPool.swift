import Foundation
import Synchronization

/// The S3 clients of this process, one per bucket location and key, kept for the life of the process.
///
/// An ``S3Client`` holds an HTTP client that must be shut down before it goes away, and an organisation store's
/// objects are reached from several owners (the back end, the store, a scrub) whose last one is hard to name. A client
/// is meant to live long and be shared anyway (its connection pool is the point), so the store's clients are made once
/// here and never released: a command opens one or two stores, and a test process a bounded number of buckets.
enum S3ClientPool {
    private struct Key: Hashable {
        let location: String
        let endpoint: String
        let region: String
        let accessKeyID: String
        /// Held in memory only, as the client itself holds it; never shown (this type has no description).
        let secret: String
        let token: String?
    }

    private static let clients = Mutex<[Key: S3Client]>([:])

    /// The client for the organisation's bucket, signing with the S3 keys of `credentials`.
    static func client(for organisation: OrganisationBackEnd, credentials: StoreCredentials) throws -> S3Client {
        let keys = try s3Credentials(credentials, file: organisation.credentialsFile)
        let location = organisation.objects
        let key = Key(location: location.description, endpoint: "\(location.endpoint)", region: location.region,
                      accessKeyID: keys.accessKeyID, secret: keys.secretAccessKey, token: keys.sessionToken)
        return clients.withLock { clients in
            if let known = clients[key] { return known }
            let made = S3Client(location: location, credentials: keys)
            clients[key] = made
            return made
        }
    }

    /// The S3 keys, or a one-line error naming the variable that is missing (never a value).
    static func s3Credentials(_ credentials: StoreCredentials, file: String?) throws -> S3Credentials {
        guard let id = credentials.awsAccessKeyID, let secret = credentials.awsSecretAccessKey else {
            let missing = credentials.awsAccessKeyID == nil ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY"
            let whereFrom = file.map { "in the environment or the credentials file \($0)" } ?? "in the environment"
            throw AmanaError(.usage, "no S3 credentials: \(missing) is not set \(whereFrom)",
                             hint: "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or name a credentials file (mode 0600) with --credentials")
        }
        return S3Credentials(accessKeyID: id, secretAccessKey: secret, sessionToken: credentials.awsSessionToken)
    }
}

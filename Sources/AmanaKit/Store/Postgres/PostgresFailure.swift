/// The error codes of the organisation store's PostgreSQL layer that callers tell apart.
package enum PostgresFailure {
    /// The catalog's server cannot be reached (connection refused, timed out, no route) or closed the connection
    /// (a restart, a terminated session): a service that is unavailable, exit status 69 (EX_UNAVAILABLE), as for
    /// S3's ``S3Failure/unreachable``. A refusal by a server that answered (a wrong password, a missing database, a
    /// rejected statement) is not this.
    package static let unreachable = AmanaError.Code("postgres.unreachable")
}

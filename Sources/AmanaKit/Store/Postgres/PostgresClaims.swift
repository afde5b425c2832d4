import PostgresNIO

/// Who is uploading which content right now: the `claims` table, where the uniqueness of an upload lives.
///
/// Before uploading, a station hashes the source and claims its SHA-256 (`INSERT ... ON CONFLICT DO NOTHING`, one
/// atomic statement: of any number of stations claiming at once, exactly one wins; a win for content already in the
/// catalog is `stored`). The winner uploads, reads back, appends its `ingested` event, then releases the claim,
/// refreshing its heartbeat meanwhile. A loser waits for the
/// object to be recorded in the catalog and records a `duplicate`, or, if the holder's heartbeat stops (a station
/// killed mid-upload), takes the claim over. Times are the server's clock, so stations' clocks need not agree.
package final class PostgresClaims {
    package enum Outcome: Equatable, Sendable {
        /// This station holds the claim and uploads.
        case won
        /// Another station holds it.
        case lost(holder: String)
        /// The content is already recorded in the catalog: nothing to upload, the acquisition is a duplicate.
        case stored
    }

    package let session: PostgresSession

    package init(session: PostgresSession) throws {
        self.session = session
        try PostgresSchema.migrate(session)
    }

    /// Claims `sha256` for `station`. Claiming again a claim the same station holds (a retry) wins.
    ///
    /// A won claim is checked against the catalog in a statement of its own, after the claim is committed: a holder
    /// commits its event before it releases its claim, so a station whose claim came after that release sees the
    /// object there (`stored`) and does not upload it again. (Checking before claiming would leave a window between
    /// the check and the claim in which the other station records and releases.)
    package func claim(sha256: String, station: String) throws -> Outcome {
        let inserted = try session.query("""
            INSERT INTO claims (sha256, station) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING station
            """, values: [.text(sha256), .text(station)])
        if !inserted.isEmpty {
            if try !session.query("SELECT 1 FROM objects WHERE sha256 = $1", values: [.text(sha256)]).isEmpty {
                try release(sha256: sha256, station: station)
                return .stored
            }
            return .won
        }
        guard let holder = try session.query("SELECT station FROM claims WHERE sha256 = $1",
                                             values: [.text(sha256)]).first?.decode(String.self)
        else {
            // Released between the two statements: try again (the release means the object is recorded or abandoned).
            return try claim(sha256: sha256, station: station)
        }
        if holder != station,
           try !session.query("SELECT 1 FROM objects WHERE sha256 = $1", values: [.text(sha256)]).isEmpty {
            // The content is recorded: the claim has done its work. Its holder died between its commit and its
            // release (or is about to release): drop it, or it would stay forever, since no one uploads this again.
            try session.query("DELETE FROM claims WHERE sha256 = $1", values: [.text(sha256)])
            return .stored
        }
        return holder == station ? .won : .lost(holder: holder)
    }

    /// Refreshes the heartbeat of a claim `station` holds; false if it no longer holds it (taken over as stale).
    @discardableResult
    package func heartbeat(sha256: String, station: String) throws -> Bool {
        !(try session.query("""
            UPDATE claims SET heartbeat_at = now() WHERE sha256 = $1 AND station = $2 RETURNING 1
            """, values: [.text(sha256), .text(station)]).isEmpty)
    }

    /// Drops a claim `station` holds (after its event is committed, or when it gives up).
    package func release(sha256: String, station: String) throws {
        try session.query("DELETE FROM claims WHERE sha256 = $1 AND station = $2", values: [.text(sha256), .text(station)])
    }

    /// Takes the claim over for `station` if its heartbeat is older than `seconds`: true if this station now holds
    /// it. One UPDATE: of two stations taking over at once, the second sees the first's fresh heartbeat and fails.
    package func takeOverIfStale(sha256: String, station: String, olderThan seconds: Int) throws -> Bool {
        !(try session.query("""
            UPDATE claims SET station = $2, claimed_at = now(), heartbeat_at = now()
            WHERE sha256 = $1 AND heartbeat_at < now() - make_interval(secs => $3::BIGINT) RETURNING 1
            """, values: [.text(sha256), .text(station), .integer(Int64(seconds))]).isEmpty)
    }

    /// The station holding `sha256`, if any.
    package func holder(sha256: String) throws -> String? {
        try session.query("SELECT station FROM claims WHERE sha256 = $1", values: [.text(sha256)]).first?
            .decode(String.self)
    }
}

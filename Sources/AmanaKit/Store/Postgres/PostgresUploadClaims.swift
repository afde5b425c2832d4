import Foundation

/// The organisation store's upload claims as the Ingester uses them (``StoreUploadClaims``), over ``PostgresClaims``.
///
/// This process is one station: its name is the host name, the process id and a random suffix, so two processes on
/// one machine are two stations (a claim a station holds is won again by that station, so they must differ). The
/// claim statements run on the catalog's connection (the Ingester's thread). The heartbeat of the claims held while
/// an object uploads runs on a thread of its own with a connection of its own (a connection is used by one thread at
/// a time), started on the first claim, refreshing every ``heartbeatInterval`` until this object goes away.
final class PostgresUploadClaims: StoreUploadClaims {
    let claims: PostgresClaims
    let station: String
    /// How old a holder's heartbeat must be before another station takes its claim over.
    let staleAfter: Int
    let heartbeatInterval: TimeInterval
    private let config: PostgresConnectionConfig
    private let heartbeat: Heartbeat

    /// `staleAfter` defaults to 60 s and the heartbeat to every 10 s. Under the test hook
    /// ``StoreTestingHooks/claimStaleSeconds(environment:)`` the staleness is the hook's and the heartbeat beats three
    /// times within it, so that a living station's claim never looks stale to another.
    init(session: PostgresSession, config: PostgresConnectionConfig, staleAfter: Int? = nil,
         heartbeatInterval: TimeInterval? = nil) throws {
        let hooked = try StoreTestingHooks.claimStaleSeconds()
        claims = try PostgresClaims(session: session)
        var host = [CChar](repeating: 0, count: 256)
        let name = gethostname(&host, host.count - 1) == 0 ? String(cString: host) : "station"
        station = "\(name) pid \(getpid()) \(UUID().uuidString.prefix(8).lowercased())"
        self.staleAfter = staleAfter ?? hooked ?? 60
        self.heartbeatInterval = heartbeatInterval ?? hooked.map { max(0.5, Double($0) / 3) } ?? 10
        self.config = config
        heartbeat = Heartbeat(station: station)
    }

    deinit { heartbeat.stop.set(true) }

    func claim(sha256: String) throws -> StoreClaimOutcome {
        switch try claims.claim(sha256: sha256, station: station) {
        case .won: return .won
        case .lost(let holder): return .lost(holder: holder)
        case .stored: return .stored
        }
    }

    func takeOverIfStale(sha256: String) throws -> Bool {
        try claims.takeOverIfStale(sha256: sha256, station: station, olderThan: staleAfter)
    }

    func release(sha256: String) throws {
        heartbeat.held.withLock { _ = $0.remove(sha256) }
        try claims.release(sha256: sha256, station: station)
    }

    func beginHeartbeat(sha256: String) {
        heartbeat.held.withLock { _ = $0.insert(sha256) }
        heartbeat.start(config: config, interval: heartbeatInterval)
    }

    /// What the heartbeat thread shares with this object: the claims held, and whether to stop.
    private final class Heartbeat: Sendable {
        let station: String
        let held = Locked(Set<String>())
        let stop = Locked(false)
        private let started = Locked(false)

        init(station: String) { self.station = station }

        func start(config: PostgresConnectionConfig, interval: TimeInterval) {
            guard !started.withLock({ was in defer { was = true }; return was }) else { return }
            let thread = Thread { [self] in run(config: config, interval: interval) }
            thread.name = "amana claims heartbeat"
            thread.start()
        }

        /// Every `interval`, refreshes each held claim. A failed refresh (the server restarting) is retried at the
        /// next beat: the upload itself finds out about the server when it appends its event.
        private func run(config: PostgresConnectionConfig, interval: TimeInterval) {
            var session: PostgresSession?
            defer { try? session?.close() }
            var next = Date().addingTimeInterval(interval)
            while !stop.value {
                Thread.sleep(forTimeInterval: 0.1)
                guard Date() >= next else { continue }
                next = Date().addingTimeInterval(interval)
                let claims = held.value
                guard !claims.isEmpty else { continue }
                do {
                    if session == nil { session = try PostgresSession(config: config) }
                    for sha256 in claims {
                        _ = try session?.query("UPDATE claims SET heartbeat_at = now() WHERE sha256 = $1 AND station = $2",
                                               values: [.text(sha256), .text(station)])
                    }
                } catch {
                    try? session?.close()
                    session = nil
                }
            }
        }
    }
}

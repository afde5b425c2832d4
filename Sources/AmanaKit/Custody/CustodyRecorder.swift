import Foundation

/// Writes new events onto a log: numbers them, chains them and signs them with the actor's key.
package struct CustodyRecorder {
    package private(set) var log: CustodyLog
    let bundleID: String
    let key: SecretKey
    let role: String?
    /// How many of the log's first lines are events carried from an evidence store: the event after them is bound to
    /// the bundle (``CustodyLog/genesis(bundleID:after:)``).
    let carried: Int

    package init(log: CustodyLog, bundleID: String, key: SecretKey, role: String?, carried: Int = 0) {
        self.log = log
        self.bundleID = bundleID
        self.key = key
        self.role = role
        self.carried = carried
    }

    package var actor: CustodyEvent.Actor {
        CustodyEvent.Actor(keyID: key.keyID.description, publicKey: key.publicKey.base64, name: key.publicKey.name,
                           organization: key.publicKey.organization, role: role)
    }

    /// Adds one signed event and returns it.
    @discardableResult
    package mutating func record(_ action: CustodyEvent.Action, items: [CustodyEvent.Item], details: [String: String],
                                time: Date) throws -> CustodyEvent {
        let prev: String
        if let last = log.lines.last {
            prev = carried > 0 && log.count == carried ? CustodyLog.genesis(bundleID: bundleID, after: last)
                : CustodyLog.chainValue(after: last)
        } else {
            prev = CustodyLog.genesis(bundleID: bundleID)
        }
        var event = CustodyEvent(seq: log.count + 1, time: UTCTime.format(time), actor: actor, action: action,
                                 items: items, details: details, prev: prev)
        try event.sign(with: key)
        log.append(event)
        return event
    }
}

import Foundation

/// Writes new events onto a log: numbers them, chains them and signs them with the actor's key.
package struct CustodyRecorder {
    package private(set) var log: CustodyLog
    let bundleID: String
    let key: SecretKey
    let role: String?

    package init(log: CustodyLog, bundleID: String, key: SecretKey, role: String?) {
        self.log = log
        self.bundleID = bundleID
        self.key = key
        self.role = role
    }

    package var actor: CustodyEvent.Actor {
        CustodyEvent.Actor(keyID: key.keyID.description, publicKey: key.publicKey.base64, name: key.publicKey.name,
                           organization: key.publicKey.organization, role: role)
    }

    /// Adds one signed event and returns it.
    @discardableResult
    package mutating func record(_ action: CustodyEvent.Action, items: [CustodyEvent.Item], details: [String: String],
                                time: Date) throws -> CustodyEvent {
        let prev = log.lines.last.map(CustodyLog.chainValue(after:)) ?? CustodyLog.genesis(bundleID: bundleID)
        var event = CustodyEvent(seq: log.count + 1, time: UTCTime.format(time), actor: actor, action: action,
                                 items: items, details: details, prev: prev)
        try event.sign(with: key)
        log.append(event)
        return event
    }
}

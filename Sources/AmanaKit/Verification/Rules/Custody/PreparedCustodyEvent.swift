import Foundation

/// One custody event, with everything about it that does not depend on the events before it: parsed, its signature
/// checked, its time read, the items it names compared with the bundle's files, and its hashes computed.
struct PreparedCustodyEvent {
    enum Content {
        case malformed(String)
        /// `key` is nil when the actor's public key does not decode or does not match its key id.
        case parsed(CustodyEvent, key: PublicKey?, signatureValid: Bool, itemProblems: [Finding])
    }
    let content: Content
    let time: Date?
    /// RFC 9162 leaf hash of the line, for the checkpoints.
    let leafHash: [UInt8]
    /// The `prev` the next event must carry.
    let chainValue: String

    /// Events prepared at a time: enough to keep every core busy, few enough that memory stays flat.
    static let batchSize = 4096

    /// Prepares the events in `batch` on all cores: per event this is most of the work (a seal of 20,000 photos has
    /// a log of 20,000 events), and none of it depends on another event. Judging the chain stays in order, in
    /// ``CustodyRule``.
    static func prepare(bytes: [UInt8], ranges: [Range<Int>], batch: Range<Int>, items: CustodyItemsRule) -> [PreparedCustodyEvent] {
        let count = batch.count
        let workers = max(1, min(count / 256, ProcessInfo.processInfo.activeProcessorCount * 4))
        let results = UnsafeMutableBufferPointer<PreparedCustodyEvent>.allocate(capacity: count)
        defer {
            results.baseAddress!.deinitialize(count: count)
            results.deallocate()
        }
        let out = SendableBuffer(results)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in (count * worker / workers)..<(count * (worker + 1) / workers) {
                let offset = batch.lowerBound + index
                let line = Array(bytes[ranges[offset]])
                (out.buffer.baseAddress! + index).initialize(to: PreparedCustodyEvent(line, number: offset + 1, items: items))
            }
        }
        return Array(results)
    }

    init(content: Content, time: Date?, leafHash: [UInt8], chainValue: String) {
        self.content = content
        self.time = time
        self.leafHash = leafHash
        self.chainValue = chainValue
    }

    init(_ line: [UInt8], number: Int, items: CustodyItemsRule) {
        let leafHash = MerkleTree.leafHash(line)
        let chainValue = CustodyLog.chainValue(after: line)
        let event: CustodyEvent
        do { event = try CustodyEvent(line: line) } catch let error as AmanaError {
            self.init(content: .malformed(error.reason), time: nil, leafHash: leafHash, chainValue: chainValue)
            return
        } catch {
            self.init(content: .malformed("\(error)"), time: nil, leafHash: leafHash, chainValue: chainValue)
            return
        }
        let time = UTCTime.parse(event.time)
        let itemProblems = items.check(event, number: number)
        guard let key = try? PublicKey(base64: event.actor.publicKey), key.keyID.description == event.actor.keyID else {
            self.init(content: .parsed(event, key: nil, signatureValid: false, itemProblems: itemProblems),
                      time: time, leafHash: leafHash, chainValue: chainValue)
            return
        }
        let valid = Base64.decode(event.sig).map { key.isValidDetached($0, message: event.signingInput) } ?? false
        self.init(content: .parsed(event, key: key, signatureValid: valid, itemProblems: itemProblems),
                  time: time, leafHash: leafHash, chainValue: chainValue)
    }

    /// Lets `concurrentPerform` write disjoint slots of one buffer.
    private struct SendableBuffer: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<PreparedCustodyEvent>
        init(_ buffer: UnsafeMutableBufferPointer<PreparedCustodyEvent>) { self.buffer = buffer }
    }
}

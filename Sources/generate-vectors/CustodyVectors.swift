/// The custody log (custody-log.md sections 5 and 6): every custody.* code. Each case changes the log and then
/// re-seals, as a holder of the keys would, so that only the custody rule can object.
enum CustodyVectors {
    static func cases(_ base: BaseBundles) throws -> [VectorCase] {
        let sealed = try base.bag(), handedOff = try base.bag(handedOff: true)
        let keys = base.keys
        var cases = [VectorCase]()
        func add(_ name: String, _ comment: String, _ verdict: String, _ codes: [String], from bag: ForgedBag? = nil,
                 forge: Bool = true, xfail: String? = nil, _ change: (inout ForgedBag) -> Void) {
            var copy = bag ?? sealed
            change(&copy)
            if forge { copy.forge() }
            var vector = VectorCase("custody", name, comment, copy, verdict, codes)
            if bag != nil { vector.trust = ["signer.pub", "other.pub"] }
            vector.xfail = xfail
            cases.append(vector)
        }
        let log = "amana/custody.jsonl"
        add("log-removed", "amana/custody.jsonl removed, then re-sealed", failed, ["custody.missing", claimedOnly]) { $0[log] = nil }
        add("no-final-line-feed", "the last line has no line feed", failed, ["custody.malformed", claimedOnly]) {
            $0[log] = Array($0[log]!.dropLast())
        }
        add("blank-line", "an empty line between events", failed, ["custody.malformed", claimedOnly]) {
            $0.relines { $0.insert([], at: 1) }
        }
        add("event-not-canonical", "event 2 with a space after a colon: not canonical JSON", failed, ["custody.event.malformed", claimedOnly]) {
            $0.relines { lines in
                lines[1] = utf8(String(decoding: lines[1], as: UTF8.self).replacingOccurrences(of: "\"seq\":2", with: "\"seq\": 2"))
            }
        }
        add("event-unknown-member", "event 2 with a member the format does not define, re-signed", failed,
            ["custody.event.malformed", claimedOnly]) {
            $0.relines { lines in
                lines[1] = utf8(String(decoding: lines[1], as: UTF8.self).replacingOccurrences(of: "\"prev\":", with: "\"note\":\"x\",\"prev\":"))
            }
        }
        add("prev-wrong", "event 2's prev does not hash event 1, re-signed", failed, ["custody.chain.broken", claimedOnly]) {
            $0.relog(chain: false) { $0[1].prev = String(repeating: "0", count: 64) }
        }
        add("seq-replayed", "events 1 and 2 both numbered 1, re-chained and re-signed", failed, ["custody.seq.invalid", claimedOnly]) {
            $0.relog { $0[1].seq = 1 }
        }
        add("event-edited", "event 1's details changed after signing; the chain re-made", failed,
            ["custody.signature.invalid", claimedOnly]) {
            $0.relog(keep: [0]) { $0[0].details["device"] = "another device" }
        }
        add("actor-substituted", "event 2 signed by a new key carrying the signer's key id and name", failed,
            ["custody.actor.substituted", claimedOnly]) {
            $0.relog(signers: [1: keys.signerTwin]) { $0[1].actor.publicKey = keys.signerTwin.publicKey.base64 }
        }
        add("item-digest-wrong", "event 1 records another sha256 for its item, re-signed", failed, ["custody.item.mismatch", claimedOnly]) {
            $0.relog { $0[0].items[0].digests["sha256"] = String(repeating: "0", count: 64) }
        }
        add("item-absent", "event 1 names a path the bundle does not hold, re-signed", passed, ["custody.item.absent", claimedOnly]) {
            $0.relog { $0[0].items[0].path = "data/absent.txt" }
        }
        add("time-backwards", "event 2 claims a time an hour before event 1, re-signed", passed, ["custody.time.backwards", claimedOnly]) {
            $0.relog { $0[1].time = "2026-01-15T08:30:00Z" }
        }
        add("last-event-removed", "the log holds two events; the seal committed to three", failed,
            ["custody.truncated", claimedOnly]) {
            $0.relog { $0.removeLast() }
        }
        add("root-wrong", "the seal commits to another custody root, re-signed", failed, ["custody.root.mismatch", claimedOnly], forge: false) {
            $0.reseal(1) { $0.custodyRoot = String(repeating: "0", count: 64) }
        }
        add("event-appended-unsealed", "an event by the signer after the last seal", failed, ["custody.unsealed", claimedOnly]) {
            $0.relog { events in
                var note = events[0]
                note.seq = 4
                note.action = .note
                note.items = []
                note.details = ["text": "looked at it"]
                events.append(note)
            }
        }
        add("sealed-event-removed", "no sealed event: the log and seal cover the two acquired events only", passed,
            ["custody.seal.unrecorded", claimedOnly], forge: false) {
            $0.relog { $0.removeLast() }
            $0.rewriteTagManifests()
            $0.reseal(1) { $0.custodyLength = 2 }
            $0.reseal(1)
        }
        add("history-rewritten", "seal 1's custody root rewritten while seals 2 and 3 match the log", failed,
            ["custody.fork", "custody.root.mismatch", claimedOnly], from: handedOff, forge: false) {
            $0.reseal(1) { $0.custodyRoot = String(repeating: "0", count: 64) }
            $0.reseal(2)
            $0.reseal(3)
        }
        add("checkpoint-regressed", "seal 3 commits to 4 events, after seal 2 committed to 5", failed,
            ["custody.checkpoint.regressed", "custody.unsealed", "custody.seal.unrecorded", claimedOnly], from: handedOff, forge: false) {
            $0.reseal(3) { $0.custodyLength = 4 }
            $0.reseal(3)
        }
        return cases
    }
}

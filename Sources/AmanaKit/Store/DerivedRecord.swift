/// A record derived from a stored object and kept beside it, never inside it: today the capture metadata record
/// (`spec/metadata.md`) computed when the object was first ingested.
///
/// The record's bytes live in `records/sha256/ab/cd/<hex>`, named by their own SHA-256 like objects are; the signed
/// `ingested` event names that digest (detail `derived.metadata`), so the record is covered by the ledger and the
/// catalog's `derived_records` row is rebuilt from the ledger like every other row (spec/store.md, "Derived records").
package struct DerivedRecord: Equatable, Sendable {
    package enum Kind: String, Sendable {
        /// `application/vnd.amana.metadata+json;version=1`, the same record `amana seal` writes to
        /// `amana/metadata.jsonl`.
        case metadata
    }

    /// The `ingested` event that named the record.
    package var seq: Int
    /// The object the record was derived from.
    package var sha256: String
    package var kind: Kind
    /// The SHA-256 of the record file's bytes, which is also its name under `records/`.
    package var recordSHA256: String

    package init(seq: Int, sha256: String, kind: Kind, recordSHA256: String) {
        self.seq = seq
        self.sha256 = sha256
        self.kind = kind
        self.recordSHA256 = recordSHA256
    }
}

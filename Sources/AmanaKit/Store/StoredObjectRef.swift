/// One stored object, as a reader names it: its digests, its size and, on a back end that keeps versions, the
/// version written by the ingest that stored it (nil for a local folder).
package struct StoredObjectRef: Equatable, Hashable, Sendable {
    package var sha256: String
    package var sha512: String
    package var size: UInt64
    package var versionID: String?

    package init(sha256: String, sha512: String, size: UInt64, versionID: String? = nil) {
        self.sha256 = sha256
        self.sha512 = sha512
        self.size = size
        self.versionID = versionID
    }

    /// The catalog's item, as a ref: the version its first acquisition stored (nil locally).
    package init(_ item: StoredItem) {
        self.init(sha256: item.sha256, sha512: item.sha512, size: item.size, versionID: item.first.versionID)
    }

    /// The object a `new` acquisition stored, named as its signed event records it.
    package init(_ record: AcquisitionRecord) {
        self.init(sha256: record.sha256, sha512: record.sha512, size: record.source.size, versionID: record.versionID)
    }
}

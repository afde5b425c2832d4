/// One stored object as the catalog knows it.
package struct StoredItem: Equatable, Sendable {
    package var sha256: String
    package var sha512: String
    package var size: UInt64
    /// The acquisition that brought the content in.
    package var first: AcquisitionRecord
    /// Every case the object was acquired for, sorted.
    package var cases: [String]

    /// The version a versioned object store (S3) gave the object when its first acquisition wrote it, which every
    /// read names; nil for a local store.
    package var versionID: String? { first.versionID }

    package init(sha256: String, sha512: String, size: UInt64, first: AcquisitionRecord, cases: [String]) {
        self.sha256 = sha256
        self.sha512 = sha512
        self.size = size
        self.first = first
        self.cases = cases
    }
}

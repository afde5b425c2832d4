/// One stored object as the catalog knows it.
public struct StoredItem: Equatable, Sendable {
    public var sha256: String
    public var sha512: String
    public var size: UInt64
    /// The acquisition that brought the content in.
    public var first: AcquisitionRecord
    /// Every case the object was acquired for, sorted.
    public var cases: [String]

    public init(sha256: String, sha512: String, size: UInt64, first: AcquisitionRecord, cases: [String]) {
        self.sha256 = sha256
        self.sha512 = sha512
        self.size = size
        self.first = first
        self.cases = cases
    }
}

/// The code groups, for what needs every code at once (the spec table test, a vector coverage check).
package enum FindingCodes {
    /// Every group `amana verify`, `extract`, `verify-timestamp` and `custody show --receipt` can report.
    package static let groups: [any FindingCode.Type] = [
        ArchiveCode.self, BagItCode.self, ManifestCode.self, PayloadCode.self, TagManifestCode.self, FetchCode.self,
        BundleCode.self, ItemsCode.self, TrustCode.self, SealCode.self, TimestampCode.self, CustodyCode.self, StoreProofCode.self,
        ReceiptCode.self,
    ]

    /// Every code of every group, as the strings a report carries.
    package static var all: Set<String> {
        var codes = Set<String>()
        for group in groups { codes.formUnion(group.rawValues) }
        return codes
    }
}

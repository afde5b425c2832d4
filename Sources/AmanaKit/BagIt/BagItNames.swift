/// The fixed names of RFC 8493, written once so that the parsers, the checker and the writers cannot drift apart.
package enum BagItNames {
    /// The bag declaration (RFC 8493 section 2.1.1).
    package static let declaration = "bagit.txt"
    /// The metadata tag file since BagIt 0.96 (section 2.2.2).
    package static let bagInfo = "bag-info.txt"
    /// The name the metadata tag file had in BagIt 0.93 to 0.95.
    package static let legacyPackageInfo = "package-info.txt"
    /// The fetch file of a "holey" bag (section 2.2.3). Amana never fetches.
    package static let fetch = "fetch.txt"
    /// The payload directory (section 2.1.2), without its trailing slash.
    package static let payloadDirectory = "data"
    /// Every payload path starts with this.
    package static let payloadPrefix = "data/"
    /// `manifest-<algorithm>.txt` (section 2.1.3).
    package static let payloadManifestPrefix = "manifest-"
    /// `tagmanifest-<algorithm>.txt` (section 2.2.1).
    package static let tagManifestPrefix = "tagmanifest-"
    package static let manifestSuffix = ".txt"

    /// `manifest-sha256.txt` and the like.
    package static func manifest(_ algorithm: DigestAlgorithm) -> String {
        payloadManifestPrefix + algorithm.bagItName + manifestSuffix
    }

    /// `tagmanifest-sha256.txt` and the like.
    package static func tagManifest(_ algorithm: DigestAlgorithm) -> String {
        tagManifestPrefix + algorithm.bagItName + manifestSuffix
    }

    /// Labels of the bag declaration, in the order RFC 8493 requires.
    package static let versionLabel = "BagIt-Version"
    package static let encodingLabel = "Tag-File-Character-Encoding"

    /// Reserved bag-info labels Amana reads or writes (section 2.2.2). Reserved labels are case-insensitive.
    package static let payloadOxumLabel = "Payload-Oxum"
    package static let baggingDateLabel = "Bagging-Date"
    package static let externalIdentifierLabel = "External-Identifier"
    package static let bagSoftwareAgentLabel = "Bag-Software-Agent"

    /// The metadata tag file's name for a bag of `version`.
    package static func bagInfoName(for version: BagItVersion) -> String {
        version < BagItVersion.v0_96 ? legacyPackageInfo : bagInfo
    }
}

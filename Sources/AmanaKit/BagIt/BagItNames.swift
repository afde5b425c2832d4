/// The fixed names of RFC 8493, written once so that the parsers, the checker and the writers cannot drift apart.
public enum BagItNames {
    /// The bag declaration (RFC 8493 section 2.1.1).
    public static let declaration = "bagit.txt"
    /// The metadata tag file since BagIt 0.96 (section 2.2.2).
    public static let bagInfo = "bag-info.txt"
    /// The name the metadata tag file had in BagIt 0.93 to 0.95.
    public static let legacyPackageInfo = "package-info.txt"
    /// The fetch file of a "holey" bag (section 2.2.3). Amana never fetches.
    public static let fetch = "fetch.txt"
    /// The payload directory (section 2.1.2), without its trailing slash.
    public static let payloadDirectory = "data"
    /// Every payload path starts with this.
    public static let payloadPrefix = "data/"
    /// `manifest-<algorithm>.txt` (section 2.1.3).
    public static let payloadManifestPrefix = "manifest-"
    /// `tagmanifest-<algorithm>.txt` (section 2.2.1).
    public static let tagManifestPrefix = "tagmanifest-"
    public static let manifestSuffix = ".txt"

    /// `manifest-sha256.txt` and the like.
    public static func manifest(_ algorithm: DigestAlgorithm) -> String {
        payloadManifestPrefix + algorithm.bagItName + manifestSuffix
    }

    /// `tagmanifest-sha256.txt` and the like.
    public static func tagManifest(_ algorithm: DigestAlgorithm) -> String {
        tagManifestPrefix + algorithm.bagItName + manifestSuffix
    }

    /// Labels of the bag declaration, in the order RFC 8493 requires.
    public static let versionLabel = "BagIt-Version"
    public static let encodingLabel = "Tag-File-Character-Encoding"

    /// Reserved bag-info labels Amana reads or writes (section 2.2.2). Reserved labels are case-insensitive.
    public static let payloadOxumLabel = "Payload-Oxum"
    public static let baggingDateLabel = "Bagging-Date"
    public static let externalIdentifierLabel = "External-Identifier"
    public static let bagSoftwareAgentLabel = "Bag-Software-Agent"

    /// The metadata tag file's name for a bag of `version`.
    public static func bagInfoName(for version: BagItVersion) -> String {
        version < BagItVersion.v0_96 ? legacyPackageInfo : bagInfo
    }
}

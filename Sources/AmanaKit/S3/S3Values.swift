import Foundation

/// S3 Object Lock's two retention modes. COMPLIANCE: nobody, not even the root account, can shorten it or delete the
/// version before the date. GOVERNANCE: a user with `s3:BypassGovernanceRetention` can.
package enum S3LockMode: String, Sendable, Equatable {
    case compliance = "COMPLIANCE"
    case governance = "GOVERNANCE"
}

/// The retention written with an object: a mode and a retain-until date (whole seconds, UTC).
package struct S3ObjectLock: Sendable, Equatable {
    package let mode: S3LockMode
    package let retainUntil: Date

    package init(mode: S3LockMode, retainUntil: Date) {
        self.mode = mode
        self.retainUntil = Date(timeIntervalSince1970: retainUntil.timeIntervalSince1970.rounded(.down))
    }

    /// The two request headers that carry it.
    var headers: [(String, String)] {
        [("x-amz-object-lock-mode", mode.rawValue),
         ("x-amz-object-lock-retain-until-date", UTCTime.format(retainUntil))]
    }
}

/// What a successful PUT (single or multipart) returns.
package struct S3PutResult: Sendable, Equatable {
    package let versionID: String
    /// Without quotes.
    package let etag: String
}

/// The result of ``S3Client/upload(key:lock:partSize:read:)``: where the bytes went and what they were.
package struct S3UploadResult: Sendable, Equatable {
    package let versionID: String
    package let etag: String
    package let size: UInt64
    package let sha256: [UInt8]
    package let sha512: [UInt8]
    /// Number of parts; 0 for a single PUT.
    package let parts: Int
}

/// An object version's metadata, from HEAD or GET.
package struct S3ObjectInfo: Sendable, Equatable {
    package let key: String
    package let versionID: String?
    package let size: UInt64
    package let etag: String
    package let lock: S3ObjectLock?
    package let lastModified: String?
}

/// One entry of ListObjectVersions (a delete marker has no size).
package struct S3ObjectVersion: Sendable, Equatable {
    package let key: String
    package let versionID: String
    package let isLatest: Bool
    package let isDeleteMarker: Bool
    package let size: UInt64?
    package let etag: String?
    package let lastModified: Date?
}

/// One entry of ListObjectsV2.
package struct S3ObjectSummary: Sendable, Equatable {
    package let key: String
    package let size: UInt64
    package let etag: String?
}

/// A multipart upload that was created and neither completed nor aborted.
package struct S3MultipartUpload: Sendable, Equatable {
    package let key: String
    package let uploadID: String
    package let initiated: Date?
}

/// A bucket's Object Lock configuration: whether it is enabled and its default retention, if any.
package struct S3LockConfiguration: Sendable, Equatable {
    package let enabled: Bool
    package let defaultMode: S3LockMode?
    package let defaultDays: Int?
    package let defaultYears: Int?
}

/// A bucket's versioning state as S3 reports it: `Enabled`, `Suspended`, or never set (nil).
package enum S3Versioning: Sendable, Equatable {
    case enabled, suspended, neverEnabled
}

/// A re-read object's size and digests, with what differs from the expected values (empty when all match).
package struct S3ReadBack: Sendable, Equatable {
    package let size: UInt64
    package let sha256: [UInt8]
    /// Nil when the read-back was asked to compare no SHA-512.
    package let sha512: [UInt8]?
    package let mismatches: [String]
    package var matches: Bool { mismatches.isEmpty }
}

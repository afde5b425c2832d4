import Foundation

extension S3ObjectStore {
    /// Every version and delete marker under the object's key other than the one the store recorded: an overwrite
    /// or a delete by someone else (Object Lock keeps the store's version; it cannot stop a new one being added).
    /// Oldest first, as they happened.
    func foreignVersions(of ref: StoredObjectRef) throws -> [ForeignVersion] {
        try otherVersions(of: ref).reversed().map {
            ForeignVersion(versionID: $0.versionID, isDeleteMarker: $0.isDeleteMarker,
                           written: $0.lastModified.map(UTCTime.format))
        }
    }
}

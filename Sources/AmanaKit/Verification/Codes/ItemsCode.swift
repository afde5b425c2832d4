/// The stable finding codes of the `items` group: amana/items.json against the payload it describes (bundle.md
/// section 6).
///
/// Scripts match on the raw values, so a case is never renamed; spec/verification-report.md section 5 lists every
/// code with its status, and `CodeTableTests` holds that table and these cases to the same set.
package enum ItemsCode: String, FindingCode {
    /// failed: items.json's `bundleId` is not this bundle's id.
    case bundleMismatch = "items.bundle.mismatch"
    /// passed: items.json describes exactly the payload, with its sizes and digests.
    case consistent = "items.consistent"
    /// failed: an item's digest (of an algorithm the reader computed) differs from the file's.
    case digestMismatch = "items.digest.mismatch"
    /// failed: a second item with the same path; it is not checked further.
    case entryDuplicate = "items.entry.duplicate"
    /// failed: an item describes a path that is no payload file of the bundle.
    case fileMissing = "items.file.missing"
    /// failed: a payload file that no item describes.
    case fileUnlisted = "items.file.unlisted"
    /// failed: items.json does not parse under bundle.md section 6's rules.
    case malformed = "items.malformed"
    /// failed: an item's size differs from the file's.
    case sizeMismatch = "items.size.mismatch"
}

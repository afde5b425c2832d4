/// The stable finding codes of the `items` group: amana/items.json against the payload it describes (bundle.md section 5).
///
/// Scripts match on the raw values, so a case is never renamed; spec/verification-report.md section 5 lists every
/// code with its status, and `CodeTableTests` holds that table and these cases to the same set.
public enum ItemsCode: String, FindingCode {
    /// failed
    case bundleMismatch = "items.bundle.mismatch"
    /// passed
    case consistent = "items.consistent"
    /// failed
    case digestMismatch = "items.digest.mismatch"
    /// failed
    case entryDuplicate = "items.entry.duplicate"
    /// failed
    case fileMissing = "items.file.missing"
    /// failed
    case fileUnlisted = "items.file.unlisted"
    /// failed
    case malformed = "items.malformed"
    /// failed
    case sizeMismatch = "items.size.mismatch"
}

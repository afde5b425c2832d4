/// The stable finding codes of the `payload` group: what the payload manifests say about the files under data/.
///
/// Scripts match on the raw values, so a case is never renamed; spec/verification-report.md section 5 lists every
/// code with its status, and `CodeTableTests` holds that table and these cases to the same set.
package enum PayloadCode: String, FindingCode {
    /// failed: a payload file's digest differs from its manifest entry.
    case digestMismatch = "payload.digest.mismatch"
    /// indeterminate: the container reader did not compute a digest a payload manifest needs.
    case digestUnavailable = "payload.digest.unavailable"
    /// passed: every payload file is listed in, and matches, every checked payload manifest.
    case digests = "payload.digests"
    /// failed: a payload manifest lists a file that is not present.
    case fileMissing = "payload.file.missing"
    /// warning: a payload file is operating-system metadata (`.DS_Store`, `Thumbs.db`, ...).
    case fileSystem = "payload.file.system"
    /// failed: a payload file is missing from a payload manifest (warning before BagIt 1.0 when another payload
    /// manifest lists it, which those versions allowed).
    case fileUnlisted = "payload.file.unlisted"
}

/// The stable finding codes of the `tagmanifest` group: what the tag manifests say about the tag files.
///
/// Scripts match on the raw values, so a case is never renamed; spec/verification-report.md section 5 lists every
/// code with its status, and `CodeTableTests` holds that table and these cases to the same set.
package enum TagManifestCode: String, FindingCode {
    /// failed: a tag file's digest differs from its tag-manifest entry.
    case digestMismatch = "tagmanifest.digest.mismatch"
    /// passed: every tag-manifest entry is present and matches.
    case digests = "tagmanifest.digests"
    /// failed: a tag manifest lists a file that is not present.
    case fileMissing = "tagmanifest.file.missing"
}

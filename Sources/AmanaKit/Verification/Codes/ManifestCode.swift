/// The stable finding codes of the `manifest` group: the payload and tag manifest files themselves (RFC 8493 sections
/// 2.1.3 and 2.2.1).
///
/// Scripts match on the raw values, so a case is never renamed; spec/verification-report.md section 5 lists every
/// code with its status, and `CodeTableTests` holds that table and these cases to the same set.
package enum ManifestCode: String, FindingCode {
    /// indeterminate: a manifest uses an algorithm Amana does not implement, so it was not checked.
    case algorithmUnsupported = "manifest.algorithm.unsupported"
    /// warning: every checked payload manifest uses a broken algorithm (MD5 or SHA-1).
    case algorithmWeak = "manifest.algorithm.weak"
    /// failed (warning before BagIt 1.0 when the digests agree): a manifest lists the same path twice.
    case entryDuplicate = "manifest.entry.duplicate"
    /// failed: a manifest cannot be decoded, or a line is not `<hex digest> <whitespace> <path>` of the right length.
    case malformed = "manifest.malformed"
    /// failed: no `manifest-<algorithm>.txt` at all.
    case missing = "manifest.missing"
    /// failed: a listed path is empty, absolute, has `..`, a backslash, or is outside (or, for a tag manifest, inside)
    /// `data/`.
    case pathInvalid = "manifest.path.invalid"
    /// warning: a path starts with the `*` binary-mode marker of `md5sum`-style tools, which is dropped.
    case pathMarker = "manifest.path.marker"
    /// warning: a path starts with `./`, which is read as if it were not there.
    case pathRelative = "manifest.path.relative"
    /// warning: a listed path matches a present file only when case or Unicode normalisation is ignored.
    case pathVariant = "manifest.path.variant"
}

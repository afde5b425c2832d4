/// The stable finding codes of the BagIt rules. Scripts match on these; never rename one.
///
/// The part before the first dot is the check group: `bagit` (declaration and bag-info), `manifest` (the manifest
/// files themselves), `payload` and `tagmanifest` (what the manifests say about files), `fetch`.
public enum BagItCode {
    /// failed: no `bagit.txt` at the bag root.
    public static let declarationMissing = "bagit.declaration.missing"
    /// failed: `bagit.txt` is not exactly the two required lines, has a BOM, or names an unknown version.
    public static let declarationInvalid = "bagit.declaration.invalid"
    /// passed: `bagit.txt` is valid.
    public static let declaration = "bagit.declaration"
    /// indeterminate: the declared tag-file encoding is one Amana cannot decode, so no tag file could be read.
    public static let encodingUnsupported = "bagit.encoding.unsupported"
    /// warning: a tag file other than `bagit.txt` starts with a byte-order mark.
    public static let tagFileByteOrderMark = "bagit.tagfile.bom"
    /// failed: no `data/` payload folder.
    public static let payloadFolderMissing = "bagit.payload.missing"
    /// failed: `bag-info.txt` cannot be decoded or has lines that are not `label: value`, or a bad Payload-Oxum.
    public static let infoInvalid = "bagit.info.invalid"
    /// failed: Payload-Oxum disagrees with the payload files present.
    public static let oxumMismatch = "bagit.info.oxum.mismatch"
    /// passed: Payload-Oxum agrees with the payload files present.
    public static let oxum = "bagit.info.oxum"

    /// failed: no `manifest-<algorithm>.txt` at all.
    public static let manifestMissing = "manifest.missing"
    /// failed: a manifest cannot be decoded, or a line is not `<hex digest> <whitespace> <path>` of the right length.
    public static let manifestMalformed = "manifest.malformed"
    /// failed: a listed path is empty, absolute, has `..`, a backslash, or is outside (or, for a tag manifest,
    /// inside) `data/`.
    public static let pathInvalid = "manifest.path.invalid"
    /// warning: a path starts with `./`, which is read as if it were not there.
    public static let pathRelative = "manifest.path.relative"
    /// warning: a path starts with the `*` binary-mode marker of `md5sum`-style tools, which is dropped.
    public static let pathMarker = "manifest.path.marker"
    /// warning: a listed path matches a present file only when case or Unicode normalisation is ignored.
    public static let pathVariant = "manifest.path.variant"
    /// failed (warning before BagIt 1.0 when the digests agree): a manifest lists the same path twice.
    public static let entryDuplicate = "manifest.entry.duplicate"
    /// indeterminate: a manifest uses an algorithm Amana does not implement, so it was not checked.
    public static let algorithmUnsupported = "manifest.algorithm.unsupported"
    /// warning: every checked payload manifest uses a broken algorithm (MD5 or SHA-1).
    public static let algorithmWeak = "manifest.algorithm.weak"

    /// failed: a payload file's digest differs from its manifest entry.
    public static let payloadDigestMismatch = "payload.digest.mismatch"
    /// indeterminate: the container reader did not compute a digest a payload manifest needs.
    public static let payloadDigestUnavailable = "payload.digest.unavailable"
    /// failed: a payload manifest lists a file that is not present.
    public static let payloadFileMissing = "payload.file.missing"
    /// failed: a payload file is missing from a payload manifest (warning before BagIt 1.0 when another payload
    /// manifest lists it, which those versions allowed).
    public static let payloadFileUnlisted = "payload.file.unlisted"
    /// warning: a payload file is operating-system metadata (`.DS_Store`, `Thumbs.db`, ...).
    public static let payloadFileSystem = "payload.file.system"
    /// passed: every payload file is listed in, and matches, every checked payload manifest.
    public static let payloadDigests = "payload.digests"

    /// failed: a tag file's digest differs from its tag-manifest entry.
    public static let tagDigestMismatch = "tagmanifest.digest.mismatch"
    /// failed: a tag manifest lists a file that is not present.
    public static let tagFileMissing = "tagmanifest.file.missing"
    /// passed: every tag-manifest entry is present and matches.
    public static let tagDigests = "tagmanifest.digests"

    /// warning: the bag has a `fetch.txt`; Amana never fetches, so every file must already be present.
    public static let fetchIgnored = "fetch.ignored"
    /// failed: a `fetch.txt` line is not `<url> <length or -> <path>`.
    public static let fetchMalformed = "fetch.malformed"
    /// failed: a `fetch.txt` path is unsafe or outside `data/`.
    public static let fetchPathInvalid = "fetch.path.invalid"
    /// failed: a `fetch.txt` path is not listed in every payload manifest.
    public static let fetchEntryUnlisted = "fetch.entry.unlisted"
}

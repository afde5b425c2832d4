/// The stable finding codes of the `bagit` group: the BagIt declaration and bag-info.txt (RFC 8493 sections 2.1.1 and
/// 2.2.2).
///
/// Scripts match on the raw values, so a case is never renamed; spec/verification-report.md section 5 lists every
/// code with its status, and `CodeTableTests` holds that table and these cases to the same set.
package enum BagItCode: String, FindingCode {
    /// passed: `bagit.txt` is valid.
    case declaration = "bagit.declaration"
    /// failed: `bagit.txt` is not exactly the two required lines, has a BOM, or names an unknown version.
    case declarationInvalid = "bagit.declaration.invalid"
    /// failed: no `bagit.txt` at the bag root.
    case declarationMissing = "bagit.declaration.missing"
    /// indeterminate: the declared tag-file encoding is one Amana cannot decode, so no tag file could be read.
    case encodingUnsupported = "bagit.encoding.unsupported"
    /// failed: `bag-info.txt` cannot be decoded or has lines that are not `label: value`, or a bad Payload-Oxum.
    case infoInvalid = "bagit.info.invalid"
    /// passed: Payload-Oxum agrees with the payload files present.
    case infoOxum = "bagit.info.oxum"
    /// failed: Payload-Oxum disagrees with the payload files present.
    case infoOxumMismatch = "bagit.info.oxum.mismatch"
    /// failed: no `data/` payload folder.
    case payloadMissing = "bagit.payload.missing"
    /// warning: a tag file other than `bagit.txt` starts with a byte-order mark.
    case tagfileBOM = "bagit.tagfile.bom"
}

/// The stable finding codes of the `bundle` group: Amana's bundle profile on top of BagIt (bundle.md sections 4 to 6).
///
/// Scripts match on the raw values, so a case is never renamed; spec/verification-report.md section 5 lists every
/// code with its status, and `CodeTableTests` holds that table and these cases to the same set.
package enum BundleCode: String, FindingCode {
    /// passed: every file is covered by a payload or tag manifest, and the profile's files are present.
    case coverage = "bundle.coverage"
    /// failed: a tag file outside `seals/` that some tag manifest does not list, so no seal vouches for it.
    case fileUnsealed = "bundle.file.unsealed"
    /// failed: a folder holding no file (no manifest can vouch for it; Amana never writes one)
    case folderEmpty = "bundle.folder.empty"
    /// failed: External-Identifier is not the tar's root folder name.
    case idMismatch = "bundle.id.mismatch"
    /// failed: an Amana bundle without bag-info.txt, or whose bag-info.txt has no External-Identifier; for a folder
    /// it is the only bundle id there is, so without it no seal could be held to its bundle.
    case idMissing = "bundle.id.missing"
    /// failed: an Amana bundle without `amana/items.json` (also when reading stopped before it).
    case itemsMissing = "bundle.items.missing"
    /// failed: a name not in NFC (Amana seals names in NFC)
    case nameNotNFC = "bundle.name.not-nfc"
    /// failed: no tag manifest, so no tag file is sealed.
    case tagmanifestMissing = "bundle.tagmanifest.missing"
    /// indeterminate: a plain BagIt bag, with nothing under `amana/` or `seals/`; the profile's rules are not applied
    /// to it (bundle.md section 8.1)
    case unsealed = "bundle.unsealed"
}

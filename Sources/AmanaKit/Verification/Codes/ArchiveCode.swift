/// The stable finding codes of the `archive` group: the container: the tar (or folder) the bag is read from (bundle.md
/// section 3).
///
/// Scripts match on the raw values, so a case is never renamed; spec/verification-report.md section 5 lists every
/// code with its status, and `CodeTableTests` holds that table and these cases to the same set.
package enum ArchiveCode: String, FindingCode {
    /// failed; `archive.format.invalid` also for a compression other than gzip, bzip2, xz and zstd, and for every
    /// archive format that is not a ustar tar (bundle.md section 3)
    case empty = "archive.empty"
    /// warning: two names differ only in letter case; distinct names, but they collide on case-insensitive file
    /// systems.
    case entryCaseCollision = "archive.entry.case-collision"
    /// failed: a file whose size changed while it was read, so its digests describe no stable content.
    case entryChanged = "archive.entry.changed"
    /// failed: two names that are the same after Unicode normalisation, which many systems cannot hold apart.
    case entryDuplicate = "archive.entry.duplicate"
    /// failed: a name that is not valid UTF-8.
    case entryName = "archive.entry.name"
    /// failed: a name equal to an earlier one after Unicode normalisation; extraction could keep only one, so it is not
    /// read.
    case entryNFCCollision = "archive.entry.nfc-collision"
    /// failed: an unsafe name (absolute, `..`, empty or `.` component, backslash, control character); never hashed or
    /// extracted.
    case entryPath = "archive.entry.path"
    /// failed: a symlink, device, FIFO or socket; it was not followed or read.
    case entryType = "archive.entry.type"
    /// failed: a file that could not be opened or read.
    case entryUnreadable = "archive.entry.unreadable"
    /// failed; `archive.format.invalid` also for a compression other than gzip, bzip2, xz and zstd, and for every
    /// archive format that is not a ustar tar (bundle.md section 3)
    case formatInvalid = "archive.format.invalid"
    /// failed: a header Amana's strict reader refuses (bundle.md section 3); reading stops. `archive.header.ambiguous`
    /// is a header that tar readers take apart differently: two extended headers for one entry, a pax keyword set
    /// twice, a GNU header with a ustar prefix, a file name ending in `/`, a pax `size` the header contradicts, or a
    /// header name that is no abbreviation of the pax `path` or GNU long name
    case headerAmbiguous = "archive.header.ambiguous"
    /// failed: a header Amana's strict reader refuses (bundle.md section 3); reading stops. `archive.header.ambiguous`
    /// is a header that tar readers take apart differently: two extended headers for one entry, a pax keyword set
    /// twice, a GNU header with a ustar prefix, a file name ending in `/`, a pax `size` the header contradicts, or a
    /// header name that is no abbreviation of the pax `path` or GNU long name
    case headerInvalid = "archive.header.invalid"
    /// warning: a pax keyword Amana does not interpret
    case headerPaxKeyword = "archive.header.pax-keyword"
    /// failed: a header Amana's strict reader refuses (bundle.md section 3); reading stops. `archive.header.ambiguous`
    /// is a header that tar readers take apart differently: two extended headers for one entry, a pax keyword set
    /// twice, a GNU header with a ustar prefix, a file name ending in `/`, a pax `size` the header contradicts, or a
    /// header name that is no abbreviation of the pax `path` or GNU long name
    case headerUnsupported = "archive.header.unsupported"
    /// failed: a resource limit (threat-model.md section 7); reading stops at the limit
    case limitEntries = "archive.limit.entries"
    /// failed: a resource limit (threat-model.md section 7); reading stops at the limit
    case limitExpansion = "archive.limit.expansion"
    /// failed: a resource limit (threat-model.md section 7); reading stops at the limit
    case limitPath = "archive.limit.path"
    /// failed: the root itself is a file; a bundle's single top-level entry must be a folder.
    case rootFile = "archive.root.file"
    /// failed: an entry under a second top-level name (one finding per name); it is not read.
    case rootMultiple = "archive.root.multiple"
    /// passed: the container was read to its end under the strict reader's rules.
    case structure = "archive.structure"
    /// failed: bytes other than zeros after the end-of-archive marker; in a compressed bundle, also bytes other than
    /// zeros after the compressed stream, a second gzip member or zstd frame (skippable frames included), or a gzip
    /// trailer that does not describe the whole stream (bundle.md section 3)
    case trailingData = "archive.trailing-data"
    /// failed; `archive.format.invalid` also for a compression other than gzip, bzip2, xz and zstd, and for every
    /// archive format that is not a ustar tar (bundle.md section 3)
    case truncated = "archive.truncated"
    /// failed: the input tar could not be read after it was opened (an I/O error); reading stops.
    case unreadable = "archive.unreadable"
}

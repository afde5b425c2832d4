/// The stable finding codes of the `fetch` group: fetch.txt, which Amana never follows (RFC 8493 section 2.2.3).
///
/// Scripts match on the raw values, so a case is never renamed; spec/verification-report.md section 5 lists every
/// code with its status, and `CodeTableTests` holds that table and these cases to the same set.
package enum FetchCode: String, FindingCode {
    /// failed: a `fetch.txt` path is not listed in every payload manifest.
    case entryUnlisted = "fetch.entry.unlisted"
    /// warning: the bag has a `fetch.txt`; Amana never fetches, so every file must already be present.
    case ignored = "fetch.ignored"
    /// failed: a `fetch.txt` line is not `<url> <length or -> <path>`.
    case malformed = "fetch.malformed"
    /// failed: a `fetch.txt` path is unsafe or outside `data/`.
    case pathInvalid = "fetch.path.invalid"
}

/// The bounds every metadata parser works within, so a hostile file costs little time and memory.
///
/// Parsers seek to the boxes and segments they need; these caps stop a file that claims billions of entries, loops
/// its offsets back on themselves or nests boxes without end. Passing one is a `metadata.parse.limit` finding.
package enum MetadataLimits {
    /// Bytes read from one file in all, whatever its size.
    package static let bytesRead: Int = 16 << 20
    /// Separate reads (seeks) in one file.
    package static let reads: Int = 20_000
    /// The largest single structure read whole (an EXIF block, a `keys` box, a PNG text chunk).
    package static let structureBytes: Int = 4 << 20
    /// How deep ISO BMFF boxes may nest.
    package static let boxDepth: Int = 12
    /// Boxes, segments or chunks walked in one file.
    package static let boxes: Int = 10_000
    /// Entries in one TIFF IFD, and IFDs in one EXIF block.
    package static let ifdEntries: Int = 4_096
    package static let ifds: Int = 16
    /// Bytes inflated in one file, all compressed streams together (a PDF's cross-reference and object streams and
    /// its XMP): a small stream that claims to inflate past this, a "zip bomb", is stopped there.
    package static let inflatedBytes: Int = 8 << 20
    /// Entries in a QuickTime `keys` box.
    package static let keys: Int = 1_024
}

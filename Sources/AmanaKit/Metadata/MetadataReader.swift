import Foundation

/// Reads a file's own metadata into a ``MetadataRecord`` without changing a byte of it.
///
/// The file is opened read-only and only the structures that hold metadata are read (see ``MetadataLimits``). A file
/// whose structure is broken or hostile still gets a record: what was read before the problem, and a finding.
public enum MetadataReader {
    /// The order fields are listed in; within a field, values keep the priority order their parser gives.
    static let fieldOrder: [MetadataField] = [
        .captureTime, .createTime, .modifyTime, .offsetTime, .subSecond, .gpsTime, .latitude, .longitude, .altitude,
        .make, .model, .software, .lensModel, .imageUniqueID, .orientation, .width, .height, .duration, .codec,
        .fileModifyTime,
    ]

    /// What an image format's reader found that every image format shares: its pixel size and, when it carries
    /// EXIF, the EXIF values and any problem reading them (JPEG's APP1 and PNG's eXIf hold the same TIFF structure).
    private static func addImage(width: Int?, height: Int?, sizeSource: String, exif: ExifValues.Tags?,
                                 exifProblem: MetadataParseError?, problemLabel: String,
                                 values: inout [MetadataValue], findings: inout [MetadataObservation],
                                 facts: inout MetadataFlagRules.Facts) {
        if let width, let height {
            values.append(MetadataValue(.width, source: sizeSource, raw: String(width), normalised: String(width)))
            values.append(MetadataValue(.height, source: sizeSource, raw: String(height), normalised: String(height)))
        }
        if let problem = exifProblem { findings.append(MetadataObservation(problem.code, "\(problemLabel): " + problem.reason)) }
        facts.hasExif = exif != nil
        if let tags = exif {
            let exif = ExifValues(tags)
            values += exif.values
            facts.signConflicts = exif.signConflicts
        }
    }

    /// - Parameters:
    ///   - path: the file to read.
    ///   - name: the name to record (defaults to `path`).
    ///   - acquisitionTime: when the collector acquired the file, if known; times after it are flagged.
    ///   - now: the reading time, which stands in for the acquisition time when that is unknown.
    public static func read(path: String, name: String? = nil, acquisitionTime: Date? = nil,
                            now: Date = Date()) throws -> MetadataRecord {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let handle = FileHandle(forReadingAtPath: path) else {
            throw AmanaError(.inputUnreadable, "cannot read \(path): not a readable file")
        }
        defer { try? handle.close() }
        let attributes = (try? FileManager.default.attributesOfItem(atPath: path)) ?? [:]
        let size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
        let source = MetadataSource(handle: handle, size: size)

        var format = "unknown"
        var values: [MetadataValue] = []
        var findings: [MetadataObservation] = []
        var facts = MetadataFlagRules.Facts()
        do {
            let head = try source.read(at: 0, count: Int(min(size, 16)))
            if head.starts(with: [0xFF, 0xD8]) {
                format = "jpeg"
                let jpeg = try JPEGReader(source: source)
                addImage(width: jpeg.width, height: jpeg.height, sizeSource: "jpeg:SOF", exif: jpeg.exif,
                         exifProblem: jpeg.exifProblem, problemLabel: "EXIF", values: &values, findings: &findings, facts: &facts)
            } else if head.starts(with: [0x49, 0x49, 0x2A, 0x00]) || head.starts(with: [0x4D, 0x4D, 0x00, 0x2A]) {
                format = "tiff"
                var reader = TIFFReader(source: source, base: 0)
                let exif = ExifValues(try reader.read())
                facts.hasExif = true
                values += exif.values
                facts.signConflicts = exif.signConflicts
            } else if head.starts(with: PNGReader.signature) {
                format = "png"
                let png = try PNGReader(source: source)
                addImage(width: png.width, height: png.height, sizeSource: "png:IHDR", exif: png.exif,
                         exifProblem: png.exifProblem, problemLabel: "eXIf", values: &values, findings: &findings, facts: &facts)
                // Text chunks come after EXIF: where both speak, EXIF is the higher-priority source.
                var textValues: [MetadataValue] = []
                for text in png.texts {
                    guard let field = PNGReader.keywords[text.keyword] else { continue }
                    let trimmed = text.text.trimmingCharacters(in: .whitespaces)
                    if field == .createTime {
                        // PNG's Creation Time is free text; RFC 1123 is only a suggestion. ISO 8601 and EXIF forms are read.
                        let parsed = MetadataTime.iso8601(trimmed) ?? MetadataTime.exif(trimmed)
                        textValues.append(MetadataValue(field, source: "png:\(text.chunk)/\(text.keyword)", raw: text.text,
                                                    normalised: parsed?.normalised ?? "",
                                                    timeZone: parsed?.offset == nil ? .unknown : .given))
                    } else if !trimmed.isEmpty {
                        textValues.append(MetadataValue(field, source: "png:\(text.chunk)/\(text.keyword)", raw: text.text,
                                                    normalised: trimmed))
                    }
                }
                values += textValues
            } else if ISOBMFFReader.looksLike(head) {
                format = "isobmff"
                let movie = QuickTimeValues(try ISOBMFFReader(source: source))
                values += movie.values
            }
        } catch let error as MetadataParseError {
            findings.append(MetadataObservation(error.code, error.reason))
        }
        if let modified = attributes[.modificationDate] as? Date {
            let seconds = Int64(modified.timeIntervalSince1970.rounded(.down))
            values.append(MetadataValue(.fileModifyTime, source: "file:mtime", raw: String(seconds),
                                        normalised: MetadataTime.unix(seconds).normalised, timeZone: .given))
        }
        values = fieldOrder.flatMap { field in values.filter { $0.field == field } }
            + values.filter { !fieldOrder.contains($0.field) }
        facts.format = format
        facts.acquisition = acquisitionTime.map { Int64($0.timeIntervalSince1970.rounded(.down)) }
        facts.now = Int64(now.timeIntervalSince1970.rounded(.down))
        let subject = MetadataRecord.Subject(name: name ?? path, size: size, format: format)
        var record = MetadataRecord(subject: subject, values: values, observations: [], findings: findings)
        record.observations = MetadataFlagRules.observe(record, facts)
        return record
    }
}

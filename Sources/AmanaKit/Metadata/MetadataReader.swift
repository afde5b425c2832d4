import Foundation

/// Reads a file's own metadata into a ``MetadataRecord`` without changing a byte of it.
///
/// The file is opened read-only and only the structures that hold metadata are read (see ``MetadataLimits``). A file
/// whose structure is broken or hostile still gets a record: what was read before the problem, and a finding.
package enum MetadataReader {
    /// The order fields are listed in; within a field, values keep the priority order their parser gives.
    static let fieldOrder: [MetadataField] = [
        .captureTime, .createTime, .modifyTime, .offsetTime, .subSecond, .gpsTime, .latitude, .longitude, .altitude,
        .make, .model, .software, .lensModel, .imageUniqueID, .orientation, .width, .height, .duration, .codec,
        .title, .artist, .fileModifyTime,
    ]

    static let fieldRank = Dictionary(uniqueKeysWithValues: fieldOrder.enumerated().map { ($0.element, $0.offset) })

    /// Values grouped by field in ``fieldOrder``, each field's values in the order read, other fields last as read.
    /// One bucket per rank, filled in reading order: stable by construction, and each field name is hashed once
    /// (a comparison sort looked both names up in ``fieldRank`` at every comparison, 1.5% of a seal's CPU).
    /// Most records arrive already grouped (one parser, in field order, then the file's mtime): those are returned as
    /// they are, after one rank lookup per value and no allocation.
    static func grouped(_ values: [MetadataValue]) -> [MetadataValue] {
        var previous = 0, inOrder = true
        for value in values {
            let rank = fieldRank[value.field] ?? fieldOrder.count
            if rank < previous {
                inOrder = false
                break
            }
            previous = rank
        }
        if inOrder { return values }
        var buckets = [[MetadataValue]](repeating: [], count: fieldOrder.count + 1)
        for value in values {
            buckets[fieldRank[value.field] ?? fieldOrder.count].append(value)
        }
        return Array(buckets.joined())
    }

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

    /// An acquisition time as a user gives it: ISO 8601 with `Z` or an offset. A time without one is refused rather
    /// than read in the machine's zone.
    package static func acquisitionTime(_ text: String) -> Date? {
        guard let time = MetadataTime.iso8601(text), time.offset != nil else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(time.unixSeconds))
    }

    /// A text value: trimmed, and left out when blank.
    private static func textValue(_ field: MetadataField, source: String, raw: String) -> MetadataValue {
        let trimmed = raw.metadataTrimmed
        if field == .createTime {
            // ID3, RIFF and iTunes dates are often a year or a day alone: kept as written, never placed in time.
            let parsed = MetadataTime.iso8601(trimmed)
            let partial = trimmed.count <= 10 && trimmed.allSatisfy { $0.isNumber || $0 == "-" } ? trimmed : ""
            return MetadataValue(field, source: source, raw: raw, normalised: parsed?.normalised ?? partial,
                                 timeZone: parsed?.offset == nil ? .unknown : .given)
        }
        return MetadataValue(field, source: source, raw: raw, normalised: trimmed)
    }

    /// - Parameters:
    ///   - path: the file to read.
    ///   - name: the name to record (defaults to `path`).
    ///   - acquisitionTime: when the collector acquired the file, if known; times after it are flagged.
    ///   - now: the reading time, which stands in for the acquisition time when that is unknown.
    package static func read(path: String, name: String? = nil, acquisitionTime: Date? = nil,
                            now: Date = Date()) throws -> MetadataRecord {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let handle = FileHandle(forReadingAtPath: path) else {
            throw AmanaError(.inputUnreadable, "cannot read \(path): not a readable file")
        }
        defer { try? handle.close() }
        let attributes = (try? FileManager.default.attributesOfItem(atPath: path)) ?? [:]
        let size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
        return read(MetadataSource(handle: handle, size: size), name: name ?? path,
                    modified: attributes[.modificationDate] as? Date, acquisitionTime: acquisitionTime, now: now)
    }

    /// Reads a file the caller has already stat'ed (the sealer's plan): no second stat, only the reads the parsers
    /// need, so a record costs little next to hashing the file.
    static func read(descriptor: Int32, size: UInt64, modified: Date, name: String, acquisitionTime: Date?,
                     now: Date) -> MetadataRecord {
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
        return read(MetadataSource(handle: handle, size: size), name: name, modified: modified,
                    acquisitionTime: acquisitionTime, now: now)
    }

    /// Reads bytes held in memory, as the fuzz targets hand them over; no file, so no mtime.
    static func read(bytes: [UInt8], now: Date = Date()) -> MetadataRecord {
        read(MetadataSource(bytes: bytes), name: "input", modified: nil, acquisitionTime: nil, now: now)
    }

    static func read(_ source: MetadataSource, name: String, modified: Date?, acquisitionTime: Date?,
                     now: Date) -> MetadataRecord {
        let size = source.size
        var format = "unknown"
        var values: [MetadataValue] = []
        var findings: [MetadataObservation] = []
        var facts = MetadataFlagRules.Facts()
        var xmp: [UInt8]?
        do {
            let head = try source.read(at: 0, count: Int(min(size, 16)))
            if head.starts(with: [0xFF, 0xD8]) {
                format = "jpeg"
                let jpeg = try JPEGReader(source: source)
                addImage(width: jpeg.width, height: jpeg.height, sizeSource: "jpeg:SOF", exif: jpeg.exif,
                         exifProblem: jpeg.exifProblem, problemLabel: "EXIF", values: &values, findings: &findings, facts: &facts)
                xmp = jpeg.xmp
            } else if head.starts(with: [0x49, 0x49, 0x2A, 0x00]) || head.starts(with: [0x4D, 0x4D, 0x00, 0x2A]) {
                format = "tiff"
                var reader = TIFFReader(source: source, base: 0)
                let exif = ExifValues(try reader.read())
                xmp = reader.xmp
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
                    let trimmed = text.text.metadataTrimmed
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
                xmp = png.xmp
            } else if ISOBMFFReader.looksLike(head) {
                format = "isobmff"
                let box = try ISOBMFFReader(source: source)
                values += QuickTimeValues(box).values
                xmp = box.xmp
                if let problem = box.xmpProblem { findings.append(MetadataObservation(problem.code, "HEIF XMP item: " + problem.reason)) }
                if box.exif != nil || box.exifProblem != nil {
                    addImage(width: nil, height: nil, sizeSource: "", exif: box.exif, exifProblem: box.exifProblem,
                             problemLabel: "HEIF Exif item", values: &values, findings: &findings, facts: &facts)
                }
            } else if RIFFReader.looksLike(head) {
                format = "wav"
                let wav = try RIFFReader(source: source)
                if let rate = wav.byteRate, rate > 0, let bytes = wav.dataSize {
                    values.append(MetadataValue(.duration, source: "wav:data/fmt.byte_rate", raw: "\(bytes)/\(rate)",
                                                normalised: metadataDecimal(Double(bytes) / Double(rate), places: 3)))
                }
                for (id, text) in wav.info {
                    guard let field = RIFFReader.infoFields[id] else { continue }
                    values.append(textValue(field, source: "riff:INFO/\(id)", raw: text))
                }
            } else if MP3Reader.looksLike(head) {
                format = "mp3"
                let mp3 = try MP3Reader(source: source)
                if let duration = mp3.duration {
                    values.append(MetadataValue(.duration, source: duration.source, raw: duration.raw,
                                                normalised: metadataDecimal(duration.seconds, places: 3)))
                }
                for (source, field, text) in mp3.tags { values.append(textValue(field, source: source, raw: text)) }
            } else if PDFReader.looksLike(head) {
                format = "pdf"
                let pdf = try PDFReader(source: source)
                for (key, text) in pdf.info {
                    guard let field = PDFReader.infoFields.first(where: { $0.key == key })?.field else { continue }
                    if [.createTime, .modifyTime].contains(field) {
                        let parsed = PDFReader.date(text)
                        values.append(MetadataValue(field, source: "pdf:Info/\(key)", raw: text,
                                                    normalised: parsed?.normalised ?? "",
                                                    timeZone: parsed?.offset == nil ? .unknown : .given))
                    } else {
                        values.append(textValue(field, source: "pdf:Info/\(key)", raw: text))
                    }
                }
                xmp = pdf.xmp
                if let problem = pdf.xmpProblem { findings.append(MetadataObservation(problem.code, "XMP stream: " + problem.reason)) }
            }
        } catch let error as MetadataParseError {
            findings.append(MetadataObservation(error.code, error.reason))
        } catch {
            findings.append(MetadataObservation(MetadataParseError.unreadable, "\(error)"))
        }
        // XMP comes after the container's own metadata: where both speak, the native value has priority.
        if let xmp { values += XMPReader(xmp).values }
        if let modified {
            let seconds = Int64(modified.timeIntervalSince1970.rounded(.down))
            values.append(MetadataValue(.fileModifyTime, source: "file:mtime", raw: String(seconds),
                                        normalised: MetadataTime.unix(seconds).normalised, timeZone: .given))
        }
        values = grouped(values)
        facts.format = format
        facts.acquisition = acquisitionTime.map { Int64($0.timeIntervalSince1970.rounded(.down)) }
        facts.now = Int64(now.timeIntervalSince1970.rounded(.down))
        let subject = MetadataRecord.Subject(name: name, size: size, format: format)
        var record = MetadataRecord(subject: subject, values: values, observations: [], findings: findings)
        record.observations = MetadataFlagRules.observe(record, facts)
        return record
    }
}

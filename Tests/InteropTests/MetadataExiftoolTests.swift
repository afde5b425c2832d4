@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// Amana's metadata against exiftool's reading of real camera files (`../shared/conformance/exiftool-images`, from
/// the exiftool project's own test suite), field by field after normalising the spelling.
///
/// Disagreements that remain are listed in ``exceptions`` with their reason, and in `spec/metadata.md` section 8.
final class MetadataExiftoolTests: XCTestCase {
    /// file name → field → why Amana's value differs from exiftool's. Keep this in step with spec/metadata.md.
    static let exceptions: [String: [String: String]] = [
        "RIFF.wav": ["duration": "the data chunk declares 0 bytes; exiftool divides the whole file's size (224 bytes) by the byte rate, Amana reports the declared data: 0 s"],
    ]

    /// One comparison: Amana's field, exiftool's tag names (first present wins), and how to compare.
    struct Check {
        enum Kind { case text, number(Double), exifTime, containerTime, offsetTime, xmpTime }
        var field: MetadataField
        var tags: [String]
        var kind: Kind
        var source: String?  // compare the value from this source only (nil: Amana's first value)
    }

    static let imageChecks: [Check] = [
        Check(field: .make, tags: ["IFD0:Make"], kind: .text),
        Check(field: .model, tags: ["IFD0:Model"], kind: .text),
        Check(field: .software, tags: ["IFD0:Software", "PNG:Software"], kind: .text),
        Check(field: .orientation, tags: ["IFD0:Orientation"], kind: .number(0)),
        Check(field: .captureTime, tags: ["ExifIFD:DateTimeOriginal"], kind: .exifTime),
        Check(field: .createTime, tags: ["ExifIFD:CreateDate"], kind: .exifTime),
        Check(field: .offsetTime, tags: ["ExifIFD:OffsetTimeOriginal"], kind: .offsetTime),
        Check(field: .subSecond, tags: ["ExifIFD:SubSecTimeOriginal"], kind: .text),
        Check(field: .lensModel, tags: ["ExifIFD:LensModel"], kind: .text),
        Check(field: .imageUniqueID, tags: ["ExifIFD:ImageUniqueID"], kind: .text),
        Check(field: .latitude, tags: ["Composite:GPSLatitude"], kind: .number(1e-6)),
        Check(field: .longitude, tags: ["Composite:GPSLongitude"], kind: .number(1e-6)),
        Check(field: .altitude, tags: ["Composite:GPSAltitude"], kind: .number(1e-3)),
        Check(field: .width, tags: ["File:ImageWidth", "PNG:ImageWidth", "IFD0:ImageWidth"], kind: .number(0)),
        Check(field: .height, tags: ["File:ImageHeight", "PNG:ImageHeight", "IFD0:ImageHeight"], kind: .number(0)),
    ] + xmpChecks

    /// XMP properties, compared value by value (the native EXIF value has priority in the record, so by source).
    static let xmpChecks: [Check] = [
        Check(field: .captureTime, tags: ["XMP-exif:DateTimeOriginal"], kind: .xmpTime, source: "xmp:exif:DateTimeOriginal"),
        Check(field: .captureTime, tags: ["XMP-photoshop:DateCreated"], kind: .xmpTime, source: "xmp:photoshop:DateCreated"),
        Check(field: .createTime, tags: ["XMP-xmp:CreateDate"], kind: .xmpTime, source: "xmp:xmp:CreateDate"),
        Check(field: .modifyTime, tags: ["XMP-xmp:ModifyDate"], kind: .xmpTime, source: "xmp:xmp:ModifyDate"),
        Check(field: .make, tags: ["XMP-tiff:Make"], kind: .text, source: "xmp:tiff:Make"),
        Check(field: .model, tags: ["XMP-tiff:Model"], kind: .text, source: "xmp:tiff:Model"),
        Check(field: .software, tags: ["XMP-xmp:CreatorTool"], kind: .text, source: "xmp:xmp:CreatorTool"),
        Check(field: .latitude, tags: ["XMP-exif:GPSLatitude"], kind: .number(1e-6), source: "xmp:exif:GPSLatitude"),
        Check(field: .longitude, tags: ["XMP-exif:GPSLongitude"], kind: .number(1e-6), source: "xmp:exif:GPSLongitude"),
    ]

    /// WAV and MP3: duration and tags.
    static let audioChecks: [Check] = [
        Check(field: .duration, tags: ["Composite:Duration"], kind: .number(1e-3)),
        Check(field: .title, tags: ["ID3v2_4:Title", "ID3v2_3:Title", "ID3v2_2:Title", "RIFF:Title"], kind: .text),
        Check(field: .artist, tags: ["ID3v2_4:Artist", "ID3v2_3:Artist", "ID3v2_2:Artist", "RIFF:Artist"], kind: .text),
        Check(field: .title, tags: ["ID3v1:Title"], kind: .text, source: "id3v1:title"),
        Check(field: .artist, tags: ["ID3v1:Artist"], kind: .text, source: "id3v1:artist"),
        Check(field: .software, tags: ["RIFF:Software"], kind: .text, source: "riff:INFO/ISFT"),
    ]

    /// PDF: the document information dictionary, and XMP when stored uncompressed.
    static let pdfChecks: [Check] = [
        Check(field: .createTime, tags: ["PDF:CreateDate"], kind: .exifTime, source: "pdf:Info/CreationDate"),
        Check(field: .modifyTime, tags: ["PDF:ModifyDate"], kind: .exifTime, source: "pdf:Info/ModDate"),
        Check(field: .software, tags: ["PDF:Producer"], kind: .text, source: "pdf:Info/Producer"),
        Check(field: .software, tags: ["PDF:Creator"], kind: .text, source: "pdf:Info/Creator"),
        Check(field: .title, tags: ["PDF:Title"], kind: .text, source: "pdf:Info/Title"),
        Check(field: .artist, tags: ["PDF:Author"], kind: .text, source: "pdf:Info/Author"),
    ] + xmpChecks

    static let movieChecks: [Check] = [
        Check(field: .createTime, tags: ["QuickTime:CreateDate"], kind: .containerTime),
        Check(field: .modifyTime, tags: ["QuickTime:ModifyDate"], kind: .containerTime),
        Check(field: .duration, tags: ["QuickTime:Duration"], kind: .number(1e-3)),
        Check(field: .captureTime, tags: ["Keys:CreationDate"], kind: .exifTime),
        Check(field: .latitude, tags: ["Composite:GPSLatitude"], kind: .number(1e-4)),
        Check(field: .longitude, tags: ["Composite:GPSLongitude"], kind: .number(1e-4)),
        Check(field: .make, tags: ["Keys:Make", "UserData:Make"], kind: .text),
        Check(field: .model, tags: ["Keys:Model", "UserData:Model"], kind: .text),
        Check(field: .software, tags: ["Keys:Software", "UserData:Software", "ItemList:Encoder"], kind: .text),
        Check(field: .title, tags: ["ItemList:Title"], kind: .text),
        Check(field: .artist, tags: ["ItemList:Artist"], kind: .text),
    ] + xmpChecks

    func testAgreesWithExiftoolOnRealCameraFiles() throws {
        let exiftool = try TestEnvironment.requireTool("exiftool")
        let folder = try TestEnvironment.requireConformance("exiftool-images")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        var records: [String: MetadataRecord] = [:]
        for name in names {
            let record = try MetadataReader.read(path: folder.appendingPathComponent(name).path, name: name)
            XCTAssertEqual(record.findings, [], "\(name): \(record.findings)")
            if ["jpeg", "tiff", "isobmff", "png", "wav", "mp3", "pdf"].contains(record.subject.format) { records[name] = record }
        }
        XCTAssertGreaterThan(records.count, 40, "most of the real files should be in formats Amana reads")

        let paths = records.keys.sorted().map { folder.appendingPathComponent($0).path }
        let result = try runTool(exiftool, ["-j", "-n", "-G1"] + paths)
        XCTAssertEqual(result.status, 0, "\(result)")
        let reports = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        var compared = 0
        var disagreements: [String] = []
        for report in reports {
            let name = URL(fileURLWithPath: report["SourceFile"] as? String ?? "").lastPathComponent
            guard let record = records[name] else { continue }
            let checks: [Check]
            switch record.subject.format {
            case "isobmff": checks = Self.movieChecks + movieTrackChecks(report)
            case "wav", "mp3": checks = Self.audioChecks
            case "pdf": checks = Self.pdfChecks
            default: checks = Self.imageChecks
            }
            for check in checks {
                guard let expected = check.tags.lazy.compactMap({ report[$0] }).first else { continue }
                let ours = check.source.map { source in record.all(check.field).first { $0.source == source } }
                    ?? record.first(check.field)
                compared += 1
                if agree(ours, expected, check.kind) { continue }
                let line = "\(name) \(check.field): exiftool \(check.tags) = \(expected), amana = \(ours.map { "\($0.normalised) (raw \($0.raw), \($0.source))" } ?? "nothing")"
                if Self.exceptions[name]?[check.field.rawValue] == nil { disagreements.append(line) }
            }
        }
        XCTAssertGreaterThan(compared, 150, "the comparison should cover many values")
        XCTAssertEqual(disagreements, [], disagreements.joined(separator: "\n"))
    }

    /// Track sizes and codecs: exiftool names them per track (`Track1:ImageWidth`, `Track2:AudioFormat`).
    private func movieTrackChecks(_ report: [String: Any]) -> [Check] {
        let tracks = report.keys.filter { $0.hasPrefix("Track") }.compactMap { Int($0.dropFirst(5).prefix { $0.isNumber }) }
        var checks: [Check] = []
        for track in Set(tracks).sorted() {
            if let width = report["Track\(track):ImageWidth"] as? Double, width > 0,
               !checks.contains(where: { $0.field == .width }) {
                checks.append(Check(field: .width, tags: ["Track\(track):ImageWidth"], kind: .number(0)))
                checks.append(Check(field: .height, tags: ["Track\(track):ImageHeight"], kind: .number(0)))
            }
        }
        return checks
    }

    private func agree(_ ours: MetadataValue?, _ expected: Any, _ kind: Check.Kind) -> Bool {
        let theirs = (expected as? String) ?? "\(expected)"
        guard let ours else { return theirs.trimmingCharacters(in: .whitespaces).isEmpty }
        switch kind {
        case .text:
            // exiftool's JSON prints text that looks like a number as a number ("1.00" becomes 1.0).
            if expected is NSNumber, let a = Double(ours.normalised), let b = Double(theirs) { return a == b }
            return ours.normalised == theirs.trimmingCharacters(in: .whitespaces)
        case .number(let tolerance):
            guard let a = Double(ours.normalised), let b = (expected as? NSNumber)?.doubleValue ?? Double(theirs) else { return false }
            return abs(a - b) <= max(tolerance, 1e-9)
        case .exifTime:
            // exiftool prints `YYYY:MM:DD HH:MM:SS[+HH:MM]`; Amana's raw EXIF form is the same text.
            return ours.raw.trimmingCharacters(in: .whitespaces) == theirs
                || Self.isoFromExif(theirs) == ours.normalised
        case .containerTime:
            if theirs == "0000:00:00 00:00:00" { return ours.raw == "0" }
            // exiftool adds "+00:00" where it knows the maker writes UTC (Canon CR3); Amana always spells UTC as Z.
            let utc = theirs.hasSuffix("+00:00") ? String(theirs.dropLast(6)) : theirs
            return Self.isoFromExif(utc) + "Z" == ours.normalised
        case .offsetTime:
            return ours.normalised == theirs
        case .xmpTime:
            // exiftool spells XMP dates EXIF-style (`2004:02:26`, `2005:07:18 14:30:45-04:00`); Amana's normalised
            // spelling has whole seconds (the fraction stays in the raw value).
            var iso = Self.isoFromExif(theirs).replacingOccurrences(of: "+00:00", with: "Z")
            if let dot = iso.firstIndex(of: "."), iso.distance(from: iso.startIndex, to: dot) == 19 {
                iso = String(iso[..<dot]) + iso[dot...].drop { $0 == "." || $0.isNumber }
            }
            if iso.count >= 10 { iso = String(iso.prefix(4)) + "-" + iso.dropFirst(5).prefix(2) + "-" + iso.dropFirst(8) }
            return ours.normalised == iso
        }
    }

    static func isoFromExif(_ text: String) -> String {
        var chars = Array(text)
        if chars.count >= 19 { chars[4] = "-"; chars[7] = "-"; chars[10] = "T" }
        return String(chars)
    }
}

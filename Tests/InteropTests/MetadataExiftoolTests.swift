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
    static let exceptions: [String: [String: String]] = [:]

    /// One comparison: Amana's field, exiftool's tag names (first present wins), and how to compare.
    struct Check {
        enum Kind { case text, number(Double), exifTime, containerTime, offsetTime }
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
    ]

    static let movieChecks: [Check] = [
        Check(field: .createTime, tags: ["QuickTime:CreateDate"], kind: .containerTime),
        Check(field: .modifyTime, tags: ["QuickTime:ModifyDate"], kind: .containerTime),
        Check(field: .duration, tags: ["QuickTime:Duration"], kind: .number(1e-3)),
        Check(field: .captureTime, tags: ["Keys:CreationDate"], kind: .exifTime),
        Check(field: .latitude, tags: ["Composite:GPSLatitude"], kind: .number(1e-4)),
        Check(field: .longitude, tags: ["Composite:GPSLongitude"], kind: .number(1e-4)),
        Check(field: .make, tags: ["Keys:Make", "UserData:Make"], kind: .text),
        Check(field: .model, tags: ["Keys:Model", "UserData:Model"], kind: .text),
        Check(field: .software, tags: ["Keys:Software", "UserData:Software"], kind: .text),
    ]

    func testAgreesWithExiftoolOnRealCameraFiles() throws {
        let exiftool = try TestEnvironment.requireTool("exiftool")
        let folder = try TestEnvironment.requireConformance("exiftool-images")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        var records: [String: MetadataRecord] = [:]
        for name in names {
            let record = try MetadataReader.read(path: folder.appendingPathComponent(name).path, name: name)
            XCTAssertEqual(record.findings, [], "\(name): \(record.findings)")
            if ["jpeg", "tiff", "isobmff", "png"].contains(record.subject.format) { records[name] = record }
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
            let checks = record.subject.format == "isobmff" ? Self.movieChecks + movieTrackChecks(report) : Self.imageChecks
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
        }
    }

    static func isoFromExif(_ text: String) -> String {
        var chars = Array(text)
        if chars.count >= 19 { chars[4] = "-"; chars[7] = "-"; chars[10] = "T" }
        return String(chars)
    }
}

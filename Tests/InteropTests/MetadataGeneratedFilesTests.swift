@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// Files written by the real tools with metadata Amana is told in advance: ffmpeg writes MP4 and 3GP (loci) and MOV (©xyz) with a
/// creation time and a location (checked against what was asked and against ffprobe), exiftool writes GPS and offsets
/// into a JPEG.
final class MetadataGeneratedFilesTests: XCTestCase {
    static let creation = "2024-05-01T10:20:30Z"
    static let location = "+48.8584+002.2945/"

    private func movie(_ name: String, format: [String] = []) throws -> (path: String, probe: [String: Any], folder: TemporaryFolder) {
        let ffmpeg = try TestEnvironment.requireTool("ffmpeg")
        let ffprobe = try TestEnvironment.requireTool("ffprobe")
        let folder = TemporaryFolder()
        let path = folder.file(name)
        let made = try runTool(ffmpeg, ["-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", "-t", "1",
                                        "-c:v", "mpeg4", "-metadata", "creation_time=\(Self.creation)",
                                        "-metadata", "location=\(Self.location)"] + format + [path])
        XCTAssertEqual(made.status, 0, "\(made)")
        let probed = try runTool(ffprobe, ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", path])
        XCTAssertEqual(probed.status, 0, "\(probed)")
        let probe = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(probed.stdout.utf8)) as? [String: Any])
        return (path, probe, folder)
    }

    private func checkAgainstRequestAndFFprobe(_ path: String, _ probe: [String: Any], locationSource: String) throws {
        let record = try MetadataReader.read(path: path)
        XCTAssertEqual(record.findings, [])
        // What was asked for.
        let created = try XCTUnwrap(record.first(.createTime))
        XCTAssertEqual(created.normalised, Self.creation)
        XCTAssertEqual(created.timeZone, .containerUTC)
        let latitude = try XCTUnwrap(record.all(.latitude).first { $0.source == locationSource }, "\(record.values)")
        let longitude = try XCTUnwrap(record.all(.longitude).first { $0.source == locationSource })
        XCTAssertEqual(Double(latitude.normalised) ?? 0, 48.8584, accuracy: 1e-4)
        XCTAssertEqual(Double(longitude.normalised) ?? 0, 2.2945, accuracy: 1e-4)
        // What ffprobe reads.
        let format = try XCTUnwrap(probe["format"] as? [String: Any])
        let tags = format["tags"] as? [String: String] ?? [:]
        XCTAssertEqual(tags["creation_time"].map { String($0.prefix(19)) + "Z" }, created.normalised)
        let stream = try XCTUnwrap((probe["streams"] as? [[String: Any]])?.first)
        XCTAssertEqual(record.first(.width)?.normalised, "\(stream["width"] ?? "")")
        XCTAssertEqual(record.first(.height)?.normalised, "\(stream["height"] ?? "")")
        XCTAssertEqual(record.first(.codec)?.normalised, stream["codec_tag_string"] as? String)
        let duration = Double(format["duration"] as? String ?? "") ?? -1
        XCTAssertEqual(Double(record.first(.duration)?.normalised ?? "") ?? 0, duration, accuracy: 0.05)
    }

    func testFFmpegMP4() throws {
        let made = try movie("clip.mp4")
        XCTAssertEqual(((made.probe["format"] as? [String: Any])?["tags"] as? [String: String])?["location"], Self.location)
        // ffmpeg's mp4 muxer writes the location as a 3GPP loci box; its mov muxer as a QuickTime ©xyz atom.
        try checkAgainstRequestAndFFprobe(made.path, made.probe, locationSource: "mp4:udta/loci")
    }

    func testFFmpegMOV() throws {
        let made = try movie("clip.mov")
        try checkAgainstRequestAndFFprobe(made.path, made.probe, locationSource: "quicktime:udta/\u{A9}xyz")
    }

    func testFFmpeg3GPWritesLoci() throws {
        let made = try movie("clip.3gp", format: ["-f", "3gp"])
        try checkAgainstRequestAndFFprobe(made.path, made.probe, locationSource: "mp4:udta/loci")
    }

    func testExiftoolWrittenGPSAndOffsetsReadBack() throws {
        let ffmpeg = try TestEnvironment.requireTool("ffmpeg")
        let exiftool = try TestEnvironment.requireTool("exiftool")
        let folder = TemporaryFolder()
        let path = folder.file("photo.jpg")
        XCTAssertEqual(try runTool(ffmpeg, ["-v", "error", "-f", "lavfi", "-i", "color=c=red:s=64x48", "-frames:v", "1",
                                            path]).status, 0)
        let wrote = try runTool(exiftool, ["-q", "-overwrite_original", "-Make=Amana", "-Model=Test rig",
                                           "-DateTimeOriginal=2024:05:01 10:20:30", "-OffsetTimeOriginal=-04:00",
                                           "-SubSecTimeOriginal=250", "-GPSLatitude=33.5", "-GPSLatitudeRef=S",
                                           "-GPSLongitude=70.25", "-GPSLongitudeRef=W", "-GPSAltitude=12.5",
                                           "-GPSAltitudeRef#=1", "-GPSDateStamp=2024:05:01", "-GPSTimeStamp=14:20:30",
                                           "-LensModel=Wide 26mm", "-ImageUniqueID=ABC123", "-Orientation#=8", path])
        XCTAssertEqual(wrote.status, 0, "\(wrote)")
        let record = try MetadataReader.read(path: path)
        XCTAssertEqual(record.findings, [])
        XCTAssertEqual(record.first(.captureTime)?.normalised, "2024-05-01T10:20:30-04:00")
        XCTAssertEqual(record.first(.captureTime)?.timeZone, .given)
        XCTAssertEqual(record.first(.offsetTime)?.normalised, "-04:00")
        XCTAssertEqual(record.first(.subSecond)?.normalised, "250")
        XCTAssertEqual(record.first(.latitude)?.normalised, "-33.5")
        XCTAssertEqual(record.first(.longitude)?.normalised, "-70.25")
        XCTAssertEqual(record.first(.altitude)?.normalised, "-12.5")
        XCTAssertEqual(record.first(.gpsTime)?.normalised, "2024-05-01T14:20:30Z")
        XCTAssertEqual(record.first(.make)?.normalised, "Amana")
        XCTAssertEqual(record.first(.model)?.normalised, "Test rig")
        XCTAssertEqual(record.first(.lensModel)?.normalised, "Wide 26mm")
        XCTAssertEqual(record.first(.imageUniqueID)?.normalised, "ABC123")
        XCTAssertEqual(record.first(.orientation)?.normalised, "8")
        XCTAssertEqual(record.first(.width)?.normalised, "64")
        // The capture and the GPS fix are the same instant, so nothing is flagged.
        XCTAssertEqual(record.observations, [], "\(record.observations)")
    }

    /// HEIF: ffmpeg writes an AVIF still (the HEIF item structure HEIC shares), exiftool adds an Exif item, and Amana
    /// finds it through meta/iinf/iloc, against what was asked and what exiftool reads back.
    func testExiftoolWrittenExifItemInAHEIFFileReadBack() throws {
        let ffmpeg = try TestEnvironment.requireTool("ffmpeg")
        let exiftool = try TestEnvironment.requireTool("exiftool")
        let folder = TemporaryFolder()
        let path = folder.file("still.avif")
        let made = try runTool(ffmpeg, ["-v", "error", "-f", "lavfi", "-i", "color=c=red:s=64x48", "-frames:v", "1", path])
        XCTAssertEqual(made.status, 0, "\(made)")
        let wrote = try runTool(exiftool, ["-q", "-overwrite_original", "-Make=Amana", "-Model=HEIF rig",
                                           "-DateTimeOriginal=2024:05:01 10:20:30", "-OffsetTimeOriginal=+02:00",
                                           "-GPSLatitude=36.5", "-GPSLatitudeRef=N", "-GPSLongitude=115.25",
                                           "-GPSLongitudeRef=W", path])
        XCTAssertEqual(wrote.status, 0, "\(wrote)")
        let record = try MetadataReader.read(path: path)
        XCTAssertEqual(record.subject.format, "isobmff")
        XCTAssertEqual(record.findings, [])
        XCTAssertEqual(record.first(.make)?.normalised, "Amana")
        XCTAssertEqual(record.first(.model)?.normalised, "HEIF rig")
        XCTAssertEqual(record.first(.captureTime)?.normalised, "2024-05-01T10:20:30+02:00")
        XCTAssertEqual(record.first(.latitude)?.normalised, "36.5")
        XCTAssertEqual(record.first(.longitude)?.normalised, "-115.25")
        let read = try runTool(exiftool, ["-j", "-n", "-IFD0:Make", "-ExifIFD:DateTimeOriginal", path])
        let report = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [[String: Any]])?.first)
        XCTAssertEqual(report["Make"] as? String, record.first(.make)?.raw)
        XCTAssertEqual(report["DateTimeOriginal"] as? String, record.first(.captureTime)?.raw)
    }
}

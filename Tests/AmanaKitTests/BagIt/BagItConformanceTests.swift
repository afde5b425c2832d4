import XCTest

@testable import AmanaKit

/// Runs every case of the Library of Congress BagIt conformance suite through ``FolderReader`` and
/// ``BagChecker``, the way `amana verify` would.
///
/// `valid/` cases must have no failed finding; `invalid/`, `linux-only/` and `windows-only/` cases at least one
/// (and, where listed in ``intendedFailures``, the failure the case was written for, so that a case cannot pass for
/// an accidental reason); `warning/` cases no failed finding and at least one warning.
final class BagItConformanceTests: XCTestCase {
    /// The failure each invalid case exists to show.
    static let intendedFailures: [String: String] = [
        "v0.97/invalid/baginfo-missing-encoding": BagItCode.declarationInvalid.rawValue,
        "v0.97/invalid/bom-in-bagit.txt": BagItCode.declarationInvalid.rawValue,
        "v0.97/invalid/corrupt-data-file": PayloadCode.digestMismatch.rawValue,
        "v0.97/invalid/corrupt-tag-file": TagManifestCode.digestMismatch.rawValue,
        "v0.97/invalid/extra-file-in-bag": PayloadCode.fileUnlisted.rawValue,
        "v0.97/invalid/invalid-version-number": BagItCode.declarationInvalid.rawValue,
        "v0.97/invalid/missing-baginfo": TagManifestCode.fileMissing.rawValue,
        "v0.97/invalid/missing-bagit.txt": BagItCode.declarationMissing.rawValue,
        "v0.97/invalid/out-of-scope-file-paths-using-dot-notation": ManifestCode.pathInvalid.rawValue,
        "v0.97/invalid/out-of-scope-file-paths-using-dot-notation-for-fetch": FetchCode.pathInvalid.rawValue,
        "v0.97/invalid/same-filename-listed-twice-with-different-hashes": ManifestCode.entryDuplicate.rawValue,
        "v0.97/linux-only/out-of-scope-file-paths-using-absolute-path": ManifestCode.pathInvalid.rawValue,
        "v0.97/linux-only/out-of-scope-file-paths-using-absolute-path-for-fetch": FetchCode.pathInvalid.rawValue,
        "v0.97/linux-only/out-of-scope-file-paths-using-shortcut": ManifestCode.pathInvalid.rawValue,
        "v0.97/linux-only/out-of-scope-file-paths-using-shortcut-for-fetch": FetchCode.pathInvalid.rawValue,
        "v0.97/linux-only/out-of-scope-file-paths-using-shortcut-username": ManifestCode.pathInvalid.rawValue,
        "v0.97/linux-only/out-of-scope-file-paths-using-shortcut-username-for-fetch": FetchCode.pathInvalid.rawValue,
        "v0.97/windows-only/out-of-scope-file-paths-using-absolute-path": ManifestCode.pathInvalid.rawValue,
        "v0.97/windows-only/out-of-scope-file-paths-using-absolute-path-for-fetch": FetchCode.pathInvalid.rawValue,
        "v0.97/windows-only/out-of-scope-file-paths-using-shortcut": ManifestCode.pathInvalid.rawValue,
        "v0.97/windows-only/out-of-scope-file-paths-using-shortcut-for-fetch": FetchCode.pathInvalid.rawValue,
        "v0.97/windows-only/out-of-scope-file-paths-using-unc": ManifestCode.pathInvalid.rawValue,
        "v0.97/windows-only/out-of-scope-file-paths-using-unc-for-fetch": FetchCode.pathInvalid.rawValue,
        "v1.0/invalid/bagit-with-invalid-whitespace": BagItCode.declarationInvalid.rawValue,
        "v1.0/invalid/notAllManifestsListAllFiles": PayloadCode.fileUnlisted.rawValue,
        "v1.0/invalid/same-filename-listed-twice-with-different-hashes": ManifestCode.entryDuplicate.rawValue,
        "v1.0/invalid/same-filename-listed-twice-with-the-same-hash": ManifestCode.entryDuplicate.rawValue,
    ]

    /// The warning each warning case exists to show.
    static let intendedWarnings: [String: String] = [
        "v0.97/warning/duplicate-file-with-different-case": ManifestCode.pathVariant.rawValue,
        "v0.97/warning/made-with-md5sum-tools": ManifestCode.pathMarker.rawValue,
        "v0.97/warning/relative-path": ManifestCode.pathRelative.rawValue,
        "v0.97/warning/same-filename-listed-twice-with-different-normalization": ManifestCode.pathVariant.rawValue,
        "v0.97/warning/same-filename-listed-twice-with-the-same-hash": ManifestCode.entryDuplicate.rawValue,
        "v0.97/warning/special-system-files": PayloadCode.fileSystem.rawValue,
    ]

    /// Cases whose copy here lacks a file the case was made with, so that the bag really is incomplete. While the
    /// file is absent the case must fail with exactly these codes (Amana does not excuse a missing listed file,
    /// whatever its name); once the copy is repaired the normal expectation for its category applies again.
    ///
    /// `special-system-files` lists `data/.DS_Store` in `manifest-sha512.txt` and counts it in `Payload-Oxum: 0.2`,
    /// but the copy holds only `data/Thumbs.db` (a copy tool or ignore rule dropped the `.DS_Store`). bagit-python
    /// 1.9.0 rejects this copy too ("Payload-Oxum validation failed").
    static let incompleteCopies: [String: (absent: String, failures: Set<String>)] = [
        "v0.97/warning/special-system-files": (
            absent: "data/.DS_Store", failures: [PayloadCode.fileMissing.rawValue, BagItCode.infoOxumMismatch.rawValue]
        )
    ]

    func testEveryCase() throws {
        let root = BagItTestSupport.conformanceRoot
        guard POSIX.lstat(root) != nil else {
            throw XCTSkip("the BagIt conformance suite is not at \(root); it is outside the project and only some checkouts have it")
        }
        var seen = 0
        for version in try children(of: root) where version.hasPrefix("v") {
            for category in try children(of: root + "/" + version) where POSIX.lstat(root + "/" + version + "/" + category).map(POSIX.isDirectory) == true {
                for name in try children(of: "\(root)/\(version)/\(category)") where name != "Makefile" {
                    let id = "\(version)/\(category)/\(name)"
                    try check(case: id, at: "\(root)/\(id)", category: category)
                    seen += 1
                }
            }
        }
        XCTAssertGreaterThan(seen, 50, "the suite seems incomplete: only \(seen) cases")
    }

    private func check(case id: String, at path: String, category: String) throws {
        let inventory = try FolderReader.read(path)
        let findings = inventory.findings + BagChecker.check(inventory).findings
        let failed = findings.filter { $0.status == .failed }
        let warnings = findings.filter { $0.status == .warning }
        let summary = findings.filter { $0.status != .passed }.map { "\($0.code) \($0.subject ?? "-"): \($0.message)" }
            .joined(separator: "\n  ")
        if let copy = BagItConformanceTests.incompleteCopies[id], POSIX.lstat(path + "/" + copy.absent) == nil {
            XCTAssertEqual(Set(failed.map(\.code)), copy.failures, "\(id) lacks \(copy.absent) here and should fail for that alone:\n  \(summary)")
            if let intended = BagItConformanceTests.intendedWarnings[id] {
                XCTAssertTrue(warnings.contains { $0.code == intended }, "\(id) should warn with \(intended):\n  \(summary)")
            }
            return
        }
        switch category {
        case "valid":
            XCTAssertTrue(failed.isEmpty, "\(id) is valid but failed:\n  \(summary)")
        case "invalid", "linux-only", "windows-only":
            XCTAssertFalse(failed.isEmpty, "\(id) is invalid but nothing failed:\n  \(summary)")
            if let intended = BagItConformanceTests.intendedFailures[id] {
                XCTAssertTrue(failed.contains { $0.code == intended }, "\(id) should fail with \(intended):\n  \(summary)")
            }
        case "warning":
            XCTAssertTrue(failed.isEmpty, "\(id) should pass with a warning but failed:\n  \(summary)")
            XCTAssertFalse(warnings.isEmpty, "\(id) should warn but did not")
            if let intended = BagItConformanceTests.intendedWarnings[id] {
                XCTAssertTrue(warnings.contains { $0.code == intended }, "\(id) should warn with \(intended):\n  \(summary)")
            }
        default:
            XCTFail("\(id): unknown category \(category)")
        }
    }

    private func children(of folder: String) throws -> [String] {
        guard let dir = opendir(folder) else { throw AmanaError(.inputUnreadable, "cannot list \(folder)") }
        defer { closedir(dir) }
        var names = [String]()
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}

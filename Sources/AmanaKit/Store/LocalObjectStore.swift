import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The objects and derived records of a store kept in its own folder: `objects/sha256/ab/cd/<hex>` (0400) and
/// `records/sha256/ab/cd/<hex>` (spec/store.md, "Layout").
///
/// A copy goes to `tmp/` while it is hashed, journalled per chunk so an interrupted one resumes (``ObjectCopier``),
/// is fsynced, read back after its pages are dropped from the cache, and only then renamed into place without
/// replacing anything. There are no versions here (``StoredObjectRef/versionID`` is nil) and no retention the folder
/// could enforce.
final class LocalObjectStore: ObjectStore {
    let layout: StoreLayout
    /// One read buffer for every copy and hash of a command: memory stays flat whatever the number of files.
    private let copier: ObjectCopier

    init(layout: StoreLayout) {
        self.layout = layout
        self.copier = ObjectCopier(layout: layout)
    }

    func digests(of source: ReadOnlyFile, display: String) throws -> (sha256: String, sha512: String) {
        try copier.hashOnly(source, display: display)
    }

    func put(_ source: ReadOnlyFile, attempt: String, display: String,
             alreadyStored: (String) throws -> Bool) throws -> ObjectPutOutcome {
        let copy: ObjectCopier.Copy
        do { copy = try copier.copy(source, identity: attempt, display: display) } catch let error as AmanaError
            where error.code == .sourceChanged {
            // Nothing of a changing file is kept: a re-run must not resume bytes of a version that never existed.
            discardAttempt(attempt)
            throw error
        }
        if try alreadyStored(copy.sha256) {
            unlink(copy.partialPath)
            unlink(copy.journalPath)
            return .alreadyStored(sha256: copy.sha256, sha512: copy.sha512, size: copy.size)
        }
        try place(copy)
        return .stored(StoredObjectRef(sha256: copy.sha256, sha512: copy.sha512, size: copy.size))
    }

    /// Renames a proven copy into `objects/` read-only. An object already under that name that the catalog does not
    /// know (left by a crash before its event was appended) is kept when it hashes right, and replaced when not.
    private func place(_ copy: ObjectCopier.Copy) throws {
        let final = layout.objectPath(sha256: copy.sha256)
        let inner = POSIX.parentDirectory(of: final)
        let outer = POSIX.parentDirectory(of: inner)
        for folder in [outer, inner] where mkdir(folder, 0o700) != 0 && errno != EEXIST {
            throw AmanaError(.outputFailed, "cannot create a folder in the store: \(POSIX.errorText())")
        }
        guard chmod(copy.partialPath, 0o400) == 0 else {
            throw AmanaError(.outputFailed, "cannot make a stored object read-only: \(POSIX.errorText())")
        }
        if POSIX.renameNoReplace(copy.partialPath, final) != 0 {
            guard errno == EEXIST else {
                throw AmanaError(.outputFailed, "cannot move a verified copy into the store: \(POSIX.errorText())")
            }
            let present = try? ObjectCopier.digests(ofStored: final, dropCache: true)
            if present?.sha256 == copy.sha256 && present?.sha512 == copy.sha512 {
                unlink(copy.partialPath)
            } else if rename(copy.partialPath, final) != 0 {
                throw AmanaError(.outputFailed, "cannot replace a damaged unindexed object: \(POSIX.errorText())")
            }
        }
        POSIX.fsyncDirectory(containing: final)
        POSIX.fsyncDirectory(containing: inner)
        unlink(copy.journalPath)
    }

    func discardAttempt(_ attempt: String) {
        unlink(layout.partialPath(attempt))
        unlink(layout.journalPath(attempt))
    }

    func exists(_ ref: StoredObjectRef) -> Bool {
        POSIX.exists(layout.objectPath(sha256: ref.sha256))
    }

    func storedSize(_ ref: StoredObjectRef) -> UInt64? {
        var object = stat()
        guard lstat(layout.objectPath(sha256: ref.sha256), &object) == 0, (object.st_mode & S_IFMT) == S_IFREG
        else { return nil }
        return UInt64(object.st_size)
    }

    func read(_ ref: StoredObjectRef, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let path = layout.objectPath(sha256: ref.sha256)
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw AmanaError(.inputUnreadable, "cannot read \(path): \(POSIX.errorText())") }
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: ObjectCopier.readSize, alignment: 4096)
        defer { buffer.deallocate() }
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, ObjectCopier.readSize)
            if n < 0 {
                if errno == EINTR { continue }
                throw AmanaError(.inputUnreadable, "cannot read \(path): \(POSIX.errorText())")
            }
            if n == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
    }

    func rehash(_ ref: StoredObjectRef) throws -> (sha256: String, sha512: String, size: UInt64) {
        try ObjectCopier.digests(ofStored: layout.objectPath(sha256: ref.sha256), dropCache: true)
    }

    func localPath(_ ref: StoredObjectRef) -> String? {
        layout.objectPath(sha256: ref.sha256)
    }

    func putRecord(_ bytes: [UInt8], sha256: String) throws {
        try DerivedRecordWriter.place(bytes, sha256: sha256, layout: layout)
    }

    func recordExists(sha256: String) -> Bool {
        POSIX.exists(layout.recordPath(sha256: sha256))
    }

    func record(sha256: String) -> [UInt8]? {
        DerivedRecordWriter.verifiedBytes(sha256: sha256, layout: layout)
    }

    /// Walks `objects/sha256/ab/cd/`: every regular file whose name is 64 lowercase hex digits under the two
    /// folders its own first digits name. Anything else there is not an object and is not reported as one.
    func forEachObject(_ body: (String) throws -> Void) throws {
        let manager = FileManager.default
        func names(_ folder: String) -> [String] { ((try? manager.contentsOfDirectory(atPath: folder)) ?? []).sorted() }
        for outer in names(layout.objectsFolder) where outer.utf8.count == 2 {
            for inner in names(layout.objectsFolder + "/" + outer) where inner.utf8.count == 2 {
                for name in names(layout.objectsFolder + "/" + outer + "/" + inner)
                where LocalObjectStore.isHex64(name) && name.hasPrefix(outer + inner) {
                    guard let info = POSIX.lstat(layout.objectPath(sha256: name)), POSIX.isRegular(info) else { continue }
                    try body(name)
                }
            }
        }
    }

    func retention(_ ref: StoredObjectRef) throws -> ObjectRetention { .notApplicable }

    /// A folder keeps one file per name: nothing else can lie under it.
    func foreignVersions(of ref: StoredObjectRef) throws -> [ForeignVersion] { [] }

    static func isHex64(_ name: String) -> Bool {
        name.utf8.count == 64 && name.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

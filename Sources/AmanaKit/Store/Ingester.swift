import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `amana ingest`: copies source files into the store, proves each copy from the disk, and records every acquisition
/// in the signed ledger and the catalog.
///
/// Per file, in this order, so that a crash at any point leaves a store that is valid and a re-run that finishes the
/// job (spec/store.md, "Crash guarantees"):
/// 1. store the object (``ObjectStore/put(_:attempt:display:alreadyStored:)``): locally, copy into `tmp/` while
///    hashing, journalled per chunk (``ObjectCopier``); fsync; read back from the disk;
/// 2. place it under its name, read-only (never replacing an indexed object);
/// 3. for new content, derive its capture metadata record from the stored object and keep it under `records/`;
/// 4. append the signed `ingested` (or `duplicate`) event to the ledger (fdatasync), naming the record;
/// 5. index the event in the catalog (the ledger back end does, right after the append).
/// A crash before 4 leaves at most an unindexed object, an unnamed record or a partial copy, which the re-run adopts,
/// ignores or resumes; a crash between 4 and 5 is repaired by the catalog's catch-up when the store is next opened for writing.
/// The Ingester talks only to the store's protocols (``ObjectStore``, ``StoreLedgerBackend``, ``Catalog``); the ledger
/// numbers each event from its own head, so the Ingester never assumes what number an event will get.
/// A source unchanged since this store acquired it skips 1 and 2 (the re-run shortcut) and its event is batched.
/// On a back end that offers upload claims (an organisation store, where several stations ingest at once), step 1
/// claims the content's SHA-256 once its digests are known (``claimUpload(_:claims:catalog:found:)``): only the
/// claim's winner places the object, and it releases the claim once its event is appended.
package struct Ingester {
    let store: EvidenceStore
    let request: IngestRequest

    package init(store: EvidenceStore, request: IngestRequest) {
        self.store = store
        self.request = request
    }

    /// The files an ingest will read, listed before anything is read, and their total size (for progress).
    package struct Plan {
        let entries: [SourceWalker.Entry]
        package let totalBytes: UInt64
        package let fileCount: Int
    }

    package func plan() -> Plan {
        let entries = request.sources.flatMap(SourceWalker.entries(for:))
        var total: UInt64 = 0, files = 0
        for case .file(_, _, let size) in entries {
            total += size
            files += 1
        }
        return Plan(entries: entries, totalBytes: total, fileCount: files)
    }

    /// Ingests everything. Per-file problems become skipped results; a store-wide failure (a full disk) stops the run
    /// and is thrown, after the ledger has been checkpointed over what was recorded up to then.
    package func run(_ plan: Plan) throws -> IngestResult {
        let ledger = try store.ledger()
        // Under the store lock no other ingest is writing in tmp/: what a killed one left there and cannot be
        // resumed goes now, before this run writes its own (spec/store.md, "Crash guarantees").
        store.sweepTemporaryFiles()
        let volumes = SourceVolume.Lookup()
        var result = IngestResult(caseID: request.caseID)
        var shortcuts = ShortcutBatch()
        do {
            for entry in plan.entries {
                switch entry {
                case .skipped(let display, let code, let reason):
                    result.files.append(IngestFileResult(path: display, outcome: .skipped, code: code, reason: reason))
                case .file(let path, let relative, _):
                    result.files.append(try ingest(path: path, relative: relative, ledger: ledger, volumes: volumes,
                                                   shortcuts: &shortcuts))
                    if shortcuts.records.count >= ShortcutBatch.limit { try flush(&shortcuts, ledger: ledger) }
                }
            }
            try flush(&shortcuts, ledger: ledger)
        } catch {
            try? flush(&shortcuts, ledger: ledger)
            if shortcuts.appendedAny { _ = try? ledger.checkpoint(key: request.key, time: Date()) }
            throw error
        }
        result.checkpoint = try ledger.checkpoint(key: request.key, time: Date())
        return result
    }

    /// The re-run shortcut's duplicates not yet in the ledger. They copied nothing, so losing them in a crash loses
    /// only records that the re-run writes again; they are appended together, with one `fdatasync` and one catalog
    /// transaction per batch, which is what makes a re-run cheap (spec/store.md, "Re-run shortcut").
    struct ShortcutBatch {
        static let limit = 1000
        var records = [AcquisitionRecord]()
        /// Whether this run appended any event (so a failed run still checkpoints what it recorded).
        var appendedAny = false
    }

    /// Appends the pending shortcut duplicates to the ledger, in the order they were found (the ledger back end
    /// indexes them in the catalog).
    private func flush(_ batch: inout ShortcutBatch, ledger: StoreLedgerBackend) throws {
        guard !batch.records.isEmpty else { return }
        let pending = batch.records.map {
            StoreLedger.Pending(action: $0.action, items: [$0.ledgerItem], details: $0.ledgerDetails)
        }
        batch.records = []
        try ledger.append(pending, key: request.key, role: request.role, time: Date(), beforeCommit: { _ in })
        batch.appendedAny = true
    }

    private func ingest(path: String, relative: String, ledger: StoreLedgerBackend, volumes: SourceVolume.Lookup,
                        shortcuts: inout ShortcutBatch) throws -> IngestFileResult {
        func skipped(_ code: String, _ reason: String) -> IngestFileResult {
            IngestFileResult(path: path, outcome: .skipped, code: code, reason: reason)
        }
        let source: ReadOnlyFile
        do { source = try ReadOnlyFile(path: path) } catch let error as AmanaError {
            // Between the listing and the open, the file may have become something else.
            if error.reason.contains("symbolic link") { return skipped(IngestCode.symlink, "a symbolic link, not followed") }
            if error.code == .inputInvalid { return skipped(IngestCode.special, "not a regular file") }
            return skipped(IngestCode.unreadable, "cannot read it: \(Ingester.cause(error.reason))")
        }
        let info = source.info
        let volume = volumes.volume(device: UInt64(info.st_dev))
        let sourceRecord = SourceRecord(path: relative, size: source.size, mtime: Ingester.time(info.st_mtim),
                                        ctime: Ingester.time(info.st_ctim), fileSystemType: volume.fileSystemType,
                                        volumeUUID: volume.uuid, volumeLabel: volume.label,
                                        deviceModel: volume.deviceModel, deviceSerial: volume.serial,
                                        deviceNumber: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        var sha256 = "", sha512 = ""
        var outcome = AcquisitionRecord.Outcome.new
        var existing: StoredItem?
        var recognisedByIdentity = false
        var firstAcquired: AcquisitionRecord?
        var metadataRecord: String?
        var versionID: String?
        // The event's time, which a derived record takes as its acquisition time (set when the record is derived).
        var eventTime: Date?
        // The content this station claimed and uploads (org mode): released when this returns, so after its event is
        // committed, or as soon as this file fails, when another station may then take it over at once rather than
        // wait for it to go stale (if the release itself fails, the claim goes stale: the server has the last word).
        var claimed: String?
        defer {
            if let claimed, let claims = try? store.uploadClaims() { try? claims.release(sha256: claimed) }
        }
        if !request.rehash, let match = try sameFileAlreadyStored(sourceRecord) {
            outcome = .duplicate
            sha256 = match.known.sha256
            sha512 = match.known.sha512
            firstAcquired = match.first
            recognisedByIdentity = true
        } else {
            // Only a file that is read needs the name of its partial copy (a re-run's shortcut never does).
            let identity = Ingester.identity(info: info, relative: relative)
            let objects = store.objects
            let claims = try store.uploadClaims()
            do {
                // A stored object of the same size: hash first, so that a duplicate is never written to the store again.
                if try store.catalog.hasItem(size: source.size) {
                    (sha256, sha512) = try objects.digests(of: source, display: path)
                    existing = try store.catalog.item(sha256: sha256)
                }
                if let existing {
                    outcome = .duplicate
                    sha256 = existing.sha256
                    sha512 = existing.sha512
                } else {
                    let put = try objects.put(source, attempt: identity, display: path) { sha256 in
                        existing = try store.catalog.item(sha256: sha256)
                        if existing != nil { return true }
                        guard let claims else { return false }
                        // Another station may be uploading the same content right now: the claim decides.
                        if try Ingester.claimUpload(sha256, claims: claims, catalog: store.catalog, found: &existing) {
                            return true
                        }
                        claimed = sha256
                        claims.beginHeartbeat(sha256: sha256)
                        return false
                    }
                    switch put {
                    case .alreadyStored(let hash256, let hash512, _):
                        outcome = .duplicate
                        sha256 = hash256
                        sha512 = hash512
                    case .stored(let ref):
                        sha256 = ref.sha256
                        sha512 = ref.sha512
                        versionID = ref.versionID
                        if request.metadata {
                            let now = Date()
                            eventTime = now
                            // Read from the stored bytes where the back end keeps them here; otherwise from the
                            // source, which the read-back has just proven to hold the same bytes.
                            metadataRecord = try DerivedRecordWriter.writeMetadata(
                                object: objects.localPath(ref) ?? source.path, size: ref.size,
                                modified: info.st_mtim, name: relative, time: now, into: objects)
                        }
                    }
                }
                firstAcquired = existing?.first
            } catch let error as AmanaError where error.code == .sourceChanged {
                objects.discardAttempt(identity)
                return skipped(IngestCode.changed, "it changed while it was copied; nothing of it was stored")
            } catch let error as AmanaError where error.code == .inputUnreadable {
                return skipped(IngestCode.unreadable, "cannot read it: \(Ingester.cause(error.reason))")
            }
        }
        // Numbered by the ledger when appended (from its own head), never here.
        var record = AcquisitionRecord(
            seq: 0, sha256: sha256, sha512: sha512, caseID: request.caseID, time: "",
            collector: request.collector, keyID: request.key.keyID.description, device: request.device,
            location: request.location, sourceURL: request.sourceURL, note: request.note, outcome: outcome,
            source: sourceRecord)
        record.recognisedByIdentity = recognisedByIdentity
        record.metadataRecord = metadataRecord
        record.versionID = versionID
        if recognisedByIdentity {
            shortcuts.records.append(record)
            // Counted as read and proven, as a copy would have been, so progress reaches its total.
            ByteProgress.add(Int(clamping: source.size * 2))
            return IngestFileResult(path: path, outcome: .duplicate, sha256: sha256, size: source.size,
                                    firstAcquired: firstAcquired.map(FirstAcquisition.init))
        }
        // The ledger stays in the order files were found: earlier shortcut duplicates go first.
        try flush(&shortcuts, ledger: ledger)
        try ledger.append([StoreLedger.Pending(action: record.action, items: [record.ledgerItem],
                                               details: record.ledgerDetails)],
                          key: request.key, role: request.role, time: eventTime ?? Date(), beforeCommit: { _ in })
        shortcuts.appendedAny = true
        return IngestFileResult(path: path, outcome: outcome == .new ? .new : .duplicate, sha256: sha256,
                                size: source.size, firstAcquired: firstAcquired.map(FirstAcquisition.init))
    }

    /// Claims `sha256` for this station before anything is uploaded (spec/store.md, "Claims"): false when this
    /// station won and uploads; true when the content is recorded (`found` is its item: the acquisition is a
    /// duplicate). While another station holds the claim, waits (polling with a backoff up to 1 s) until that station
    /// records the object, releases the claim (claimed again), or stops refreshing it for ``StoreUploadClaims/staleAfter``
    /// seconds (taken over, as a station killed mid-upload leaves it).
    static func claimUpload(_ sha256: String, claims: StoreUploadClaims, catalog: Catalog,
                            found: inout StoredItem?) throws -> Bool {
        var delay = 0.02
        while true {
            switch try claims.claim(sha256: sha256) {
            case .won:
                return false
            case .stored:
                found = try catalog.item(sha256: sha256)
                guard found != nil else {
                    throw AmanaError(.internalFailure, "the catalog lost an object while it was claimed: \(sha256)")
                }
                return true
            case .lost:
                Thread.sleep(forTimeInterval: delay)
                delay = min(delay * 2, 1)
                found = try catalog.item(sha256: sha256)
                if found != nil { return true }
                if try claims.takeOverIfStale(sha256: sha256) { return false }
            }
        }
    }

    /// The re-run shortcut (spec/store.md, "Re-run shortcut"): an earlier acquisition in this store of a source with
    /// the very same identity, whose object is still in place at its size. The kernel sets ctime on every change to
    /// a file, and no user call can set it back, so an unchanged identity means unchanged bytes without reading them.
    private func sameFileAlreadyStored(_ source: SourceRecord) throws -> (known: AcquisitionRecord, first: AcquisitionRecord)? {
        guard let match = try store.catalog.acquisition(sameFileAs: source) else { return nil }
        // The object as its first acquisition stored it (the version it wrote, on a back end that keeps versions).
        let ref = StoredObjectRef(sha256: match.known.sha256, sha512: match.known.sha512, size: source.size,
                                  versionID: match.first.versionID)
        guard store.objects.storedSize(ref) == source.size else { return nil }
        return match
    }

    /// Names a partial copy after the source's identity, so a re-run finds the copy it interrupted, and only that.
    static func identity(info: stat, relative: String) -> String {
        let text = "\(info.st_dev) \(info.st_ino) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) " +
            "\(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec) \(relative)"
        return MultiDigest.digests(of: Array(text.utf8), [.sha256])[.sha256]!.hex
    }

    /// A file time as UTC with nanoseconds: `2026-12-06T07:45:06.123456789Z`.
    static func time(_ value: timespec) -> String {
        let seconds = UTCTime.format(Date(timeIntervalSince1970: TimeInterval(value.tv_sec)))
        // By hand, not String(format:): this runs for two times of every source, and a re-run is mostly this.
        let digits = String(value.tv_nsec)
        return String(seconds.dropLast()) + "." + String(repeating: "0", count: max(0, 9 - digits.count)) + digits + "Z"
    }

    /// The part of an error reason after the path, so a skipped file's reason does not repeat its path.
    static func cause(_ reason: String) -> String {
        guard let colon = reason.range(of: ": ", options: .backwards) else { return reason }
        return String(reason[colon.upperBound...])
    }
}

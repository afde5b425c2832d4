import Foundation
import Glibc
import NIOCore

extension S3Client {
    /// Uploads a stream of unknown length: reads it in parts, hashes the whole stream with SHA-256 and SHA-512 as it
    /// goes, and sends each part with its Content-MD5 while the next part is being read, with up to
    /// ``partsInFlight`` parts on the wire at once.
    ///
    /// Memory stays flat: at most ``partsInFlight`` + 1 parts are held at once, those being sent and the one being
    /// read. A stream
    /// shorter than `partSize` is sent as one PUT; a longer one as a multipart upload whose parts are all
    /// `partSize` bytes but the last. On any failure after the upload was created it is aborted (best effort: a
    /// rerun also aborts what ``listMultipartUploads(prefix:)`` still shows), and the error is rethrown.
    ///
    /// `read` fills the buffer it is given unless the stream ends and returns the byte count, 0 at the end (the
    /// contract of ``MultiDigest``'s streaming reader). The result's digests are of the bytes read; the caller reads
    /// the object back by its version id (``readBack(key:versionID:size:sha256:sha512:)``) before recording it.
    ///
    /// `hashing: false` leaves the digests out (empty in the result) for a caller whose `read` hashes the same bytes
    /// itself (``S3ObjectStore``'s second read): hashing them twice cost a quarter of a large ingest's CPU.
    package func upload(key: String, lock: S3ObjectLock?, partSize: Int = S3Client.minimumPartSize, hashing: Bool = true,
                        read: (UnsafeMutableRawBufferPointer) throws -> Int) async throws -> S3UploadResult {
        precondition(partSize >= 5 * 1024 * 1024, "S3 refuses parts under 5 MiB")
        let digest = MultiDigest(hashing ? [.sha256, .sha512] : [])
        var size: UInt64 = 0
        func readPart() throws -> ByteBuffer {
            var buffer = ByteBufferAllocator().buffer(capacity: partSize)
            while buffer.readableBytes < partSize {
                let want = partSize - buffer.readableBytes
                let count = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: want) { space in
                    let count = try read(UnsafeMutableRawBufferPointer(rebasing: space[0..<want]))
                    precondition(count >= 0 && count <= want, "a reader returned more than it was asked for")
                    return count
                }
                if count == 0 { break }
            }
            if hashing { try buffer.withUnsafeReadableBytes { try digest.update($0) } }
            size += UInt64(buffer.readableBytes)
            return buffer
        }
        func result(_ put: S3PutResult, parts: Int) -> S3UploadResult {
            let digests = hashing ? digest.finalize() : [:]
            return S3UploadResult(versionID: put.versionID, etag: put.etag, size: size,
                                  sha256: digests[.sha256]?.bytes ?? [], sha512: digests[.sha512]?.bytes ?? [], parts: parts)
        }

        var current = try readPart()
        if current.readableBytes < partSize {
            return result(try await putObject(key: key, buffer: current, lock: lock), parts: 0)
        }
        let uploadID = try await createMultipartUpload(key: key, lock: lock)
        do {
            var etags = [Int: String]()
            // Parts are read (and hashed) on this task only, in order; only the sending runs in the group's tasks.
            // Leaving the group by an error cancels and awaits the parts still on the wire before the abort below.
            try await withThrowingTaskGroup(of: (Int, String).self) { group in
                var number = 0, onTheWire = 0
                while true {
                    number += 1
                    guard number <= S3Client.maximumParts else {
                        throw AmanaError(.inputInvalid, "s3: \(describe("PUT", key)): the stream needs more than "
                                         + "\(S3Client.maximumParts) parts of \(partSize) bytes",
                                         hint: "upload it with a larger part size")
                    }
                    let part = current, partNumber = number
                    group.addTask {
                        (partNumber, try await self.uploadPart(key: key, uploadID: uploadID, partNumber: partNumber,
                                                               buffer: part))
                    }
                    onTheWire += 1
                    // Read the next part while the others are on the wire; a short part was the stream's last.
                    let next = part.readableBytes == partSize ? try readPart() : ByteBuffer()
                    if next.readableBytes == 0 { break }
                    current = next
                    if onTheWire >= S3Client.partsInFlight, let (sent, etag) = try await group.next() {
                        etags[sent] = etag
                        onTheWire -= 1
                    }
                }
                for try await (sent, etag) in group { etags[sent] = etag }
            }
            let parts = etags.sorted { $0.key < $1.key }.map { (number: $0.key, etag: $0.value) }
            let completed = try await completeMultipartUpload(key: key, uploadID: uploadID, parts: parts)
            if let lock {
                // Ceph 16 ignores CreateMultipartUpload's lock headers; setting it on the version works everywhere.
                try await putObjectRetention(key: key, versionID: completed.versionID, lock: lock)
            }
            return result(completed, parts: parts.count)
        } catch {
            try? await abortMultipartUpload(key: key, uploadID: uploadID)
            throw error
        }
    }

    /// ``upload(key:lock:partSize:read:)`` from an open file descriptor, read to its end. The part size grows
    /// past 8 MiB (in whole MiB) when the file is too large for 10,000 parts of that size.
    package func upload(key: String, lock: S3ObjectLock?, fileDescriptor fd: Int32) async throws -> S3UploadResult {
        var status = stat()
        var partSize = S3Client.minimumPartSize
        if fstat(fd, &status) == 0, status.st_size > 0 {
            let mib = 1024 * 1024
            let needed = (Int(status.st_size) + S3Client.maximumParts - 1) / S3Client.maximumParts
            partSize = max(partSize, (needed + mib - 1) / mib * mib)
        }
        return try await upload(key: key, lock: lock, partSize: partSize) { buffer in
            var filled = 0
            while filled < buffer.count {
                let count = Glibc.read(fd, buffer.baseAddress! + filled, buffer.count - filled)
                if count < 0 {
                    if errno == EINTR { continue }
                    throw AmanaError(.inputUnreadable, "s3: cannot read the source: \(String(cString: strerror(errno)))")
                }
                if count == 0 { break }
                filled += count
            }
            return filled
        }
    }
}

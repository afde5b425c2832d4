/// Where an acquired file came from, as the operating system described it at the time.
package struct SourceRecord: Equatable, Sendable {
    /// The path relative to the argument given to `amana ingest` (a file argument: its own name).
    package var path: String
    package var size: UInt64
    /// Modification and status-change times, UTC with nanoseconds.
    package var mtime: String
    package var ctime: String
    package var fileSystemType: String?
    package var volumeUUID: String?
    package var volumeLabel: String?
    package var deviceModel: String?
    package var deviceSerial: String?
    /// The file's device and inode numbers (`st_dev`, `st_ino`): with size, mtime, ctime, path and volume UUID, what
    /// the re-run shortcut compares (spec/store.md, "Re-run shortcut"). Absent in events written before they were.
    package var deviceNumber: UInt64?
    package var inode: UInt64?

    package init(path: String, size: UInt64, mtime: String, ctime: String, fileSystemType: String? = nil,
                volumeUUID: String? = nil, volumeLabel: String? = nil, deviceModel: String? = nil,
                deviceSerial: String? = nil, deviceNumber: UInt64? = nil, inode: UInt64? = nil) {
        self.path = path
        self.size = size
        self.mtime = mtime
        self.ctime = ctime
        self.fileSystemType = fileSystemType
        self.volumeUUID = volumeUUID
        self.volumeLabel = volumeLabel
        self.deviceModel = deviceModel
        self.deviceSerial = deviceSerial
        self.deviceNumber = deviceNumber
        self.inode = inode
    }
}

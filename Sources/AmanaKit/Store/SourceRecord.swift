/// Where an acquired file came from, as the operating system described it at the time.
public struct SourceRecord: Equatable, Sendable {
    /// The path relative to the argument given to `amana ingest` (a file argument: its own name).
    public var path: String
    public var size: UInt64
    /// Modification and status-change times, UTC with nanoseconds.
    public var mtime: String
    public var ctime: String
    public var fileSystemType: String?
    public var volumeUUID: String?
    public var volumeLabel: String?
    public var deviceModel: String?
    public var deviceSerial: String?
    /// The file's device and inode numbers (`st_dev`, `st_ino`): with size, mtime, ctime, path and volume UUID, what
    /// the re-run shortcut compares (spec/store.md, "Re-run shortcut"). Absent in events written before they were.
    public var deviceNumber: UInt64?
    public var inode: UInt64?

    public init(path: String, size: UInt64, mtime: String, ctime: String, fileSystemType: String? = nil,
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

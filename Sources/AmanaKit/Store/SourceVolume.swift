import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the operating system says about the volume a source file lies on: its file-system type, UUID and label, and
/// the block device's model and serial number.
///
/// Each fact is optional: a phone over MTP, a network share or a container's overlay has no UUID or serial, and a
/// missing fact is left out rather than guessed. Facts are looked up once per device number and cached.
struct SourceVolume: Equatable {
    var fileSystemType: String?
    var uuid: String?
    var label: String?
    var deviceModel: String?
    var serial: String?

    /// Looks volumes up by `st_dev`, caching each.
    final class Lookup {
        private var cache = [UInt64: SourceVolume]()
        private lazy var mounts: [UInt64: String] = Lookup.readMountTypes()

        func volume(device: UInt64) -> SourceVolume {
            if let known = cache[device] { return known }
            var volume = SourceVolume()
            volume.fileSystemType = mounts[device]
            volume.uuid = Lookup.linkName(in: "/dev/disk/by-uuid", device: device)
            volume.label = Lookup.linkName(in: "/dev/disk/by-label", device: device).map(Lookup.unescapeUdev)
            let block = Lookup.blockFolder(device: device)
            volume.deviceModel = block.flatMap { Lookup.sysText($0 + "/device/model") }
            volume.serial = block.flatMap { Lookup.sysText($0 + "/device/serial") ?? Lookup.sysText($0 + "/serial") }
            cache[device] = volume
            return volume
        }

        /// `/proc/self/mountinfo`: field 3 is `major:minor`, and the field after ` - ` is the file-system type.
        static func readMountTypes() -> [UInt64: String] {
            guard let text = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return [:] }
            var out = [UInt64: String]()
            for line in text.split(separator: "\n") {
                let fields = line.split(separator: " ")
                guard fields.count > 3, let dash = fields.firstIndex(of: "-"), dash + 1 < fields.count else { continue }
                let numbers = fields[2].split(separator: ":")
                guard numbers.count == 2, let major = UInt32(numbers[0]), let minor = UInt32(numbers[1]) else { continue }
                let device = Lookup.makeDevice(UInt64(major), UInt64(minor))
                if out[device] == nil { out[device] = String(fields[dash + 1]) }
            }
            return out
        }

        /// The name of the link in `folder` whose target is the block device `device` (udev's by-uuid, by-label).
        static func linkName(in folder: String, device: UInt64) -> String? {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return nil }
            for name in names.sorted() {
                var info = stat()
                // stat follows the link to the device node; its st_rdev is the device it names.
                if stat(folder + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFBLK, UInt64(info.st_rdev) == device {
                    return name
                }
            }
            return nil
        }

        /// udev escapes spaces and slashes in labels as `\x20` and so on.
        static func unescapeUdev(_ name: String) -> String {
            guard name.contains("\\x") else { return name }
            var bytes = [UInt8]()
            let raw = Array(name.utf8)
            var index = 0
            while index < raw.count {
                if raw[index] == 0x5C, index + 3 < raw.count, raw[index + 1] == 0x78,
                   let value = UInt8(String(decoding: raw[(index + 2)...(index + 3)], as: UTF8.self), radix: 16) {
                    bytes.append(value)
                    index += 4
                } else {
                    bytes.append(raw[index])
                    index += 1
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }

        /// `/sys/dev/block/M:m`, or its parent disk when it is a partition (model and serial belong to the disk).
        static func blockFolder(device: UInt64) -> String? {
            let path = "/sys/dev/block/\(Lookup.major(device)):\(Lookup.minor(device))"
            guard let resolved = realpath(path, nil) else { return nil }
            defer { free(resolved) }
            let folder = String(cString: resolved)
            if access(folder + "/partition", F_OK) == 0 { return POSIX.parentDirectory(of: folder) }
            return folder
        }

        /// glibc's `makedev`, `major` and `minor` are macros Swift cannot import; this is their Linux encoding.
        static func makeDevice(_ major: UInt64, _ minor: UInt64) -> UInt64 {
            (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xff) << 12) | ((major & ~0xfff) << 32)
        }
        static func major(_ device: UInt64) -> UInt64 { ((device >> 8) & 0xfff) | ((device >> 32) & ~0xfff) }
        static func minor(_ device: UInt64) -> UInt64 { (device & 0xff) | ((device >> 12) & ~0xff) }

        static func sysText(_ path: String) -> String? {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        }
    }
}

import Foundation
import Glibc
import UringCore

/// Who else uses a block device or a file: a filesystem mounted on it or on one of its
/// partitions (in this mount namespace, or any other: an O_EXCL open then fails EBUSY), swap on
/// either, a holder (device-mapper, md), another process with it open, or a loop device over it
/// that is in use itself, at any depth and in both directions (a loop device's backing is in
/// use when another loop over the same backing is). fio's allow_mounted_write=0 checks mounts
/// only; writing under any of these destroys someone's data.
enum BlockDeviceUsers {
    /// What uses the device `rdev` (st_rdev of the node the run opened), in words, or nil when
    /// nothing does. The device's own claim is the run's O_EXCL open, not tested here.
    static func of(rdev: UInt64) -> String? {
        var walk = StorageWalk(loops: LoopBinding.all())
        let uses = walk.device(rdev, isTarget: true, depth: 0)
        return uses.isEmpty ? nil : uses.joined(separator: ", ")
    }

    /// What uses a regular file in a way a write would corrupt: active swap, a loop device over
    /// it that is in use, and with `openers` another process that has it open. nil when nothing does.
    static func of(file st: stat, openers: Bool) -> String? {
        var walk = StorageWalk(loops: LoopBinding.all())
        let uses = walk.file(st, label: "it", openers: openers, depth: 0)
        return uses.isEmpty ? nil : uses.joined(separator: "; ")
    }

    /// stat's view of a block device node numbered `rdev`, for comparing with other opens.
    static func deviceStatus(_ rdev: UInt64) -> stat {
        var st = stat()
        st.st_mode = S_IFBLK
        st.st_rdev = __dev_t(rdev)
        return st
    }

    /// Whether the regular file `st` is active swap (/proc/swaps).
    static func isSwapFile(_ st: stat) -> Bool {
        guard let swaps = Syscalls.readTextFile("/proc/swaps") else { return false }
        return swaps.split(separator: "\n").dropFirst().contains { line in
            guard let first = line.split(separator: " ").first,
                  let other = try? Syscalls.fileStatus(unescape(String(first))) else { return false }
            return other.st_mode & S_IFMT == S_IFREG && other.st_dev == st.st_dev && other.st_ino == st.st_ino
        }
    }

    static func sysfs(_ rdev: UInt64) -> String {
        let (major, minor) = BlockDevice.split(rdev)
        return "/sys/dev/block/\(major):\(minor)"
    }

    static func name(_ rdev: UInt64) -> String? { BlockDevice.resolvedName(sysfs(rdev)) }

    /// The partitions of a whole disk (sysfs subdirectories with a `partition` attribute).
    static func partitions(of rdev: UInt64) -> [(UInt64, String)] {
        let base = sysfs(rdev)
        guard let entries = Syscalls.directoryEntries(base) else { return [] }
        return entries.sorted().compactMap { entry in
            guard access("\(base)/\(entry)/partition", F_OK) == 0,
                  let text = Syscalls.readTextFile("\(base)/\(entry)/dev"),
                  let number = BlockDevice.parseDeviceNumber(text) else { return nil }
            return (number, entry)
        }
    }

    /// sysfs `holders/`: the dm or md devices built on this one.
    static func holders(of rdev: UInt64) -> [String] {
        (Syscalls.directoryEntries(sysfs(rdev) + "/holders") ?? []).sorted()
    }

    /// Mount points whose filesystem sits on `rdev`: by the major:minor field of
    /// /proc/self/mountinfo, and by the mount source (btrfs reports an anonymous 0:N there).
    static func mountPoints(of rdev: UInt64) -> [String] {
        guard let text = Syscalls.readTextFile("/proc/self/mountinfo") else { return [] }
        let (major, minor) = BlockDevice.split(rdev)
        let number = "\(major):\(minor)"
        var points: [String] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count > 4, let dash = fields.firstIndex(of: "-"), dash + 2 < fields.count else { continue }
            let source = unescape(String(fields[dash + 2]))
            var onDevice = fields[2] == number
            if !onDevice, source.hasPrefix("/"), let st = try? Syscalls.fileStatus(source),
               st.st_mode & S_IFMT == S_IFBLK, UInt64(st.st_rdev) == rdev {
                onDevice = true
            }
            let point = unescape(String(fields[4]))
            if onDevice && !points.contains(point) { points.append(point) }
        }
        return points
    }

    /// /proc/swaps names each swap area by path; a device's is its node.
    static func isSwap(_ rdev: UInt64) -> Bool {
        guard let text = Syscalls.readTextFile("/proc/swaps") else { return false }
        for line in text.split(separator: "\n").dropFirst() {
            guard let first = line.split(separator: " ").first else { continue }
            let path = unescape(String(first))
            if let st = try? Syscalls.fileStatus(path), st.st_mode & S_IFMT == S_IFBLK, UInt64(st.st_rdev) == rdev { return true }
        }
        return false
    }

    /// The kernel writes a space, tab, newline or backslash in these files as \040, \011, \012, \134.
    static func unescape(_ field: String) -> String {
        guard field.contains("\\") else { return field }
        var bytes: [UInt8] = []
        let raw = Array(field.utf8)
        var i = 0
        while i < raw.count {
            if raw[i] == UInt8(ascii: "\\"), i + 3 < raw.count,
               let value = UInt8(String(decoding: raw[(i + 1)...(i + 3)], as: UTF8.self), radix: 8) {
                bytes.append(value)
                i += 4
            } else {
                bytes.append(raw[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

import Glibc
import UringCore

/// The block device behind a file, found through sysfs, for the logical block size and for
/// fio's "Disk stats" block (/proc/diskstats).
public struct BlockDevice: Sendable, Equatable, Codable {
    public let name: String           // "vda", "nvme0n1" (the whole disk, not the partition)
    let logicalBlockSize: Int?

    static func holding(_ st: stat, isBlockDevice: Bool) -> BlockDevice? {
        let (major, minor) = split(UInt64(isBlockDevice ? st.st_rdev : st.st_dev))
        var sysfs = "/sys/dev/block/\(major):\(minor)"
        guard var name = resolvedName(sysfs) else { return nil }
        // A partition's queue settings and statistics live on its parent disk.
        if access(sysfs + "/partition", F_OK) == 0, let parent = resolvedName(sysfs + "/..") {
            name = parent
            sysfs += "/.."
        }
        let lbs = Syscalls.readTextFile(sysfs + "/queue/logical_block_size")
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        return BlockDevice(name: name, logicalBlockSize: lbs)
    }

    /// A device number's major and minor. glibc's gnu_dev_major/minor are macros-in-disguise
    /// that Swift does not import.
    static func split(_ dev: UInt64) -> (major: UInt64, minor: UInt64) {
        (((dev >> 8) & 0xfff) | ((dev >> 32) & 0xFFFF_F000), (dev & 0xff) | ((dev >> 12) & 0xFFFF_FF00))
    }

    /// "7:0\n" (a sysfs `dev` attribute) as a device number, glibc's makedev encoding.
    static func parseDeviceNumber(_ text: String) -> UInt64? {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":")
        guard parts.count == 2, let major = UInt64(parts[0]), let minor = UInt64(parts[1]),
              major <= 0xFFFF_FFFF, minor <= 0xFFFF_FFFF else { return nil }
        return ((major & 0xfff) << 8) | ((major & ~UInt64(0xfff)) << 32) | (minor & 0xff) | ((minor & ~UInt64(0xff)) << 12)
    }

    static func resolvedName(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        let full = String(cString: resolved)
        return full.split(separator: "/").last.map(String.init)
    }
}

/// One line of /proc/diskstats, the counters fio's "Disk stats" block is made of.
public struct DiskCounters: Sendable, Equatable, Codable {
    var readIOs: UInt64 = 0, readMerges: UInt64 = 0, readTicks: UInt64 = 0
    var writeIOs: UInt64 = 0, writeMerges: UInt64 = 0, writeTicks: UInt64 = 0
    var ioTicks: UInt64 = 0, inQueue: UInt64 = 0

    public static func read(device: String) -> DiskCounters? {
        guard let text = Syscalls.readTextFile("/proc/diskstats") else { return nil }
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            guard f.count >= 14, f[2] == device else { continue }
            let n = f.map { UInt64($0) ?? 0 }
            return DiskCounters(readIOs: n[3], readMerges: n[4], readTicks: n[6],
                                writeIOs: n[7], writeMerges: n[8], writeTicks: n[10],
                                ioTicks: n[12], inQueue: n[13])
        }
        return nil
    }

    public static func + (a: DiskCounters, b: DiskCounters) -> DiskCounters {
        DiskCounters(readIOs: a.readIOs &+ b.readIOs, readMerges: a.readMerges &+ b.readMerges,
                     readTicks: a.readTicks &+ b.readTicks, writeIOs: a.writeIOs &+ b.writeIOs,
                     writeMerges: a.writeMerges &+ b.writeMerges, writeTicks: a.writeTicks &+ b.writeTicks,
                     ioTicks: a.ioTicks &+ b.ioTicks, inQueue: a.inQueue &+ b.inQueue)
    }

    public static func - (a: DiskCounters, b: DiskCounters) -> DiskCounters {
        DiskCounters(readIOs: a.readIOs &- b.readIOs, readMerges: a.readMerges &- b.readMerges,
                     readTicks: a.readTicks &- b.readTicks, writeIOs: a.writeIOs &- b.writeIOs,
                     writeMerges: a.writeMerges &- b.writeMerges, writeTicks: a.writeTicks &- b.writeTicks,
                     ioTicks: a.ioTicks &- b.ioTicks, inQueue: a.inQueue &- b.inQueue)
    }
}

import Foundation

import CSystemShims
import Glibc
import UringCore

/// Whether a file's bytes live in memory rather than on a disk, decided by the file's own backing
/// and not by the filesystem its name is on (`/dev/loop0` sits on devtmpfs, but its bytes are
/// wherever its backing file is). O_DIRECT on memory opens fine and measures RAM, so a run that
/// claims to measure a disk is refused there.
///
/// - a regular file: tmpfs or ramfs (statfs), else the block device under its filesystem;
/// - a brd RAM disk (`/dev/ramN`, major 1) or a zram device: memory;
/// - a loop device: whatever its backing file is (`loop/backing_file` in sysfs);
/// - device-mapper, md and other stacked devices: memory if any device below them is
///   (`slaves/` in sysfs), since part of every run would then read RAM;
/// - anything else, or a backing that cannot be found (a deleted loop backing file): a disk.
public enum MemoryBacking {
    static let brdMajor: UInt64 = 1   // RAMDISK_MAJOR, fixed in linux/major.h

    /// What holds the file in memory ("tmpfs", "zram device zram0", "loop0 over '/dev/shm/x' on
    /// tmpfs"), or nil when it is a disk (or cannot be told).
    public static func of(_ st: stat, path: String) -> String? {
        let type = st.st_mode & S_IFMT
        if type == S_IFBLK { return ofDevice(UInt64(st.st_rdev), depth: 0) }
        if let fs = filesystemName(path) { return fs }
        return ofDevice(UInt64(st.st_dev), depth: 0)
    }

    /// For a path that does not exist yet: the directory it would be created in.
    static func ofDirectory(_ directory: String) -> String? {
        guard let st = try? Syscalls.fileStatus(directory) else { return nil }
        if let fs = filesystemName(directory) { return fs }
        return ofDevice(UInt64(st.st_dev), depth: 0)
    }

    static func filesystemName(_ path: String) -> String? {
        guard let type = try? Syscalls.filesystemType(path) else { return nil }
        if type == Syscalls.tmpfsMagic { return "tmpfs" }
        if type == Syscalls.ramfsMagic { return "ramfs" }
        return nil
    }

    static func ofDevice(_ dev: UInt64, depth: Int) -> String? {
        // Stacks deeper than this are not built by hand; the bound only guards against a cycle.
        guard depth < 8 else { return nil }
        let (major, minor) = BlockDevice.split(dev)
        var sysfs = "/sys/dev/block/\(major):\(minor)"
        guard var name = BlockDevice.resolvedName(sysfs) else { return nil }
        if access(sysfs + "/partition", F_OK) == 0, let parent = BlockDevice.resolvedName(sysfs + "/..") {
            name = parent
            sysfs += "/.."
        }
        if major == brdMajor && name.hasPrefix("ram") { return "brd RAM disk \(name)" }
        // Only zram has a compression algorithm attribute.
        if access(sysfs + "/comp_algorithm", F_OK) == 0 { return "zram device \(name)" }
        if let backing = Syscalls.readTextFile(sysfs + "/loop/backing_file")?
            .trimmingCharacters(in: .whitespacesAndNewlines), !backing.isEmpty {
            guard let st = try? Syscalls.fileStatus(backing) else { return nil }
            if let fs = filesystemName(backing) { return "\(name) over '\(backing)' on \(fs)" }
            if let below = ofDevice(UInt64(st.st_dev), depth: depth + 1) { return "\(name) over '\(backing)' on \(below)" }
            return nil
        }
        let slavesDirectory = sysfs + "/slaves"
        for slave in Syscalls.directoryEntries(slavesDirectory) ?? [] {
            guard let text = Syscalls.readTextFile("\(slavesDirectory)/\(slave)/dev"),
                  let slaveDev = BlockDevice.parseDeviceNumber(text) else { continue }
            if let below = ofDevice(slaveDev, depth: depth + 1) { return "\(name) over \(below)" }
        }
        return nil
    }
}

import Foundation

import UringCore

/// Everything that stops a run, each rendered as one line that names the cause and the fix.
public enum BenchError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidOption(String)
    case directoryMissing(directory: String)
    case directoryNotWritable(directory: String)
    case emptyFilename
    case danglingSymlink(path: String, target: String)
    case unsupportedFileType(path: String, kind: String)
    case noSuchDevice(path: String)
    case fileTooSmall(path: String, size: UInt64, needed: UInt64)
    case deviceTooSmall(path: String, size: UInt64, needed: UInt64)
    case noSpaceForLayout(path: String, directory: String, needed: UInt64, available: UInt64)
    case fileAppeared(path: String)
    case memoryWithDirectIO(path: String, backing: String)
    case directIOUnsupported(path: String)
    case blockSizeMisaligned(blockSize: Int, alignment: Int, path: String)
    case ioUringUnavailable(reason: String)
    case ringTooLarge(entries: Int)
    case memlockTooLow(bytes: Int, limit: UInt64)
    case libaioUnavailable(reason: String)
    /// An engine's probe failed; the reason is the probe's whole line.
    case engineUnavailable(reason: String)
    case writeRefused(path: String, reason: String)
    /// A block device someone else uses (mounted, swap, a holder): never written.
    case deviceInUse(path: String, use: String)
    /// A file on procfs, sysfs, cgroup and the like: a kernel interface, never read or written.
    case pseudoFile(path: String, filesystem: String)
    /// A block device set read-only (losetup -r, blockdev --setro) for a job that writes.
    case readOnlyDevice(path: String)
    case fileCreationForbidden(path: String)
    case shortIO(engine: String, direction: IODirection, offset: UInt64, got: Int, expected: Int)
    case ioFailed(engine: String, direction: IODirection, offset: UInt64, error: Errno)
    case verifyFailed(engine: String, offset: UInt64, length: Int, detail: String)
    case notLaidOutByUringbench(path: String)
    /// Laid out by an earlier uringbench in a pattern format this version does not read.
    case earlierFormat(path: String)
    case outOfMemory(what: String)
    case system(context: String, error: Errno)
    case interrupted(during: String)
    /// A job of a numjobs group stopped because another job of the group failed (whose error
    /// is the one reported).
    case groupStopped

    public var description: String {
        switch self {
        case .invalidOption(let text):
            return text
        case .directoryMissing(let dir):
            return "directory '\(dir)' does not exist: create it (mkdir -p '\(dir)') or pass a --filename in an existing directory"
        case .directoryNotWritable(let dir):
            return "cannot create the data file: directory '\(dir)' is not writable; pass a --filename in a writable directory"
        case .emptyFilename:
            return "the data file name is empty; pass a path, e.g. --filename uringbench.dat (filename= in a job file)"
        case .danglingSymlink(let path, let target):
            return "'\(path)' is a symbolic link to '\(target)', which does not exist; uringbench does not lay out a file through a dangling link: fix the link or pass another --filename"
        case .unsupportedFileType(let path, let kind):
            return "'\(path)' is \(kind), not a regular file or block device; pass a file path (or a block device) with --filename"
        case .noSuchDevice(let path):
            return "'\(path)' does not exist, and uringbench does not lay out data files in /dev; pass an existing block device (lsblk lists them) or a path on a disk-backed filesystem"
        case .fileTooSmall(let path, let size, let needed) where size < 4096:
            // No --size fits in it (the smallest is one 4k block, or the --bs): no size to advise.
            return "'\(path)' is \(formatBytes(size)), less than one 4k block, and --size needs \(formatBytes(needed)); uringbench never grows or rewrites an existing file: pass a new --filename (or remove '\(path)' if it is yours to lose)"
        case .fileTooSmall(let path, let size, let needed):
            return "'\(path)' is \(formatBytes(size)) but --size needs \(formatBytes(needed)); uringbench never grows or rewrites an existing file: pass --size \(formatBytesFlag(size)) or less, or a new --filename"
        case .deviceTooSmall(let path, let size, let needed):
            return "'\(path)' is a \(formatBytes(size)) block device but --size needs \(formatBytes(needed)); pass --size \(formatBytesFlag(size)) or less"
        case .noSpaceForLayout(let path, let directory, let needed, let available):
            return "laying out '\(path)' needs \(formatBytes(needed)) and \(formatBytes(DataFileTarget.layoutMargin(for: needed))) to spare, but the file system of '\(directory)' has \(formatBytes(available)) free; use a smaller --size, free some space, or a --filename on another file system"
        case .fileAppeared(let path):
            return "'\(path)' was created by someone else while uringbench laid it out; nothing was overwritten, run again"
        case .memoryWithDirectIO(let path, let backing):
            return "'\(path)' is in memory (\(backing)): O_DIRECT there reads memory, not a disk; use --direct 0 (page-cache test), --allow-tmpfs, or a --filename on a disk-backed filesystem or device"
        case .directIOUnsupported(let path):
            return "the filesystem holding '\(path)' does not support O_DIRECT (open returned EINVAL); use --direct 0 or a --filename on ext4/xfs/btrfs"
        case .blockSizeMisaligned(let bs, let alignment, let path):
            return "--bs \(bs) is not a multiple of the logical block size \(alignment) of the device holding '\(path)'; O_DIRECT needs it: use --bs \(max(alignment, (bs / alignment) * alignment)) or --direct 0"
        case .ioUringUnavailable(let reason):
            return "io_uring is not usable here: \(reason)"
        case .ringTooLarge(let entries):
            return "--iodepth \(entries) is more ring entries than the kernel allows (io_uring_setup returned EINVAL; the limit is 32768): use --iodepth 32768 or less"
        case .memlockTooLow(let bytes, let limit):
            return "registering \(formatBytes(UInt64(bytes))) of fixed buffers failed with ENOMEM: RLIMIT_MEMLOCK is \(limit == UInt64.max ? "unlimited" : formatBytes(limit)); raise it (ulimit -l unlimited) or drop --fixedbufs"
        case .engineUnavailable(let reason):
            return reason
        case .libaioUnavailable(let reason):
            return "libaio is not usable here: \(reason)"
        case .writeRefused(let path, let reason):
            return "a write job would overwrite '\(path)', and \(reason): uringbench writes only to files it laid out; pass a new --filename (it is laid out first), or --allow-overwrite to overwrite it (uringbench run --allow-overwrite for a job file)"
        case .deviceInUse(let path, let use):
            return "'\(path)' is in use (\(use)); uringbench never writes a device or file in use, not even with --allow-overwrite (fio's allow_mounted_write=0): unmount it, swapoff it or remove the holder first, or pass another --filename"
        case .pseudoFile(let path, let filesystem):
            return "'\(path)' is on \(filesystem), a kernel interface and not storage: uringbench never reads or writes it, not even with --allow-overwrite; pass a file on a disk-backed filesystem, or a block device"
        case .readOnlyDevice(let path):
            return "'\(path)' is read-only (losetup -r, blockdev --setro or a write-protected disk), so a write job cannot write it; run a read job on it, or make it writable (blockdev --setrw) first"
        case .fileCreationForbidden(let path):
            return "'\(path)' does not exist and allow_file_create=0 forbids creating it; lay it out first (drop allow_file_create=0) or name an existing file"
        case .shortIO(let engine, let direction, let offset, let got, let expected):
            if direction.isData {
                let verb = direction == .read ? "read" : "wrote"
                return "short \(direction): \(engine) \(verb) \(got) of \(expected) bytes at offset \(offset); the file is smaller than --size says or was truncated while running"
            }
            return "\(engine) \(direction == .sync ? "fsync" : "fdatasync") returned \(got), expected 0; check the device (dmesg) and the file"
        case .ioFailed(let engine, let direction, let offset, let error):
            let what = direction.isData ? "\(direction) at offset \(offset)" : direction == .sync ? "fsync" : "fdatasync"
            return "\(engine) \(what) failed: \(error.name) (\(error)); check the device (dmesg) and the file"
        case .verifyFailed(let engine, let offset, let length, let detail):
            return "verify failed: \(engine) read of \(length) bytes at offset \(offset): \(detail)"
        case .earlierFormat(let path):
            return "'\(path)' was laid out by an earlier uringbench, in a data pattern this version no longer verifies or writes over as its own; delete it and run again to lay it out anew (or pass another --filename)"
        case .notLaidOutByUringbench(let path):
            return "--verify needs a file laid out by uringbench, and '\(path)' has no uringbench header in its first and last sectors; drop --verify or pass a new --filename"
        case .outOfMemory(let what):
            return "out of memory allocating \(what); lower --iodepth or --bs"
        case .system(let context, let error):
            return "\(context): \(error.name) (\(error))" + (error.descriptorHint.map { "; " + $0 } ?? "")
        case .groupStopped:
            return "stopped because another job of the group failed"
        case .interrupted(let during):
            return "interrupted during \(during); nothing was measured"
        }
    }
}

/// "512MiB", "1GiB", "4KiB": fio-style binary sizes for messages.
func formatBytes(_ value: UInt64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var v = Double(value)
    var i = 0
    while v >= 1024, i < units.count - 1 { v /= 1024; i += 1 }
    if v == v.rounded() { return "\(Int(v)) \(units[i])" }
    return String(format: "%.2f %@", v, units[i])
}

/// The same size spelled as a flag value (`512M`) when it is whole, bytes otherwise.
func formatBytesFlag(_ value: UInt64) -> String {
    for (shift, suffix) in [(40, "T"), (30, "G"), (20, "M"), (10, "k")] where value >= (1 << shift) && value % (1 << shift) == 0 {
        return "\(value >> UInt64(shift))\(suffix)"
    }
    return "\(value)"
}

import Foundation

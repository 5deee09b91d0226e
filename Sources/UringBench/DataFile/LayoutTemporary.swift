import Glibc
import UringCore

/// The hidden file a layout is written to before it is renamed into place:
/// `.NAME.uringbench-layout-PID-RANDOM` beside the data file.
///
/// SIGKILL (or a crash, or power loss) during a layout leaves it behind, so every run that lays
/// out or reads a file removes the stale temporaries in that directory. A temporary is stale, and
/// removed, only when all of these hold:
/// - its name has exactly this shape, it is a regular file, and it belongs to the running user;
/// - the process named in it is gone (`/proc/PID`); a reused PID only delays the removal;
/// - no one holds its `flock`: the writer locks it from the moment it creates it, and the lock
///   dies with the writer, so this holds even if the PID was reused or /proc is not mounted;
/// - it starts with a uringbench sector header at offset 0 (the writer writes that sector first)
///   or is empty (killed before the first write): a file of the user's that happens to match
///   the name is never removed.
public enum LayoutTemporary {
    static let marker = ".uringbench-layout-"

    /// A fresh temporary name for `path` in `directory`.
    static func name(for path: String, directory: String) -> String {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        let prefix = directory == "." && !path.hasPrefix("./") ? "" : directory + "/"
        return prefix + ".\(base)\(marker)\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
    }

    /// The longest file name the temporary adds to the data file's: "." + marker + PID + "-" + 8 hex.
    static let addedLength = 1 + marker.utf8.count + 10 + 1 + 8

    /// The writer's PID when `name` (a directory entry) is a layout temporary's name.
    static func writerPID(ofEntry name: String) -> Int32? {
        guard name.hasPrefix("."), let range = name.range(of: marker, options: .backwards) else { return nil }
        let parts = name[range.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].utf8.count <= 10, parts[0].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              !parts[1].isEmpty, parts[1].utf8.count <= 8, parts[1].allSatisfy(\.isHexDigit),
              let pid = Int32(parts[0]), pid > 0 else { return nil }
        return pid
    }

    /// Removes the stale temporaries in `directory`; returns one line per removed file.
    static func removeStale(in directory: String) -> [String] {
        stale(in: directory, remove: true).map { path, pid, size in
            "removed stale layout temporary '\(path)' (\(formatBytes(size)), left by process \(pid), which is gone)"
        }
    }

    /// Bytes the next run's sweep will free in `directory`, for a free-space check made before it.
    static func staleBytes(in directory: String) -> UInt64 {
        stale(in: directory, remove: false).reduce(0) { $0 &+ $1.size }
    }

    static func stale(in directory: String, remove: Bool) -> [(path: String, pid: Int32, size: UInt64)] {
        var found: [(path: String, pid: Int32, size: UInt64)] = []
        for name in Syscalls.directoryEntries(directory) ?? [] {
            guard let pid = writerPID(ofEntry: name) else { continue }
            let path = (directory == "/" ? "" : directory) + "/" + name
            if let size = checkStale(path: path, pid: pid, remove: remove) { found.append((path, pid, size)) }
        }
        return found
    }

    /// The file's size when it is stale (and, with `remove`, now removed); nil when it is kept.
    static func checkStale(path: String, pid: Int32, remove: Bool) -> UInt64? {
        var st = stat()
        guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG, st.st_uid == geteuid(),
              access("/proc/\(pid)", F_OK) != 0, Errno.current.rawValue == ENOENT else { return nil }
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { Syscalls.close(fd) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0, let now = try? Syscalls.fstat(fd),
              now.st_ino == st.st_ino, now.st_dev == st.st_dev else { return nil }
        if now.st_size > 0 && DataFile.headerSeed(fd: fd) == nil { return nil }
        if remove && unlink(path) != 0 { return nil }
        // Blocks, not the apparent size: a killed layout's preallocation is what it holds.
        return UInt64(max(0, now.st_blocks)) &* 512
    }
}

import Foundation

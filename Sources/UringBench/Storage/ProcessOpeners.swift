import Glibc
import UringCore

/// The other processes that have a file or block device open, found as fuser finds them: every
/// `/proc/PID/fd/N`, followed to what it is open on. An opener that did not claim a device with
/// O_EXCL (a database on a raw device, a VM on its image) shows up only here. This process is
/// left out: its own descriptors are the run's. So is a child of this process that has not yet
/// replaced its image (between fork and exec it holds copies of our descriptors, which close at
/// exec): a process that runs programs, as the tests do, would otherwise see its own run's file
/// "in use".
enum ProcessOpeners {
    /// "process 1234 (postgres)" for each process with `st` open (by device number for a block
    /// device, by device and inode for a file).
    static func of(_ st: stat) -> [String] {
        let me = getpid()
        let myImage = try? Syscalls.fileStatus("/proc/self/exe")
        var found: [String] = []
        for entry in (Syscalls.directoryEntries("/proc") ?? []).sorted() {
            guard let pid = Int32(entry), pid != me, !isUnexecutedChild(entry, of: me, image: myImage),
                  let fds = Syscalls.directoryEntries("/proc/\(entry)/fd") else { continue }
            for fd in fds where fd != "." && fd != ".." {
                guard let open = try? Syscalls.fileStatus("/proc/\(entry)/fd/\(fd)"), same(open, st) else { continue }
                let command = Syscalls.readTextFile("/proc/\(entry)/comm")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
                found.append("open in process \(pid) (\(command))")
                break
            }
        }
        return found
    }

    /// Whether process `entry` is a child of `parent` still running `parent`'s own executable.
    static func isUnexecutedChild(_ entry: String, of parent: pid_t, image: stat?) -> Bool {
        guard let image, let text = Syscalls.readTextFile("/proc/\(entry)/stat"),
              let close = text.lastIndex(of: ")") else { return false }
        // After "pid (comm)": state, then the parent's pid.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 1, let ppid = Int32(fields[1]), ppid == parent,
              let exe = try? Syscalls.fileStatus("/proc/\(entry)/exe") else { return false }
        return exe.st_dev == image.st_dev && exe.st_ino == image.st_ino
    }

    static func same(_ a: stat, _ b: stat) -> Bool {
        if b.st_mode & S_IFMT == S_IFBLK { return a.st_mode & S_IFMT == S_IFBLK && a.st_rdev == b.st_rdev }
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }
}

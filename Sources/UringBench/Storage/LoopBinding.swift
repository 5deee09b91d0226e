import Glibc
import UringCore

/// A bound loop device and what it reads and writes: its backing file, or the block device it
/// is stacked on. Found through sysfs (`/sys/block/loopN/loop/backing_file`, which the kernel
/// writes with its current path), the backing's identity by stat of that path.
struct LoopBinding {
    let name: String          // "loop3"
    let rdev: UInt64          // the loop device's own number
    let backingPath: String
    let backing: stat?        // nil when the path no longer leads to it (deleted, another namespace's mount)

    static func all() -> [LoopBinding] {
        (Syscalls.directoryEntries("/sys/block") ?? []).sorted().compactMap { entry in
            guard entry.hasPrefix("loop"),
                  let path = Syscalls.readTextFile("/sys/block/\(entry)/loop/backing_file")?.trimmingCharacters(in: .newlines),
                  !path.isEmpty,
                  let text = Syscalls.readTextFile("/sys/block/\(entry)/dev"),
                  let rdev = BlockDevice.parseDeviceNumber(text) else { return nil }
            return LoopBinding(name: entry, rdev: rdev, backingPath: path, backing: try? Syscalls.fileStatus(path))
        }
    }

    /// The loop bound to device number `rdev`, when it is one.
    static func bound(to rdev: UInt64, in loops: [LoopBinding]) -> LoopBinding? {
        loops.first { $0.rdev == rdev }
    }

    /// Whether this loop reads and writes the file or device `st`.
    func isBacked(by st: stat) -> Bool {
        guard let backing else { return false }
        if st.st_mode & S_IFMT == S_IFBLK {
            return backing.st_mode & S_IFMT == S_IFBLK && backing.st_rdev == st.st_rdev
        }
        return backing.st_dev == st.st_dev && backing.st_ino == st.st_ino
    }
}

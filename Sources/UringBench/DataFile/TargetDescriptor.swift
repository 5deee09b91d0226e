import Glibc
import UringCore

/// The data file, opened once: every check reads through this descriptor, and the descriptors
/// the run does its IO on are opened through `/proc/self/fd/N`, which leads to this same file
/// whatever is renamed, linked or swapped at its path meanwhile. An existing path is opened
/// O_PATH (no device's open routine runs, a FIFO does not block); a file laid out now keeps
/// the layout's own descriptor.
final class TargetDescriptor {
    /// O_PATH (asm-generic value, as on x86-64 and arm64): Glibc imports it only with _GNU_SOURCE.
    static let pathOnly: Int32 = 0o10_000_000

    let fd: Int32
    let status: stat
    /// As the user gave it, for messages only.
    let path: String

    /// The descriptor's own path, for what takes a path (statfs, a reopen): the magic link
    /// follows the descriptor, not the name.
    var procPath: String { "/proc/self/fd/\(fd)" }
    var type: mode_t { status.st_mode & S_IFMT }

    /// Opens `path` (following links, as a user-given link should be) without reading or writing it.
    init(opening path: String) throws(Errno) {
        let fd = try Syscalls.open(path, flags: Self.pathOnly | O_CLOEXEC)
        do { self.status = try Syscalls.fstat(fd) } catch {
            Syscalls.close(fd)
            throw error
        }
        self.fd = fd
        self.path = path
    }

    /// Takes ownership of `fd` (the layout's temporary, now renamed to `path`).
    init(adopting fd: Int32, path: String) throws(Errno) {
        do { self.status = try Syscalls.fstat(fd) } catch {
            Syscalls.close(fd)
            throw error
        }
        self.fd = fd
        self.path = path
    }

    deinit { Syscalls.close(fd) }

    /// A new descriptor on this same file with `flags`, checked to be it (device and inode).
    func reopen(flags: Int32) throws(Errno) -> Int32 {
        let other = try Syscalls.open(procPath, flags: flags)
        guard let st = try? Syscalls.fstat(other), isSame(st) else {
            Syscalls.close(other)
            throw Errno(rawValue: ESTALE)
        }
        return other
    }

    func isSame(_ st: stat) -> Bool {
        st.st_dev == status.st_dev && st.st_ino == status.st_ino && st.st_mode & S_IFMT == type
            && (type != S_IFBLK || st.st_rdev == status.st_rdev)
    }
}

import CSystemShims
import Glibc
import UringCore

/// The temporary a regular-file report is written to, beside its target, and renamed over the
/// target only once it is complete and on disk: a failed write (ENOSPC, EIO) leaves the old
/// report byte for byte and removes the temporary. The replacement keeps the target's mode and
/// owner; the directory is held open from the start, so the rename lands where the checks were
/// made, and it replaces only the file that was there then (or, for a new report, nothing).
final class ReportReplacement {
    /// The target's directory, opened once (fsync'd after the rename).
    private let directory: Int32
    /// The target's and the temporary's names in `directory`.
    let name: String
    private let temporaryName: String
    private let temporary: Int32
    /// The target as it was when opened (nil: it did not exist), which the rename may replace.
    private var target: stat?
    /// The report's path as the user gave it, for messages.
    private let path: String
    private let option: String
    private var finished = false

    static let marker = ".uringbench-report-"

    /// Creates the temporary beside `location` (the target's resolved directory and name).
    init(location: (directory: String, name: String), target: stat?, path: String, option: String) throws(OutputError) {
        let dirFD = Glibc.open(location.directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dirFD >= 0 else {
            let error = Errno.current
            if error.rawValue == ENOENT || error.rawValue == ENOTDIR {
                throw .directoryMissing(path: path, option: option, directory: location.directory)
            }
            throw .cannotOpen(path: path, option: option, error: error)
        }
        // The name must lead to the file that was opened (a swap in between is refused).
        var there = stat()
        if let target, fstatat(dirFD, location.name, &there, AT_SYMLINK_NOFOLLOW) != 0
            || there.st_dev != target.st_dev || there.st_ino != target.st_ino {
            Syscalls.close(dirFD)
            throw .replacedMeanwhile(path: path, option: option)
        }
        let temporaryName = ".\(location.name)\(Self.marker)\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
        let mode = target.map { mode_t($0.st_mode & 0o7777) } ?? 0o644
        let fd = openat(dirFD, temporaryName, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else {
            let error = Errno.current
            Syscalls.close(dirFD)
            throw .cannotCreateTemporary(path: path, option: option, directory: location.directory, error: error)
        }
        directory = dirFD
        self.path = path
        self.option = option
        name = location.name
        self.temporaryName = temporaryName
        temporary = fd
        self.target = target
        // Keep the target's owner: refused now, before any work, when that is not allowed.
        if let target, let mine = try? Syscalls.fstat(fd), mine.st_uid != target.st_uid || mine.st_gid != target.st_gid {
            guard fchown(fd, target.st_uid, target.st_gid) == 0 else {
                discard()
                throw .ownerNotKept(path: path, option: option, uid: target.st_uid, gid: target.st_gid)
            }
        }
        // The exact mode, whatever the umask (after fchown, which may clear set-id bits).
        if let target { _ = fchmod(fd, mode_t(target.st_mode & 0o7777)) }
    }

    deinit {
        discard()
        Syscalls.close(directory)
    }

    /// The temporary's status (the identity of a report that does not exist yet).
    var temporaryStatus: stat? { try? Syscalls.fstat(temporary) }

    /// Empties the temporary, or with `appending` fills it with what the target holds now (fio
    /// appends to a shared log); an appended target becomes the one the rename may replace.
    func begin(appending: Bool) throws(Errno) {
        if ftruncate(temporary, 0) != 0 { throw .current }
        _ = lseek(temporary, 0, SEEK_SET)
        guard appending else { return }
        let source = openat(directory, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard source >= 0 else {
            if Errno.current.rawValue == ENOENT { target = nil; return }
            throw .current
        }
        defer { Syscalls.close(source) }
        let status = try Syscalls.fstat(source)
        guard status.st_mode & S_IFMT == S_IFREG else { throw Errno(rawValue: EINVAL) }
        try Self.copy(from: source, to: temporary)
        target = status
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(Errno) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        try Syscalls.writeAll(temporary, base, bytes.count)
    }

    /// Puts the temporary on disk and renames it over the target; on failure the temporary is
    /// removed and the target is as it was.
    func commit() throws(OutputError) {
        guard !finished else { return }
        do throws(Errno) { try Syscalls.fsync(temporary) } catch {
            discard()
            throw .writeFailed(path: path, option: option, error: error, kept: true)
        }
        if let expected = target {
            var now = stat()
            guard fstatat(directory, name, &now, AT_SYMLINK_NOFOLLOW) == 0,
                  now.st_dev == expected.st_dev, now.st_ino == expected.st_ino else {
                discard()
                throw .replacedMeanwhile(path: path, option: option)
            }
            guard renameat(directory, temporaryName, directory, name) == 0 else {
                let error = Errno.current
                discard()
                throw .writeFailed(path: path, option: option, error: error, kept: true)
            }
        } else {
            guard CSystemShims_renameat2(directory, temporaryName, directory, name, CSystemShims_RENAME_NOREPLACE) == 0 else {
                let error = Errno.current
                discard()
                throw error.rawValue == EEXIST ? OutputError.replacedMeanwhile(path: path, option: option) : OutputError.writeFailed(path: path, option: option, error: error, kept: true)
            }
        }
        finished = true
        Syscalls.close(temporary)
        // The rename itself must survive a crash too; a failure here leaves the new report in place.
        _ = Glibc.fsync(directory)
    }

    /// Removes the temporary unless it became the report.
    func discard() {
        guard !finished else { return }
        finished = true
        Syscalls.close(temporary)
        unlinkat(directory, temporaryName, 0)
    }

    private static func copy(from source: Int32, to destination: Int32) throws(Errno) {
        let size = 1 << 16
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = try Syscalls.retryingOnInterrupt { Glibc.read(source, buffer, size) }
            if n == 0 { return }
            try Syscalls.writeAll(destination, buffer, n)
        }
    }
}

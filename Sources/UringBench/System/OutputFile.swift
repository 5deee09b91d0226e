import Glibc
import UringCore

/// A file the user named for a report (`--output`, `plot -o`), written the way fio writes its
/// output: the path itself is opened (following symlinks, writing into device nodes), so
/// permissions apply, `/dev/null` stays a device and a symlink stays a symlink. Nothing is ever
/// renamed over the path.
///
/// Unlike fio, which truncates at start-up, it is opened before the run *without* `O_TRUNC`: a
/// missing directory or a permission error stops the command before any IO, and an existing
/// file keeps its contents until the report is written at the end (truncated, then written,
/// as `O_TRUNC` would). A file created here and never written (the run failed) is removed.
public final class OutputFile {
    public let path: String
    private let fd: Int32
    private let status: stat
    private let created: Bool
    private var written = false

    /// Opens `path` for writing (`O_WRONLY`, and `O_CREAT` with mode 0644 before the umask
    /// when it does not exist); `option` names the flag in messages.
    public init(path: String, option: String = "--output") throws(OutputError) {
        guard !path.isEmpty else { throw .emptyPath(option: option) }
        self.path = path
        var created = false
        var fd: Int32 = -1
        // O_NONBLOCK: a FIFO without a reader fails with ENXIO instead of blocking here.
        let flags = O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK
        do { fd = try Syscalls.open(path, flags: flags) } catch {
            guard error.rawValue == ENOENT else { throw OutputError.cannotOpen(path: path, option: option, error: error) }
            // O_CREAT without O_EXCL follows a dangling symlink and creates its target, as fio does.
            do { fd = try Syscalls.open(path, flags: flags | O_CREAT, mode: 0o644) } catch {
                if error.rawValue == ENOENT || error.rawValue == ENOTDIR {
                    throw OutputError.directoryMissing(path: path, option: option, directory: DataFile.directory(of: path))
                }
                throw OutputError.cannotOpen(path: path, option: option, error: error)
            }
            created = true
        }
        // Writes block as usual from here on (a pipe or a terminal must not see EAGAIN).
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        do { status = try Syscalls.fstat(fd) } catch {
            Syscalls.close(fd)
            throw OutputError.cannotOpen(path: path, option: option, error: error)
        }
        self.fd = fd
        self.created = created
    }

    deinit {
        Syscalls.close(fd)
        // Created for a run that then failed: remove it, if the name still leads to our empty file.
        if created && !written, let resolved = realpath(path, nil) {
            defer { free(resolved) }
            if let st = try? Syscalls.fileStatus(String(cString: resolved)),
               st.st_dev == status.st_dev, st.st_ino == status.st_ino, st.st_size == 0 {
                unlink(resolved)
            }
        }
    }

    /// Refuses an output that is `input` (a file the command reads or writes), compared by
    /// device and inode after following links, never by name. A block device as output is also
    /// refused when it is the input's device or holds the input's filesystem. An input that does
    /// not exist (yet) cannot be the output, which exists from `init` on.
    public func refuse(ifSameAs input: String, role: String) throws(OutputError) {
        guard let st = try? Syscalls.fileStatus(input) else { return }
        if let relation = OutputFile.relation(output: status, input: st) {
            throw .isInput(path: path, input: input, role: relation == .same ? role : "the device holding \(role)")
        }
    }

    /// Whether `other` is this file (by device and inode): `compare --against X --output X`.
    public func isSame(as other: String) -> Bool {
        guard let st = try? Syscalls.fileStatus(other) else { return false }
        return OutputFile.relation(output: status, input: st) == .same
    }

    enum Relation { case same, holdsInput }

    static func relation(output: stat, input: stat) -> Relation? {
        if output.st_dev == input.st_dev && output.st_ino == input.st_ino { return .same }
        guard output.st_mode & S_IFMT == S_IFBLK else { return nil }
        // Two nodes of one block device, or the device under the input's filesystem.
        if input.st_mode & S_IFMT == S_IFBLK && output.st_rdev == input.st_rdev { return .same }
        if output.st_rdev == input.st_dev { return .holdsInput }
        return nil
    }

    /// Replaces the contents with `text` (a regular file is truncated first; a device or pipe
    /// just takes the bytes). A write error such as ENOSPC is reported, never ignored.
    public func write(_ text: String) throws(OutputError) {
        try beginWriting(appending: false)
        var failure: OutputError? = nil
        Array(text.utf8).withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Void in
            do throws(OutputError) { try write(bytes: raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Starts writing in pieces (`write(bytes:)`): a regular file is emptied, or, `appending`,
    /// kept and added to at its end (fio's logs with per_job_logs=0, which fio opens with "a").
    public func beginWriting(appending: Bool) throws(OutputError) {
        if status.st_mode & S_IFMT == S_IFREG {
            if appending {
                _ = lseek(fd, 0, SEEK_END)
            } else {
                if ftruncate(fd, 0) != 0 { throw .writeFailed(path: path, error: .current) }
                _ = lseek(fd, 0, SEEK_SET)
            }
        }
        written = true
    }

    /// Writes `bytes` after what was written since `beginWriting`.
    public func write(bytes: UnsafeRawBufferPointer) throws(OutputError) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        do throws(Errno) { try Syscalls.writeAll(fd, base, bytes.count) } catch { throw .writeFailed(path: path, error: error) }
    }
}

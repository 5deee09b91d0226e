import Glibc
import UringCore

/// A file the user named for a report (`--output`, `plot -o`, a log, a fio-plot file), opened
/// before the run so that a missing directory or a permission error stops the command before
/// any IO. The path is opened the way fio opens it (following symlinks, permissions apply), and
/// then:
/// - a regular file (or a new one) is written to a temporary beside it and renamed over it only
///   when complete and on disk, keeping its mode and owner (`ReportReplacement`): a failed write
///   leaves the old file byte for byte, a run that fails creates nothing, and a symlink to the
///   report stays a symlink to the new one;
/// - a device or a FIFO is written in place (`/dev/null` stays a device).
public final class OutputFile {
    public let path: String
    /// The option that named the path, for messages.
    public let option: String
    /// The device or FIFO written in place; -1 for a regular file.
    private let fd: Int32
    /// The target's status, or the temporary's when the target does not exist yet.
    private let status: stat
    private let replacement: ReportReplacement?
    /// Where a report that does not exist yet will appear: its directory's identity and name.
    private let newLocation: (device: dev_t, inode: ino_t, name: String)?

    /// Opens `path` for writing; `option` names the flag in messages.
    public init(path: String, option: String = "--output") throws(OutputError) {
        guard !path.isEmpty else { throw .emptyPath(option: option) }
        self.path = path
        self.option = option
        // O_NONBLOCK: a FIFO without a reader fails with ENXIO instead of blocking here.
        let flags = O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK
        var fd: Int32 = -1
        do { fd = try Syscalls.open(path, flags: flags) } catch {
            guard error.rawValue == ENOENT else { throw OutputError.cannotOpen(path: path, option: option, error: error) }
        }
        let location = Self.location(of: path)
        guard fd >= 0 else {
            // A new report: nothing appears at the path until it is complete.
            let replacement = try ReportReplacement(location: location, target: nil, path: path, option: option)
            guard let temporary = replacement.temporaryStatus, let directory = try? Syscalls.fileStatus(location.directory) else {
                throw .cannotOpen(path: path, option: option, error: .current)
            }
            self.fd = -1
            status = temporary
            self.replacement = replacement
            newLocation = (directory.st_dev, directory.st_ino, location.name)
            return
        }
        let status: stat
        do { status = try Syscalls.fstat(fd) } catch {
            Syscalls.close(fd)
            throw .cannotOpen(path: path, option: option, error: error)
        }
        self.status = status
        newLocation = nil
        if status.st_mode & S_IFMT == S_IFREG {
            Syscalls.close(fd)
            self.fd = -1
            replacement = try ReportReplacement(location: location, target: status, path: path, option: option)
        } else {
            // Writes block as usual from here on (a pipe or a terminal must not see EAGAIN).
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
            self.fd = fd
            replacement = nil
        }
    }

    deinit {
        if fd >= 0 { Syscalls.close(fd) }
    }

    /// The directory and name `path` leads to, following symlinks (a dangling one to the file
    /// it names, which fio would create), the directory resolved to a real path when it exists.
    static func location(of path: String) -> (directory: String, name: String) {
        var current = path
        for _ in 0..<40 {
            var st = stat()
            guard lstat(current, &st) == 0, st.st_mode & S_IFMT == S_IFLNK else { break }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buffer, buffer.count - 1)
            guard n > 0 else { break }
            let target = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = target.hasPrefix("/") ? target : DataFile.directory(of: current) + "/" + target
        }
        let directory = DataFile.directory(of: current)
        let name = current.split(separator: "/").last.map(String.init) ?? current
        guard let resolved = realpath(directory, nil) else { return (directory, name) }
        defer { free(resolved) }
        return (String(cString: resolved), name)
    }

    /// Refuses an output that is `input` (a file the command reads or writes), compared by
    /// device and inode after following links, never by name. A block device as output is also
    /// refused when it is the input's device or holds the input's filesystem, and any output that
    /// lies under that device at any depth (StorageStack: the image behind a loop device, the
    /// disk under a partition or device-mapper device). An input that does not exist yet is
    /// refused when it would appear where a new report will.
    public func refuse(ifSameAs input: String, role: String) throws(OutputError) {
        guard let st = try? Syscalls.fileStatus(input) else {
            if namesNewReport(input) { throw .isInput(path: path, option: option, input: input, role: role) }
            return
        }
        if let relation = OutputFile.relation(output: status, input: st) {
            throw .isInput(path: path, option: option, input: input, role: relation == .same ? role : "the device holding \(role)")
        }
        if let layer = StorageStack(under: st).role(of: status) {
            throw .backsInput(path: path, input: input, role: role, layer: layer)
        }
    }

    /// Whether `other` is this file (by device and inode, or by where a new one will appear):
    /// `compare --against X --output X`, a log file that is the report.
    public func isSame(as other: String) -> Bool {
        guard let st = try? Syscalls.fileStatus(other) else { return namesNewReport(other) }
        return OutputFile.relation(output: status, input: st) == .same
    }

    /// Whether the path `other`, which does not exist, leads where this new report will appear.
    private func namesNewReport(_ other: String) -> Bool {
        guard let newLocation else { return false }
        let there = Self.location(of: other)
        guard there.name == newLocation.name, let directory = try? Syscalls.fileStatus(there.directory) else { return false }
        return directory.st_dev == newLocation.device && directory.st_ino == newLocation.inode
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

    /// Replaces the contents with `text`, complete or not at all for a regular file. A write
    /// error such as ENOSPC is reported, never ignored.
    public func write(_ text: String) throws(OutputError) {
        try beginWriting(appending: false)
        var failure: OutputError? = nil
        Array(text.utf8).withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Void in
            do throws(OutputError) { try write(bytes: raw) } catch { failure = error }
        }
        if let failure { throw failure }
        try finishWriting()
    }

    /// Starts writing in pieces (`write(bytes:)`, then `finishWriting`): from empty, or,
    /// `appending`, after what the file holds (fio's logs with per_job_logs=0, which fio opens
    /// with "a").
    func beginWriting(appending: Bool) throws(OutputError) {
        guard let replacement else { return }
        do throws(Errno) { try replacement.begin(appending: appending) } catch { throw failed(error) }
    }

    /// Writes `bytes` after what was written since `beginWriting`.
    public func write(bytes: UnsafeRawBufferPointer) throws(OutputError) {
        if let replacement {
            do throws(Errno) { try replacement.write(bytes) } catch { throw failed(error) }
            return
        }
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        do throws(Errno) { try Syscalls.writeAll(fd, base, bytes.count) } catch { throw failed(error) }
    }

    /// Puts what was written in place of the old file (a regular file); nothing for a device.
    func finishWriting() throws(OutputError) {
        try replacement?.commit()
    }

    private func failed(_ error: Errno) -> OutputError {
        replacement?.discard()
        return .writeFailed(path: path, option: option, error: error, kept: replacement != nil)
    }
}

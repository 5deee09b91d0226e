import CSystemShims
import Glibc

/// Thin wrappers over the C calls uringbench makes outside the engines: each retries on EINTR
/// where that is the right thing and reports failure as a typed `Errno`, once.
package enum Syscalls {
    /// Calls `body` until it stops failing with EINTR; a negative result becomes `Errno.current`.
    @inline(__always)
    package static func retryingOnInterrupt<T: BinaryInteger>(_ body: () -> T) throws(Errno) -> T {
        while true {
            let result = body()
            if result >= 0 { return result }
            let error = Errno.current
            if error != .interrupted { throw error }
        }
    }

    /// The same for the C shims, which return -errno: calls `body` until it stops failing with
    /// EINTR; a negative result becomes `Errno(negated:)`.
    package static func retryingNegatedOnInterrupt<T: BinaryInteger>(_ body: () -> T) throws(Errno) -> T {
        while true {
            let result = body()
            if result >= 0 { return result }
            if result != -EINTR { throw Errno(negated: Int32(truncatingIfNeeded: result)) }
        }
    }

    package static func open(_ path: String, flags: Int32, mode: mode_t = 0) throws(Errno) -> Int32 {
        try retryingOnInterrupt { Glibc.open(path, flags, mode) }
    }

    package static func close(_ fd: Int32) {
        // Linux closes the descriptor even when close() reports EINTR: never retry.
        _ = Glibc.close(fd)
    }

    package static func pread(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int, _ offset: UInt64) throws(Errno) -> Int {
        try retryingOnInterrupt { Glibc.pread(fd, buffer, count, off_t(offset)) }
    }

    package static func pwrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int, _ offset: UInt64) throws(Errno) -> Int {
        try retryingOnInterrupt { Glibc.pwrite(fd, buffer, count, off_t(offset)) }
    }

    package static func fdatasync(_ fd: Int32) throws(Errno) {
        _ = try retryingOnInterrupt { Glibc.fdatasync(fd) }
    }

    /// Writes all of `count` bytes (a short write continues where it stopped).
    package static func writeAll(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) throws(Errno) {
        var done = 0
        while done < count {
            let n = try retryingOnInterrupt { Glibc.write(fd, buffer + done, count - done) }
            if n == 0 { throw Errno(rawValue: EIO) }
            done += n
        }
    }

    package static func fsync(_ fd: Int32) throws(Errno) {
        _ = try retryingOnInterrupt { Glibc.fsync(fd) }
    }

    package static func fstat(_ fd: Int32) throws(Errno) -> Glibc.stat {
        var st = Glibc.stat()
        _ = try retryingOnInterrupt { Glibc.fstat(fd, &st) }
        return st
    }

    /// `stat(2)`; `nil` when the path does not exist.
    package static func fileStatus(_ path: String) throws(Errno) -> Glibc.stat? {
        var st = Glibc.stat()
        if stat(path, &st) == 0 { return st }
        let error = Errno.current
        if error.rawValue == ENOENT { return nil }
        throw error
    }

    /// The filesystem magic number (`statfs.f_type`) of the filesystem holding `path`.
    package static func filesystemType(_ path: String) throws(Errno) -> Int {
        var status = statfs()
        _ = try retryingOnInterrupt { statfs(path, &status) }
        return Int(status.f_type)
    }

    /// statfs(2)'s magic numbers for the memory filesystems (<linux/magic.h>).
    package static let tmpfsMagic = Int(TMPFS_MAGIC)
    package static let ramfsMagic = Int(RAMFS_MAGIC)

    package static func fallocate(_ fd: Int32, length: UInt64) throws(Errno) {
        // posix_fallocate returns the error number instead of setting errno.
        let rc = posix_fallocate(fd, 0, off_t(length))
        if rc != 0 { throw Errno(rawValue: rc) }
    }

    /// posix_fadvise over `length` bytes from `offset`; advisory, like fio's (which only warns).
    package static func advise(_ fd: Int32, offset: UInt64 = 0, length: UInt64, _ advice: Int32) {
        _ = posix_fadvise(fd, off_t(clamping: offset), off_t(clamping: length), advice)
    }

    /// Drops the cached pages of `length` bytes from `offset` (length 0: to the end of the file).
    package static func dropCache(_ fd: Int32, offset: UInt64 = 0, length: UInt64 = 0) {
        // Advisory: a failure only means the page cache keeps the file, which the report states.
        _ = posix_fadvise(fd, off_t(clamping: offset), off_t(clamping: length), POSIX_FADV_DONTNEED)
    }

    /// Renames without ever replacing an existing file at `to`.
    package static func renameNoReplace(_ from: String, _ to: String) throws(Errno) {
        _ = try retryingNegatedOnInterrupt {
            CSystemShims_renameat2(AT_FDCWD, from, AT_FDCWD, to, CSystemShims_RENAME_NOREPLACE)
        }
    }

    package static func getrusage(_ who: Int32) -> rusage {
        var usage = rusage()
        // getrusage only fails for an invalid `who`, which is a programming error.
        let rc = Glibc.getrusage(__rusage_who_t(who), &usage)
        precondition(rc == 0, "getrusage(\(who)) failed: \(Errno.current)")
        return usage
    }

    package static var kernelRelease: String {
        var name = utsname()
        guard uname(&name) == 0 else { return "unknown" }
        return withUnsafeBytes(of: &name.release) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// Pins the calling thread to these CPUs (sched_setaffinity).
    package static func setThreadAffinity(_ cpus: [Int32]) throws(Errno) {
        let rc = cpus.withUnsafeBufferPointer { CSystemShims_sched_setaffinity_list($0.baseAddress, Int32($0.count)) }
        if rc < 0 { throw Errno(negated: rc) }
    }

    /// The CPUs the calling thread may run on, as the kernel has them.
    package static var threadAffinity: [Int] {
        var cpus = [Int32](repeating: 0, count: 1024)
        let n = cpus.withUnsafeMutableBufferPointer { CSystemShims_sched_getaffinity_list($0.baseAddress, Int32($0.count)) }
        return n > 0 ? cpus.prefix(Int(n)).map(Int.init) : []
    }

    /// CPUs the kernel was configured with (online or not), as numbered in affinity masks.
    package static var configuredCPUs: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_CONF))) }

    /// The calling thread's id (what fio prints as a thread job's pid).
    package static var threadID: Int32 { CSystemShims_gettid() }

    package static var hostName: String {
        var name = utsname()
        guard uname(&name) == 0 else { return "unknown" }
        return withUnsafeBytes(of: &name.nodename) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// The names in a directory, "." and ".." left out; nil when it cannot be opened.
    package static func directoryEntries(_ path: String) -> [String]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    package static func readTextFile(_ path: String) -> String? {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { _ = Glibc.close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && Errno.current == .interrupted { continue }
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

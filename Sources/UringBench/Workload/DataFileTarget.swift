import CSystemShims
import Glibc
import UringCore

/// What a job's `filename` names, found and checked before anything is created or written, so
/// a refused run leaves the directory as it was.
enum DataFileTarget {
    case regularFile(directory: String)
    case blockDevice
    case newFile(directory: String)

    /// The longest name a directory entry can have (NAME_MAX on every Linux filesystem).
    static let nameMax = 255

    static func inspect(_ job: JobSpec) throws(BenchError) -> DataFileTarget {
        let path = job.filename
        guard !path.isEmpty else { throw .emptyFilename }
        let directory = DataFile.directory(of: path)

        var link = stat()
        if lstat(path, &link) != 0 {
            let error = Errno.current
            guard error.rawValue == ENOENT else { throw .system(context: "cannot stat '\(path)'", error: error) }
            guard job.allowFileCreate else { throw .fileCreationForbidden(path: path) }
            return try inspectNew(path: path, directory: directory, job: job)
        }
        var st = link
        if link.st_mode & S_IFMT == S_IFLNK {
            guard stat(path, &st) == 0 else {
                let error = Errno.current
                guard error.rawValue == ENOENT else { throw .system(context: "cannot follow the link '\(path)'", error: error) }
                throw .danglingSymlink(path: path, target: linkTarget(path))
            }
        }
        switch st.st_mode & S_IFMT {
        case S_IFREG:
            if UInt64(st.st_size) < job.size { throw .fileTooSmall(path: path, size: UInt64(st.st_size), needed: job.size) }
            try refuseMemory(st, path: path, job: job)
            return .regularFile(directory: directory)
        case S_IFBLK:
            try refuseMemory(st, path: path, job: job)
            let size = try deviceSize(path)
            if size < job.size { throw .deviceTooSmall(path: path, size: size, needed: job.size) }
            return .blockDevice
        case S_IFDIR: throw .unsupportedFileType(path: path, kind: "a directory")
        case S_IFIFO: throw .unsupportedFileType(path: path, kind: "a FIFO (named pipe)")
        case S_IFSOCK: throw .unsupportedFileType(path: path, kind: "a socket")
        case S_IFCHR: throw .unsupportedFileType(path: path, kind: "a character device")
        default: throw .unsupportedFileType(path: path, kind: "of an unknown file type")
        }
    }

    /// May a write job write this target? Only files uringbench laid out take writes; anything
    /// else needs --allow-overwrite, and a block device in use is refused even then. Returns
    /// what will be overwritten (for the report), nil for uringbench's own file.
    static func checkWrite(_ job: JobSpec, target: DataFileTarget) throws(BenchError) -> String? {
        guard job.rw.writes else { return nil }
        let path = job.filename
        switch target {
        case .newFile:
            return nil      // laid out by uringbench before it is opened
        case .regularFile:
            if let st = try? Syscalls.fileStatus(path), let use = BlockDeviceUsers.of(file: st) {
                throw .deviceInUse(path: path, use: use)
            }
            if DataFile.readPatternSeed(path: path) != nil { return nil }
            guard job.allowOverwrite else {
                if DataFile.isEarlierFormat(path: path) { throw .earlierFormat(path: path) }
                throw .writeRefused(path: path, reason: "it was not laid out by uringbench (no uringbench header at offset 0)")
            }
            return "'\(path)', a file uringbench did not lay out"
        case .blockDevice:
            guard let st = try? Syscalls.fileStatus(path) else { throw .noSuchDevice(path: path) }
            if let use = BlockDeviceUsers.of(rdev: UInt64(st.st_rdev)) { throw .deviceInUse(path: path, use: use) }
            guard job.allowOverwrite else { throw .writeRefused(path: path, reason: "it is a block device") }
            return "'\(path)', a block device"
        }
    }

    /// A path that does not exist yet: everything the layout will need, checked up front.
    static func inspectNew(path: String, directory: String, job: JobSpec) throws(BenchError) -> DataFileTarget {
        if path.hasSuffix("/") {
            throw .invalidOption("'\(path)' ends in '/', so it names a directory; pass a file path with --filename")
        }
        guard let dirStat = try? Syscalls.fileStatus(directory), dirStat.st_mode & S_IFMT == S_IFDIR else {
            throw .directoryMissing(directory: directory)
        }
        // /dev holds device nodes: a missing /dev/sdX is a typo, not a file to create in RAM.
        // (/dev/shm and other filesystems mounted below /dev have their own device number.)
        if let devStat = try? Syscalls.fileStatus("/dev"), let rootStat = try? Syscalls.fileStatus("/"),
           devStat.st_dev != rootStat.st_dev, dirStat.st_dev == devStat.st_dev {
            throw .noSuchDevice(path: path)
        }
        guard access(directory, W_OK) == 0 else { throw .directoryNotWritable(directory: directory) }
        if job.direct && !job.allowTmpfs, let backing = MemoryBacking.ofDirectory(directory) {
            throw .memoryWithDirectIO(path: path, backing: backing)
        }
        let base = path.split(separator: "/").last.map(String.init) ?? path
        if base.utf8.count + LayoutTemporary.addedLength > nameMax {
            throw .invalidOption("the file name '\(base)' is \(base.utf8.count) bytes; laying it out needs a temporary name \(LayoutTemporary.addedLength) bytes longer, and names are at most \(nameMax): pass a shorter --filename")
        }
        return .newFile(directory: directory)
    }

    /// Refuses a layout that would not fit in the directory's filesystem: statvfs's f_bavail,
    /// the "Avail" df shows (blocks reserved for root are not counted: a benchmark file should
    /// not fill a filesystem up to them).
    static func checkSpace(path: String, directory: String, size: UInt64) throws(BenchError) {
        var fs = statvfs()
        // Unknown, or a pseudo filesystem that counts no blocks (sysfs): the layout's own ENOSPC
        // still stops it.
        guard statvfs(directory, &fs) == 0, fs.f_blocks > 0 else { return }
        let (free, overflow) = UInt64(fs.f_bavail).multipliedReportingOverflow(by: UInt64(fs.f_frsize))
        // Stale layout temporaries are removed before the layout starts: their space counts.
        let available = free &+ LayoutTemporary.staleBytes(in: directory)
        if !overflow && available < size {
            throw .noSpaceForLayout(path: path, directory: directory, needed: size, available: available)
        }
    }

    /// A block device's size in bytes (BLKGETSIZE64), read through a read-only descriptor.
    static func deviceSize(_ path: String) throws(BenchError) -> UInt64 {
        let fd: Int32
        do { fd = try Syscalls.open(path, flags: O_RDONLY | O_CLOEXEC) } catch {
            throw .system(context: "cannot open '\(path)'", error: error)
        }
        defer { Syscalls.close(fd) }
        var bytes: UInt64 = 0
        let rc = CSystemShims_block_device_size(fd, &bytes)
        guard rc == 0 else { throw .system(context: "BLKGETSIZE64 on '\(path)'", error: Errno(negated: rc)) }
        return bytes
    }

    static func refuseMemory(_ st: stat, path: String, job: JobSpec) throws(BenchError) {
        if job.direct && !job.allowTmpfs, let backing = MemoryBacking.of(st, path: path) {
            throw .memoryWithDirectIO(path: path, backing: backing)
        }
    }

    static func linkTarget(_ path: String) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n >= 0 else { return "?" }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

import CSystemShims
import Glibc
import UringCore

/// What a job's `filename` names, opened once (TargetDescriptor) and checked through that
/// descriptor before anything is created or written, so a refused run leaves the directory as
/// it was and what was checked is what is written.
enum DataFileTarget {
    case existing(TargetDescriptor)
    case newFile(directory: String)

    /// The longest name a directory entry can have (NAME_MAX on every Linux filesystem).
    static let nameMax = 255

    static func inspect(_ job: JobSpec) throws(BenchError) -> DataFileTarget {
        let path = job.filename
        guard !path.isEmpty else { throw .emptyFilename }
        var link = stat()
        if lstat(path, &link) != 0 {
            let error = Errno.current
            guard error.rawValue == ENOENT else { throw .system(context: "cannot stat '\(path)'", error: error) }
            guard job.allowFileCreate else { throw .fileCreationForbidden(path: path) }
            return try inspectNew(path: path, directory: DataFile.directory(of: path), job: job)
        }
        let target: TargetDescriptor
        do { target = try TargetDescriptor(opening: path) } catch {
            guard error.rawValue == ENOENT else { throw .system(context: "cannot open '\(path)'", error: error) }
            if link.st_mode & S_IFMT == S_IFLNK { throw .danglingSymlink(path: path, target: linkTarget(path)) }
            throw .fileAppeared(path: path)     // removed between lstat and open: run again
        }
        try check(target, job: job)
        return .existing(target)
    }

    /// The size of the regular file or block device at `path`, read through one descriptor, for
    /// a job file without `size=` (fio then runs on the whole file); nil when nothing is there.
    /// Another kind of file is refused later by `check`, so it gives nil too. The run opens the
    /// path again and checks that it still holds this many bytes.
    static func existingSize(_ path: String) throws(BenchError) -> UInt64? {
        let target: TargetDescriptor
        do { target = try TargetDescriptor(opening: path) } catch {
            if error.rawValue == ENOENT { return nil }
            throw .system(context: "cannot open '\(path)'", error: error)
        }
        switch target.type {
        case S_IFREG: return UInt64(max(0, target.status.st_size))
        case S_IFBLK: return deviceSize(UInt64(target.status.st_rdev))
        default: return nil
        }
    }

    /// The checks every job makes of an existing target, through its descriptor.
    static func check(_ target: TargetDescriptor, job: JobSpec) throws(BenchError) {
        let path = target.path
        if let filesystem = PseudoFilesystem.name(of: target.fd) { throw .pseudoFile(path: path, filesystem: filesystem) }
        switch target.type {
        case S_IFREG:
            let size = UInt64(max(0, target.status.st_size))
            let needed = JobRegion.extent(job, foundSize: size)
            if size < needed { throw JobRegion.tooSmall(job, path: path, size: size, needed: needed, isDevice: false) }
        case S_IFBLK:
            if let size = deviceSize(UInt64(target.status.st_rdev)), size < JobRegion.extent(job, foundSize: size) {
                throw JobRegion.tooSmall(job, path: path, size: size, needed: JobRegion.extent(job, foundSize: size), isDevice: true)
            }
            if job.rw.writes && isReadOnly(UInt64(target.status.st_rdev)) { throw .readOnlyDevice(path: path) }
        case S_IFDIR: throw .unsupportedFileType(path: path, kind: "a directory")
        case S_IFIFO: throw .unsupportedFileType(path: path, kind: "a FIFO (named pipe)")
        case S_IFSOCK: throw .unsupportedFileType(path: path, kind: "a socket")
        case S_IFCHR: throw .unsupportedFileType(path: path, kind: "a character device")
        default: throw .unsupportedFileType(path: path, kind: "of an unknown file type")
        }
        if job.direct && !job.allowTmpfs, let backing = MemoryBacking.of(target.status, path: target.procPath) {
            throw .memoryWithDirectIO(path: path, backing: backing)
        }
    }

    /// May a write job write this target? Only files uringbench laid out take writes; anything
    /// else needs --allow-overwrite, and a device or file in use is refused even then. `reader`
    /// is a readable descriptor on the target (not O_DIRECT), `size` its size. Returns what will
    /// be overwritten (for the report), nil for uringbench's own file. A block device is checked
    /// once the run holds its O_EXCL claim, so nothing can claim it between check and use.
    static func checkWrite(_ job: JobSpec, target: TargetDescriptor, reader: Int32, size: UInt64) throws(BenchError) -> String? {
        guard job.rw.writes else { return nil }
        let path = target.path
        if target.type == S_IFBLK {
            if let use = BlockDeviceUsers.of(rdev: UInt64(target.status.st_rdev)) { throw .deviceInUse(path: path, use: use) }
            guard job.allowOverwrite else { throw .writeRefused(path: path, reason: "it is a block device") }
            return "'\(path)', a block device"
        }
        let ours = DataFile.layoutSeed(fd: reader, size: size) != nil
        // Other openers of uringbench's own file are other runs (a reader, say); of anyone
        // else's file, they are its users.
        if let use = BlockDeviceUsers.of(file: target.status, openers: !ours) { throw .deviceInUse(path: path, use: use) }
        if ours { return nil }
        guard job.allowOverwrite else {
            if DataFile.isEarlierFormat(fd: reader) { throw .earlierFormat(path: path) }
            throw .writeRefused(path: path, reason: "it was not laid out by uringbench (no uringbench header in its first and last sectors)")
        }
        return "'\(path)', a file uringbench did not lay out"
    }

    /// The refusal of a device whose O_EXCL open failed EBUSY: its users where they can be
    /// seen, else the claim itself (a mount in another mount namespace shows only as that).
    static func claimed(_ target: TargetDescriptor) -> BenchError {
        let rdev = UInt64(target.status.st_rdev)
        let name = BlockDeviceUsers.name(rdev) ?? "the device"
        return .deviceInUse(path: target.path, use: BlockDeviceUsers.of(rdev: rdev)
                            ?? "\(name) is claimed (mounted in another mount namespace, or held open exclusively)")
    }

    /// A path that does not exist yet: everything the layout will need, checked up front.
    static func inspectNew(path: String, directory: String, job: JobSpec) throws(BenchError) -> DataFileTarget {
        if path.hasSuffix("/") {
            throw .invalidOption("'\(path)' ends in '/', so it names a directory; pass a file path with --filename")
        }
        guard let dir = try? TargetDescriptor(opening: directory), dir.type == S_IFDIR else {
            throw .directoryMissing(directory: directory)
        }
        if let filesystem = PseudoFilesystem.name(of: dir.fd) { throw .pseudoFile(path: directory, filesystem: filesystem) }
        // /dev holds device nodes: a missing /dev/sdX is a typo, not a file to create in RAM.
        // (/dev/shm and other filesystems mounted below /dev have their own device number.)
        if let devStat = try? Syscalls.fileStatus("/dev"), let rootStat = try? Syscalls.fileStatus("/"),
           devStat.st_dev != rootStat.st_dev, dir.status.st_dev == devStat.st_dev {
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

    /// Refuses a layout that would not fit in the directory's filesystem with `layoutMargin` to
    /// spare: fstatvfs of the directory the file is created in, f_bavail × f_frsize, the "Avail"
    /// df shows (blocks reserved for root are not counted: a benchmark file should not fill a
    /// filesystem up to them).
    static func checkSpace(path: String, directory: String, size: UInt64) throws(BenchError) {
        guard let dir = try? TargetDescriptor(opening: directory) else { return }   // the layout's open says why
        var fs = statvfs()
        // Unknown, or a pseudo filesystem that counts no blocks (sysfs): the layout's own ENOSPC
        // still stops it.
        guard fstatvfs(dir.fd, &fs) == 0, fs.f_blocks > 0 else { return }
        let (free, overflow) = UInt64(fs.f_bavail).multipliedReportingOverflow(by: UInt64(fs.f_frsize))
        // Stale layout temporaries are removed before the layout starts: their space counts.
        let available = free &+ LayoutTemporary.staleBytes(in: directory)
        let (needed, tooLarge) = size.addingReportingOverflow(layoutMargin(for: size))
        if tooLarge || (!overflow && available < needed) {
            throw .noSpaceForLayout(path: path, directory: directory, needed: size, available: available)
        }
    }

    /// What a layout leaves free besides its own bytes: 1/64 of them, at least 1 MiB, for the
    /// file system's own metadata and for whatever else writes there during the run.
    static func layoutMargin(for size: UInt64) -> UInt64 { max(1 << 20, size / 64) }

    /// A block device's size in bytes from sysfs (`size`, in 512-byte sectors), read without
    /// opening the device; nil when sysfs does not say.
    static func deviceSize(_ rdev: UInt64) -> UInt64? {
        guard let text = Syscalls.readTextFile(BlockDeviceUsers.sysfs(rdev) + "/size"),
              let sectors = UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        let (bytes, overflow) = sectors.multipliedReportingOverflow(by: 512)
        return overflow ? nil : bytes
    }

    /// sysfs `ro`: set by losetup -r, blockdev --setro or a write-protected disk. Such a device
    /// opens read-write and fails at its first write (EPERM), so a write job is refused first.
    static func isReadOnly(_ rdev: UInt64) -> Bool {
        Syscalls.readTextFile(BlockDeviceUsers.sysfs(rdev) + "/ro")?.trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    static func linkTarget(_ path: String) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n >= 0 else { return "?" }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

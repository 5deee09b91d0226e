import CSystemShims
import Glibc

/// The file a job reads or writes: laid out by uringbench with `DataPattern` when it does not
/// exist. A read job opens it read-only; a write job opens it read-write only when uringbench
/// laid it out (its header says so), and writes put the same pattern back. A user's file or a
/// block device is never written, grown or truncated.
public final class DataFile {
    public let path: String
    public let fd: Int32
    /// Bytes available to read: the file's size (or device size).
    public let fileSize: UInt64
    /// The pattern seed when the file was laid out by uringbench, nil otherwise.
    public let patternSeed: UInt64?
    public let createdNow: Bool
    /// What a write job overwrites that uringbench did not lay out (--allow-overwrite), in words.
    public let overwritten: String?
    /// O_DIRECT offset/length alignment (logical block size) when direct, else 1.
    public let directAlignment: Int
    public let blockDevice: BlockDevice?
    public let isBlockDevice: Bool
    /// statfs's f_type of the file's filesystem; nil for a block device.
    public let filesystemType: Int?

    /// What happens while a file is laid out, for the CLI to show on stderr.
    public enum LayoutEvent: Sendable {
        case started(String)       // fio's "name: Laying out IO file (1 file / 1024MiB)"
        case progress(String)      // about once a second
        case finished(String)
        case notice(String)        // "removed stale layout temporary …"
    }
    public typealias Progress = @Sendable (LayoutEvent) -> Void

    /// Opens `job.filename` (read-write for a job that writes), laying it out first if it does
    /// not exist. Everything about the target is checked before anything is created, so a
    /// refused run leaves nothing.
    public init(job: JobSpec, progress: Progress? = nil) throws(BenchError) {
        let path = job.filename
        self.path = path
        let target = try DataFileTarget.inspect(job)
        // Checked before the file is opened for writing: only uringbench's own files take writes.
        let overwritten = try DataFileTarget.checkWrite(job, target: target)
        self.overwritten = overwritten
        if let overwritten { progress?(.notice("--allow-overwrite: this run writes over \(overwritten); what was there is lost where it writes")) }

        var created = false
        switch target {
        case .blockDevice:
            break   // read-only: never laid out, never written
        case .regularFile(let directory):
            DataFile.removeStaleTemporaries(in: directory, progress: progress)
        case .newFile(let directory):
            DataFile.removeStaleTemporaries(in: directory, progress: progress)
            try DataFileTarget.checkSpace(path: path, directory: directory, size: job.size)
            do {
                try DataFile.layOut(path: path, directory: directory, job: job, progress: progress)
                created = true
            } catch .fileAppeared(_) {
                // Another process finished first (a second uringbench, say): our copy was thrown
                // away and theirs is used like any existing file — read-only, if it is big enough.
                guard let st = try? Syscalls.fileStatus(path) else { throw .fileAppeared(path: path) }
                if st.st_mode & S_IFMT == S_IFREG && UInt64(st.st_size) < job.size {
                    throw .fileTooSmall(path: path, size: UInt64(st.st_size), needed: job.size)
                }
            }
        }
        self.createdNow = created

        var flags = (job.rw.writes ? O_RDWR : O_RDONLY) | O_CLOEXEC
        if job.direct { flags |= CSystemShims_O_DIRECT }
        flags |= job.openSync.openFlag
        // A block device written is opened exclusively: the kernel then refuses it if something
        // claimed it since the check, and refuses a mount of it while the run writes.
        if job.rw.writes, case .blockDevice = target { flags |= O_EXCL }
        let fd: Int32
        do { fd = try Syscalls.open(path, flags: flags) } catch {
            if error == .invalidArgument && job.direct { throw .directIOUnsupported(path: path) }
            if error.rawValue == EBUSY { throw .deviceInUse(path: path, use: "claimed by another user: open O_EXCL returned EBUSY") }
            throw .system(context: "cannot open '\(path)'", error: error)
        }
        self.fd = fd

        let st: stat
        do { st = try Syscalls.fstat(fd) } catch {
            Syscalls.close(fd)
            throw .system(context: "fstat '\(path)'", error: error)
        }
        let isBlockDevice = st.st_mode & S_IFMT == S_IFBLK
        self.isBlockDevice = isBlockDevice
        var size = UInt64(st.st_size)
        if isBlockDevice {
            var bytes: UInt64 = 0
            let rc = CSystemShims_block_device_size(fd, &bytes)
            guard rc == 0 else {
                Syscalls.close(fd)
                throw .system(context: "BLKGETSIZE64 on '\(path)'", error: Errno(negated: rc))
            }
            size = bytes
            if size < job.size {
                Syscalls.close(fd)
                throw .deviceTooSmall(path: path, size: size, needed: job.size)
            }
        }
        self.fileSize = size
        let device = BlockDevice.holding(st, isBlockDevice: isBlockDevice)
        self.blockDevice = device
        // A device node's filesystem is devtmpfs, which says nothing about where reads go.
        self.filesystemType = isBlockDevice ? nil : (try? Syscalls.filesystemType(path))

        var alignment = 1
        if job.direct {
            alignment = DataFile.directAlignment(fd: fd, device: device)
            if job.blockSize % alignment != 0 {
                Syscalls.close(fd)
                throw .blockSizeMisaligned(blockSize: job.blockSize, alignment: alignment, path: path)
            }
        }
        self.directAlignment = alignment

        // Learn the pattern seed from sector 0 (a buffered read: O_DIRECT alignment rules aside,
        // this must not disturb what the run measures beyond one sector).
        self.patternSeed = DataFile.readPatternSeed(path: path)
        if job.invalidate { DataFile.invalidateCache(fd, job: job, isBlockDevice: isBlockDevice) }
        // fio advises after dropping the cache, for every engine that does IO (not null).
        if job.engine.descriptor.transfersData, let advice = job.fadviseHint.advice(for: job.rw) {
            Syscalls.advise(fd, length: job.size, advice)
        }
    }

    /// fio's invalidate: a file's pages over the job's range only (filesetup.c
    /// `__file_invalidate_cache` advises DONTNEED over [file_offset, io_size)), a device's all
    /// (fio flushes the whole device with BLKFLSBUF).
    static func invalidateCache(_ fd: Int32, job: JobSpec, isBlockDevice: Bool) {
        Syscalls.dropCache(fd, length: isBlockDevice ? 0 : job.size)
    }

    /// fio's invalidate at the start of each pass (`loop_cache_invalidate`).
    func invalidateCache(_ job: JobSpec) { DataFile.invalidateCache(fd, job: job, isBlockDevice: isBlockDevice) }

    /// What the run's report says about the machine and where the file is.
    public var machine: MachineInfo {
        DataFile.machine(filesystemType: filesystemType, device: blockDevice, isBlockDevice: isBlockDevice)
    }

    static func machine(filesystemType: Int?, device: BlockDevice?, isBlockDevice: Bool) -> MachineInfo {
        var info = MachineInfo.current(filesystemType: filesystemType, device: device?.name)
        if isBlockDevice { info.filesystem = "none (block device)" }
        return info
    }

    /// The offset and length alignment O_DIRECT needs on `fd`: STATX_DIOALIGN where the kernel
    /// reports it, else the device's logical block size, else one sector.
    static func directAlignment(fd: Int32, device: BlockDevice?) -> Int {
        var memAlign: UInt32 = 0, offsetAlign: UInt32 = 0
        if CSystemShims_dio_alignment(fd, &memAlign, &offsetAlign) == 0, offsetAlign > 0 {
            return Int(offsetAlign)
        }
        return device?.logicalBlockSize ?? DataPattern.sectorSize
    }

    /// Removes layout temporaries that a killed run left in `directory` (see LayoutTemporary).
    static func removeStaleTemporaries(in directory: String, progress: Progress?) {
        guard access(directory, W_OK) == 0 else { return }
        for line in LayoutTemporary.removeStale(in: directory) { progress?(.notice(line)) }
    }

    deinit { Syscalls.close(fd) }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }

    static func readPatternSeed(path: String) -> UInt64? {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { Syscalls.close(fd) }
        return readPatternSeed(fd: fd)
    }

    /// --verify checks reads against the layout's pattern, so a job that reads needs a file
    /// uringbench laid out (a job that only writes checks what it wrote). One rule for a single
    /// job and for every thread of a group.
    func refuseUnverifiableReads(_ job: JobSpec) throws(BenchError) {
        guard job.verify && job.rw.reads && patternSeed == nil else { return }
        throw DataFile.isEarlierFormat(path: job.filename) ? .earlierFormat(path: job.filename) : .notLaidOutByUringbench(path: job.filename)
    }

    /// Whether `path` was laid out by an earlier uringbench whose pattern format this version
    /// no longer reads (so the error can say so, not "not laid out by uringbench").
    static func isEarlierFormat(path: String) -> Bool {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { Syscalls.close(fd) }
        return withUnsafeTemporaryAllocation(byteCount: DataPattern.sectorSize, alignment: 8) { raw -> Bool in
            guard let base = raw.baseAddress,
                  let n = try? Syscalls.pread(fd, base, DataPattern.sectorSize, 0),
                  n == DataPattern.sectorSize else { return false }
            return DataPattern.isEarlierFormat(header: base)
        }
    }

    /// The seed in the uringbench header of sector 0, nil when there is none.
    static func readPatternSeed(fd: Int32) -> UInt64? {
        withUnsafeTemporaryAllocation(byteCount: DataPattern.sectorSize, alignment: 8) { raw -> UInt64? in
            guard let base = raw.baseAddress,
                  let n = try? Syscalls.pread(fd, base, DataPattern.sectorSize, 0),
                  n == DataPattern.sectorSize else { return nil }
            return DataPattern.seed(inHeader: base, expectedOffset: 0)
        }
    }

    /// Writes the pattern to a hidden temporary file beside `path`, fsyncs it, then renames it
    /// into place with RENAME_NOREPLACE, so a file that appears meanwhile is never replaced and
    /// an interrupted layout never leaves a half-written file under the user's name. With
    /// O_DIRECT, the empty temporary is opened with it first, so a filesystem without O_DIRECT
    /// or a misaligned --bs is refused before anything is written.
    static func layOut(path: String, directory: String, job: JobSpec, progress: Progress?) throws(BenchError) {
        let size = job.size
        let base = path.split(separator: "/").last.map(String.init) ?? path
        let temporary = LayoutTemporary.name(for: path, directory: directory)
        let fd: Int32
        do { fd = try Syscalls.open(temporary, flags: O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode: 0o644) } catch {
            if [EACCES, EROFS, EPERM].contains(error.rawValue) { throw .directoryNotWritable(directory: directory) }
            throw .system(context: "cannot create '\(temporary)'", error: error)
        }
        var finished = false
        defer {
            if !finished { unlink(temporary) }
            Syscalls.close(fd)   // after the unlink: the lock keeps a sweeping run off until then
        }
        // Held until close; a run that finds the file unlocked knows its writer is gone.
        guard flock(fd, LOCK_EX) == 0 else { throw .system(context: "flock '\(temporary)'", error: .current) }
        if job.direct {
            let probe: Int32
            do { probe = try Syscalls.open(temporary, flags: O_RDONLY | O_CLOEXEC | CSystemShims_O_DIRECT) } catch {
                if error == .invalidArgument { throw .directIOUnsupported(path: path) }
                throw .system(context: "cannot open '\(temporary)'", error: error)
            }
            let st = try? Syscalls.fstat(probe)
            let alignment = directAlignment(fd: probe, device: st.flatMap { BlockDevice.holding($0, isBlockDevice: false) })
            Syscalls.close(probe)
            if job.blockSize % alignment != 0 {
                throw .blockSizeMisaligned(blockSize: job.blockSize, alignment: alignment, path: path)
            }
        }
        progress?(.started("\(base): Laying out IO file (1 file / \(formatBytes(size).replacingOccurrences(of: " ", with: "")))"))
        let chunk = 1 << 20
        let buffers: AlignedBuffers
        do { buffers = try AlignedBuffers(count: 1, size: chunk) } catch { throw error }
        var written: UInt64 = 0
        var lastReport = MonotonicClock.now()
        let pattern = SectorPattern(seed: job.randSeed, flags: 0)
        defer { pattern.deallocate() }
        while written < size {
            if CSystemShims_stop_requested() != 0 { throw .interrupted(during: "file layout (the partial file was removed)") }
            let length = Int(min(UInt64(chunk), size - written))
            let rounded = (length + DataPattern.sectorSize - 1) / DataPattern.sectorSize * DataPattern.sectorSize
            // Chunks start at multiples of 1 MiB: after the first, the payloads are in place.
            pattern.fill(buffers.base, length: rounded, fileOffset: written, generation: 0, payloadInPlace: written > 0)
            do { try Syscalls.writeAll(fd, buffers.base, length) } catch {
                if error.rawValue == ENOSPC { throw .system(context: "no space left for \(formatBytes(size)) in '\(directory)'", error: error) }
                throw .system(context: "writing '\(temporary)'", error: error)
            }
            if written == 0 {
                // The first chunk carries the header that marks the temporary as uringbench's;
                // only then is the rest preallocated. Preallocation is an optimisation:
                // filesystems without it still take the writes.
                do { try Syscalls.fallocate(fd, length: size) } catch {
                    if error.rawValue == ENOSPC { throw .system(context: "no space left for \(formatBytes(size)) in '\(directory)'", error: error) }
                    // Beyond the filesystem's largest file (16 TiB on ext4): the writes would fail there too.
                    if error.rawValue == EFBIG { throw .system(context: "the filesystem of '\(directory)' cannot hold a \(formatBytes(size)) file", error: error) }
                }
            }
            written += UInt64(length)
            let now = MonotonicClock.now()
            if now - lastReport > 1_000_000_000 {
                lastReport = now
                progress?(.progress("\(base): laid out \(formatBytes(written)) of \(formatBytes(size))"))
            }
        }
        do { try Syscalls.fsync(fd) } catch { throw .system(context: "fsync '\(temporary)'", error: error) }
        do { try Syscalls.renameNoReplace(temporary, path) } catch {
            if error.rawValue == EEXIST { throw .fileAppeared(path: path) }
            throw .system(context: "renaming '\(temporary)' to '\(path)'", error: error)
        }
        finished = true
        progress?(.finished("\(base): laid out \(formatBytes(size)), pattern seed \(job.randSeed)"))
    }
}

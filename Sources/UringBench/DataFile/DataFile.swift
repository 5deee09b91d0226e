import CSystemShims
import Glibc
import UringCore

/// The file a job reads or writes: laid out by uringbench with `DataPattern` when it does not
/// exist. A read job opens it read-only; a write job opens it read-write only when uringbench
/// laid it out (its first and last sectors say so), and writes put the same pattern back. A
/// user's file or a block device is never written, grown or truncated without --allow-overwrite,
/// and never when something uses it. The path is opened once (TargetDescriptor); every check
/// and every IO goes through that descriptor.
public final class DataFile {
    public let path: String
    public let fd: Int32
    /// Bytes available to read: the file's size (or device size).
    let fileSize: UInt64
    /// The file's size as found before the run; nil when uringbench laid it out now (fio's
    /// offset=P% is a share of this, 0 for a new file).
    let foundSize: UInt64?
    /// The part of the file this job's IOs go to (offset, offset_increment, size, filesize).
    let region: JobRegion
    /// The pattern seed when the file was laid out by uringbench, nil otherwise.
    let patternSeed: UInt64?
    /// Sector 0 carries an earlier uringbench's magic (for the message refusing --verify).
    let isEarlierFormat: Bool
    let createdNow: Bool
    /// What a write job overwrites that uringbench did not lay out (--allow-overwrite), in words.
    public let overwritten: String?
    /// O_DIRECT offset/length alignment (logical block size) when direct, else 1.
    let directAlignment: Int
    let blockDevice: BlockDevice?
    let isBlockDevice: Bool
    /// statfs's f_type of the file's filesystem; nil for a block device.
    let filesystemType: Int?
    /// The flags `fd` was opened with (O_DIRECT included), for the group's other jobs.
    let openFlags: Int32

    /// What happens while a file is laid out, for the CLI to show on stderr.
    public enum LayoutEvent: Sendable {
        case started(String)       // fio's "name: Laying out IO file (1 file / 1024MiB)"
        /// About once a second, with the rate and the time left; `log`: also for a log (not a
        /// terminal), which gets one now and then (LayoutProgress).
        case progress(String, log: Bool)
        case finished(String)
        case notice(String)        // "removed stale layout temporary …"
    }
    public typealias Progress = @Sendable (LayoutEvent) -> Void

    /// Opens `job.filename` (read-write for a job that writes), laying it out first if it does
    /// not exist. Everything about the target is checked before anything is created, so a
    /// refused run leaves nothing.
    /// `jobIndex`: the job's number in its numjobs group, which places its region (offset_increment).
    public convenience init(job: JobSpec, jobIndex: Int = 0, progress: Progress? = nil) throws(BenchError) {
        let (target, created) = try DataFile.locate(job, progress: progress)
        try self.init(job: job, target: target, created: created, jobIndex: jobIndex, progress: progress)
    }

    /// The job's file, or none for an engine that moves no data: fio's null engine is diskless
    /// (FIO_DISKLESSIO) and neither creates nor opens `filename=`, so neither does uringbench.
    public static func opened(for job: JobSpec, jobIndex: Int = 0, progress: Progress? = nil) throws(BenchError) -> DataFile {
        job.engine.descriptor.transfersData ? try DataFile(job: job, jobIndex: jobIndex, progress: progress) : try DataFile(diskless: job)
    }

    /// A stand-in for a diskless engine: an empty anonymous memory file, so that what a job does
    /// to its descriptor besides IO (an end fsync, a cache drop) is harmless and touches no path.
    init(diskless job: JobSpec) throws(BenchError) {
        let fd = CSystemShims_memfd("uringbench-diskless")
        guard fd >= 0 else { throw .system(context: "cannot create the null engine's stand-in file (memfd_create)", error: Errno(rawValue: -fd)) }
        self.fd = fd
        path = job.filename; fileSize = job.size; patternSeed = nil; isEarlierFormat = false
        createdNow = false; overwritten = nil; directAlignment = 1; blockDevice = nil
        isBlockDevice = false; filesystemType = nil; openFlags = O_RDWR | O_CLOEXEC
        foundSize = nil; region = JobRegion.of(job, jobIndex: 0, foundSize: nil)
    }

    /// The target, checked: an existing file as found, or the file laid out now. A file that
    /// appears at the path while the layout runs is not the layout's: the layout is removed and
    /// the file found there is checked as any existing target.
    static func locate(_ job: JobSpec, progress: Progress?) throws(BenchError) -> (TargetDescriptor, created: Bool) {
        let path = job.filename
        switch try DataFileTarget.inspect(job) {
        case .existing(let target):
            if target.type == S_IFREG { removeStaleTemporaries(in: directory(of: path), progress: progress) }
            return (target, false)
        case .newFile(let directory):
            removeStaleTemporaries(in: directory, progress: progress)
            try DataFileTarget.checkSpace(path: path, directory: directory, size: JobRegion.extent(job, foundSize: nil))
            if let laidOut = try layOut(path: path, directory: directory, job: job, progress: progress) { return (laidOut, true) }
            progress?(.notice("'\(path)' appeared while uringbench laid it out: the layout was removed, and the file found there is checked as any existing file"))
            guard case .existing(let target) = try DataFileTarget.inspect(job) else { throw .fileAppeared(path: path) }
            return (target, false)
        }
    }

    init(job: JobSpec, target: TargetDescriptor, created: Bool, jobIndex: Int = 0, progress: Progress?) throws(BenchError) {
        path = job.filename
        createdNow = created
        let isBlockDevice = target.type == S_IFBLK
        self.isBlockDevice = isBlockDevice
        // O_DIRECT comes after the header reads (a 512-byte pread needs no alignment then).
        var flags = (job.rw.writes ? O_RDWR : O_RDONLY) | O_CLOEXEC | job.openSync.openFlag
        // A block device written is opened exclusively: the kernel then refuses it while
        // anything else claims it (a mount in any namespace), and refuses a mount of it while
        // the run writes. It is checked for other users once this claim is held.
        if job.rw.writes && isBlockDevice { flags |= O_EXCL }
        TestPause.at(TestPause.dataFileOpen)
        let fd: Int32
        do { fd = try target.reopen(flags: flags) } catch {
            if error.rawValue == EBUSY { throw DataFileTarget.claimed(target) }
            if error.rawValue == EROFS { throw .readOnlyDevice(path: path) }
            throw .system(context: "cannot open '\(path)'", error: error)
        }
        self.fd = fd
        // The checks below read header sectors with readahead off: read ahead, they would leave
        // pages cached, and readahead marks that a later --uncached run triggers (fio reads
        // nothing here). NORMAL after them is the state of a fresh open; prepare() advises.
        Syscalls.advise(fd, length: 0, POSIX_FADV_RANDOM)
        do throws(BenchError) {
            let size = try DataFile.size(of: fd, target: target, job: job)
            fileSize = size
            foundSize = created ? nil : size
            region = JobRegion.of(job, jobIndex: jobIndex, foundSize: foundSize)
            overwritten = try created ? nil : DataFileTarget.checkWrite(job, target: target, reader: fd, size: size)
            if let overwritten { progress?(.notice("--allow-overwrite: this run writes over \(overwritten); what was there is lost where it writes")) }
            patternSeed = DataFile.layoutSeed(fd: fd, size: size)
            isEarlierFormat = patternSeed == nil && DataFile.isEarlierFormat(fd: fd)
            Syscalls.advise(fd, length: 0, POSIX_FADV_NORMAL)
            let device = BlockDevice.holding(target.status, isBlockDevice: isBlockDevice)
            blockDevice = device
            // A device node's filesystem is devtmpfs, which says nothing about where reads go.
            filesystemType = isBlockDevice ? nil : (try? Syscalls.filesystemType(target.procPath))
            directAlignment = try DataFile.enableDirect(fd: fd, device: device, job: job)
            openFlags = flags | (job.direct ? CSystemShims_O_DIRECT : 0)
        } catch {
            Syscalls.close(fd)
            throw error
        }
        prepare(job)
    }

    /// Another job of the same group on `first`'s file: opened through its descriptor with the
    /// same access but not O_EXCL, so the group holds one claim on a device (the first job's),
    /// and with this job's own O_DIRECT and sync flags (jobs of a group on one file may differ).
    init(sharing first: DataFile, job: JobSpec, jobIndex: Int) throws(BenchError) {
        let flags = (first.openFlags & ~(O_EXCL | CSystemShims_O_DIRECT | O_SYNC | O_DSYNC)) | job.openSync.openFlag
        do { fd = try Syscalls.open("/proc/self/fd/\(first.fd)", flags: flags) } catch {
            throw .system(context: "cannot open '\(first.path)' again for job 2 onwards", error: error)
        }
        path = first.path; fileSize = first.fileSize; patternSeed = first.patternSeed
        foundSize = first.foundSize; region = JobRegion.of(job, jobIndex: jobIndex, foundSize: first.foundSize)
        isEarlierFormat = first.isEarlierFormat; createdNow = false; overwritten = first.overwritten
        blockDevice = first.blockDevice
        isBlockDevice = first.isBlockDevice; filesystemType = first.filesystemType
        do { directAlignment = try DataFile.enableDirect(fd: fd, device: first.blockDevice, job: job) } catch {
            Syscalls.close(fd)
            throw error
        }
        openFlags = flags | (job.direct ? CSystemShims_O_DIRECT : 0)
        prepare(job)
    }

    /// The cache drop and fadvise fio makes before a job's IO.
    private func prepare(_ job: JobSpec) {
        if job.invalidate { invalidateCache() }
        // fio advises after dropping the cache, for every engine that does IO (not null).
        if job.engine.descriptor.transfersData, let advice = job.fadviseHint.advice(for: job.rw) {
            Syscalls.advise(fd, offset: region.start, length: region.length, advice)
        }
    }

    /// The bytes fio's invalidate drops (length 0: all): a file's pages over the job's region only
    /// (filesetup.c `__file_invalidate_cache` advises DONTNEED over [file_offset, io_size)), a
    /// device's all (fio flushes the whole device with BLKFLSBUF).
    var invalidateRange: JobRegion { isBlockDevice ? JobRegion(start: 0, length: 0) : region }

    /// fio's invalidate before a job's IO (each pass's is `PassCacheDrop`).
    func invalidateCache() { Syscalls.dropCache(fd, offset: invalidateRange.start, length: invalidateRange.length) }

    /// The bytes `fd` holds: the file's size, or a device's (BLKGETSIZE64), which --size must fit.
    static func size(of fd: Int32, target: TargetDescriptor, job: JobSpec) throws(BenchError) -> UInt64 {
        guard target.type == S_IFBLK else { return UInt64(max(0, target.status.st_size)) }
        var bytes: UInt64 = 0
        let rc = CSystemShims_block_device_size(fd, &bytes)
        guard rc == 0 else { throw .system(context: "BLKGETSIZE64 on '\(target.path)'", error: Errno(negated: rc)) }
        let needed = JobRegion.extent(job, foundSize: bytes)
        if bytes < needed { throw JobRegion.tooSmall(job, path: target.path, size: bytes, needed: needed, isDevice: true) }
        return bytes
    }

    /// Turns O_DIRECT on for a direct job (F_SETFL; EINVAL where the filesystem has none) and
    /// returns the alignment it needs, 1 otherwise.
    static func enableDirect(fd: Int32, device: BlockDevice?, job: JobSpec) throws(BenchError) -> Int {
        guard job.direct else { return 1 }
        if fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | CSystemShims_O_DIRECT) != 0 {
            let error = Errno.current
            if error == .invalidArgument { throw .directIOUnsupported(path: job.filename) }
            throw .system(context: "enabling O_DIRECT on '\(job.filename)'", error: error)
        }
        let alignment = directAlignment(fd: fd, device: device)
        if job.blockSize % alignment != 0 {
            throw .blockSizeMisaligned(blockSize: job.blockSize, alignment: alignment, path: job.filename)
        }
        return alignment
    }

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

    /// --verify checks reads against the layout's pattern, so a job that reads needs a file
    /// uringbench laid out (a job that only writes checks what it wrote). One rule for a single
    /// job and for every thread of a group.
    func refuseUnverifiableReads(_ job: JobSpec) throws(BenchError) {
        guard job.verify && job.rw.reads && patternSeed == nil else { return }
        throw isEarlierFormat ? .earlierFormat(path: job.filename) : .notLaidOutByUringbench(path: job.filename)
    }

    /// Whether sector 0 of `fd` carries the magic of an earlier uringbench's pattern, whose
    /// format this version no longer reads (so the error can say so, not "not laid out by
    /// uringbench").
    static func isEarlierFormat(fd: Int32) -> Bool {
        withSector(of: fd, at: 0) { DataPattern.isEarlierFormat(header: $0) } ?? false
    }

    /// The seed of a file uringbench laid out, nil for any other: its first and its last whole
    /// sector (of `size` bytes) both carry an intact header for their own offset, with one
    /// seed. A copied first sector alone does not make a file uringbench's. Every layout writes
    /// every sector, so each file an earlier URBENCH3 layout wrote passes too.
    static func layoutSeed(fd: Int32, size: UInt64) -> UInt64? {
        let sector = UInt64(DataPattern.sectorSize)
        guard size >= sector, let first = headerSeed(fd: fd) else { return nil }
        let last = (size / sector - 1) * sector
        let lastSeed = withSector(of: fd, at: last) { DataPattern.seed(inHeader: $0, expectedOffset: last) } ?? nil
        return lastSeed == first ? first : nil
    }

    /// The seed in the uringbench header of sector 0, nil when there is none: what marks a
    /// layout temporary, whose last sector may not be written yet.
    static func headerSeed(fd: Int32) -> UInt64? {
        withSector(of: fd, at: 0) { DataPattern.seed(inHeader: $0, expectedOffset: 0) } ?? nil
    }

    /// `body` over the 512 bytes at `offset` of `fd` (pread), nil when they cannot be read.
    static func withSector<T>(of fd: Int32, at offset: UInt64, _ body: (UnsafeRawPointer) -> T) -> T? {
        withUnsafeTemporaryAllocation(byteCount: DataPattern.sectorSize, alignment: 8) { raw -> T? in
            guard let base = raw.baseAddress,
                  let n = try? Syscalls.pread(fd, base, DataPattern.sectorSize, offset),
                  n == DataPattern.sectorSize else { return nil }
            return body(base)
        }
    }

    /// Writes the pattern to a hidden temporary file beside `path`, fsyncs it, then renames it
    /// into place with RENAME_NOREPLACE, so a file that appears meanwhile is never replaced and
    /// an interrupted layout never leaves a half-written file under the user's name. With
    /// O_DIRECT, the empty temporary is opened with it first, so a filesystem without O_DIRECT
    /// or a misaligned --bs is refused before anything is written. Returns the laid-out file
    /// by the layout's own descriptor, or nil when a file appeared at `path` meanwhile (the
    /// layout is then removed).
    static func layOut(path: String, directory: String, job: JobSpec, progress: Progress?) throws(BenchError) -> TargetDescriptor? {
        // Every job's region of the group (fio lays out offset + size, or filesize).
        let size = JobRegion.extent(job, foundSize: nil)
        let base = path.split(separator: "/").last.map(String.init) ?? path
        let temporary = LayoutTemporary.name(for: path, directory: directory)
        let fd: Int32
        do { fd = try Syscalls.open(temporary, flags: O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode: 0o644) } catch {
            if [EACCES, EROFS, EPERM].contains(error.rawValue) { throw .directoryNotWritable(directory: directory) }
            throw .system(context: "cannot create '\(temporary)'", error: error)
        }
        var finished = false
        defer {
            if !finished {
                unlink(temporary)
                Syscalls.close(fd)   // after the unlink: the lock keeps a sweeping run off until then
            }
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
        var shown = LayoutProgress(name: base, total: size, start: MonotonicClock.now())
        let pattern = SectorPattern(seed: job.randSeed, flags: 0)
        defer { pattern.deallocate() }
        while written < size {
            if StopLatch.requested { throw .interrupted(during: "file layout (the partial file was removed)") }
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
            if written == UInt64(length) { TestPause.at(TestPause.layoutChunk) }
            if let event = shown.event(written: written, now: MonotonicClock.now()) { progress?(event) }
        }
        do { try Syscalls.fsync(fd) } catch { throw .system(context: "fsync '\(temporary)'", error: error) }
        TestPause.at(TestPause.layoutRename)
        do { try Syscalls.renameNoReplace(temporary, path) } catch {
            if error.rawValue == EEXIST { return nil }
            throw .system(context: "renaming '\(temporary)' to '\(path)'", error: error)
        }
        finished = true
        progress?(.finished("\(base): laid out \(formatBytes(size)), pattern seed \(job.randSeed)"))
        // The run writes this file, whatever its name leads to from now on.
        do { return try TargetDescriptor(adopting: fd, path: path) } catch {
            throw .system(context: "fstat '\(path)'", error: error)
        }
    }
}

import Glibc
import UringCore

/// `mmap` (fio's mmap engine, engines/mmap.c): the job's range of the file mapped MAP_SHARED
/// once; a read is a memcpy from the mapping into the IO's buffer, a write a memcpy into the
/// mapping, fsync and fdatasync are msync(MS_SYNC) of the whole mapping. Page faults, not
/// system calls, move the data: they show in the memory figures, not in the syscall count.
public final class MmapEngine: SynchronousEngine {
    public static let madviseOption = EngineOption(
        name: "madvise", fioName: nil, isFlag: false, range: 0...(MmapAdvice.allCases.count - 1),
        help: "mmap: madvise(2) for the mapping: normal, random, sequential or hugepage (default: follow --fadvise-hint, as fio does).")

    static let descriptor = EngineDescriptor(
        kind: .mmap, summary: "memcpy to and from a shared mapping of the file, page faults do the IO", fioEngine: "mmap", isSynchronous: true,
        options: [madviseOption],
        probe: { EngineAvailability(engine: .mmap, available: true, reason: nil, detail: "mmap(2) MAP_SHARED + memcpy, msync(2)") },
        probeDetails: { ["mmap --madvise hugepage: transparent huge pages \(transparentHugePages)"] },
        start: { context, driver throws(BenchError) in try driver.drive(MmapEngine(context)) })

    /// /sys/kernel/mm/transparent_hugepage/enabled as read, e.g. "always [madvise] never".
    static var transparentHugePages: String {
        Syscalls.readTextFile("/sys/kernel/mm/transparent_hugepage/enabled")
            .map { "enabled=\($0.trimmingCharacters(in: .whitespacesAndNewlines))" } ?? "not found in sysfs"
    }

    private let base: UnsafeMutableRawPointer
    private let length: Int
    private let buffers: AlignedBuffers
    /// --direct 1: fio's emulation, msync and MADV_DONTNEED after each IO.
    private let dropAfterIO: Bool
    private let baseSetup: EngineSetup

    public init(_ context: EngineContext) throws(BenchError) {
        let job = context.job
        buffers = context.buffers
        let blockSize = context.job.blockSize
        dropAfterIO = job.direct
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        // fio's fio_mmapio_init: msync and madvise work on whole pages.
        if blockSize % pageSize != 0 && (job.direct || job.fsyncEvery > 0 || job.fdatasyncEvery > 0) {
            throw .invalidOption("mmap with --direct 1, --fsync or --fdatasync works on whole pages: --bs \(blockSize) is not a multiple of the \(pageSize)-byte page; use --bs \(max(pageSize, blockSize / pageSize * pageSize))")
        }
        // From the file's start through the job's region (its offset and size), as fio maps
        // what the job's IOs reach.
        let reach = (context.region ?? JobRegion(start: 0, length: job.size)).end
        guard let length = Int(exactly: reach), length > 0 else {
            throw .invalidOption("mmap maps the job's --offset and --size (\(reach) bytes) at once, which does not fit the address space; use a smaller --size")
        }
        self.length = length
        let protection = job.rw.writes ? PROT_READ | PROT_WRITE : PROT_READ
        let mapped = mmap(nil, length, protection, MAP_SHARED, context.fd, 0)
        guard let mapped, mapped != MAP_FAILED else {
            throw .system(context: "mmap of the job's \(length) bytes (MAP_SHARED)", error: Errno.current)
        }
        base = mapped
        let advice = job.engineOptions[Self.madviseOption].flatMap(MmapAdvice.init(code:))
            ?? MmapAdvice.following(job.fadviseHint, mode: job.rw)
        do throws(BenchError) {
            try Self.advise(mapped, length: length, advice)
        } catch {
            munmap(mapped, length)
            throw error
        }
        // As fio: no page of the mapping is mapped yet, so the first touch of each faults.
        _ = madvise(mapped, length, MADV_DONTNEED)
        var setup = EngineSetup(engine: .mmap, description: "memcpy to/from a MAP_SHARED \(protection & PROT_WRITE != 0 ? "read-write" : "read-only") mapping of the job's \(length) bytes, msync(MS_SYNC) for fsync/fdatasync, madvise \(advice.map { "MADV_\($0.rawValue.uppercased())" } ?? "none")")
        if job.direct {
            setup.notes.append("mmap with --direct 1 does what fio does (\"not really direct\"): msync(MS_SYNC) and MADV_DONTNEED of each IO's pages after it; the data still goes through the page cache")
        }
        if let note = Self.depthNote(.mmap, iodepth: job.iodepth) { setup.notes.append(note) }
        baseSetup = setup
    }

    /// MADV_HUGEPAGE is refused with the kernel's reason; the other advice is advisory, as in fio.
    static func advise(_ mapping: UnsafeMutableRawPointer, length: Int, _ advice: MmapAdvice?) throws(BenchError) {
        guard let advice else { return }
        if madvise(mapping, length, advice.advice) != 0 && advice == .hugepage {
            throw .engineUnavailable(reason: "mmap --madvise hugepage: madvise(MADV_HUGEPAGE) failed with \(Errno.current.name) (transparent huge pages \(transparentHugePages)); use another --madvise")
        }
    }

    deinit { munmap(base, length) }

    /// The setup, with how much of the mapping is in huge pages now (the runner reads this
    /// once the measured interval has ended).
    public var setup: EngineSetup {
        var setup = baseSetup
        if let huge = MappingHugePages.read(start: UInt(bitPattern: base)) {
            setup.notes.append("huge pages: \(huge.description)")
        }
        return setup
    }

    @inline(__always)
    private func dropPages(at target: UnsafeMutableRawPointer, length: Int) throws(Errno) {
        if msync(target, length, MS_SYNC) != 0 { throw Errno.current }
        if madvise(target, length, MADV_DONTNEED) != 0 { throw Errno.current }
    }

    @inline(__always)
    public func queue(slot: Int, offset: UInt64, length: Int, direction: IODirection) throws(Errno) -> QueueResult {
        let target = base + Int(truncatingIfNeeded: offset)
        switch direction {
        case .read:
            memcpy(buffers.buffer(slot), target, length)
            if dropAfterIO { try dropPages(at: target, length: length) }
            return .completed(length)
        case .write:
            memcpy(target, buffers.buffer(slot), length)
            if dropAfterIO { try dropPages(at: target, length: length) }
            return .completed(length)
        case .sync, .datasync:
            if msync(base, length, MS_SYNC) != 0 { throw Errno.current }
            return .completed(0)
        }
    }
}

extension EngineKind {
    public static let mmap = EngineKind(declaring: "mmap")       // mmap(2) + memcpy
}

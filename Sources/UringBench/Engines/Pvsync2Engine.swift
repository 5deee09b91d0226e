import CSystemShims
import Glibc
import UringCore

/// `pvsync2` (fio's pvsync2 engine): preadv2(2)/pwritev2(2) of one iovec with per-IO flags:
/// --hipri (RWF_HIPRI), --nowait (RWF_NOWAIT), --uncached (RWF_DONTCACHE).
public final class Pvsync2Engine: SynchronousEngine {
    static let descriptor = EngineDescriptor(
        kind: .pvsync2, summary: "preadv2/pwritev2(2) with RWF_ flags, one IO at a time", fioEngine: "pvsync2", isSynchronous: true,
        options: [ReadWriteFlags.hipriOption, ReadWriteFlags.nowaitOption, ReadWriteFlags.uncachedOption],
        probe: { EngineAvailability(engine: .pvsync2, available: true, reason: nil, detail: "preadv2(2)/pwritev2(2)") },
        probeDetails: {
            ["pvsync2 --hipri: RWF_HIPRI acts only with O_DIRECT on a disk with poll queues; \(ReadWriteFlags.pollQueueSummary())",
             "pvsync2 --uncached: \(ReadWriteFlags.dontcacheSummary(directory: "."))"]
        },
        start: { context, driver throws(BenchError) in try driver.drive(Pvsync2Engine(context)) })

    private let fd: Int32
    private let buffers: AlignedBuffers
    private let flags: Int32
    private let vector: SingleIOVector
    public let setup: EngineSetup

    /// Refuses, before any IO is measured, a flag the file's file system or the page cache
    /// would turn into a failed IO; records as ignored a flag the kernel would not act on.
    public init(_ context: EngineContext) throws(BenchError) {
        fd = context.fd
        buffers = context.buffers
        let blockSize = context.job.blockSize
        let options = context.job.engineOptions
        let direct = context.job.direct
        var flags: Int32 = 0
        var setup = EngineSetup(engine: .pvsync2, description: "")
        var ignored: [String] = []
        if options.isSet(ReadWriteFlags.uncachedOption) {
            try ReadWriteFlags.requireUncached(job: context.job, fd: fd, buffer: buffers.buffer(0), length: blockSize)
            flags |= ReadWriteFlags.dontcache
        }
        if options.isSet(ReadWriteFlags.nowaitOption) {
            if context.job.rw.reads, let error = ReadWriteFlags.probeRead(fd: fd, buffer: buffers.buffer(0), length: blockSize, flags: ReadWriteFlags.nowait) {
                let why = error.rawValue == EAGAIN
                    ? "EAGAIN: the read would block (\(direct ? "the device could not take it at once" : "the block is not in the page cache")), and under --nowait every such IO fails, as in fio"
                    : "\(error.name) (\(error))"
                throw .engineUnavailable(reason: "--nowait: a preadv2 of the first block with RWF_NOWAIT returned \(why); drop --nowait\(direct ? "" : ", or run with the file cached (--invalidate 0 after a warm-up run)")")
            }
            flags |= ReadWriteFlags.nowait
        }
        if options.isSet(ReadWriteFlags.hipriOption) {
            let queues = ReadWriteFlags.pollQueues(fd: fd)
            if !direct {
                ignored.append("--hipri: RWF_HIPRI ignored by the kernel: buffered IO is served by the page cache, which has nothing to poll (use --direct 1)")
            } else if let queues, queues.available {
                setup.notes.append("--hipri: RWF_HIPRI polls \(queues.description)")
            } else {
                ignored.append("--hipri: RWF_HIPRI ignored by the kernel: \(queues?.description ?? "the file's disk was not found in sysfs"); the IOs completed by interrupt")
            }
            // Passed as fio passes it: the kernel decides, and the report says what it did.
            flags |= ReadWriteFlags.hipri
        }
        self.flags = flags
        vector = SingleIOVector(length: context.bufferSize)
        setup.description = "preadv2/pwritev2(2) of one iovec, flags=\(Self.flagNames(flags)), fsync/fdatasync(2), synchronous, depth 1"
        if !ignored.isEmpty { setup.ignored = ignored }
        if let note = Self.depthNote(.pvsync2, iodepth: context.job.iodepth) { setup.notes.append(note) }
        self.setup = setup
    }

    deinit { vector.deallocate() }

    static func flagNames(_ flags: Int32) -> String {
        let names = [(ReadWriteFlags.hipri, "RWF_HIPRI"), (ReadWriteFlags.nowait, "RWF_NOWAIT"), (ReadWriteFlags.dontcache, "RWF_DONTCACHE")]
            .filter { flags & $0.0 != 0 }.map(\.1)
        return names.isEmpty ? "0" : names.joined(separator: "|")
    }

    @inline(__always)
    public func queue(slot: Int, offset: UInt64, length: Int, direction: IODirection) throws(Errno) -> QueueResult {
        let iov = vector.covering(buffers.buffer(slot), length: length)
        let at = off_t(Int64(bitPattern: offset))
        switch direction {
        case .read: return .completed(try Syscalls.retryingNegatedOnInterrupt { CSystemShims_preadv2(fd, iov, 1, at, flags) })
        case .write: return .completed(try Syscalls.retryingNegatedOnInterrupt { CSystemShims_pwritev2(fd, iov, 1, at, flags) })
        case .sync, .datasync: return try Self.syncFile(fd, direction)
        }
    }
}

extension EngineKind {
    static let pvsync2 = EngineKind(declaring: "pvsync2")   // preadv2(2) with RWF_ flags
}

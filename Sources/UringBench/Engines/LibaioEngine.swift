import CLibaio
import Glibc
import UringCore

/// `libaio`: Linux native AIO through io_setup/io_submit/io_getevents.
public final class LibaioEngine: IOEngine {
    static let descriptor = EngineDescriptor(
        kind: .libaio, summary: "Linux native AIO: io_submit/io_getevents", fioEngine: "libaio", isSynchronous: false, reapsWithTimeout: true,
        probe: probe,
        probeDetails: { EngineProbe.aioLimits().map { ["libaio: \($0)"] } ?? [] },
        start: { context, driver throws(BenchError) in try driver.drive(LibaioEngine(context)) })

    /// Creates (and destroys) a one-entry AIO context.
    @Sendable static func probe() -> EngineAvailability {
        var ctx: io_context_t? = nil
        let rc = io_setup(1, &ctx)
        guard rc == 0 else {
            return EngineAvailability(engine: .libaio, available: false,
                                      reason: setupError(Errno(negated: rc), depth: 1).description, detail: nil)
        }
        _ = io_destroy(ctx)
        return EngineAvailability(engine: .libaio, available: true, reason: nil, detail: "io_setup/io_submit/io_getevents")
    }

    private let context: io_context_t?
    private let fd: Int32
    private let buffers: AlignedBuffers
    private let depth: Int
    private let iocbs: UnsafeMutablePointer<iocb>            // one per slot
    private let pending: UnsafeMutablePointer<UnsafeMutablePointer<iocb>?>   // queued, not submitted
    // Touched on every IO by one thread only: skip the runtime exclusivity check.
    @exclusivity(unchecked) private var pendingCount = 0
    private let events: UnsafeMutablePointer<io_event>
    public let setup: EngineSetup

    static func setupError(_ error: Errno, depth: Int) -> BenchError {
        switch error.rawValue {
        case ENOSYS: return .libaioUnavailable(reason: "io_setup returned ENOSYS (kernel without CONFIG_AIO, or blocked by seccomp); use --engine io_uring or psync")
        case EAGAIN: return .libaioUnavailable(reason: "io_setup returned EAGAIN: fs.aio-max-nr is exhausted; raise it (sysctl -w fs.aio-max-nr=1048576) or lower --iodepth")
        default: return .libaioUnavailable(reason: "io_setup(\(depth)) failed: \(error.name) (\(error))")
        }
    }

    public init(_ ctx: EngineContext) throws(BenchError) {
        fd = ctx.fd
        buffers = ctx.buffers
        depth = ctx.depth
        var handle: io_context_t? = nil
        let rc = io_setup(Int32(depth), &handle)
        if rc < 0 { throw LibaioEngine.setupError(Errno(negated: rc), depth: depth) }
        context = handle
        iocbs = .allocate(capacity: depth)
        iocbs.initialize(repeating: iocb(), count: depth)
        pending = .allocate(capacity: depth)
        pending.initialize(repeating: nil, count: depth)
        events = .allocate(capacity: depth)
        events.initialize(repeating: io_event(), count: depth)
        setup = EngineSetup(engine: .libaio, description: "io_setup(\(depth)), io_submit + io_getevents")
    }

    deinit {
        if let context { _ = io_destroy(context) }
        iocbs.deallocate()
        pending.deallocate()
        events.deallocate()
    }

    @inline(__always)
    public func queue(slot: Int, offset: UInt64, length: Int, direction: IODirection) throws(Errno) -> QueueResult {
        if pendingCount == depth { return .busy }
        let cb = iocbs + slot
        switch direction {
        case .read: CLibaio_prep_pread(cb, fd, buffers.buffer(slot), length, Int64(offset))
        case .write: CLibaio_prep_pwrite(cb, fd, buffers.buffer(slot), length, Int64(offset))
        case .sync, .datasync:
            // Linux AIO has no usable fsync: like fio, wait until nothing is queued uncommitted
            // ("busy" makes the runner commit first), then sync inline, in queue.
            if pendingCount > 0 { return .busy }
            if direction == .sync { try Syscalls.fsync(fd) } else { try Syscalls.fdatasync(fd) }
            return .completed(0)
        }
        pending[pendingCount] = cb
        pendingCount += 1
        return .queued
    }

    @inline(__always)
    public func commit() throws(Errno) -> Int {
        guard pendingCount > 0 else { return 0 }
        let rc = io_submit(context, pendingCount, pending)
        if rc < 0 {
            // EAGAIN: the kernel is out of resources for now; the runner reaps and retries.
            if rc == -EAGAIN { return 0 }
            throw Errno(negated: rc)
        }
        let submitted = Int(rc)
        if submitted < pendingCount {
            // Partial submit: keep the rest, in order, for the next commit.
            (pending).update(from: pending + submitted, count: pendingCount - submitted)
        }
        pendingCount -= submitted
        return submitted
    }

    @inline(__always)
    public func reap(minimum: Int, maximum: Int) throws(Errno) -> Int {
        let rc = io_getevents(context, minimum, min(maximum, depth), events, nil)
        if rc < 0 { throw Errno(negated: rc) }
        return Int(rc)
    }

    public func reap(minimum: Int, maximum: Int, waitingAtMost nanoseconds: UInt64) throws(Errno) -> Int {
        var timeout = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
        let rc = io_getevents(context, minimum, min(maximum, depth), events, &timeout)
        if rc < 0 { throw Errno(negated: rc) }
        return Int(rc)
    }

    @inline(__always)
    public func completion(at index: Int) -> Completion {
        let event = events[index]
        // The kernel echoes back the iocb pointer we submitted; its index is the slot.
        guard let obj = event.obj else { return Completion(slot: -1, result: -EIO) }
        let slot = obj - iocbs
        // io_event.res is unsigned long; a failed read stores -errno in it.
        return Completion(slot: Int32(truncatingIfNeeded: slot), result: Int32(truncatingIfNeeded: Int64(bitPattern: UInt64(event.res))))
    }
}

extension EngineKind {
    public static let libaio = EngineKind(declaring: "libaio")   // io_submit/io_getevents
}

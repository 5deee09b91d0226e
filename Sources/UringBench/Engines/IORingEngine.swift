import CLiburing
import CSystemShims
import Glibc
import UringCore

/// `io_uring` and `io_uring_sqpoll`: liburing, one SQE per IO (READ, WRITE or FSYNC),
/// `iodepth` entries.
///
/// With SQPOLL a kernel thread consumes the SQ, and `commit` only publishes the SQ tail; it
/// enters the kernel just when the ring raises IORING_SQ_NEED_WAKEUP (liburing's
/// io_uring_submit does exactly that check), and the engine counts those wake-ups.
public final class IORingEngine: IOEngine {
    public static let fixedBuffersOption = EngineOption(
        name: "fixedbufs", fioName: "fixedbufs", isFlag: true,
        help: "io_uring: register the buffers and use READ_FIXED (fio's fixedbufs).")
    public static let registerFilesOption = EngineOption(
        name: "registerfiles", fioName: "registerfiles", isFlag: true,
        help: "io_uring: register the file and use IOSQE_FIXED_FILE (fio's registerfiles).")
    public static let sqThreadIdleOption = EngineOption(
        name: "sqthread-idle", fioName: nil, isFlag: false, range: 0...Int(UInt32.max),
        help: "io_uring_sqpoll: milliseconds before the SQ thread sleeps (0: kernel default).")
    public static let sqPollCPUOption = EngineOption(
        name: "sqpoll-cpu", fioName: "sqthread_poll_cpu", isFlag: false, range: 0...4095,
        help: "io_uring_sqpoll: pin the SQ thread to this CPU (IORING_SETUP_SQ_AFF).")
    public static let sqPollSpinOption = EngineOption(
        name: "sqpoll-spin", fioName: nil, isFlag: true,
        help: "io_uring_sqpoll: poll the CQ ring instead of sleeping in io_uring_enter (what fio 3.x does; burns a core).")
    /// fio has no such option: its jobs each get their own SQ thread.
    public static let sqPollSharedOption = EngineOption(
        name: "sqpoll-shared", fioName: nil, isFlag: true,
        help: "io_uring_sqpoll with --numjobs: attach every job's ring to the first one's SQ thread (IORING_SETUP_ATTACH_WQ), one SQ thread for the group.")

    static let descriptor = EngineDescriptor(
        kind: .io_uring, summary: "liburing, interrupt-driven completions", fioEngine: "io_uring", isSynchronous: false, reapsWithTimeout: true,
        options: [fixedBuffersOption, registerFilesOption, ReadWriteFlags.hipriOption, ReadWriteFlags.uncachedOption],
        probe: { probe(sqPoll: false) },
        probeDetails: {
            var lines = IORingProbe.sysctlSummary().map { ["io_uring: \($0)"] } ?? []
            lines.append("io_uring features: \(IORingProbe.features().joined(separator: " "))")
            lines.append("io_uring setup flags accepted: \(IORingProbe.acceptedSetupFlags().joined(separator: " "))")
            lines.append("io_uring --hipri (IOPOLL) needs O_DIRECT on a disk with poll queues; \(ReadWriteFlags.pollQueueSummary())")
            lines.append("io_uring --uncached: \(ReadWriteFlags.dontcacheSummary(directory: "."))")
            if let ops = IORingProbe.supportedOpcodes() {
                lines.append("io_uring opcodes (\(ops.supported.count) of 0...\(ops.kernelLastOp)): \(ops.supported.joined(separator: " "))")
            }
            return lines
        },
        bufferLimit: registeredBufferLimit,
        start: { context, driver throws(BenchError) in try driver.drive(IORingEngine(context)) })

    /// fio's io_uring engine with sqthread_poll=1; fio polls the CQ ring in user space then.
    static let sqPollDescriptor = EngineDescriptor(
        kind: .io_uring_sqpoll, summary: "liburing with IORING_SETUP_SQPOLL: a kernel thread polls the SQ",
        fioEngine: "io_uring", fioSelector: ["sqthread_poll": "1"], fioImplied: [sqPollSpinOption],
        isSynchronous: false,
        options: [fixedBuffersOption, registerFilesOption, sqThreadIdleOption, sqPollCPUOption, sqPollSpinOption, sqPollSharedOption,
                  ReadWriteFlags.hipriOption, ReadWriteFlags.uncachedOption],
        helperThreads: "the SQPOLL kernel thread",
        probe: { probe(sqPoll: true) },
        makeGroupShare: { job in job.engineOptions.isSet(sqPollSharedOption) && job.numjobs > 1 ? SQThreadShare() : nil },
        bufferLimit: registeredBufferLimit,
        start: { context, driver throws(BenchError) in
            let engine = try IORingEngine(context)
            var result = try driver.drive(engine)
            if !result.measuredNothing { result.sqThreadWakeups = engine.sqThreadWakeups }
            return result
        })

    /// --fixedbufs registers every buffer, and the kernel takes at most 16384
    /// (IORING_MAX_REG_BUFFERS): spare write buffers must fit under it.
    @Sendable static func registeredBufferLimit(_ job: JobSpec) -> Int? {
        job.engineOptions.isSet(fixedBuffersOption) ? 1 << 14 : nil
    }

    /// Creates (and closes) a two-entry ring with the engine's setup flags.
    static func probe(sqPoll: Bool) -> EngineAvailability {
        let kind: EngineKind = sqPoll ? .io_uring_sqpoll : .io_uring
        var params = io_uring_params()
        if sqPoll { params.flags = IORING_SETUP_SQPOLL }
        do {
            _ = try IORing(entries: 2, params: params, completionBatch: 1)
        } catch {
            let reason = setupError(error, entries: 2, sqPoll: sqPoll).description
            return EngineAvailability(engine: kind, available: false, reason: reason, detail: nil)
        }
        return EngineAvailability(engine: kind, available: true, reason: nil, detail: libraryDescription)
    }

    /// Owns the ring: set up in init, torn down when the engine goes (or when init throws).
    private let owner: IORing
    // The owner's pointers, kept here so an IO reaches them without going through `owner`.
    private let ring: UnsafeMutablePointer<io_uring>
    private let completions: UnsafeMutablePointer<Completion>
    private let depth: Int
    private let fd: Int32
    private let buffers: AlignedBuffers
    private let fixedBuffers: Bool
    private let fixedFile: Bool
    private let sqPoll: Bool
    private let spinReap: Bool
    /// Every read and write SQE's rw_flags: RWF_DONTCACHE under --uncached, else 0.
    private let rwFlags: Int32
    /// The SQ thread serving this ring (its own, or with --sqpoll-shared the first job's).
    public let sqThreadID: Int32?
    // Touched on every IO by one thread only: skip the runtime exclusivity check.
    @exclusivity(unchecked) public private(set) var sqThreadWakeups: UInt64 = 0
    @exclusivity(unchecked) private var unsubmitted = 0      // SQEs queued since the last commit
    public private(set) var setup: EngineSetup

    public init(_ ctx: EngineContext) throws(BenchError) {
        depth = ctx.depth
        fd = ctx.fd
        buffers = ctx.buffers
        let request = try IORingRequest(ctx)
        fixedBuffers = request.fixedBuffers
        fixedFile = request.fixedFile
        sqPoll = request.sqPoll
        spinReap = request.spinReap
        rwFlags = request.rwFlags
        // The threads already running, so that this ring's new SQ thread is told apart.
        let threadsBefore = sqPoll && request.firstRing == nil ? SQPollThreads.allThreads() : []
        owner = try request.makeRing(depth: depth)
        sqThreadID = request.sqThreadID(notAmong: threadsBefore)
        ring = owner.ring
        try request.register(on: ring, buffers: buffers, blockSize: ctx.bufferSize, fd: fd)
        setup = request.setup(of: owner, job: ctx.job, depth: depth, sqThreadID: sqThreadID)
        if let share = request.share, ctx.jobIndex == 0 {
            try share.publish(ringFD: owner.fd, sqThread: sqThreadID)
        }
        // Allocated once nothing can throw: a throw before this frees only `owner` (the ring).
        completions = .allocate(capacity: depth)
        completions.initialize(repeating: Completion(slot: 0, result: 0), count: depth)
    }

    deinit {
        completions.deallocate()
    }

    @inline(__always)
    public func queue(slot: Int, offset: UInt64, length: Int, direction: IODirection) throws(Errno) -> QueueResult {
        let length = UInt32(truncatingIfNeeded: length)
        guard let sqe = io_uring_get_sqe(ring) else { return .busy }
        let target: Int32 = fixedFile ? 0 : fd
        switch direction {
        case .read:
            if fixedBuffers {
                io_uring_prep_read_fixed(sqe, target, buffers.buffer(slot), length, offset, buffers.index(slot))
            } else {
                io_uring_prep_read(sqe, target, buffers.buffer(slot), length, offset)
            }
        case .write:
            if fixedBuffers {
                io_uring_prep_write_fixed(sqe, target, buffers.buffer(slot), length, offset, buffers.index(slot))
            } else {
                io_uring_prep_write(sqe, target, buffers.buffer(slot), length, offset)
            }
        case .sync: io_uring_prep_fsync(sqe, target, 0)
        case .datasync: io_uring_prep_fsync(sqe, target, UInt32(IORING_FSYNC_DATASYNC))
        }
        if fixedFile { sqe.pointee.flags |= CLiburing_IOSQE_FIXED_FILE }
        if rwFlags != 0 && direction.isData { sqe.pointee.rw_flags = rwFlags }
        io_uring_sqe_set_data64(sqe, UInt64(slot))
        unsubmitted += 1
        return .queued
    }

    @inline(__always)
    public func commit() throws(Errno) -> Int {
        if sqPoll && CLiburing_sq_flags(ring) & UInt32(IORING_SQ_NEED_WAKEUP) != 0 {
            sqThreadWakeups &+= 1
        }
        let rc = io_uring_submit(ring)
        if rc < 0 {
            if rc == -EAGAIN || rc == -EBUSY { return 0 }
            throw Errno(negated: rc)
        }
        // Under SQPOLL, io_uring_submit counts every SQE the SQ thread has not consumed yet,
        // older ones included; all of ours are published, so report exactly those. Without
        // SQPOLL it is what io_uring_enter consumed: the rest stay in the SQ for the next call.
        let taken = sqPoll ? unsubmitted : min(Int(rc), unsubmitted)
        unsubmitted -= taken
        return taken
    }

    @inline(__always)
    public func reap(minimum: Int, maximum: Int) throws(Errno) -> Int {
        let limit = UInt32(min(maximum, depth))
        if spinReap {
            // The SQ thread posts completions; poll the CQ tail without a syscall.
            var spins: UInt32 = 0
            while Int(io_uring_cq_ready(ring)) < minimum {
                spins &+= 1
                if spins & 0xFFFF == 0 && StopLatch.requested { throw .interrupted }
            }
        } else if Int(io_uring_cq_ready(ring)) < minimum {
            var cqe: UnsafeMutablePointer<io_uring_cqe>? = nil
            let rc = io_uring_wait_cqe_nr(ring, &cqe, UInt32(minimum))
            if rc < 0 && io_uring_cq_ready(ring) == 0 { throw Errno(negated: rc) }
        }
        return takeCompletions(limit: limit)
    }

    /// Takes up to `limit` completions off the CQ ring into `completions`, reading the ring
    /// in place (liburing's inline head and tail) rather than through io_uring_peek_batch_cqe,
    /// a call into the library per reap that fills an array of pointers first. The CQ cannot
    /// overflow (it has twice the SQ's entries and at most `depth` IOs are in flight), so
    /// there is no overflow list to flush.
    @inline(__always)
    private func takeCompletions(limit: UInt32) -> Int {
        let cq = ring.pointee.cq
        let head = cq.khead.pointee
        let available = min(io_uring_cq_ready(ring), limit)
        for i in 0..<available {
            let cqe = cq.cqes[Int((head &+ i) & cq.ring_mask)]
            completions[Int(i)] = Completion(slot: Int32(truncatingIfNeeded: cqe.user_data), result: cqe.res)
        }
        io_uring_cq_advance(ring, available)
        return Int(available)
    }

    /// io_submit_mode=offload's wait (the plain io_uring engine only: SQPOLL's spinning reap
    /// does not declare it): at most `nanoseconds` in io_uring_wait_cqes, -ETIME is none.
    public func reap(minimum: Int, maximum: Int, waitingAtMost nanoseconds: UInt64) throws(Errno) -> Int {
        let limit = UInt32(min(maximum, depth))
        if Int(io_uring_cq_ready(ring)) < minimum {
            var timeout = __kernel_timespec(tv_sec: Int64(nanoseconds / 1_000_000_000), tv_nsec: Int64(nanoseconds % 1_000_000_000))
            var cqe: UnsafeMutablePointer<io_uring_cqe>? = nil
            let rc = io_uring_wait_cqes(ring, &cqe, UInt32(minimum), &timeout, nil)
            if rc < 0 && rc != -ETIME { throw Errno(negated: rc) }
        }
        return takeCompletions(limit: limit)
    }

    @inline(__always)
    public func completion(at index: Int) -> Completion { completions[index] }

    static func setupError(_ error: Errno, entries: Int, sqPoll: Bool) -> BenchError {
        switch error.rawValue {
        case EINVAL where entries > 32768:
            return .ringTooLarge(entries: entries)
        case EPERM:
            return .ioUringUnavailable(reason: IORingProbe.permissionReason())
        case ENOSYS:
            return .ioUringUnavailable(reason: "io_uring_setup returned ENOSYS: blocked by a seccomp filter (containers often do this) or a kernel without CONFIG_IO_URING; use --engine libaio or psync, or allow io_uring_setup/io_uring_enter/io_uring_register in the sandbox")
        case ENOMEM:
            return .ioUringUnavailable(reason: "io_uring_setup(\(entries)) returned ENOMEM: the ring does not fit in locked memory; lower --iodepth or raise ulimit -l")
        default:
            return .ioUringUnavailable(reason: "io_uring_setup(\(entries)\(sqPoll ? ", SQPOLL" : "")) failed: \(error.name) (\(error))")
        }
    }

    static func featureNames(_ features: UInt32) -> [String] {
        let known: [(UInt32, String)] = [
            (UInt32(IORING_FEAT_SINGLE_MMAP), "SINGLE_MMAP"), (UInt32(IORING_FEAT_NODROP), "NODROP"),
            (UInt32(IORING_FEAT_SUBMIT_STABLE), "SUBMIT_STABLE"), (UInt32(IORING_FEAT_RW_CUR_POS), "RW_CUR_POS"),
            (UInt32(IORING_FEAT_CUR_PERSONALITY), "CUR_PERSONALITY"), (UInt32(IORING_FEAT_FAST_POLL), "FAST_POLL"),
            (UInt32(IORING_FEAT_POLL_32BITS), "POLL_32BITS"), (UInt32(IORING_FEAT_SQPOLL_NONFIXED), "SQPOLL_NONFIXED"),
            (UInt32(IORING_FEAT_EXT_ARG), "EXT_ARG"), (UInt32(IORING_FEAT_NATIVE_WORKERS), "NATIVE_WORKERS"),
            (UInt32(IORING_FEAT_RSRC_TAGS), "RSRC_TAGS"), (UInt32(IORING_FEAT_CQE_SKIP), "CQE_SKIP"),
            (UInt32(IORING_FEAT_LINKED_FILE), "LINKED_FILE"),
        ]
        return known.filter { features & $0.0 != 0 }.map(\.1)
    }

    /// "liburing 2.3 (liburing.so.2.3)": read from the shared object actually loaded.
    static var libraryDescription: String {
        guard let loaded = CLiburing_loaded_library_path() else { return "liburing (linked statically)" }
        // dladdr names the soname symlink (liburing.so.2); its target names the full version.
        let path = realpath(loaded, nil).map { resolved in
            defer { free(resolved) }
            return String(cString: resolved)
        } ?? String(cString: loaded)
        let file = path.split(separator: "/").last.map(String.init) ?? ""
        // With liburing.a (make dist) the symbol lives in the executable itself.
        guard file.contains(".so") else { return "liburing (linked into the executable)" }
        if let range = file.range(of: ".so.") {
            let version = file[range.upperBound...]
            // liburing.so.2.3 -> "2.3"; the soname's major alone ("2") says less.
            return "liburing \(version) (\(file))"
        }
        return "liburing (\(file))"
    }
}

extension EngineKind {
    public static let io_uring = EngineKind(declaring: "io_uring")                // liburing
    public static let io_uring_sqpoll = EngineKind(declaring: "io_uring_sqpoll")  // IORING_SETUP_SQPOLL
}

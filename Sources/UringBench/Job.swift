/// The disk IO models uringbench can drive.
public enum EngineKind: String, CaseIterable, Codable, Sendable {
    case psync            // pread(2), one IO at a time
    case libaio           // io_submit/io_getevents (Linux native AIO)
    case io_uring         // liburing, interrupt-driven completions
    case io_uring_sqpoll  // liburing with IORING_SETUP_SQPOLL: a kernel thread polls the SQ

    /// Sync engines complete inside `queue`, so they run at depth 1 whatever --iodepth says.
    public var isSynchronous: Bool { self == .psync }
    public var usesIOUring: Bool { self == .io_uring || self == .io_uring_sqpoll }

    /// The fio ioengine that runs the same IO model (`sqthread_poll=1` for SQPOLL).
    public var fioEngine: String {
        switch self {
        case .psync: return "psync"
        case .libaio: return "libaio"
        case .io_uring, .io_uring_sqpoll: return "io_uring"
        }
    }
}

/// One randread job: what fio calls a job section, with the options uringbench supports.
public struct JobSpec: Codable, Sendable, Equatable {
    public var name: String = "randread"
    public var engine: EngineKind = .io_uring
    public var filename: String = "uringbench.dat"
    public var size: UInt64 = 1 << 30
    public var blockSize: Int = 4096
    public var iodepth: Int = 1
    public var runtimeNanoseconds: UInt64 = 10_000_000_000
    public var rampNanoseconds: UInt64 = 0
    public var direct: Bool = true
    /// Drop the file's pages from the page cache before running (fio's `invalidate`).
    public var invalidate: Bool = true
    public var randSeed: UInt64 = 0x5EED_0F_10
    public var verify: Bool = false
    public var fixedBuffers: Bool = false
    public var registerFiles: Bool = false
    /// 0: the kernel's default idle time before the SQ thread sleeps (one second).
    public var sqThreadIdleMilliseconds: UInt32 = 0
    public var sqPollCPU: Int? = nil
    /// SQPOLL: wait for completions by polling the CQ ring in user space, never entering the
    /// kernel — what fio 3.x does under sqthread_poll. Burns the submitting thread's core.
    public var sqPollSpin: Bool = false
    /// Commit once this many IOs are queued (fio's iodepth_batch_submit; 1 = each IO at once).
    public var batchSubmit: Int = 1
    /// Reap at least this many completions when the queue is full (iodepth_batch_complete_min).
    public var batchCompleteMin: Int = 1
    /// Reap at most this many per call (iodepth_batch_complete_max); nil = batchCompleteMin, fio's
    /// default. fio therefore takes one completion per call and refills that slot at once.
    public var batchCompleteMax: Int? = nil
    /// Cap on completions per second, 0 = none (fio's rate_iops): for throttled reference runs.
    public var rateIOPS: UInt64 = 0
    public var allowTmpfs: Bool = false

    public init() {}

    /// Completions taken per reap call at most.
    public var effectiveBatchCompleteMax: Int { max(batchCompleteMax ?? batchCompleteMin, batchCompleteMin) }

    /// The depth the engine really runs at.
    public var effectiveDepth: Int { engine.isSynchronous ? 1 : iodepth }

    /// Rejects combinations that cannot run, before any file is touched.
    public func validate() throws(BenchError) {
        if iodepth < 1 { throw .invalidOption("--iodepth must be at least 1 (got \(iodepth)); use --iodepth 1 for one IO at a time") }
        if blockSize < 1 { throw .invalidOption("--bs must be positive; use e.g. --bs 4k") }
        if size < UInt64(blockSize) {
            throw .invalidOption("--size \(size) is smaller than --bs \(blockSize): the file must hold at least one block; use --size \(formatBytesFlag(UInt64(blockSize) * 1024)) or a smaller --bs")
        }
        if direct && blockSize % DataPattern.sectorSize != 0 {
            throw .invalidOption("--bs \(blockSize) is not a multiple of 512, which O_DIRECT needs on every device; use --bs \(max(512, blockSize / 512 * 512)) or --direct 0")
        }
        if runtimeNanoseconds == 0 { throw .invalidOption("--runtime must be positive; use e.g. --runtime 10s") }
        if batchSubmit < 1 || batchSubmit > effectiveDepth && !engine.isSynchronous {
            throw .invalidOption("--iodepth-batch-submit must be between 1 and --iodepth (\(iodepth)); got \(batchSubmit)")
        }
        if batchCompleteMin < 1 || batchCompleteMin > effectiveDepth && !engine.isSynchronous {
            throw .invalidOption("--iodepth-batch-complete-min must be between 1 and --iodepth (\(iodepth)); got \(batchCompleteMin)")
        }
        if let maxBatch = batchCompleteMax, maxBatch < batchCompleteMin || maxBatch > effectiveDepth && !engine.isSynchronous {
            throw .invalidOption("--iodepth-batch-complete-max must be between --iodepth-batch-complete-min (\(batchCompleteMin)) and --iodepth (\(iodepth)); got \(maxBatch)")
        }
        if !engine.usesIOUring && (fixedBuffers || registerFiles) {
            throw .invalidOption("--fixedbufs and --registerfiles are io_uring options; use --engine io_uring or io_uring_sqpoll")
        }
        if engine != .io_uring_sqpoll && (sqPollCPU != nil || sqThreadIdleMilliseconds != 0 || sqPollSpin) {
            throw .invalidOption("--sqpoll-cpu, --sqthread-idle and --sqpoll-spin need --engine io_uring_sqpoll")
        }
    }
}

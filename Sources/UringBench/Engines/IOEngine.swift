import UringCore

/// What `queue` did with an IO (fio's FIO_Q_COMPLETED / FIO_Q_QUEUED / FIO_Q_BUSY).
public enum QueueResult {
    /// The engine did the IO inside `queue` (a sync engine, or a sync on libaio); the payload
    /// is the byte count (0 for a sync).
    case completed(Int)
    /// The IO waits for `commit`.
    case queued
    /// No room: commit and reap, then queue again.
    case busy

    /// The engine took the IO (done or waiting for commit).
    @inline(__always)
    var accepted: Bool {
        if case .busy = self { return false }
        return true
    }
}

/// A completed IO as an engine reports it: which buffer slot, and the IO's result
/// (bytes read or written, 0 for a sync, or `-errno`).
public struct Completion {
    public var slot: Int32
    public var result: Int32

    @inlinable public init(slot: Int32, result: Int32) {
        self.slot = slot
        self.result = result
    }
}

/// Everything an engine needs to start: the open file, the buffers (slot `i` reads into and
/// writes from `buffers.buffer(i)`, `bufferSize` bytes each) and the job's options.
public struct EngineContext {
    public let fd: Int32
    public let buffers: AlignedBuffers
    /// The bytes each buffer holds: the job's largest IO.
    public let bufferSize: Int
    public let depth: Int
    public let job: JobSpec
    /// The job's number in its numjobs group (0: the first, or a job on its own).
    var jobIndex = 0
    /// The part of the file the job's IOs go to (offset and size); nil: `size` bytes from 0.
    var region: JobRegion? = nil
    /// What the group's engines share (the descriptor's `makeGroupShare`); nil for a job on
    /// its own and for engines that share nothing.
    var groupShare: (any EngineGroupShare)? = nil
}

/// The engine contract, fio's split: `queue` prepares one IO, `commit` hands what is queued
/// to the kernel, `reap` waits for completions, `completion(at:)` reads them back.
///
/// The runner owns the loop and every timestamp; engines never read the clock. Implementations
/// must not allocate, retain or release per IO.
public protocol IOEngine: AnyObject {
    /// Work fio's engines do in their `prep` hook, before the IO's start time is taken, so that
    /// neither lat nor clat counts it: the sync engine's lseek (fio_syncio_prep). Most engines
    /// have none.
    func prepare(offset: UInt64, direction: IODirection) throws(Errno)
    /// Prepares one IO in `direction`: a read of `length` bytes at `offset` into `slot`'s
    /// buffer, a write of that many of its bytes there, or a sync of the file (offset and
    /// length ignored). `length` is at most `bufferSize`; with fio's bssplit or bsrange it
    /// changes from IO to IO.
    func queue(slot: Int, offset: UInt64, length: Int, direction: IODirection) throws(Errno) -> QueueResult
    /// Submits queued IOs; returns how many the kernel took (the first ones queued).
    func commit() throws(Errno) -> Int
    /// Waits until at least `minimum` completions are available, then takes up to `maximum`
    /// (an engine whose fio counterpart takes all it finds, posixaio, may take more, never more
    /// than are in flight) and returns how many `completion(at:)` can read. Throws
    /// `.interrupted` on a signal.
    func reap(minimum: Int, maximum: Int) throws(Errno) -> Int
    /// As `reap`, but gives up after `nanoseconds` with what is there (maybe none): the loop of
    /// io_submit_mode=offload waits for completions only until its next IO is due. Engines
    /// whose descriptor sets `reapsWithTimeout` implement it; the default waits for nothing.
    func reap(minimum: Int, maximum: Int, waitingAtMost nanoseconds: UInt64) throws(Errno) -> Int
    func completion(at index: Int) -> Completion
    /// True while `queue` would answer `.busy` whatever the IO (fio's null engine between a
    /// commit and the next reap): the runner then reaps without preparing an IO first.
    var isFull: Bool { get }
    /// How the engine was set up, for the report's setup line and the JSON.
    var setup: EngineSetup { get }
    /// The SQPOLL kernel thread serving the engine's ring, whose CPU the runner reads at the
    /// start and end of the measured interval; nil for engines without one.
    var sqThreadID: Int32? { get }
}

extension IOEngine {
    @inline(__always) public func prepare(offset: UInt64, direction: IODirection) throws(Errno) {}
    /// Engines that learn they are busy only by trying (a full SQ ring, a sync behind queued IOs).
    @inline(__always) public var isFull: Bool { false }
    public var sqThreadID: Int32? { nil }
    public func reap(minimum: Int, maximum: Int, waitingAtMost nanoseconds: UInt64) throws(Errno) -> Int {
        try reap(minimum: 0, maximum: maximum)
    }
}

/// The engine's setup as measured, not as requested: ring flags the kernel accepted, etc.
public struct EngineSetup: Codable, Sendable, Equatable {
    public var engine: EngineKind
    public var description: String
    public var ringFlags: [String] = []
    var ringFeatures: [String] = []
    var sqThreadIdleMilliseconds: UInt32? = nil
    var sqPollCPU: Int? = nil
    /// The SQ thread serving the ring (its thread id), when it was found.
    public var sqThreadID: Int32? = nil
    /// --sqpoll-shared: the ring shares one SQ thread with the group's other rings.
    var sqThreadShared: Bool? = nil
    var fixedBuffers: Bool = false
    var registeredFiles: Bool = false
    var library: String? = nil
    public var notes: [String] = []
    /// Options the run accepted and the kernel silently did not act on (RWF_HIPRI on a device
    /// without poll queues), each with the reason read from the system; nil when none.
    var ignored: [String]? = nil

    public init(engine: EngineKind, description: String) {
        self.engine = engine
        self.description = description
    }
}

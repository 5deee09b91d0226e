/// What an engine declares about itself, in its own file (fio's `struct ioengine_ops` plus its
/// options table): the CLI, help text, job files, compare, probe and JSON all read this.
public struct EngineDescriptor: Sendable {
    public let kind: EngineKind
    /// One line for help text and `uringbench engines`.
    public let summary: String
    /// fio's `ioengine=` for the same IO model.
    let fioEngine: String
    /// fio options that pick this engine among several with the same `fioEngine`
    /// (`sqthread_poll=1` picks io_uring_sqpoll); a job file names them after `ioengine=`.
    let fioSelector: [String: String]
    /// Engine options a fio job file implies for this engine (fio's own behaviour, e.g. its
    /// io_uring engine polls the CQ ring under sqthread_poll).
    let fioImplied: [EngineOption]
    /// Completes each IO inside `queue`; runs at depth 1 whatever --iodepth says.
    let isSynchronous: Bool
    /// Moves bytes between the file and the buffers (false for null): --verify needs it.
    let transfersData: Bool
    /// Implements `reap(minimum:maximum:waitingAtMost:)`, which io_submit_mode=offload needs.
    let reapsWithTimeout: Bool
    public let options: [EngineOption]
    /// Threads outside the submitting one that do the engine's work ("the SQPOLL kernel
    /// thread"): their CPU shows only in the whole-process figures, which then say so.
    let helperThreads: String?
    /// Whether the engine runs here, and if not, why (for `uringbench engines`).
    public let probe: @Sendable () -> EngineAvailability
    /// Further lines for `uringbench engines` (kernel features the engine can use).
    public let probeDetails: @Sendable () -> [String]
    /// What the engines of a numjobs group running this job share, made once per group; nil
    /// (or a nil result) when they share nothing.
    let makeGroupShare: (@Sendable (JobSpec) -> (any EngineGroupShare)?)?
    /// The most IO buffers the engine can take for a job, spares included (io_uring registers
    /// at most 16384 for --fixedbufs); nil: no limit.
    let bufferLimit: @Sendable (JobSpec) -> Int?
    /// Makes the engine and hands it to the driver, which runs the generic loop specialised for
    /// the engine's concrete type.
    let start: @Sendable (EngineContext, EngineDriver) throws(BenchError) -> RunResult

    init(kind: EngineKind, summary: String, fioEngine: String, fioSelector: [String: String] = [:],
         fioImplied: [EngineOption] = [], isSynchronous: Bool, transfersData: Bool = true, reapsWithTimeout: Bool = false, options: [EngineOption] = [], helperThreads: String? = nil,
         probe: @escaping @Sendable () -> EngineAvailability,
         probeDetails: @escaping @Sendable () -> [String] = { [] },
         makeGroupShare: (@Sendable (JobSpec) -> (any EngineGroupShare)?)? = nil,
         bufferLimit: @escaping @Sendable (JobSpec) -> Int? = { _ in nil },
         start: @escaping @Sendable (EngineContext, EngineDriver) throws(BenchError) -> RunResult) {
        self.kind = kind
        self.summary = summary
        self.fioEngine = fioEngine
        self.fioSelector = fioSelector
        self.fioImplied = fioImplied
        self.isSynchronous = isSynchronous
        self.transfersData = transfersData
        self.reapsWithTimeout = reapsWithTimeout
        self.options = options
        self.helperThreads = helperThreads
        self.probe = probe
        self.probeDetails = probeDetails
        self.makeGroupShare = makeGroupShare
        self.bufferLimit = bufferLimit
        self.start = start
    }
}

/// One cell of a comparison: an engine doing one rw mode at a depth and block size, in one
/// job or several at once (numjobs), through O_DIRECT or the page cache.
public struct CaseKey: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public var engine: EngineKind
    public var rw: RWMode
    /// The depth the engine really runs at (1 for psync whatever --iodepth says).
    public var iodepth: Int
    public var blockSize: Int
    /// Jobs run at once, each at `iodepth` (fio's numjobs).
    public var numjobs: Int
    /// O_DIRECT (fio's direct=1) or buffered: a case of each never merge.
    public var direct: Bool

    public init(engine: EngineKind, rw: RWMode = .randread, iodepth: Int, blockSize: Int, numjobs: Int = 1, direct: Bool = true) {
        self.engine = engine
        self.rw = rw
        self.iodepth = engine.isSynchronous ? 1 : iodepth
        self.blockSize = blockSize
        self.numjobs = numjobs
        self.direct = direct
    }

    public init(_ job: JobSpec) {
        self.init(engine: job.engine, rw: job.rw, iodepth: job.effectiveDepth, blockSize: job.blockSize, numjobs: job.numjobs, direct: job.direct)
    }

    /// Results written before the key had an rw were random reads; before it had direct, the
    /// key's direct is compare's default, 1 (the runs' own jobs say what each really was, and
    /// the cases are rebuilt from them).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        engine = try c.decode(EngineKind.self, forKey: .engine)
        rw = try c.decodeIfPresent(RWMode.self, forKey: .rw) ?? .randread
        iodepth = try c.decode(Int.self, forKey: .iodepth)
        blockSize = try c.decode(Int.self, forKey: .blockSize)
        numjobs = try c.decodeIfPresent(Int.self, forKey: .numjobs) ?? 1
        direct = try c.decodeIfPresent(Bool.self, forKey: .direct) ?? true
    }

    /// IOs in flight across the case's jobs: what `compare --concurrency` holds equal.
    public var concurrency: Int { numjobs * iodepth }

    /// How the case keeps its IOs in flight: "32 jobs × QD1", "1 job × QD32".
    var runAs: String { "\(numjobs) job\(numjobs == 1 ? "" : "s") × QD\(iodepth)" }

    /// The case of `engine` this one is measured against: the same rw, block size, depth and
    /// jobs, or else the same number of IOs in flight. In an equal-concurrency comparison
    /// (`equalConcurrency`, where a synchronous engine runs many jobs at depth 1 and an
    /// asynchronous one few jobs deep) always the same IOs in flight: psync QD1 is not the
    /// baseline of libaio QD8 when psync's 8 jobs are in the sweep. Always the same direct: a
    /// buffered case is measured against the baseline engine buffered.
    public func baseline(_ engine: EngineKind, among keys: [CaseKey], equalConcurrency: Bool = false) -> CaseKey? {
        let exact = CaseKey(engine: engine, rw: rw, iodepth: iodepth, blockSize: blockSize, numjobs: numjobs, direct: direct)
        if keys.contains(exact) && (!equalConcurrency || exact.concurrency == concurrency) { return exact }
        return keys.first { $0.engine == engine && $0.rw == rw && $0.blockSize == blockSize && $0.direct == direct && $0.concurrency == concurrency }
    }

    /// "io_uring QD32 4k", with the mode when it is not the headline's randread
    /// ("io_uring randwrite QD32 4k"), the jobs when more than one ("psync 32 jobs QD1 4k") and
    /// "buffered" for a case through the page cache ("psync buffered QD1 4k").
    public var description: String { "\(engine.rawValue)\(rw == .randread ? "" : " \(rw.rawValue)")\(direct ? "" : " buffered")\(numjobs > 1 ? " \(numjobs) jobs" : "") QD\(iodepth) \(formatBytesFlag(UInt64(blockSize)))" }
    /// "io_uring-qd32-4k" ("io_uring-randwrite-buffered-j4-qd32-4k"), for job names.
    var slug: String { "\(engine.rawValue)\(rw == .randread ? "" : "-\(rw.rawValue)")\(direct ? "" : "-buffered")\(numjobs > 1 ? "-j\(numjobs)" : "")-qd\(iodepth)-\(formatBytesFlag(UInt64(blockSize)))" }

    public static func < (a: CaseKey, b: CaseKey) -> Bool {
        (RWMode.allCases.firstIndex(of: a.rw) ?? 0, a.direct ? 1 : 0, a.blockSize, a.iodepth, a.numjobs, EngineKind.allCases.firstIndex(of: a.engine) ?? 0)
            < (RWMode.allCases.firstIndex(of: b.rw) ?? 0, b.direct ? 1 : 0, b.blockSize, b.iodepth, b.numjobs, EngineKind.allCases.firstIndex(of: b.engine) ?? 0)
    }
}

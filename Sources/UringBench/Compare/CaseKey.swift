/// One cell of a comparison: an engine doing one rw mode at a depth and block size.
public struct CaseKey: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public var engine: EngineKind
    public var rw: RWMode
    /// The depth the engine really runs at (1 for psync whatever --iodepth says).
    public var iodepth: Int
    public var blockSize: Int

    public init(engine: EngineKind, rw: RWMode = .randread, iodepth: Int, blockSize: Int) {
        self.engine = engine
        self.rw = rw
        self.iodepth = engine.isSynchronous ? 1 : iodepth
        self.blockSize = blockSize
    }

    public init(_ job: JobSpec) { self.init(engine: job.engine, rw: job.rw, iodepth: job.effectiveDepth, blockSize: job.blockSize) }

    /// Results written before the key had an rw were random reads.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        engine = try c.decode(EngineKind.self, forKey: .engine)
        rw = try c.decodeIfPresent(RWMode.self, forKey: .rw) ?? .randread
        iodepth = try c.decode(Int.self, forKey: .iodepth)
        blockSize = try c.decode(Int.self, forKey: .blockSize)
    }

    /// "io_uring QD32 4k", with the mode when it is not the headline's randread
    /// ("io_uring randwrite QD32 4k").
    public var description: String { "\(engine.rawValue)\(rw == .randread ? "" : " \(rw.rawValue)") QD\(iodepth) \(formatBytesFlag(UInt64(blockSize)))" }
    /// "io_uring-qd32-4k" ("io_uring-randwrite-qd32-4k"), for job names.
    public var slug: String { "\(engine.rawValue)\(rw == .randread ? "" : "-\(rw.rawValue)")-qd\(iodepth)-\(formatBytesFlag(UInt64(blockSize)))" }

    public static func < (a: CaseKey, b: CaseKey) -> Bool {
        (RWMode.allCases.firstIndex(of: a.rw) ?? 0, a.blockSize, a.iodepth, EngineKind.allCases.firstIndex(of: a.engine) ?? 0)
            < (RWMode.allCases.firstIndex(of: b.rw) ?? 0, b.blockSize, b.iodepth, EngineKind.allCases.firstIndex(of: b.engine) ?? 0)
    }
}

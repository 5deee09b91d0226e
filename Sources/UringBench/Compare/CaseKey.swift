/// One cell of a comparison: an engine at a depth and block size.
public struct CaseKey: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public var engine: EngineKind
    /// The depth the engine really runs at (1 for psync whatever --iodepth says).
    public var iodepth: Int
    public var blockSize: Int

    public init(engine: EngineKind, iodepth: Int, blockSize: Int) {
        self.engine = engine
        self.iodepth = engine.isSynchronous ? 1 : iodepth
        self.blockSize = blockSize
    }

    public init(_ job: JobSpec) { self.init(engine: job.engine, iodepth: job.effectiveDepth, blockSize: job.blockSize) }

    /// "io_uring QD32 4k"
    public var description: String { "\(engine.rawValue) QD\(iodepth) \(formatBytesFlag(UInt64(blockSize)))" }
    /// "io_uring-qd32-4k", for job names.
    public var slug: String { "\(engine.rawValue)-qd\(iodepth)-\(formatBytesFlag(UInt64(blockSize)))" }

    public static func < (a: CaseKey, b: CaseKey) -> Bool {
        (a.blockSize, a.iodepth, EngineKind.allCases.firstIndex(of: a.engine) ?? 0)
            < (b.blockSize, b.iodepth, EngineKind.allCases.firstIndex(of: b.engine) ?? 0)
    }
}

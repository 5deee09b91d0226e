import UringCore

/// One case over its rounds: the row of the comparison table and the unit the gate compares.
public struct CaseSummary: Codable, Sendable, Equatable {
    public var key: CaseKey
    /// Runs in the median: the rounds this case ran (a run cut short by Ctrl-C counts, and
    /// `interrupted` is then true).
    public var rounds: Int
    /// Rounds the comparison planned (nil outside a compare plan). Fewer `rounds` than this:
    /// the comparison was interrupted.
    var roundsPlanned: Int? = nil
    public var iops: Spread
    /// Bytes per second.
    public var bandwidth: Spread
    /// Completion latency percentiles of each round, nanoseconds.
    public var clatP50: Spread
    public var clatP99: Spread
    public var clatP9999: Spread
    /// CPU microseconds per IO, whole process (includes the SQPOLL kernel thread).
    public var cpuPerIO: Spread
    /// The helper threads' part of `cpuPerIO`: for SQPOLL the SQ threads' CPU as read from
    /// /proc, else (posixaio's pool, or a run whose SQ thread could not be read) the process
    /// CPU not spent on the job threads. nil for engines without helper threads.
    var sqThreadCPUPerIO: Spread?
    /// Median IOPS over the baseline engine's median IOPS at the same depth and block size (in
    /// an equal-concurrency comparison: at the same IOs in flight).
    var ratioToBaseline: Double?
    /// Any round ended early by Ctrl-C.
    public var interrupted: Bool
    /// IOPS in the first and last third of each round's run, and each round's last ÷ first
    /// (`IOPSThirds`); nil when no round has them.
    var iopsFirstThird: Spread? = nil
    var iopsLastThird: Spread? = nil
    var iopsLastToFirst: Spread? = nil
    /// Major faults per IO (the whole process) and the page-cache hit ratio (1 − disk reads ÷
    /// reads asked) of each round (`MemoryFigures`); nil when no round has them.
    var majorFaultsPerIO: Spread? = nil
    var pageCacheHitRatio: Spread? = nil

    /// IOs per second of CPU time, whole process: the IOPS one fully busy core would carry
    /// at this CPU cost per IO (1 / CPU per IO; the median of a monotone function is the
    /// function of the median).
    var iopsPerBusyCore: Double { cpuPerIO.median > 0 ? 1e6 / cpuPerIO.median : 0 }

    public init(key: CaseKey, runs: [RunResult]) {
        precondition(!runs.isEmpty, "a case summary needs at least one run")
        self.key = key
        rounds = runs.count
        func spread(_ f: (RunResult) -> Double) -> Spread { Spread(runs.map(f))! }
        iops = spread(\.iops)
        bandwidth = spread(\.bytesPerSecond)
        clatP50 = spread { Double($0.clat.valueAt(percentile: 50)) }
        clatP99 = spread { Double($0.clat.valueAt(percentile: 99)) }
        clatP9999 = spread { Double($0.clat.valueAt(percentile: 99.99)) }
        cpuPerIO = spread(\.cpuMicrosecondsPerIO)
        if key.engine.descriptor.helperThreads != nil {
            sqThreadCPUPerIO = spread { r in
                let seconds = r.sqThreads?.seconds ?? Swift.max(0, r.cpu.processSeconds - r.cpu.threadSeconds)
                return r.totalIOs == 0 ? 0 : seconds * 1e6 / Double(r.totalIOs)
            }
        }
        interrupted = runs.contains(where: \.interrupted)
        let thirds = runs.compactMap(IOPSThirds.init)
        iopsFirstThird = Spread(thirds.map(\.first))
        iopsLastThird = Spread(thirds.map(\.last))
        iopsLastToFirst = Spread(thirds.compactMap(\.lastToFirst))
        let memory = runs.compactMap(\.memory)
        majorFaultsPerIO = Spread(memory.map { $0.perIO($0.counters.majorFaults) })
        pageCacheHitRatio = Spread(memory.compactMap(\.pageCacheHitRatio))
    }

    /// Summaries of `runs` grouped by case (in `order`, then any others sorted), with ratios
    /// to `baselineEngine`'s IOPS at the same depth (its own effective depth) and block size, or
    /// with `equalConcurrency` at the same IOs in flight (see `CaseKey.baseline`).
    public static func summarize(_ runs: [RunResult], order: [CaseKey] = [], baselineEngine: EngineKind,
                                 equalConcurrency: Bool = false) -> [CaseSummary] {
        var groups: [CaseKey: [RunResult]] = [:]
        for r in runs { groups[CaseKey(r.job), default: []].append(r) }
        let keys = order.filter { groups[$0] != nil } + groups.keys.filter { !order.contains($0) }.sorted()
        var out = keys.map { CaseSummary(key: $0, runs: groups[$0]!) }
        let allKeys = out.map(\.key)
        for i in out.indices {
            if let baseKey = out[i].key.baseline(baselineEngine, among: allKeys, equalConcurrency: equalConcurrency),
               let base = out.first(where: { $0.key == baseKey }), base.iops.median > 0 {
                out[i].ratioToBaseline = out[i].iops.median / base.iops.median
            }
        }
        return out
    }
}

import Foundation
import UringCore

/// fio's `--output-format=json` schema (as fio 3.33 writes it: its keys, their order and their
/// types), so fio-plot, KDiskMark and the many scripts that read
/// `jobs[0].read.clat_ns.percentile["99.000000"]` read ours unchanged. With `plus` (fio's
/// `json+`) each latency fio gives percentiles for also carries fio's histogram `bins`, which
/// `fio_jsonplus_clat2csv` reads. uringbench's own figures (whole-process CPU, engine setup,
/// verify, full histograms) live under one added key per job, `uringbench`.
public struct FioJSONReport {
    /// fio's groups (the jobs between two stonewalls), each its jobs' threads.
    public let groups: [ConcurrentGroupResult]
    public let plus: Bool
    /// A job file's [global] options (`JobFile.globalOptions`), written as fio's "global options";
    /// none for a command-line run, as fio writes none for one.
    public var globalOptions: [(name: String, value: String)] = []

    public init(results: [RunResult], plus: Bool = false) {
        groups = results.map { ConcurrentGroupResult(jobs: [JobGroupResult(jobs: [$0])]) }
        self.plus = plus
    }

    /// Each numjobs group a group of its own (jobs run one after another).
    public init(groups: [JobGroupResult], plus: Bool = false) {
        self.groups = groups.map { ConcurrentGroupResult(jobs: [$0]) }
        self.plus = plus
    }

    public init(runGroups: [ConcurrentGroupResult], plus: Bool = false) {
        groups = runGroups
        self.plus = plus
    }

    var results: [RunResult] { groups.flatMap(\.threads) }

    /// uringbench's own blocks: read back by uringbench, so their floats are written exactly.
    static let exactFloatKeys: Set<String> = ["uringbench", "uringbench_compare"]

    public func render() throws -> String {
        try FioJSONEncoder().encode(document()).render(exactFloatsUnder: Self.exactFloatKeys)
    }

    static func notMeasured(_ results: [RunResult]) -> [String]? {
        let lines = results.filter(\.measuredNothing).map {
            $0.interrupted ? "\($0.job.name): interrupted (\(StopCause.phrase)) during the \(FioTextReport.seconds($0.job.rampNanoseconds)) ramp-up; nothing was measured"
                : "\($0.job.name): \(FioTextReport.notMeasuredCause($0)); nothing was measured"
        }
        return lines.isEmpty ? nil : lines
    }

    static func overwritten(_ results: [RunResult]) -> [String]? {
        let lines = results.compactMap { r in r.overwritten.map { "\(r.job.name): wrote over \($0) (--allow-overwrite)" } }
        return lines.isEmpty ? nil : lines
    }

    /// fio's `jobs[]`: one entry per report block (a job's thread, or the threads
    /// group_reporting merges), group by group, with fio's groupid.
    static func jobs(_ groups: [ConcurrentGroupResult], plus: Bool) -> [FioJSON.Job] {
        var out: [FioJSON.Job] = []
        for (id, g) in groups.enumerated() {
            let blocks = g.blocks
            let agg = blocks.count > 1 ? [IODirection.read, .write].map { ConcurrentGroupResult.bytesPerSecond($0, blocks: blocks) } : nil
            for block in blocks where !block.measuredNothing {
                out.append(FioJSON.Job(block, group: id, groupBytesPerSecond: agg, plus: plus))
            }
        }
        return out
    }

    func document() -> FioJSON.Document {
        let start = results.map(\.startedAt).min() ?? Date().timeIntervalSince1970
        return FioJSON.Document(
            fioVersion: "uringbench-\(UringBenchVersion.current) (fio-3.33 json schema)",
            timestamp: Int(start), timestampMs: Int(start * 1000),
            time: FioText.ctime(start),
            globalOptions: globalOptions.isEmpty ? nil : OrderedObject(globalOptions.map { ($0.name, $0.value) }),
            jobs: Self.jobs(groups, plus: plus),
            diskUtil: ConcurrentGroupResult.wholeRunDisk(groups).map { FioJSON.DiskUtil(device: $0.device, counters: $0.counters, utilPercent: $0.utilPercent) },
            notMeasured: Self.notMeasured(groups.flatMap { $0.jobs.map(\.merged) }),
            overwritten: Self.overwritten(groups.flatMap { $0.jobs.map(\.merged) }))
    }
}

/// fio's JSON objects, key for key. `OrderedObject` keeps fio's key order where fio's readers
/// might print or diff it (percentiles, depth maps).
public enum FioJSON {
    public struct Document: Codable {
        var fioVersion: String
        var timestamp: Int
        var timestampMs: Int
        public var time: String
        /// fio writes "global options" only for a job file's [global] entries, and so does
        /// uringbench, with the same content; every option is also resolved into each job's
        /// "job options" (fio-plot lays "global options" over those, as it does for fio's files).
        public var globalOptions: OrderedObject<String>? = nil
        public var jobs: [Job]
        var diskUtil: [DiskUtil]
        /// Jobs stopped by Ctrl-C during their ramp: they measured nothing, so they have no
        /// entry in `jobs` (no zero runtime or zero latencies dressed as figures), only a line here.
        var notMeasured: [String]? = nil
        /// Jobs that wrote over a target uringbench did not lay out (--allow-overwrite); each
        /// job's `uringbench.overwritten` says the same.
        public var overwritten: [String]? = nil

        enum CodingKeys: String, CodingKey {
            case fioVersion = "fio version", timestamp, timestampMs = "timestamp_ms", time
            case globalOptions = "global options", jobs, diskUtil = "disk_util", notMeasured = "uringbench_not_measured"
            case overwritten = "uringbench_overwritten"
        }
    }

    /// The options in one fixed order (fio lists them in the order it parsed them), so two
    /// runs' files diff line by line: the table's rows (JobOption.echo) around the engine's.
    static let leadingOptions: [JobOption] = [
        .name, .filename, .size, .rw, .bs, .bsrange, .bssplit, .ioengine, .iodepth, .direct, .runtime, .timeBased, .ioSize, .numberIOs, .loops,
        .numjobs, .randseed,
        .norandommap, .randomGenerator, .randomDistribution, .fadviseHint, .groupReporting, .thread, .cpusAllowed,
        .cpusAllowedPolicy, .rampTime,
    ]
    static let trailingOptions: [JobOption] = [
        .iodepthBatchSubmit, .iodepthBatchCompleteMin, .iodepthBatchCompleteMax, .rateIOPS, .rate, .rateProcess, .ioSubmitMode, .thinktime,
        .thinktimeSpin, .thinktimeBlocks, .thinktimeBlocksType, .offset, .offsetIncrement, .filesize, .verify, .invalidate,
        .rwmixread, .fsync, .fdatasync, .endFsync, .sync, .gtodReduce,
    ]

    static func jobOptions(_ job: JobSpec) -> OrderedObject<String> {
        func echoed(_ rows: [JobOption]) -> [(String, String)] {
            rows.compactMap { row in row.echo?(job).map { (row.echoName, $0) } }
        }
        var o = echoed(leadingOptions)
        for (key, value) in job.engine.descriptor.fioSelector.sorted(by: { $0.key < $1.key }) { o.append((key, value)) }
        // fio's name where fio has the option, else ours under a uringbench_ prefix.
        for (option, value) in job.engineOptions.options {
            o.append((option.fioName ?? "uringbench_" + option.name.replacingOccurrences(of: "-", with: "_"), "\(value)"))
        }
        return OrderedObject(o + echoed(trailingOptions))
    }

    public struct LatencyStats: Codable {
        public var min: UInt64
        public var max: UInt64
        public var mean: Double
        var stddev: Double
        public var N: UInt64
        public var percentile: OrderedObject<UInt64>?
        /// json+ only: fio's histogram, bucket value (ns) to count, where fio writes percentiles.
        public var bins: OrderedObject<UInt64>?

        init(_ h: LatencyHistogram?, percentiles: Bool, bins withBins: Bool = false) {
            let s = h.map(LatencySummary.init)
            min = s?.min ?? 0; max = s?.max ?? 0; mean = s?.mean ?? 0; stddev = s?.stddev ?? 0; N = s?.count ?? 0
            if percentiles, let h, h.count > 0 {
                percentile = OrderedObject(FioText.percentiles.map { (String(format: "%f", $0), h.valueAt(percentile: $0)) })
                if withBins { bins = OrderedObject(h.fioBins.map { ("\($0.value)", $0.count) }) }
            }
        }
    }

    public struct Direction: Codable {
        var ioBytes: UInt64, ioKbytes: UInt64, bwBytes: UInt64, bw: UInt64
        public var iops: Double, runtime: UInt64, totalIos: UInt64, shortIos: UInt64, dropIos: UInt64
        var slatNs: LatencyStats, clatNs: LatencyStats, latNs: LatencyStats
        var bwMin: UInt64, bwMax: UInt64, bwAgg: Double, bwMean: Double, bwDev: Double, bwSamples: Int
        var iopsMin: UInt64, iopsMax: UInt64, iopsMean: Double, iopsStddev: Double, iopsSamples: Int

        enum CodingKeys: String, CodingKey {
            case ioBytes = "io_bytes", ioKbytes = "io_kbytes", bwBytes = "bw_bytes", bw, iops, runtime
            case totalIos = "total_ios", shortIos = "short_ios", dropIos = "drop_ios"
            case slatNs = "slat_ns", clatNs = "clat_ns", latNs = "lat_ns"
            case bwMin = "bw_min", bwMax = "bw_max", bwAgg = "bw_agg", bwMean = "bw_mean", bwDev = "bw_dev", bwSamples = "bw_samples"
            case iopsMin = "iops_min", iopsMax = "iops_max", iopsMean = "iops_mean", iopsStddev = "iops_stddev", iopsSamples = "iops_samples"
        }

        /// `r`: the direction's figures, nil for a direction the job did not issue.
        /// `groupBytesPerSecond`: the aggregate of the job's numjobs group, for `bw_agg`.
        init(_ r: DirectionResult?, runtimeNanoseconds: UInt64, groupBytesPerSecond: UInt64? = nil, plus: Bool = false) {
            let runtimeMs = r == nil ? 0 : UInt64((Double(runtimeNanoseconds) / 1e6).rounded())
            ioBytes = r?.bytes ?? 0
            ioKbytes = ioBytes / 1024
            bwBytes = runtimeMs > 0 ? ioBytes * 1000 / runtimeMs : 0
            bw = bwBytes / 1024
            iops = runtimeMs > 0 ? Double(r?.ios ?? 0) * 1000 / Double(runtimeMs) : 0
            runtime = runtimeMs
            totalIos = r?.ios ?? 0
            shortIos = 0; dropIos = 0
            slatNs = LatencyStats(r?.slat, percentiles: false)
            clatNs = LatencyStats(r?.clat, percentiles: r != nil, bins: plus)
            latNs = LatencyStats(r?.lat, percentiles: false)
            let bwS = SampleStats(r?.bandwidthSamples.map { $0.rounded(.down) } ?? [])
            let iopsS = SampleStats(r?.iopsSamples.map { $0.rounded(.down) } ?? [])
            bwMin = UInt64(saturating: bwS.min); bwMax = UInt64(saturating: bwS.max); bwMean = bwS.mean; bwDev = bwS.stddev; bwSamples = bwS.count
            if let agg = groupBytesPerSecond, r != nil {
                bwAgg = agg > 0 ? Double(bwBytes) / Double(agg) * 100 : 0
            } else {
                bwAgg = bwS.count == 0 ? 0 : 100   // fio: 0 without samples, else the share of the group's mean
            }
            iopsMin = UInt64(saturating: iopsS.min); iopsMax = UInt64(saturating: iopsS.max); iopsMean = iopsS.mean; iopsStddev = iopsS.stddev; iopsSamples = iopsS.count
        }
    }

    /// fio's `sync` block: how many fsync/fdatasync calls and their latency.
    public struct Sync: Codable {
        var totalIos: UInt64
        var latNs: LatencyStats
        enum CodingKeys: String, CodingKey { case totalIos = "total_ios", latNs = "lat_ns" }

        init(_ h: LatencyHistogram?, plus: Bool = false) {
            totalIos = h?.count ?? 0
            latNs = LatencyStats(h, percentiles: (h?.count ?? 0) > 0, bins: plus)
        }
    }

    public struct Job: Codable {
        var jobname: String
        var groupid: Int
        public var error: Int
        public var eta: Int
        public var elapsed: Int
        var jobOptions: OrderedObject<String>
        public var read: Direction
        public var write: Direction
        var trim: Direction
        public var sync: Sync
        var jobRuntime: UInt64
        var usrCpu: Double
        var sysCpu: Double
        var ctx: UInt64
        var majf: UInt64
        var minf: UInt64
        var iodepthLevel: OrderedObject<Double>
        var iodepthSubmit: OrderedObject<Double>
        var iodepthComplete: OrderedObject<Double>
        var latencyNs: OrderedObject<Double>
        var latencyUs: OrderedObject<Double>
        var latencyMs: OrderedObject<Double>
        var latencyDepth: Int
        public var latencyTarget: Int
        var latencyPercentile: Double
        var latencyWindow: Int
        /// uringbench's own figures; everything above is fio's schema.
        public var uringbench: RunResult?

        enum CodingKeys: String, CodingKey {
            case jobname, groupid, error, eta, elapsed, jobOptions = "job options", read, write, trim, sync
            case jobRuntime = "job_runtime", usrCpu = "usr_cpu", sysCpu = "sys_cpu", ctx, majf, minf
            case iodepthLevel = "iodepth_level", iodepthSubmit = "iodepth_submit", iodepthComplete = "iodepth_complete"
            case latencyNs = "latency_ns", latencyUs = "latency_us", latencyMs = "latency_ms"
            case latencyDepth = "latency_depth", latencyTarget = "latency_target"
            case latencyPercentile = "latency_percentile", latencyWindow = "latency_window", uringbench
        }

        /// `groupBytesPerSecond`: read and write aggregates of the job's numjobs group when the
        /// group is reported job by job.
        init(_ r: RunResult, group: Int, groupBytesPerSecond: [UInt64]? = nil, plus: Bool = false) {
            jobname = r.job.name
            groupid = group
            error = 0; eta = 0
            elapsed = Int((Double(r.runtimeNanoseconds + r.job.rampNanoseconds) / 1e9).rounded(.up))
            jobOptions = FioJSON.jobOptions(r.job)
            read = Direction(r.figures(.read), runtimeNanoseconds: r.runtimeNanoseconds, groupBytesPerSecond: groupBytesPerSecond?[0], plus: plus)
            write = Direction(r.figures(.write), runtimeNanoseconds: r.runtimeNanoseconds, groupBytesPerSecond: groupBytesPerSecond?[1], plus: plus)
            trim = Direction(nil, runtimeNanoseconds: 0)
            sync = Sync(r.syncLatency, plus: plus)
            // A merged group: its jobs' runtimes added, and their CPU over that sum, as fio's.
            let jobNanoseconds = r.group?.jobRuntimeNanoseconds ?? r.runtimeNanoseconds
            jobRuntime = UInt64(Double(jobNanoseconds) / 1e6)
            let seconds = Double(jobNanoseconds) / 1e9
            usrCpu = seconds > 0 ? r.cpu.threadUserSeconds / seconds * 100 : 0
            sysCpu = seconds > 0 ? r.cpu.threadSystemSeconds / seconds * 100 : 0
            ctx = r.cpu.contextSwitches; majf = r.cpu.majorFaults; minf = r.cpu.minorFaults
            func dist(_ counts: [UInt64], _ labels: [String], _ total: UInt64) -> OrderedObject<Double> {
                OrderedObject(zip(labels, counts).map { label, c in
                    var pct = total == 0 ? 0 : Double(c) * 100 / Double(total)
                    if c != 0 && pct < 0.1 { pct = 0.1 }
                    return (label, pct)
                })
            }
            let d = r.distributions
            iodepthLevel = dist(d.depth, DepthDistributions.depthLabels, r.totalIOs)
            iodepthSubmit = dist(d.submit, DepthDistributions.batchLabels, d.submit.reduce(0, +))
            iodepthComplete = dist(d.complete, DepthDistributions.batchLabels, d.complete.reduce(0, +))
            let shares = FioTextReport.latencyBucketShares(r.clat)
            func unit(_ u: String) -> OrderedObject<Double> {
                OrderedObject(shares.filter { $0.unit == u }.map { ($0.label, $0.percent > 0 ? max(0.01, $0.percent) : 0) })
            }
            latencyNs = unit("nsec"); latencyUs = unit("usec"); latencyMs = unit("msec")
            latencyDepth = r.job.iodepth
            latencyTarget = 0; latencyPercentile = 100; latencyWindow = 0
            uringbench = r
            uringbench?.iopsThirds = IOPSThirds(r)
        }
    }

    public struct DiskUtil: Codable {
        public var name: String
        var readIos: UInt64, writeIos: UInt64, readMerges: UInt64, writeMerges: UInt64
        var readTicks: UInt64, writeTicks: UInt64, inQueue: UInt64, util: Double

        enum CodingKeys: String, CodingKey {
            case name, readIos = "read_ios", writeIos = "write_ios", readMerges = "read_merges", writeMerges = "write_merges"
            case readTicks = "read_ticks", writeTicks = "write_ticks", inQueue = "in_queue", util
        }

        init(device: String, counters c: DiskCounters, utilPercent: Double) {
            name = device
            readIos = c.readIOs; writeIos = c.writeIOs
            readMerges = c.readMerges; writeMerges = c.writeMerges
            readTicks = c.readTicks; writeTicks = c.writeTicks
            inQueue = c.inQueue; util = utilPercent
        }
    }
}

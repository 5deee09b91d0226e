import Foundation
import UringCore

/// fio 3.33's normal output for a finished run, line for line (see `FioNumber` for the
/// number format), plus the few lines fio lacks: engine setup, whole-process CPU, verify.
public struct FioTextReport {
    /// fio's groups (the jobs between two stonewalls), each its jobs' threads.
    public let groups: [ConcurrentGroupResult]

    public init(results: [RunResult]) { groups = results.map { ConcurrentGroupResult(jobs: [JobGroupResult(jobs: [$0])]) } }

    /// Each numjobs group a group of its own (jobs run one after another).
    public init(groups: [JobGroupResult]) { self.groups = groups.map { ConcurrentGroupResult(jobs: [$0]) } }

    public init(runGroups: [ConcurrentGroupResult]) { groups = runGroups }

    /// As fio lays it out: every job's header, then every report block group by group, then
    /// each group's "Run status", then the disks' counters over the whole run, once.
    public func render() -> String {
        var out = ""
        for (group, g) in groups.enumerated() {
            for j in g.jobs {
                let job = j.jobs[0].job
                // fio numbers the groups from 0, one more at each stonewall.
                out += "\(job.name): (g=\(group)): rw=\(job.rw.rawValue), bs=(R) \(sizesText(job, .read)), (W) \(sizesText(job, .write)), (T) \(sizesText(job, .write)), ioengine=\(job.engine.rawValue), iodepth=\(job.iodepth)\n"
                if j.jobs.count > 1 { out += "...\n" }
            }
        }
        out += "uringbench-\(UringBenchVersion.current)\n"
        // A numjobs group runs its jobs as threads (fio's --thread); a job on its own runs in
        // the process, as fio's default would.
        let sections = groups.flatMap(\.jobs)
        let jobs = sections.map(\.jobs.count).reduce(0, +)
        let noun = sections.contains { $0.jobs.count > 1 } ? "thread" : "process"
        out += "Starting \(jobs) \(noun)\(jobs == 1 ? "" : noun == "thread" ? "s" : "es")\n"
        var statuses = ""
        var blank = "\n"
        for (group, g) in groups.enumerated() {
            let blocks = g.blocks
            for r in blocks {
                if r.measuredNothing {
                    out += "\n\(r.job.name): (groupid=\(group), jobs=\(r.group?.jobs ?? 1)): \(Self.notMeasuredCause(r)): nothing was measured, so there are no figures\n"
                    blank = "\n"
                } else {
                    out += blank + jobBlock(r, group: group, aggregate: blocks.count > 1 ? blocks : nil)
                    blank = ""
                }
            }
            let measured = blocks.filter { !$0.measuredNothing }
            if !measured.isEmpty { statuses += groupBlock(measured, group: group) }
        }
        return out + statuses + diskBlock(ConcurrentGroupResult.wholeRunDisk(groups))
    }

    /// Said first, in capitals: the run destroyed data that was not uringbench's.
    static func overwrittenLine(_ target: String) -> String {
        "  OVERWRITTEN  : this run wrote over \(target) (--allow-overwrite); what was there is lost where it wrote\n"
    }

    /// 30s, 1.5s, 250ms: the ramp time as it would be written on the command line.
    static func seconds(_ ns: UInt64) -> String {
        ns % 1_000_000_000 == 0 || ns >= 10_000_000_000 ? String(format: "%gs", Double(ns) / 1e9) : String(format: "%gms", Double(ns) / 1e6)
    }

    private func bsText(_ bs: Int) -> String { FioNumber.string(UInt64(bs), maxLength: 4, base: 1024, unit: .bytes) }

    /// fio's smallest-largest for a direction (trims, which uringbench never issues, take the
    /// writes' sizes, as fio's bssplit gives them a list of one or two).
    private func sizesText(_ job: JobSpec, _ direction: IODirection) -> String {
        guard let choice = job.blockSizes?.choice(direction) else { return "\(bsText(job.blockSize))-\(bsText(job.blockSize))" }
        return "\(bsText(Int(clamping: choice.smallest)))-\(bsText(Int(clamping: choice.largest)))"
    }

    /// One job's block, or a group's merged one (`r.group` set). `aggregate`: the blocks of the
    /// group it is one of, whose aggregate bandwidth its `per=` share divides by.
    func jobBlock(_ r: RunResult, group: Int, aggregate: [RunResult]? = nil) -> String {
        var out = "\(r.job.name): (groupid=\(group), jobs=\(r.group?.jobs ?? 1)): err= 0: pid=\(r.threadID ?? getpid()): \(FioText.ctime(r.startedAt))\n"
        if let target = r.overwritten { out += Self.overwrittenLine(target) }
        let runtimeMs = max(1, UInt64((Double(r.runtimeNanoseconds) / 1e6).rounded()))
        for direction in [IODirection.read, .write] {
            guard let f = r.figures(direction) else { continue }
            out += Self.directionBlock(direction == .read ? "read" : "write", f, runtimeMs: runtimeMs,
                                       groupBytesPerSecond: aggregate.map { ConcurrentGroupResult.bytesPerSecond(direction, blocks: $0) })
        }
        out += Self.latencyBuckets(r.clat)
        if let sync = r.syncLatency, !sync.isEmpty {
            out += "  fsync/fdatasync/sync_file_range:\n"
            out += FioText.latencyLine("sync", sync)
            out += FioText.percentileBlock("sync", sync)
        }
        let ms = Double(r.runtimeNanoseconds) / 1e9
        let pct = { (s: Double) in ms > 0 ? s / ms * 100 : 0 }
        // A merged group's thread CPU is its jobs' CPU over their summed runtime, as fio's.
        let threadSeconds = Double(r.group?.jobRuntimeNanoseconds ?? r.runtimeNanoseconds) / 1e9
        let threadPct = { (s: Double) in threadSeconds > 0 ? s / threadSeconds * 100 : 0 }
        out += String(format: "  cpu          : usr=%3.2f%%, sys=%3.2f%%, ctx=%llu, majf=%llu, minf=%llu\n",
                      threadPct(r.cpu.threadUserSeconds), threadPct(r.cpu.threadSystemSeconds), r.cpu.contextSwitches, r.cpu.majorFaults, r.cpu.minorFaults)
        out += String(format: "  cpu (process): usr=%3.2f%%, sys=%3.2f%%, %.2f usec/IO (all threads%@; the line above is %@, as fio reports)\n",
                      pct(r.cpu.processUserSeconds), pct(r.cpu.processSystemSeconds), r.cpuMicrosecondsPerIO,
                      r.job.engine.descriptor.helperThreads.map { ", incl. \($0)" } ?? "",
                      r.group != nil ? "the job threads together" : r.threadID != nil ? "this job's thread" : "the submitting thread")
        if let sq = r.sqThreads { out += Self.sqThreadLine(sq, r, percent: pct) }
        if let memory = r.memory { out += Self.memoryLines(memory) }
        if let thirds = IOPSThirds(r) { out += "  over time    : IOPS \(thirds.description)\n" }
        let d = r.distributions
        out += "  IO depths    : " + Self.distribution(d.depth, labels: DepthDistributions.depthLabels, total: r.totalIOs + (r.syncLatency?.count ?? 0)) + "\n"
        out += "     submit    : " + Self.distribution(d.submit, labels: DepthDistributions.batchLabels, total: d.submit.reduce(0, +)) + "\n"
        out += "     complete  : " + Self.distribution(d.complete, labels: DepthDistributions.batchLabels, total: d.complete.reduce(0, +)) + "\n"
        out += "     issued rwts: total=\(r.figures(.read)?.ios ?? 0),\(r.figures(.write)?.ios ?? 0),0,\(r.syncLatency?.count ?? 0) short=0,0,0,0 dropped=0,0,0,0\n"
        out += "     latency   : target=0, window=0, percentile=100.00%, depth=\(r.job.iodepth)\n"
        out += "  setup        : \(r.job.engine.rawValue): \(r.setup.description); submit batch \(r.job.batchSubmit), complete min \(r.job.batchCompleteMin) max \(r.job.effectiveBatchCompleteMax); \(r.job.direct ? "O_DIRECT" : "buffered"); kernel \(r.machine.kernel)\(r.setup.library.map { "; \($0)" } ?? "")\n"
        if let wakeups = r.sqThreadWakeups {
            out += "  sqpoll       : \(wakeups) SQ thread wake-ups (io_uring_enter calls to submit) for \(r.totalIOs) IOs\n"
        }
        // A write-only job's check is the read-back below: no line about reads it never made.
        if r.verify.enabled && r.job.rw.reads {
            out += "  verify       : \(r.verify.checkedIOs) reads (\(FioNumber.string(r.verify.checkedBytes, maxLength: 4, base: 1024, unit: .bytes))) checked byte for byte against the file pattern, 0 mismatches (offset, generation and crc32c of every sector)\n"
        }
        if r.verify.enabled, let blocks = r.verify.readBackBlocks { out += Self.readBackLine(r.verify, blocks: blocks) }
        if let t = r.endFsyncNanoseconds {
            out += String(format: "  end_fsync    : %.3f ms, after the measured run (in no figure)\n", Double(t) / 1e6)
        }
        if let cpus = r.cpus {
            out += "  cpus_allowed : \(cpus) (\(r.job.cpusAllowedPolicy.rawValue) of \(r.job.cpusAllowed.map(\.description) ?? "?"), as the kernel reports the job thread\(r.group == nil ? "'s" : "s'") affinity)\n"
        }
        for line in r.setup.ignored ?? [] { out += "  ignored      : \(line)\n" }
        for note in r.setup.notes { out += "  note         : \(note)\n" }
        if r.interrupted { out += "  note         : interrupted (\(StopCause.phrase)): figures cover the \(runtimeMs) ms measured before the stop\n" }
        if !r.job.timeBased, let ending = r.ending { out += "  ended        : \(Self.endingText(ending, job: r.job))\n" }
        return out
    }

    /// Why a job measured nothing: Ctrl-C during the ramp, or a size-bound job whose IOs were all
    /// done within it (fio then counts the ramp's IOs, which uringbench does not measure).
    public static func notMeasuredCause(_ r: RunResult) -> String {
        let ramp = seconds(r.job.rampNanoseconds)
        if r.interrupted { return "interrupted (\(StopCause.phrase)) during the \(ramp) ramp-up (ramp_time)" }
        return "its io limit (\(endingLimits(r.job))) was done within the \(ramp) ramp-up (ramp_time; use a shorter one)"
    }

    /// What ends a size-bound job: "io_size 1024MiB, number_ios 10, loops 3".
    static func endingLimits(_ job: JobSpec) -> String {
        var limits = ["io_size " + FioNumber.string(job.ioSize ?? job.size, maxLength: 4, base: 1024, unit: .bytes)]
        if job.numberIOs > 0 { limits.append("number_ios \(job.numberIOs)") }
        if job.loops > 1 { limits.append("loops \(job.loops)") }
        if !job.timeBased && job.runtimeNanoseconds > 0 { limits.append("runtime cap \(seconds(job.runtimeNanoseconds))") }
        return limits.joined(separator: ", ")
    }

    /// How a size-bound job ended, with what it was asked to do (a time-based job has no line).
    static func endingText(_ ending: JobEnding, job: JobSpec) -> String {
        let asked = endingLimits(job)
        let cap = job.runtimeNanoseconds == 0 ? ", no runtime cap" : ""
        switch ending {
        case .ioLimit: return "io limit reached (\(asked))\(cap)"
        case .runtimeCap: return "runtime cap reached before the io limit (\(asked))"
        case .interrupted: return "interrupted (\(StopCause.phrase)) before the io limit (\(asked))\(cap)"
        case .runtime: return "runtime"
        }
    }

    /// What --verify's read-back checked after the run, and what Ctrl-C left unchecked.
    static func readBackLine(_ v: VerifySummary, blocks: UInt64) -> String {
        let seconds = Double(v.readBackNanoseconds ?? 0) / 1e9
        guard v.readBackComplete == false, let written = v.writtenBlocks else {
            let stopped = v.readBackComplete == false ? "; stopped by \(StopCause.phrase) before every written block was read" : ""
            return String(format: "  verify       : %llu written blocks read back after the run and checked, 0 mismatches (%.3f s, in no figure)%@\n",
                          blocks, seconds, stopped)
        }
        if v.readBackNanoseconds == nil {
            return "  verify       : not read back: \(StopCause.phrase) stopped the run before the read-back, so none of the \(written) blocks it wrote was checked after the run\n"
        }
        return String(format: "  verify       : %llu of %llu written blocks read back after the run and checked, 0 mismatches (%.3f s, in no figure); \(StopCause.phrase) stopped the read-back, so the other %llu were not checked\n",
                      blocks, written, seconds, written &- blocks)
    }

    /// fio's read or write block: IOPS and bandwidth, latencies, percentiles, samples.
    static func directionBlock(_ name: String, _ f: DirectionResult, runtimeMs: UInt64, groupBytesPerSecond: UInt64? = nil) -> String {
        let iops = f.ios * 1000 / runtimeMs
        let bw = f.bytes * 1000 / runtimeMs
        var out = "  \(name): IOPS=\(FioNumber.string(iops, maxLength: 4, base: 1000, unit: .none)), BW=\(FioNumber.string(bw, maxLength: 4, base: 1024, unit: .bytesPerSecond)) (\(FioNumber.string(bw, maxLength: 4, base: 1000, unit: .bytesPerSecond)))(\(FioNumber.string(f.bytes, maxLength: 4, base: 1024, unit: .bytes))/\(runtimeMs)msec)\n"
        if let slat = f.slat, !slat.isEmpty { out += FioText.latencyLine("slat", slat) }
        if !f.clat.isEmpty { out += FioText.latencyLine("clat", f.clat) }
        if !f.lat.isEmpty { out += FioText.latencyLine(" lat", f.lat) }
        if !f.clat.isEmpty { out += FioText.percentileBlock("clat", f.clat) }
        out += sampleLines(f, aggregateBytesPerSecond: groupBytesPerSecond ?? bw)
        return out
    }

    /// fio's "Run status" lines: per direction, over the report blocks that moved data that
    /// way (a merged group_reporting block counts as one), the group's aggregate bandwidth, the
    /// slowest and fastest block's, the bytes moved and the shortest and longest runtime.
    func groupBlock(_ blocks: [RunResult], group: Int) -> String {
        var out = "\nRun status group \(group) (all jobs):\n"
        for (direction, label) in [(IODirection.read, "   READ"), (.write, "  WRITE")] {
            let jobs = blocks.filter { $0.figures(direction) != nil }
            guard !jobs.isEmpty else { continue }
            let runtimes = jobs.map { max(1, UInt64((Double($0.runtimeNanoseconds) / 1e6).rounded())) }
            let perJob = zip(jobs, runtimes).map { r, ms in (r.figures(direction)?.bytes ?? 0) * 1000 / ms }
            let bytes = jobs.compactMap { $0.figures(direction)?.bytes }.reduce(0, +)
            let bw = ConcurrentGroupResult.bytesPerSecond(direction, blocks: jobs)
            let text = { (v: UInt64, base: Int) in FioNumber.string(v, maxLength: 4, base: base, unit: .bytesPerSecond) }
            let lo = perJob.min() ?? 0, hi = perJob.max() ?? 0
            out += "\(label): bw=\(text(bw, 1024)) (\(text(bw, 1000))), \(text(lo, 1024))-\(text(hi, 1024)) (\(text(lo, 1000))-\(text(hi, 1000))), io=\(FioNumber.string(bytes, maxLength: 4, base: 1024, unit: .bytes)) (\(FioNumber.string(bytes, maxLength: 4, base: 1000, unit: .bytes))), run=\(runtimes.min() ?? 0)-\(runtimes.max() ?? 0)msec\n"
        }
        return out
    }

    /// fio's disk stats, once at the end of the run, a line per disk.
    func diskBlock(_ disks: [DiskUtilization]) -> String {
        guard !disks.isEmpty else { return "" }
        return "\nDisk stats (read/write):\n" + disks.map { disk in
            let c = disk.counters
            return String(format: "  %@: ios=%llu/%llu, merge=%llu/%llu, ticks=%llu/%llu, in_queue=%llu, util=%3.2f%%\n",
                          disk.device, c.readIOs, c.writeIOs, c.readMerges, c.writeMerges, c.readTicks, c.writeTicks, c.inQueue, disk.utilPercent)
        }.joined()
    }

    /// The SQPOLL threads' CPU, read apart from the process's (which includes it): percent of
    /// one CPU over the measured time, as fio's cpu line, and per IO.
    static func sqThreadLine(_ sq: SQThreadUsage, _ r: RunResult, percent: (Double) -> Double) -> String {
        let ids = sq.threads.map { String($0.threadID) }.joined(separator: ", ")
        let shared = r.job.engineOptions.isSet(IORingEngine.sqPollSharedOption)
        let perIO = String(format: "%.2f usec/IO", r.totalIOs == 0 ? 0 : sq.seconds * 1e6 / Double(r.totalIOs))
        let what: String
        if sq.rings > 1 {
            let threads = sq.threads.count == 1 ? "1 SQ thread (\(ids))" : "\(sq.threads.count) SQ threads (\(ids))"
            what = "\(perIO); \(threads) for \(sq.rings) rings, \(shared ? "shared (--sqpoll-shared)" : "one per ring")"
        } else if shared {
            // One job's view of the thread every job's ring used: its CPU is the whole group's.
            what = "the SQ thread (\(ids)) all \(r.job.numjobs) jobs' rings share (--sqpoll-shared): per IO, see the group"
        } else {
            what = "\(perIO); this ring's SQ thread (\(ids))"
        }
        return String(format: "  cpu (sqpoll) : usr=%3.2f%%, sys=%3.2f%%, %@; %% of one CPU, included in the process line\n",
                      percent(sq.userSeconds), percent(sq.systemSeconds), what)
    }

    static func sampleLines(_ r: DirectionResult, aggregateBytesPerSecond: UInt64) -> String {
        guard !r.bandwidthSamples.isEmpty else { return "" }
        let bw = SampleStats(r.bandwidthSamples.map { $0.rounded(.down) })
        let iops = SampleStats(r.iopsSamples.map { $0.rounded(.down) })
        var per = 100.0
        if aggregateBytesPerSecond > 1024 {
            per = min(100, (bw.mean.rounded(.down)) * 100 / (Double(aggregateBytesPerSecond) / 1024))
        }
        var unit = "KiB", minV = bw.min, maxV = bw.max, mean = bw.mean, dev = bw.stddev
        if mean > 1024 * 1024 {
            unit = "MiB"; minV = (minV / 1024).rounded(.down); maxV = (maxV / 1024).rounded(.down); mean /= 1024; dev /= 1024
        }
        let paddedUnit = String(repeating: " ", count: max(0, 5 - unit.count)) + unit
        return String(format: "   bw (%@/s): min=%5llu, max=%5llu, per=%3.2f%%, avg=%5.02f, stdev=%5.02f, samples=%lu\n",
                      paddedUnit, UInt64(minV), UInt64(maxV), per, mean, dev, bw.count)
            + String(format: "   iops        : min=%5llu, max=%5llu, avg=%5.02f, stdev=%5.02f, samples=%lu\n",
                     UInt64(iops.min), UInt64(iops.max), iops.mean, iops.stddev, iops.count)
    }

    /// Label and [low, high) nanosecond range of each of fio's latency buckets, per unit.
    static let latencyBucketTable: [(unit: String, label: String, low: UInt64, high: UInt64)] = {
        let edges: [UInt64] = [0, 2, 4, 10, 20, 50, 100, 250, 500, 750, 1000]
        var rows: [(String, String, UInt64, UInt64)] = []
        for (unit, scale) in [("nsec", UInt64(1)), ("usec", 1000), ("msec", 1_000_000)] {
            for i in 1..<edges.count {
                // The first bucket of usec/msec starts where the previous unit ended.
                let low = i == 1 && scale > 1 ? scale : edges[i - 1] * scale
                rows.append((unit, "\(edges[i])", low, edges[i] * scale))
            }
        }
        rows.append(("msec", "2000", 1_000_000_000, 2_000_000_000))
        rows.append(("msec", ">=2000", 2_000_000_000, UInt64.max))
        return rows
    }()

    /// Share of IOs in each bucket, computed from the clat histogram.
    static func latencyBucketShares(_ h: LatencyHistogram) -> [(unit: String, label: String, percent: Double)] {
        guard h.count > 0 else { return latencyBucketTable.map { ($0.unit, $0.label, 0) } }
        return latencyBucketTable.map { row in
            let below = row.high == .max ? 1.0 : h.fraction(atOrBelow: row.high - 1)
            let belowLow = row.low == 0 ? 0 : h.fraction(atOrBelow: row.low - 1)
            return (row.unit, row.label, max(0, below - belowLow) * 100)
        }
    }

    static func latencyBuckets(_ h: LatencyHistogram) -> String {
        let shares = latencyBucketShares(h)
        var out = ""
        for unit in ["nsec", "usec", "msec"] {
            let shown = shares.filter { $0.unit == unit && $0.percent > 0 }
            for (i, entry) in shown.enumerated() {
                if i % 5 == 0 { out += (i == 0 ? "" : "\n") + "  lat (\(unit))   : " } else { out += ", " }
                out += String(format: "%@=%3.2f%%", entry.label, max(0.01, entry.percent))
            }
            if !shown.isEmpty { out += "\n" }
        }
        return out
    }

    public static func distribution(_ counts: [UInt64], labels: [String], total: UInt64) -> String {
        zip(labels, counts).map { label, c in
            var pct = total == 0 ? 0 : Double(c) * 100 / Double(total)
            if c != 0 && pct < 0.1 { pct = 0.1 }
            return String(format: "%@=%3.1f%%", label, pct)
        }.joined(separator: ", ")
    }
}

/// min/max/mean/sample stddev of the 500 ms IOPS or bandwidth samples.
public struct SampleStats: Sendable {
    public let min: Double, max: Double, mean: Double, stddev: Double, count: Int

    public init(_ samples: [Double]) {
        count = samples.count
        min = samples.min() ?? 0
        max = samples.max() ?? 0
        mean = samples.isEmpty ? 0 : samples.reduce(0, +) / Double(samples.count)
        let m = mean
        stddev = samples.count > 1 ? (samples.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(samples.count - 1)).squareRoot() : 0
    }
}

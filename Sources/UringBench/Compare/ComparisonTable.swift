import Foundation
import UringCore

/// The comparison as a table: a terminal one with a bar per row, or GitHub-flavoured Markdown.
public struct ComparisonTable {
    public var cases: [CaseSummary]
    public var baselineEngine: EngineKind
    var barWidth = 24
    /// An equal-concurrency comparison (`compare --concurrency`): rows say how each engine
    /// held its IOs in flight and lead with IOPS, CPU per IO and IOPS per busy core.
    var byConcurrency = false

    public init(cases: [CaseSummary], baselineEngine: EngineKind) {
        self.cases = cases
        self.baselineEngine = baselineEngine
    }

    /// The table of a comparison, in the view its plan asks for.
    public init(results: ComparisonResults) {
        self.init(cases: results.cases, baselineEngine: results.plan.baselineEngine)
        byConcurrency = results.plan.concurrency != nil
    }

    /// Only when the cases mix O_DIRECT and buffered (`--direct 0,1`).
    var showsDirect: Bool { Set(cases.map(\.key.direct)).count > 1 }
    /// Only when some case ran several jobs at once.
    var showsJobs: Bool { cases.contains { $0.key.numjobs > 1 } }
    /// "helper thr": SQPOLL's SQ threads as measured, posixaio's glibc AIO threads as the
    /// process CPU beyond the job threads (CaseSummary.sqThreadCPUPerIO).
    var showsSQThread: Bool { cases.contains { $0.sqThreadCPUPerIO != nil } }
    /// Only in a compare plan, when a case ran fewer rounds than planned or had a run cut short.
    var showsRounds: Bool { cases.contains { c in c.roundsPlanned.map { c.rounds < $0 || c.interrupted } == true } }

    /// Explains the `*` of the rounds column.
    public static var cutShortNote: String { "rounds: runs in the median of the rounds planned; * = its last run was cut short by \(StopCause.phrase) and is in the median" }

    public var headers: [String] {
        if byConcurrency {
            var h = ["engine", "in flight", "run as", "bs"] + (showsDirect ? ["direct"] : []) + (showsRounds ? ["rounds"] : [])
                + ["IOPS", "CPU µs/IO", "IOPS/core", "min–max", "BW", "clat p50", "p99", "p99.99"]
            if showsSQThread { h.append("helper thr µs/IO") }
            h.append("× \(baselineEngine.rawValue)")
            return h
        }
        var h = ["engine", "QD", "bs"] + (showsDirect ? ["direct"] : []) + (showsJobs ? ["jobs"] : []) + (showsRounds ? ["rounds"] : []) + ["IOPS", "min–max", "BW", "clat p50", "p99", "p99.99", "CPU µs/IO"]
        if showsSQThread { h.append("helper thr µs/IO") }
        h.append("× \(baselineEngine.rawValue)")
        return h
    }

    public func cells(_ c: CaseSummary) -> [String] {
        // The mode rides with the engine when it is not the headline's randread.
        let name = c.key.rw == .randread ? c.key.engine.rawValue : "\(c.key.engine.rawValue) \(c.key.rw.rawValue)"
        if byConcurrency {
            var row = [name, "\(c.key.concurrency)", c.key.runAs, formatBytesFlag(UInt64(c.key.blockSize))]
            if showsDirect { row.append(c.key.direct ? "1" : "0") }
            if showsRounds { row.append("\(c.rounds)/\(c.roundsPlanned.map(String.init) ?? "?")\(c.interrupted ? "*" : "")") }
            row += [Self.count(c.iops.median), String(format: "%.2f", c.cpuPerIO.median), Self.count(c.iopsPerBusyCore),
                    "\(Self.count(c.iops.min))–\(Self.count(c.iops.max))", Self.bandwidth(c.bandwidth.median),
                    Self.latency(c.clatP50.median), Self.latency(c.clatP99.median), Self.latency(c.clatP9999.median)]
            if showsSQThread { row.append(c.sqThreadCPUPerIO.map { String(format: "%.2f", $0.median) } ?? "–") }
            row.append(c.ratioToBaseline.map { String(format: "%.2f×", $0) } ?? "–")
            return row
        }
        var row = [name, "\(c.key.iodepth)", formatBytesFlag(UInt64(c.key.blockSize))]
        if showsDirect { row.append(c.key.direct ? "1" : "0") }
        if showsJobs { row.append("\(c.key.numjobs)") }
        if showsRounds { row.append("\(c.rounds)/\(c.roundsPlanned.map(String.init) ?? "?")\(c.interrupted ? "*" : "")") }
        row += [Self.count(c.iops.median), "\(Self.count(c.iops.min))–\(Self.count(c.iops.max))",
                   Self.bandwidth(c.bandwidth.median),
                   Self.latency(c.clatP50.median), Self.latency(c.clatP99.median), Self.latency(c.clatP9999.median),
                   String(format: "%.2f", c.cpuPerIO.median)]
        if showsSQThread { row.append(c.sqThreadCPUPerIO.map { String(format: "%.2f", $0.median) } ?? "–") }
        row.append(c.ratioToBaseline.map { String(format: "%.2f×", $0) } ?? "–")
        return row
    }

    /// Columns padded, numbers right-aligned, then the bar: median IOPS relative to the best row.
    public func renderText() -> String {
        let rows = cases.map(cells)
        let h = headers
        let line = TextColumns([h] + rows, leftAligned: byConcurrency ? [0, 2] : [0]).line
        let best = cases.map(\.iops.median).max() ?? 0
        var out = line(h) + "\n"
        for (c, r) in zip(cases, rows) {
            out += line(r) + "  " + Self.bar(c.iops.median, of: best, width: barWidth) + "\n"
        }
        return out
    }

    public func renderMarkdown() -> String {
        let h = headers + ["IOPS bar"]
        var out = "| " + h.joined(separator: " | ") + " |\n"
        let left: Set<Int> = byConcurrency ? [0, 2, 3] : [0, 1, 2]
        out += "|" + h.enumerated().map { i, _ in left.contains(i) || i == h.count - 1 ? ":---|" : "---:|" }.joined() + "\n"
        let best = cases.map(\.iops.median).max() ?? 0
        for c in cases {
            out += "| " + (cells(c) + ["`" + Self.bar(c.iops.median, of: best, width: 16) + "`"]).joined(separator: " | ") + " |\n"
        }
        return out
    }

    /// One line above the table: what was run, where. Medians are over `rounds`.
    public static func caption(_ r: ComparisonResults) -> String {
        let job = r.plan.base
        let m = r.machine
        // A size-bound run (no time_based) ends after its io_size: say so instead of a runtime.
        let perRun = job.timeBased ? String(format: "%gs per run", Double(job.runtimeNanoseconds) / 1e9)
            : "size-bound runs (\(FioTextReport.endingLimits(job)))"
        let equal = r.plan.concurrency.map { ", equal concurrency \($0.map(String.init).joined(separator: ",")) IOs in flight (synchronous engines as that many jobs at QD1, asynchronous as \(r.plan.numjobs.first ?? 1) job\((r.plan.numjobs.first ?? 1) == 1 ? "" : "s") sharing the depth); IOPS/core = IOs per CPU-second of the whole process" } ?? ""
        // A job file's cases carry their own rw (the table's rows say it); else the plan's modes.
        let rw = r.plan.jobs != nil ? "job file" : r.plan.modes.map(\.rawValue).joined(separator: ",")
        let direct = r.plan.directList.count > 1 ? "O_DIRECT (direct 1) and buffered (direct 0)" : job.direct ? "O_DIRECT" : "buffered"
        // Engine options (--uncached, --hipri…) change the model measured: the caption names them.
        let engineOptions = job.engineOptions.options.map { $0.option.isFlag ? "\($0.option)" : "\($0.option) \($0.value)" }
        let options = engineOptions.isEmpty ? "" : " with \(engineOptions.joined(separator: " ")) where the engine takes it"
        return "\(rw) \(direct)\(options)\(equal), \(perRun), median of \(r.roundsDescription) (min–max), \(formatBytesFlag(job.size)) \(job.filename)\(job.rateIOPS > 0 ? ", rate_iops=\(job.rateIOPS)" : "") on \(m.cpuModel), \(m.cores) cores, kernel \(m.kernel), \(m.filesystem)/\(m.device ?? "?"); uringbench \(r.runs.first?.uringbenchVersion ?? UringBenchVersion.current)"
    }

    /// The pairs of the plan's cross product left out, one line each ("" when none).
    public static func skippedNote(_ plan: ComparisonPlan) -> String {
        plan.skipped.map { "skipped: \($0.key): \($0.reason)\n" }.joined()
    }

    // MARK: formatting

    static let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// A bar of `width` cells for value/best, in eighths of a cell.
    static func bar(_ value: Double, of best: Double, width: Int) -> String {
        guard best > 0, value > 0 else { return "" }
        let units = Int(saturating: (min(value / best, 1) * Double(width * 8)).rounded())
        let bar = String(repeating: "█", count: units / 8) + eighths[units % 8]
        return bar.isEmpty ? "▏" : bar
    }

    /// 950 → "950", 12345 → "12.3k", 1234567 → "1.23M", on through G, T, P and E (fio's
    /// prefixes), so no figure prints as millions of M.
    public static func count(_ v: Double) -> String {
        // Cut-offs at the rounding edges, so 9999.7 prints "10.0k", not "10.00k".
        if v >= 999_500 { return large(v / 1e6, base: 1000, prefixes: ["M", "G", "T", "P", "E"]) }
        if v >= 9_995 { return String(format: "%.1fk", v / 1e3) }
        if v >= 999.5 { return String(format: "%.2fk", v / 1e3) }
        return String(format: "%.0f", v)
    }

    /// KiB/s and MiB/s as fio's bandwidth, then GiB/s on through EiB/s.
    public static func bandwidth(_ bytesPerSecond: Double) -> String {
        let mib = bytesPerSecond / 1_048_576
        if mib >= 1024 { return large(mib / 1024, base: 1024, prefixes: ["GiB", "TiB", "PiB", "EiB"]) + "/s" }
        if mib >= 100 { return String(format: "%.0fMiB/s", mib) }
        if mib >= 1 { return String(format: "%.1fMiB/s", mib) }
        return String(format: "%.0fKiB/s", bytesPerSecond / 1024)
    }

    /// `v` (at least 1 of `prefixes[0]`) with two decimals under the largest prefix it reaches.
    static func large(_ v: Double, base: Double, prefixes: [String]) -> String {
        guard v.isFinite else { return "?\(prefixes[0])" }
        var value = v, index = 0
        while index < prefixes.count - 1 && value >= base - 0.005 { value /= base; index += 1 }
        return String(format: "%.2f", value) + prefixes[index]
    }

    /// Nanoseconds as "850ns", "85.2µs", "1.20ms", "2.3s".
    public static func latency(_ ns: Double) -> String {
        if ns >= 1e9 { return String(format: "%.2fs", ns / 1e9) }
        if ns >= 1e6 { return String(format: "%.2fms", ns / 1e6) }
        if ns >= 1e5 { return String(format: "%.0fµs", ns / 1e3) }
        if ns >= 1e3 { return String(format: "%.1fµs", ns / 1e3) }
        return String(format: "%.0fns", ns)
    }
}

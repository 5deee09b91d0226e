import Foundation

/// A results file is input: it may be hand-edited, cut, or crafted. These checks run after
/// decoding and before any figure is computed from it, so that every sum, product and
/// conversion the reports and plots do afterwards stays in range. Each finding names the field.
enum ResultsFileCheck {
    /// Counts beyond 2^53 are not exact as Double, and no run completes that many IOs.
    static let maxCount: UInt64 = 1 << 53
    /// The largest per-second sample (IOPS, KiB/s) believed: 10^15.
    static let maxSample = 1e15
    /// The shortest run believed: 1 µs (a run of one IO on the null engine).
    static let minRuntimeNanoseconds: UInt64 = 1_000
    /// The most IOs per second believed for one run: 10^10 (a thousand null-engine jobs make ~10^9).
    static let maxIOPS = 1e10
    /// CPU seconds per run: ten years.
    static let maxCPUSeconds = 3.2e8

    /// Every number under the runs and the plan is a count, a size, a time or a seed: none is
    /// negative. JSONDecoder reports a negative UInt64 without saying where; this does.
    static func negativeNumber(in top: [String: Any]) -> String? {
        func walk(_ value: Any, _ path: String) -> String? {
            switch value {
            case let dict as [String: Any]:
                for key in dict.keys.sorted() { if let found = walk(dict[key]!, path + "." + key) { return found } }
            case let list as [Any]:
                for (i, item) in list.enumerated() { if let found = walk(item, "\(path)[\(i)]") { return found } }
            case let n as NSNumber:
                if n.doubleValue < 0 { return "\(path) is \(n), and no count, size or time is negative" }
            default: break
            }
            return nil
        }
        if let jobs = top["jobs"] as? [Any] {
            for (i, job) in jobs.enumerated() {
                if let run = (job as? [String: Any])?["uringbench"], let found = walk(run, "jobs[\(i)].uringbench") { return found }
            }
        }
        if let block = top["uringbench_compare"] as? [String: Any] {
            for key in ["plan", "rounds"] {
                if let v = block[key], let found = walk(v, "uringbench_compare.\(key)") { return found }
            }
        }
        return nil
    }

    /// The parser's complaint ("Invalid value around character 812", "Number 1e999 is not
    /// representable") with the line and the key it is under, so a NaN or an out-of-range number
    /// is found by field, not by byte offset.
    static func locate(_ complaint: String, in data: Data) -> String {
        let text = String(decoding: data, as: UTF8.self)
        var offset: String.Index? = nil
        if let r = complaint.range(of: "around character ") {
            let digits = complaint[r.upperBound...].prefix(while: \.isNumber)
            if let n = Int(digits) { offset = text.utf8.index(text.startIndex, offsetBy: n, limitedBy: text.endIndex) }
        } else if let r = complaint.range(of: "Number "), let end = complaint.range(of: " is not representable") {
            offset = text.range(of: String(complaint[r.upperBound..<end.lowerBound]))?.lowerBound
        }
        guard let at = offset else { return complaint }
        let before = text[..<at]
        let line = before.utf8.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        // The last `"key":` (or `"key" :`, as pretty-printed) before the offset names the field.
        var key: String? = nil
        if let pattern = try? NSRegularExpression(pattern: #""([^"\\]*)"\s*:"#) {
            let s = String(before)
            if let m = pattern.matches(in: s, range: NSRange(s.startIndex..., in: s)).last, let r = Range(m.range(at: 1), in: s) {
                key = String(s[r])
            }
        }
        return complaint.trimmingCharacters(in: CharacterSet(charactersIn: ". ")) + " at line \(line)" + (key.map { ", in '\($0)'" } ?? "")
    }

    /// The decoded runs and plan, checked against what a run can produce.
    static func problem(runs: [RunResult], rounds: [Int], plan: ComparisonPlan) -> String? {
        do { try plan.validate() } catch { return "uringbench_compare.plan: \(error.description)" }
        if let bad = rounds.firstIndex(where: { $0 < 1 || $0 > plan.rounds }) {
            return "uringbench_compare.rounds[\(bad)] is \(rounds[bad]), outside the plan's 1-\(plan.rounds)"
        }
        for (i, r) in runs.enumerated() {
            if let p = problem(r) { return "jobs[\(i)].uringbench.\(p)" }
        }
        return nil
    }

    static func problem(_ r: RunResult) -> String? {
        do { try r.job.validate() } catch { return "job: \(error.description)" }
        if r.runtimeNanoseconds > Units.maxDurationNanoseconds { return "runtimeNanoseconds is \(r.runtimeNanoseconds), above \(Units.maxDurationText)" }
        // Only a run stopped during its ramp-up measured for no time at all (and then nothing).
        if r.runtimeNanoseconds < minRuntimeNanoseconds && !r.measuredNothing {
            return "runtimeNanoseconds is \(r.runtimeNanoseconds), shorter than any measured run (\(minRuntimeNanoseconds / 1000) µs)"
        }
        if r.totalIOs > maxCount { return "totalIOs is \(r.totalIOs), above 2^53" }
        let (bytes, overflow) = r.totalIOs.multipliedReportingOverflow(by: UInt64(r.job.blockSize))
        if overflow || r.bytes != bytes { return "bytes is \(r.bytes), but totalIOs × bs is \(overflow ? "beyond 2^64" : "\(bytes)")" }
        if r.iops > maxIOPS { return "totalIOs \(r.totalIOs) in runtimeNanoseconds \(r.runtimeNanoseconds) is \(String(format: "%.3g", r.iops)) IOPS, above the \(String(format: "%g", maxIOPS)) any run makes" }
        for (name, h) in [("clat", r.clat), ("lat", r.lat)] + (r.slat.map { [("slat", $0)] } ?? []) {
            if h.count > maxCount { return "\(name).count is \(h.count), above 2^53" }
        }
        for (name, samples) in [("iopsSamples", r.iopsSamples), ("bandwidthSamples", r.bandwidthSamples)] {
            if let bad = samples.firstIndex(where: { !($0 >= 0 && $0 <= maxSample) }) {
                return "\(name)[\(bad)] is \(samples[bad]), outside 0-\(maxSample)"
            }
        }
        let halfSeconds = r.runtimeNanoseconds / 500_000_000 + 2
        if UInt64(r.iopsSamples.count) > halfSeconds || UInt64(r.bandwidthSamples.count) > halfSeconds {
            return "iopsSamples has \(r.iopsSamples.count) and bandwidthSamples \(r.bandwidthSamples.count) samples, more than one per 500 ms of runtimeNanoseconds \(r.runtimeNanoseconds)"
        }
        if let series = r.iopsTimeSeries, let p = problem(series, r) { return "iopsTimeSeries.\(p)" }
        let cpu = [("processUserSeconds", r.cpu.processUserSeconds), ("processSystemSeconds", r.cpu.processSystemSeconds),
                   ("threadUserSeconds", r.cpu.threadUserSeconds), ("threadSystemSeconds", r.cpu.threadSystemSeconds)]
        if let (name, v) = cpu.first(where: { !($0.1 >= 0 && $0.1 <= maxCPUSeconds) }) { return "cpu.\(name) is \(v), outside 0-\(maxCPUSeconds)" }
        for (name, buckets) in [("depth", r.distributions.depth), ("submit", r.distributions.submit), ("complete", r.distributions.complete)] {
            if buckets.count != 7 { return "distributions.\(name) has \(buckets.count) buckets, not 7" }
            if let bad = buckets.firstIndex(where: { $0 > maxCount }) { return "distributions.\(name)[\(bad)] is \(buckets[bad]), above 2^53" }
        }
        if let d = r.disk {
            if !(d.utilPercent >= 0 && d.utilPercent <= 100) { return "disk.utilPercent is \(d.utilPercent), outside 0-100" }
            let c = d.counters
            if [c.readIOs, c.readMerges, c.readTicks, c.writeIOs, c.writeMerges, c.writeTicks, c.ioTicks, c.inQueue].contains(where: { $0 > maxCount }) {
                return "disk.counters has a value above 2^53"
            }
        }
        if r.verify.checkedIOs > maxCount || r.verify.checkedBytes > Units.maxSize { return "verify counts are beyond any run" }
        if let w = r.sqThreadWakeups, w > maxCount { return "sqThreadWakeups is \(w), above 2^53" }
        if let sq = r.sqThreads, let bad = sq.threads.first(where: { !($0.userSeconds >= 0 && $0.userSeconds <= maxCPUSeconds && $0.systemSeconds >= 0 && $0.systemSeconds <= maxCPUSeconds) }) {
            return "sqThreads: thread \(bad.threadID) has CPU seconds \(bad.userSeconds)/\(bad.systemSeconds), outside 0-\(maxCPUSeconds)"
        }
        if let sq = r.sqThreads, !(sq.rings >= 1 && sq.rings <= JobSpec.maxNumjobs) { return "sqThreads.rings is \(sq.rings), outside 1-\(JobSpec.maxNumjobs)" }
        if !(r.startedAt >= 0 && r.startedAt < 1e11) { return "startedAt is \(r.startedAt), not a time" }
        return nil
    }

    /// A run's time series: points no more than its runtime holds, each a rate some run can
    /// make, and no more IOs than the run did.
    static func problem(_ series: IOPSTimeSeries, _ r: RunResult) -> String? {
        let interval = series.intervalMilliseconds
        if !(1...FioLogOptions.maxMilliseconds).contains(interval) {
            return "intervalMilliseconds is \(interval), outside 1-\(FioLogOptions.maxMilliseconds)"
        }
        let most = r.runtimeNanoseconds / 1_000_000 / interval + 1
        if UInt64(series.iops.count) > most {
            return "iops has \(series.iops.count) points, more than the \(most) intervals of \(interval) ms in runtimeNanoseconds \(r.runtimeNanoseconds)"
        }
        if let bad = series.iops.firstIndex(where: { Double($0) > maxIOPS }) {
            return "iops[\(bad)] is \(series.iops[bad]), above the \(String(format: "%g", maxIOPS)) any run makes"
        }
        if series.iosAfterLastInterval > r.totalIOs || series.loggedIOs + Double(series.iosAfterLastInterval) > Double(r.totalIOs) {
            return "iops counts \(String(format: "%.0f", series.loggedIOs)) IOs and iosAfterLastInterval \(series.iosAfterLastInterval) more, above the run's totalIOs \(r.totalIOs)"
        }
        return nil
    }
}

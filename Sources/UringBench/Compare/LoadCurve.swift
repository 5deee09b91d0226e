import Foundation
import UringCore

/// `compare --load` and `--latency-target`: latency against throughput per case. Each case's
/// peak IOPS is measured first, uncapped, in the same invocation; then every case runs capped
/// with rate_iops at each fraction of its own peak, cases interleaved within each step and
/// round so drift hits them alike. The latency target bisects the cap per case.
public struct LoadCurve: Sendable {
    public static let format = "uringbench-load"
    static let formatVersion = 1

    public struct File: Codable, Sendable {
        public var format: String
        public var version: Int
        public var command: String
        public var machine: MachineInfo
        public var plan: ComparisonPlan
        public var fractions: [Double]
        /// Every step, peak (fraction nil) first, then by fraction, cases in plan order.
        public var steps: [LoadStep]
        var latencyTargets: [LatencyTargetResult]
        public var interrupted: Bool
    }

    public var file: File

    public init(file: File) { self.file = file }

    public struct Event: Sendable {
        public var label: String
        public var key: CaseKey
        public var result: RunResult
    }

    public static func run(_ plan: ComparisonPlan, fractions: [Double], latencyTarget: LatencyTarget?, command: String,
                           layoutProgress: DataFile.Progress? = nil,
                           progress: ((ProgressSnapshot) -> Void)? = nil,
                           events: ((Event) -> Void)? = nil) throws(BenchError) -> LoadCurve {
        do { try plan.validate() } catch { throw .invalidOption(error.description) }
        let cases = plan.cases
        let file = try DataFile(job: plan.job(for: cases[0], round: 1), progress: layoutProgress)
        let machine = MachineInfo.current(filesystemType: file.filesystemType, device: file.blockDevice?.name)
        _ = file
        var steps: [LoadStep] = []
        var targets: [LatencyTargetResult] = []
        var interrupted = false
        var runIndex = 0

        /// One capped (or uncapped, rate 0) run; nil once interrupted.
        func measure(_ key: CaseKey, rate: UInt64, label: String) throws(BenchError) -> RunResult? {
            if interrupted { return nil }
            runIndex += 1
            var job = plan.job(for: key, round: runIndex)
            job.rateIOPS = rate
            if job.rw.isMixed && rate > 0 {
                // rate_iops caps each direction: the total is shared by the mix, so the job does
                // `rate` IOs a second in all.
                job.rateIOPS = max(1, rate * UInt64(job.rwMixRead) / 100)
                job.writeRateIOPS = max(1, rate - min(rate, job.rateIOPS))
            }
            let r = try Runner.run(job, progress: progress)
            events?(Event(label: label, key: key, result: r))
            if r.interrupted { interrupted = true; return r.totalIOs > 0 ? r : nil }
            return r
        }

        // Peaks: every case uncapped, `rounds` interleaved rounds.
        var peakRuns: [CaseKey: [RunResult]] = [:]
        for _ in 0..<plan.rounds { for key in cases { if let r = try measure(key, rate: 0, label: "peak") { peakRuns[key, default: []].append(r) } } }
        for key in cases { if let runs = peakRuns[key], !runs.isEmpty { steps.append(LoadStep(key: key, fraction: nil, rateIOPS: 0, runs: runs)) } }

        for fraction in fractions.sorted() {
            var stepRuns: [CaseKey: [RunResult]] = [:]
            var rates: [CaseKey: UInt64] = [:]
            for key in cases {
                guard let peak = steps.first(where: { $0.key == key && $0.fraction == nil }) else { continue }
                rates[key] = max(1, UInt64((peak.iops * fraction).rounded()))
            }
            for _ in 0..<plan.rounds {
                for key in cases {
                    guard let rate = rates[key] else { continue }
                    if let r = try measure(key, rate: rate, label: String(format: "%g%%", fraction * 100)) { stepRuns[key, default: []].append(r) }
                }
            }
            for key in cases { if let runs = stepRuns[key], !runs.isEmpty { steps.append(LoadStep(key: key, fraction: fraction, rateIOPS: rates[key]!, runs: runs)) } }
        }

        if let target = latencyTarget {
            targets = try latencyTargetResults(target, cases: cases, steps: steps, peakRuns: peakRuns) { key, rate, label throws(BenchError) in
                try measure(key, rate: rate, label: label)
            }
        }
        if steps.isEmpty { throw .interrupted(during: "the first run of the load sweep") }
        return LoadCurve(file: File(format: format, version: formatVersion, command: command, machine: machine, plan: plan,
                                    fractions: fractions.sorted(), steps: steps, latencyTargets: targets, interrupted: interrupted))
    }

    /// Per case, the highest rate whose latency meets `target`: the peak when it does, else a
    /// bisection of the rate between 0 and the peak, `target.steps` runs at most.
    static func latencyTargetResults(_ target: LatencyTarget, cases: [CaseKey], steps: [LoadStep], peakRuns: [CaseKey: [RunResult]],
                                     measure: (CaseKey, UInt64, String) throws(BenchError) -> RunResult?) throws(BenchError) -> [LatencyTargetResult] {
        var targets: [LatencyTargetResult] = []
        for key in cases {
            guard let peak = steps.first(where: { $0.key == key && $0.fraction == nil }), let runs = peakRuns[key] else { continue }
            var result = LatencyTargetResult(key: key, target: target)
            result.runs = runs.count
            let peakLatency = Spread(runs.map { Double(target.latency(of: $0)) })!.median
            if peakLatency <= Double(target.nanoseconds) {
                (result.metRate, result.metIOPS, result.metLatency) = (0, peak.iops, peakLatency)
            } else {
                result.missedRate = 0
                result.missedLatency = peakLatency
                var lo = 0.0, hi = peak.iops
                for _ in 0..<target.steps {
                    let rate = max(1, UInt64(((lo + hi) / 2).rounded()))
                    guard let r = try measure(key, rate, "bisect \(target.label)") else { break }
                    result.runs += 1
                    let latency = Double(target.latency(of: r))
                    if latency <= Double(target.nanoseconds) {
                        lo = Double(rate)
                        if r.iops > result.metIOPS ?? -1 { (result.metRate, result.metIOPS, result.metLatency) = (rate, r.iops, latency) }
                    } else {
                        hi = Double(rate)
                        (result.missedRate, result.missedLatency) = (rate, latency)
                    }
                }
            }
            targets.append(result)
        }
        return targets
    }

    // MARK: file

    public func render() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(file), as: UTF8.self) + "\n"
    }

    /// Writes the file the way every output is written: complete or not at all (see `OutputFile`).
    public func write(to output: OutputFile) throws {
        try output.write(render())
    }

    public func write(to path: String) throws {
        try write(to: OutputFile(path: path))
    }

    /// True when `data` is a load-curve file (what `plot` checks before choosing a reader).
    public static func isLoadCurve(_ data: Data) -> Bool {
        guard let top = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return false }
        return top["format"] as? String == format
    }

    public static func decode(_ data: Data, path: String) throws(CompareError) -> LoadCurve {
        guard let top = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any], top["format"] as? String == format else {
            throw .notOurResults(path: path, reason: "not a \(format) file")
        }
        guard top["version"] as? Int == formatVersion else {
            throw .notOurResults(path: path, reason: "format version \(top["version"] ?? "?") is not \(formatVersion); re-measure with this uringbench")
        }
        // The steps' and targets' figures are drawn: each checked by field (the plan by its own rules).
        let bounds = ResultsFieldBounds()
        for key in ["fractions", "steps", "latencyTargets"] {
            if let value = top[key], let problem = bounds.problem(in: value, path: key) { throw .truncatedResults(path: path, reason: problem) }
        }
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: data) } catch {
            throw .truncatedResults(path: path, reason: ComparisonResults.describe(error))
        }
        do { try file.plan.validate() } catch { throw .truncatedResults(path: path, reason: "plan: \(error.description)") }
        if let bad = file.steps.firstIndex(where: { $0.rounds < 1 || $0.rounds > file.plan.rounds }) {
            throw .truncatedResults(path: path, reason: "steps[\(bad)].rounds is \(file.steps[bad].rounds), outside the plan's 1-\(file.plan.rounds)")
        }
        return LoadCurve(file: file)
    }
}

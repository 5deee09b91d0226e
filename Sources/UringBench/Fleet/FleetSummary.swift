import Foundation
import UringCore

/// The merge of several hosts' compare results: per case, every host's medians, the fleet
/// median, each host's ratio to it and its robust z-scores. What `uringbench fleet --output`
/// writes and `uringbench plot` draws.
public struct FleetSummary: Codable, Sendable, Equatable {
    public static let format = "uringbench-fleet"
    static let formatVersion = 1

    public struct Host: Codable, Sendable, Equatable {
        public var name: String
        public var path: String
        public var machine: MachineInfo
        /// The version of the binary that measured this host.
        var uringbenchVersion: String
        public var interrupted: Bool
    }

    /// The three figures merged per host and case: medians over the host's rounds.
    public struct Figures: Codable, Sendable, Equatable {
        public var iops: Double
        public var cpuPerIO: Double
        public var clatP99: Double
    }

    public struct Row: Codable, Sendable, Equatable {
        public var host: String
        public var figures: Figures
        /// Host median over fleet median (nil when the fleet median is 0).
        var iopsRatio: Double?
        var cpuPerIORatio: Double?
        /// Robust z-scores (nil when undefined: the fleet's MAD is 0).
        var iopsZ: Double?
        var cpuPerIOZ: Double?
        public var outlier: Bool
        /// Why it is flagged: "IOPS z=-5.1", "CPU µs/IO z=+4.0".
        var reasons: [String]
    }

    public struct Case: Codable, Sendable, Equatable {
        public var key: CaseKey
        var fleetMedian: Figures
        /// Median absolute deviation of IOPS and CPU µs/IO over the hosts.
        var iopsMAD: Double
        var cpuPerIOMAD: Double
        public var rows: [Row]
    }

    public var format: String
    public var version: Int
    /// The version of the binary that merged the files.
    public var uringbench: String
    var outlierRule: String
    /// The job every host ran, in words.
    public var job: String
    public var rounds: Int
    public var hosts: [Host]
    public var cases: [Case]

    var outliers: [(host: String, key: CaseKey, reasons: [String])] {
        cases.flatMap { c in c.rows.filter(\.outlier).map { (host: $0.host, key: c.key, reasons: $0.reasons) } }
    }

    /// Merges hosts that ran the same job; refuses different jobs, naming the difference.
    public static func merge(_ hosts: [FleetHost], minDifference: Double = RobustZScore.defaultMinDifference) throws(FleetError) -> FleetSummary {
        guard hosts.count >= 2 else { throw .tooFewHosts(count: hosts.count) }
        for (i, h) in hosts.enumerated() {
            if let other = hosts[..<i].first(where: { $0.name == h.name }) {
                throw .duplicateHost(name: h.name, first: other.path, second: h.path)
            }
        }
        let first = hosts[0]
        for h in hosts.dropFirst() {
            let d = FleetJobMatch.differences(first.results.plan, h.results.plan, firstName: first.name, otherName: h.name)
            if !d.isEmpty { throw .differentJobs(first: first.path, other: h.path, differences: d) }
        }
        let summaries = hosts.map(\.results.cases)
        var cases: [Case] = []
        for key in first.results.plan.cases {
            var measured: [(host: String, figures: Figures)] = []
            for (h, s) in zip(hosts, summaries) {
                guard let c = s.first(where: { $0.key == key }) else { continue }  // interrupted before it ran
                measured.append((h.name, Figures(iops: c.iops.median, cpuPerIO: c.cpuPerIO.median, clatP99: c.clatP99.median)))
            }
            guard !measured.isEmpty else { continue }
            cases.append(merge(key: key, measured, minDifference: minDifference))
        }
        let hostInfo = hosts.map { h in
            Host(name: h.name, path: h.path, machine: h.results.machine,
                 uringbenchVersion: h.results.runs.first?.uringbenchVersion ?? "unknown", interrupted: h.results.interrupted)
        }
        return FleetSummary(format: format, version: formatVersion, uringbench: UringBenchVersion.current,
                            outlierRule: RobustZScore.rule(minDifference: minDifference), job: jobDescription(first.results.plan),
                            rounds: first.results.plan.rounds, hosts: hostInfo, cases: cases)
    }

    /// One case over the hosts that measured it (the maths the unit tests check by hand).
    public static func merge(key: CaseKey, _ measured: [(host: String, figures: Figures)],
                             minDifference: Double = RobustZScore.defaultMinDifference) -> Case {
        let iops = measured.map(\.figures.iops), cpu = measured.map(\.figures.cpuPerIO)
        let p99 = measured.map(\.figures.clatP99)
        let fleet = Figures(iops: RobustZScore.median(iops) ?? 0, cpuPerIO: RobustZScore.median(cpu) ?? 0,
                            clatP99: RobustZScore.median(p99) ?? 0)
        let iopsZ = RobustZScore.scores(iops), cpuZ = RobustZScore.scores(cpu)
        let rows = measured.enumerated().map { i, m in
            var reasons: [String] = []
            if RobustZScore.isOutlier(iopsZ[i], value: m.figures.iops, median: fleet.iops, minDifference: minDifference) {
                reasons.append("IOPS z=\(String(format: "%+.1f", iopsZ[i] ?? 0))")
            }
            if RobustZScore.isOutlier(cpuZ[i], value: m.figures.cpuPerIO, median: fleet.cpuPerIO, minDifference: minDifference) {
                reasons.append("CPU µs/IO z=\(String(format: "%+.1f", cpuZ[i] ?? 0))")
            }
            return Row(host: m.host, figures: m.figures,
                       iopsRatio: fleet.iops > 0 ? m.figures.iops / fleet.iops : nil,
                       cpuPerIORatio: fleet.cpuPerIO > 0 ? m.figures.cpuPerIO / fleet.cpuPerIO : nil,
                       iopsZ: iopsZ[i], cpuPerIOZ: cpuZ[i], outlier: !reasons.isEmpty, reasons: reasons)
        }
        return Case(key: key, fleetMedian: fleet, iopsMAD: RobustZScore.mad(iops) ?? 0,
                    cpuPerIOMAD: RobustZScore.mad(cpu) ?? 0, rows: rows)
    }

    static func jobDescription(_ plan: ComparisonPlan) -> String {
        let b = plan.base
        let perRun = String(format: "%g", Double(b.runtimeNanoseconds) / 1e9)
        // The modes the cases ran (a job-file plan's come from its jobs).
        let modes = RWMode.allCases.filter { m in plan.cases.contains { $0.rw == m } }.map(\.rawValue).joined(separator: ",")
        return "\(modes) \(b.direct ? "O_DIRECT" : "buffered"), \(formatBytesFlag(b.size)) file, \(perRun)s per run, \(plan.rounds) interleaved round\(plan.rounds == 1 ? "" : "s"), randseed \(b.randSeed)"
    }

    // MARK: file

    public func render() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// Reads a file written by `fleet --output`; nil when the file is valid JSON of another kind
    /// (so `plot` can try a compare results file instead).
    public static func loadIfFleet(path: String) throws(FleetError) -> FleetSummary? {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .results(.unreadableResults(path: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied or not a file" : "no such file"))
        }
        guard let top = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              top["format"] as? String == format else { return nil }
        guard top["version"] as? Int == formatVersion else {
            throw .notFleetFile(path: path, reason: "format version \(top["version"] ?? "?") is not \(formatVersion)")
        }
        if let problem = ResultsFieldBounds(signed: ["iopsZ", "cpuPerIOZ"]).problem(in: top) { throw .notFleetFile(path: path, reason: problem) }
        let summary: FleetSummary
        do { summary = try JSONDecoder().decode(FleetSummary.self, from: data) } catch {
            throw .notFleetFile(path: path, reason: ComparisonResults.describe(error))
        }
        if let problem = summary.problem() { throw .notFleetFile(path: path, reason: problem) }
        return summary
    }

    /// What no merge writes: too few hosts or rounds, a case without rows, a row of a host the
    /// file does not list, an impossible case. Numbers are range-checked before decoding.
    func problem() -> String? {
        if hosts.count < 2 { return "hosts lists \(hosts.count), and a fleet merges two or more" }
        if !(1...ComparisonPlan.maxRounds).contains(rounds) { return "rounds is \(rounds), outside 1-\(ComparisonPlan.maxRounds)" }
        let names = Set(hosts.map(\.name))
        for (i, c) in cases.enumerated() {
            if !(1...JobSpec.maxNumjobs).contains(c.key.numjobs) || c.key.iodepth < 1 || c.key.blockSize < 1 {
                return "cases[\(i)].key is not a case uringbench runs (\(c.key.runAs), bs \(c.key.blockSize))"
            }
            if c.rows.isEmpty { return "cases[\(i)].rows is empty" }
            if let bad = c.rows.firstIndex(where: { !names.contains($0.host) }) { return "cases[\(i)].rows[\(bad)].host '\(c.rows[bad].host)' is not in hosts" }
        }
        return nil
    }
}

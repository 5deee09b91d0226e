import Foundation

/// The gate's answer: which cases regressed or improved beyond the thresholds, and its exit code.
public struct GateReport: Sendable {
    public var baselinePath: String
    var findings: [GateFinding]
    /// Cases the baseline has and this run did not measure (not an error: a narrower run).
    var notInRun: [CaseKey]
    /// Differences that do not block the comparison but should be seen (kernel, runtime, --force).
    public var notes: [String]
    /// What ran of the plan when the comparison did not run all of it (Ctrl-C, SIGTERM from a CI
    /// job's timeout); nil for a complete run. A gate that did not run its plan does not pass.
    var cutShort: String? = nil

    public var regressions: [GateFinding] { findings.filter { $0.verdict == .regressed } }
    var improvements: [GateFinding] { findings.filter { $0.verdict == .improved } }
    public var noise: [GateFinding] { findings.filter { $0.verdict == .noise } }
    public var undecided: [GateFinding] { findings.filter { $0.verdict == .tooFewRounds } }

    public static let exitPassed: Int32 = 0
    static let exitRegressed: Int32 = 2
    static let exitTooFewRounds: Int32 = 3
    static let exitImprovedOnly: Int32 = 4

    /// 2 when anything regressed; 3 when nothing regressed but some case had too few rounds to
    /// decide or the comparison was cut short (a gate that cannot look must not pass); 4 when
    /// something improved and `failOnImprovement` (time to refresh the baseline); 0 otherwise.
    /// 1 is left to errors.
    public func exitCode(failOnImprovement: Bool = false) -> Int32 {
        if !regressions.isEmpty { return Self.exitRegressed }
        if !undecided.isEmpty || cutShort != nil { return Self.exitTooFewRounds }
        if failOnImprovement && !improvements.isEmpty { return Self.exitImprovedOnly }
        return Self.exitPassed
    }

    public func render() -> String {
        var out = "gate against \(baselinePath) (median vs baseline median; significant = Mann–Whitney p < \(String(format: "%g", GateSignificance.level))):\n"
        for n in notes { out += "  note: \(n)\n" }
        for f in regressions { out += "  REGRESSED  \(f.line)\n" }
        for f in improvements { out += "  improved   \(f.line)\n" }
        for f in noise { out += "  noise      \(f.line): past the threshold, not significant\n" }
        for f in undecided {
            let need = GateSignificance.minimumRounds(against: f.baselineRounds).map { "\($0)" } ?? "more"
            out += "  too few    \(f.key) \(f.metric.label): \(f.rounds) vs \(f.baselineRounds) rounds can never be significant; run \(need) or more rounds\n"
        }
        let flagged = Set(findings.filter { $0.verdict != .within }.map(\.key))
        let quiet = Set(findings.map(\.key)).subtracting(flagged).sorted()
        for k in quiet { out += "  ok         \(k): within thresholds\n" }
        for k in notInRun { out += "  note: \(k) is in the baseline but was not run\n" }
        if !regressions.isEmpty {
            let names = regressions.map { "\($0.key) \($0.metric.label)" }
            out += "gate: FAILED, \(regressions.count) regression\(regressions.count == 1 ? "" : "s"): \(names.joined(separator: ", "))\n"
        } else if let cutShort {
            out += "gate: UNDECIDED, the comparison did not run its plan (\(cutShort)); run it whole to decide\n"
        } else if !undecided.isEmpty {
            out += "gate: UNDECIDED, too few rounds for \(Set(undecided.map(\.key)).count) case\(Set(undecided.map(\.key)).count == 1 ? "" : "s")\n"
        } else {
            out += "gate: passed" + (improvements.isEmpty ? "" : " (\(improvements.count) improvement\(improvements.count == 1 ? "" : "s"); consider refreshing the baseline)") + "\n"
        }
        return out
    }
}

import Foundation
import UringCore

/// Compares a run with a baseline results file, case by case, metric by metric.
public enum BaselineGate {
    /// Differences that make two machines' numbers incomparable, and those that are only noted.
    static func machineDifferences(current: MachineInfo, baseline: MachineInfo) -> (blocking: [String], notes: [String]) {
        var blocking: [String] = [], notes: [String] = []
        if current.cpuModel != baseline.cpuModel { blocking.append("CPU '\(baseline.cpuModel)' vs '\(current.cpuModel)' here") }
        if current.cores != baseline.cores { blocking.append("\(baseline.cores) cores vs \(current.cores) here") }
        if current.filesystem != baseline.filesystem { blocking.append("filesystem \(baseline.filesystem) vs \(current.filesystem) here") }
        if current.device != baseline.device { blocking.append("device \(baseline.device ?? "unknown") vs \(current.device ?? "unknown") here") }
        // A kernel upgrade is what a gate should catch, not refuse; the host name changes with containers.
        if current.kernel != baseline.kernel { notes.append("baseline kernel \(baseline.kernel), this kernel \(current.kernel)") }
        return (blocking, notes)
    }

    public static func evaluate(current: ComparisonResults, baseline: ComparisonResults, baselinePath: String,
                                thresholds: GateThresholds, force: Bool = false) throws(CompareError) -> GateReport {
        let notes = try compatibility(plan: current.plan, machine: current.machine, baseline: baseline,
                                      baselinePath: baselinePath, force: force)
        return try evaluateCases(current: current, baseline: baseline, baselinePath: baselinePath, thresholds: thresholds, notes: notes)
    }

    /// Throws what makes `baseline` incomparable with a run of `plan` on `machine` (unless
    /// `force`) and returns what is only noted. Asked before measuring, so a refusal costs
    /// nothing, and again on the results.
    public static func compatibility(plan: ComparisonPlan, machine current: MachineInfo, baseline: ComparisonResults,
                                     baselinePath: String, force: Bool) throws(CompareError) -> [String] {
        var notes: [String] = []
        let machine = machineDifferences(current: current, baseline: baseline.machine)
        if !machine.blocking.isEmpty {
            if !force { throw .differentMachine(path: baselinePath, differences: machine.blocking) }
            notes.append("--force: comparing across machines (\(machine.blocking.joined(separator: "; ")))")
        }
        notes += machine.notes
        let (a, b) = (plan.base, baseline.plan.base)
        let directsHere = plan.directList.map { $0 ? 1 : 0 }, directsThere = baseline.plan.directList.map { $0 ? 1 : 0 }
        if !Set(directsHere).isSubset(of: directsThere) {
            func list(_ d: [Int]) -> String { d.map(String.init).joined(separator: ",") }
            let reason = "direct=\(list(directsThere)) in the baseline, \(list(directsHere)) here"
            if !force { throw .incompatibleBaseline(path: baselinePath, reason: reason) }
            notes.append("--force: \(reason)")
        }
        if a.runtimeNanoseconds != b.runtimeNanoseconds {
            notes.append("runtime \(Double(b.runtimeNanoseconds) / 1e9)s per run in the baseline, \(Double(a.runtimeNanoseconds) / 1e9)s here")
        }
        if a.size != b.size { notes.append("size \(formatBytesFlag(b.size)) in the baseline, \(formatBytesFlag(a.size)) here") }
        if a.rateIOPS != b.rateIOPS {
            notes.append("rate_iops \(b.rateIOPS == 0 ? "none" : String(b.rateIOPS)) in the baseline, \(a.rateIOPS == 0 ? "none" : String(a.rateIOPS)) here")
        }
        return notes
    }

    /// The baseline's case `key` is gated against: the same case, or with `acrossDirect` (a
    /// gate forced across direct) the one that differs from it in direct alone.
    public static func counterpart(of key: CaseKey, among baseKeys: [CaseKey], acrossDirect: Bool) -> CaseKey? {
        if baseKeys.contains(key) { return key }
        guard acrossDirect else { return nil }
        return baseKeys.first { var k = $0; k.direct = key.direct; return k == key }
    }

    /// The comparison proper, per case and metric: past the threshold and significant is
    /// regressed (or improved), past the threshold but not significant is noise.
    static func evaluateCases(current: ComparisonResults, baseline: ComparisonResults, baselinePath: String,
                              thresholds: GateThresholds, notes: [String]) throws(CompareError) -> GateReport {
        var findings: [GateFinding] = []
        var notes = notes
        let baseCases = baseline.cases
        // Past `compatibility`, a direct the baseline lacks was forced (--force): each case is
        // then gated against the baseline's case that differs from it in direct alone.
        let acrossDirect = !Set(current.plan.directList).isSubset(of: baseline.plan.directList)
        for c in current.cases {
            guard let baseKey = counterpart(of: c.key, among: baseCases.map(\.key), acrossDirect: acrossDirect),
                  let base = baseCases.first(where: { $0.key == baseKey }) else {
                throw .baselineMissingCase(path: baselinePath, caseLabel: c.key.description)
            }
            let nowRuns = current.runs(of: c.key), baseRuns = baseline.runs(of: base.key)
            let decidable = GateSignificance.canDecide(rounds: nowRuns.count, baselineRounds: baseRuns.count)
            for metric in GateMetric.allCases {
                guard let limit = thresholds.limits[metric] else { continue }
                // A threshold inside the baseline's own round-to-round spread will flag noise.
                let s = metric.spread(base)
                if base.rounds > 1, s.median > 0, (s.max - s.min) / s.median > limit {
                    notes.append("\(c.key) \(metric.label) varied \(String(format: "%.1f", (s.max - s.min) / s.median * 100))% between the baseline's rounds, more than the \(String(format: "%g", limit * 100))% threshold: expect noise to trip it (more rounds or a quieter machine)")
                }
                let was = metric.value(base), now = metric.value(c)
                // Worse-direction change as a positive fraction.
                let worse = was == 0 ? 0 : (metric.higherIsBetter ? (was - now) / was : (now - was) / was)
                var finding = GateFinding(key: c.key, metric: metric, baseline: was, current: now, limit: limit, verdict: .within,
                                          rounds: nowRuns.count, baselineRounds: baseRuns.count)
                if !decidable {
                    finding.verdict = .tooFewRounds
                } else {
                    let p = MannWhitneyU(nowRuns.map(metric.value(of:)), baseRuns.map(metric.value(of:))).pValue
                    finding.pValue = p
                    if abs(worse) > limit {
                        finding.verdict = p < GateSignificance.level ? (worse > 0 ? .regressed : .improved) : .noise
                    }
                }
                findings.append(finding)
            }
        }
        let measured = Set(current.cases.compactMap { counterpart(of: $0.key, among: baseCases.map(\.key), acrossDirect: acrossDirect) })
        var report = GateReport(baselinePath: baselinePath, findings: findings,
                                notInRun: baseCases.map(\.key).filter { !measured.contains($0) }, notes: notes)
        if !current.isComplete {
            let ran = "\(current.runsMeasured) planned runs measured"
            report.cutShort = current.interrupted ? "interrupted (\(StopCause.phrase)), \(ran)" : ran
        }
        return report
    }
}

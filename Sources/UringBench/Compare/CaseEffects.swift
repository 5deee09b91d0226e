import Foundation
import UringCore

/// The effects of a comparison: every case against the baseline engine at the same depth and
/// block size (in a `--concurrency` sweep: at the same IOs in flight), on each of `Effect.metrics`, pairing the two cases' runs by round.
public enum CaseEffects {
    public static func of(_ results: ComparisonResults) -> [Effect] {
        let keys = results.cases.map(\.key)
        // One depth and one block size: engine names alone say which case is which.
        let short = Set(keys.map(\.blockSize)).count == 1 && Set(keys.filter { !$0.engine.isSynchronous }.map(\.iodepth)).count <= 1
            && Set(keys.map(\.numjobs)).count == 1
        func name(_ k: CaseKey) -> String { short ? k.engine.rawValue : k.description }
        var byRound: [CaseKey: [Int: RunResult]] = [:]
        for (run, round) in zip(results.runs, results.runRounds) { byRound[CaseKey(run.job), default: [:]][round] = run }
        var out: [Effect] = []
        for key in keys {
            guard let baseKey = key.baseline(results.plan.baselineEngine, among: keys, equalConcurrency: results.plan.concurrency != nil), baseKey != key, let mine = byRound[key], let theirs = byRound[baseKey] else { continue }
            let rounds = mine.keys.filter { theirs[$0] != nil }.sorted()
            for metric in Effect.metrics {
                let pairs = rounds.map { (value: metric.value(of: mine[$0]!), baseline: metric.value(of: theirs[$0]!)) }
                guard let ci = RatioInterval(pairs: pairs) else { continue }
                out.append(Effect(key: key, baseline: baseKey, metric: metric, ratio: ci, name: name(key), baselineName: name(baseKey)))
            }
        }
        return out
    }

    /// The widest half-width among `effects` (what `--until-confident` drives down), nil if none.
    public static func widest(_ effects: [Effect]) -> Effect? { effects.max { $0.ratio.halfWidth < $1.ratio.halfWidth } }

    /// Under the table: one sentence per case and metric.
    public static func renderText(_ effects: [Effect]) -> String {
        guard let first = effects.first else { return "" }
        var out = "verdicts (95% CI: t-interval on the logs of \(first.ratio.pairs) paired per-round ratios):\n"
        let width = effects.map(\.word.count).max() ?? 0
        for e in effects { out += "  " + e.word.padding(toLength: width, withPad: " ", startingAt: 0) + "  \(e.sentence)\n" }
        return out
    }

    public static func renderMarkdown(_ effects: [Effect]) -> String {
        guard let first = effects.first else { return "" }
        var out = "**Verdicts** (95% CI: t-interval on the logs of \(first.ratio.pairs) paired per-round ratios)\n\n"
        for e in effects { out += "- **\(e.word)**: \(e.sentence)\n" }
        return out
    }
}

import Foundation
import UringCore

/// When the gate calls a move real: a two-sided Mann–Whitney U test of this run's rounds
/// against the baseline's at `level`. Rank-based, so one outlier round (a neighbour's build
/// hitting the tail) moves it no more than any other round would.
///
/// The minimum number of rounds follows from the test: with n and m rounds the smallest p any
/// data can give is 2 / C(n + m, n). 3 vs 3 rounds give 0.1, so nothing could ever be
/// significant at 0.05; 4 vs 4 give 0.029, 5 vs 5 give 0.0079. Below that the gate answers
/// "too few rounds" instead of guessing.
public enum GateSignificance {
    public static let level = 0.05

    public static func canDecide(rounds: Int, baselineRounds: Int) -> Bool {
        rounds >= 1 && baselineRounds >= 1 && MannWhitneyU.smallestPValue(rounds, baselineRounds) < level
    }

    /// The fewest rounds this run needs against a baseline of `baselineRounds` rounds.
    public static func minimumRounds(against baselineRounds: Int) -> Int? {
        (1...64).first { canDecide(rounds: $0, baselineRounds: baselineRounds) }
    }
}

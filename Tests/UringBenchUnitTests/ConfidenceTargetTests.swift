import Foundation
import Testing
@testable import UringBench
import TestSupport

/// `--until-confident`: which limit stops the rounds, decided on fixture figures (the real
/// adaptive run through the binary is in CompareCLITests).
@Suite struct ConfidenceTargetTests {
    let psync = CaseKey(engine: .psync, iodepth: 1, blockSize: 4096)
    let uring = CaseKey(engine: .io_uring, iodepth: 32, blockSize: 4096)

    @Test func stopsOnTargetRoundsOrTime() {
        // Per-round ratios 3.00, 3.03, 2.96, 3.03: IOPS and CPU per IO known to within ±2%
        // (SciPy: t-interval half-width 1.6% on the log ratios); clat p99 identical every round.
        let steady = CompareFixtures.results([(psync, [10_000, 10_200, 9_800, 10_100], 50_000),
                                              (uring, [30_000, 30_900, 29_000, 30_600], 40_000)])
        let widest = CaseEffects.widest(CaseEffects.of(steady))!
        #expect(widest.ratio.halfWidth > 0.01 && widest.ratio.halfWidth < 0.02)
        let target = ConfidenceTarget(halfWidth: 0.02, maxRounds: 10)
        #expect(target.stop(after: steady, elapsed: 0, roundNanoseconds: 1) == .met)
        #expect(target.summary(.met, results: steady).hasPrefix("until-confident: target ±2.0% met after 4 rounds (widest 95% CI ±1."))
        // A tighter target is not met: more rounds, until the round limit or the time limit.
        let tight = ConfidenceTarget(halfWidth: 0.005, maxRounds: 10, maxNanoseconds: 100)
        #expect(tight.stop(after: steady, elapsed: 0, roundNanoseconds: 50) == nil)
        #expect(tight.stop(after: steady, elapsed: 60, roundNanoseconds: 50) == .maxTime)
        #expect(ConfidenceTarget(halfWidth: 0.005, maxRounds: 4).stop(after: steady, elapsed: 0, roundNanoseconds: 1) == .maxRounds)
        #expect(ConfidenceTarget(halfWidth: 0.005, maxRounds: 4).summary(.maxRounds, results: steady)
            .contains("stopped by --max-rounds 4 with the widest 95% CI ±1."))
    }
}

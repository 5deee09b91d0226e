import Foundation
import Testing
@testable import UringBench
@testable import UringCore

/// The statistics behind verdicts and the gate, against values SciPy 1.17.1 computed once
/// (scripts/statistics_reference.py prints them; the vectors and results are copied here).
@Suite struct StatisticsTests {
    static func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
        abs(a - b) <= tolerance * max(1, abs(b))
    }

    // scipy.stats.t.ppf(p, df)
    static let tQuantiles: [(Double, Double, Double)] = [
        (0.9, 1, 3.0776835371752544), (0.975, 1, 12.706204736174694), (0.995, 1, 63.656741162871526),
        (0.9, 2, 1.8856180831641272), (0.975, 2, 4.302652729749462), (0.995, 2, 9.924843200918287),
        (0.9, 3, 1.637744353696209), (0.975, 3, 3.1824463052837078), (0.995, 3, 5.840909309733355),
        (0.9, 4, 1.533206274058944), (0.975, 4, 2.7764451051977934), (0.995, 4, 4.604094871349992),
        (0.9, 5, 1.4758840488244815), (0.975, 5, 2.5705818356363146), (0.995, 5, 4.032142983555228),
        (0.9, 9, 1.3830287383966329), (0.975, 9, 2.262157162798205), (0.995, 9, 3.249835541592126),
        (0.9, 29, 1.311433647301551), (0.975, 29, 2.045229642132703), (0.995, 29, 2.756385903670605),
        (0.9, 200, 1.2857987939948012), (0.975, 200, 1.9718962236339088), (0.995, 200, 2.600634436191558),
    ]

    @Test func studentTQuantilesMatchSciPy() {
        for (p, df, expected) in Self.tQuantiles {
            let q = StudentT.quantile(p, degreesOfFreedom: df)
            #expect(Self.close(q, expected), "t.ppf(\(p), \(df)) = \(q), SciPy \(expected)")
            #expect(Self.close(StudentT.quantile(1 - p, degreesOfFreedom: df), -expected, 1e-8))
        }
    }

    @Test func studentTCDFMatchesSciPy() {
        // scipy.stats.t.cdf(t, df)
        let cases: [(Double, Double, Double)] = [
            (0.5, 3, 0.6742760175759245), (-1.7, 4, 0.082177470635025), (2.2, 9, 0.9723297136006942),
            (10.0, 2, 0.9950737714883372), (0.0, 7, 0.5),
        ]
        for (t, df, expected) in cases {
            #expect(Self.close(StudentT.cdf(t, degreesOfFreedom: df), expected, 1e-12), "t.cdf(\(t), \(df))")
        }
    }

    @Test func ratioIntervalMatchesSciPyTIntervalOnLogRatios() throws {
        // exp(scipy.stats.t.interval(0.95, n-1, loc=mean(log ratios), scale=sem(log ratios)))
        let cases: [([Double], [Double], Double, Double, Double)] = [
            ([105.0, 103.0], [100.0, 100.0], 1.0399519219656257, 0.9203471641329407, 1.1751000515320544),
            ([94100.0, 95300.0, 93800.0], [90200.0, 91000.0, 90800.0], 1.0411593286265095, 1.0230912547915116, 1.0595464896304947),
            ([1.92, 1.95, 1.9, 2.4, 1.93], [2.1, 2.08, 2.12, 2.61, 2.09], 0.918101171456502, 0.8996258565912486, 0.9369559076743871),
            ([88000.0, 91000.0, 90500.0, 89700.0], [90000.0, 90200.0, 89800.0, 90600.0], 0.9960425153167575, 0.9724631542398706, 1.0201936063007055),
        ]
        for (values, baselines, estimate, lower, upper) in cases {
            let ci = try #require(RatioInterval(pairs: Array(zip(values, baselines)).map { (value: $0, baseline: $1) }))
            #expect(Self.close(ci.estimate, estimate, 1e-12))
            #expect(Self.close(ci.lower, lower, 1e-9), "lower \(ci.lower) vs \(lower)")
            #expect(Self.close(ci.upper, upper, 1e-9), "upper \(ci.upper) vs \(upper)")
            #expect(ci.pairs == values.count)
            // Symmetric in log space: the half-width is the same factor both ways.
            #expect(Self.close(ci.upper / ci.estimate, 1 + ci.halfWidth, 1e-12))
            #expect(Self.close(ci.estimate / ci.lower, 1 + ci.halfWidth, 1e-12))
        }
        // n = 2 is wide (t = 12.7), 3 rounds of a steady 4% effect exclude no change.
        #expect(!RatioInterval(pairs: [(105, 100), (103, 100)])!.excludesNoChange)
        #expect(RatioInterval(pairs: [(94100, 90200), (95300, 91000), (93800, 90800)])!.excludesNoChange)
    }

    @Test func ratioIntervalOfEqualSamplesAndDegenerateInput() throws {
        // Equal samples: ratio 1 every round, no spread, an interval of zero width at 1.
        let equal = try #require(RatioInterval(pairs: [(5, 5), (7, 7), (9, 9)]))
        #expect(equal.estimate == 1 && equal.lower == 1 && equal.upper == 1 && equal.halfWidth == 0)
        #expect(!equal.excludesNoChange)
        // A constant ratio is known exactly.
        let constant = try #require(RatioInterval(pairs: [(11, 10), (22, 20), (33, 30)]))
        #expect(Self.close(constant.estimate, 1.1, 1e-12) && constant.halfWidth < 1e-12 && constant.excludesNoChange)
        // One pair has no spread to estimate; zero, negative or infinite values have no ratio.
        #expect(RatioInterval(pairs: [(5, 4)]) == nil)
        #expect(RatioInterval(pairs: []) == nil)
        #expect(RatioInterval(pairs: [(5, 4), (0, 4)]) == nil)
        #expect(RatioInterval(pairs: [(5, 4), (5, -4)]) == nil)
        #expect(RatioInterval(pairs: [(5, 4), (.infinity, 4)]) == nil)
    }

    @Test func mannWhitneyExactWithTiesMatchesSciPyPermutationTest() {
        // U = scipy.stats.mannwhitneyu(x, y).statistic; p = scipy.stats.permutation_test of that
        // U over every split (n_resamples=inf), two-sided.
        let cases: [([Double], [Double], Double, Double)] = [
            ([10.0, 11.0, 12.0], [20.0, 21.0, 22.0], 0.0, 0.1),
            ([10.0, 11.0, 12.0, 13.0], [20.0, 21.0, 22.0, 23.0], 0.0, 0.02857142857142857),
            ([1.0, 2.0, 3.0, 4.0, 5.0], [6.0, 7.0, 8.0, 9.0, 10.0], 0.0, 0.007936507936507936),
            ([1.0, 2.0], [3.0, 4.0], 0.0, 0.3333333333333333),
            ([1.0, 2.0, 2.0, 3.0, 4.0], [2.0, 3.0, 3.0, 5.0, 6.0], 6.0, 0.21428571428571427),
            ([5.0, 5.0, 5.0], [5.0, 5.0, 5.0], 4.5, 1.0),
            ([3.1, 2.9, 3.3, 3.0], [3.2, 3.6, 3.4, 3.5, 3.8, 3.0], 3.5, 0.0761904761904762),
            ([7.0, 7.0, 8.0, 9.0, 9.0, 10.0, 12.0, 12.0], [6.0, 7.0, 8.0, 8.0, 11.0, 12.0, 13.0, 14.0], 29.0, 0.7664335664335664),
        ]
        for (x, y, u, p) in cases {
            let test = MannWhitneyU(x, y)
            #expect(test.exact)
            #expect(test.u == u, "U of \(x) vs \(y): \(test.u), SciPy \(u)")
            #expect(Self.close(test.pValue, p, 1e-12), "p of \(x) vs \(y): \(test.pValue), SciPy \(p)")
            // Two-sided: swapping the samples changes U to n1·n2 − U, not p.
            let swapped = MannWhitneyU(y, x)
            #expect(swapped.u == Double(x.count * y.count) - u)
            #expect(Self.close(swapped.pValue, p, 1e-12))
        }
    }

    @Test func mannWhitneyAsymptoticMatchesSciPy() {
        // scipy.stats.mannwhitneyu(x, y, method="asymptotic", use_continuity=True)
        let x = (0..<50).map { Double($0 * 7919 % 101) }
        let y = (0..<50).map { Double($0 * 7919 % 103 + 5) }
        let test = MannWhitneyU(x, y)
        #expect(!test.exact)
        #expect(test.u == 1060.0)
        #expect(Self.close(test.pValue, 0.1913971030853049, 1e-9), "p \(test.pValue)")
    }

    @Test func smallestReachablePValueDecidesTheMinimumRounds() {
        // 2 / C(n1 + n2, n1): 3 vs 3 can never reach 0.05, 4 vs 4 can; 3 vs 5 can, 3 vs 4 cannot.
        #expect(Self.close(MannWhitneyU.smallestPValue(3, 3), 0.1))
        #expect(Self.close(MannWhitneyU.smallestPValue(4, 4), 2.0 / 70))
        #expect(MannWhitneyU.smallestPValue(3, 4) > 0.05)
        #expect(MannWhitneyU.smallestPValue(3, 5) < 0.05)
        #expect(MannWhitneyU.smallestPValue(2, 2) == 1.0 / 3)
        // It is what the exact test really gives for complete separation.
        #expect(Self.close(MannWhitneyU([1, 2, 3, 4], [5, 6, 7, 8]).pValue, MannWhitneyU.smallestPValue(4, 4)))
    }
}

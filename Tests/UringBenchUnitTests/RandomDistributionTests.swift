import Foundation
import Testing
@testable import UringBench

/// fio's non-uniform offsets (random_distribution) against the shapes they promise. Reference
/// bucket probabilities were computed with scipy 1.17.1 for 1000 blocks, rank buckets [0,1),
/// [1,2), [2,4), [4,8) … [512,1000):
///   zipf:θ    sum of scipy.stats.zipfian(θ, 1000).pmf(rank + 1) over the bucket
///   pareto:h  scipy.stats.powerlaw(a = 1/p, scale = 999).cdf difference, p = log h / log(1 - h)
///             (fio draws rank = 999 · u^p, a power-function distribution)
///   normal:σ  scipy.stats.norm(loc = 500, scale = s).cdf difference over buckets of 50 blocks,
///             s² = (1000/12)² (1 + 2/1000) + ⌈10 σ⌉²/12 (the mean of 12 uniform draws on
///             0…1000, plus fio's uniform spread of σ percent of the blocks)
struct RandomDistributionTests {
    static let blocks: UInt64 = 1000
    static let draws = 1_000_000
    static let rankEdges: [UInt64] = [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000]

    static func shares(_ distribution: RandomDistribution, edges: [UInt64]) -> [Double] {
        var g = Xoshiro256StarStar(seed: 11)
        let skewed = SkewedBlocks(distribution, blockCount: blocks, generator: &g, scatter: false)
        var counts = [Int](repeating: 0, count: edges.count - 1)
        for _ in 0..<draws {
            let rank = skewed.nextRank(&g)
            counts[edges.lastIndex { $0 <= rank }!] += 1
        }
        return counts.map { Double($0) / Double(draws) }
    }

    static func expectClose(_ got: [Double], _ reference: [Double], tolerance: (Int) -> Double, _ what: String) {
        #expect(got.count == reference.count)
        for (i, (g, r)) in zip(got, reference).enumerated() {
            #expect(abs(g - r) <= tolerance(i), "\(what) bucket \(i): \(g), scipy \(r)")
        }
    }

    @Test func zipfMatchesScipy() {
        let reference: [(Double, [Double])] = [
            (1.2, [0.23064, 0.100392, 0.105413, 0.101642, 0.093304, 0.083442, 0.073632, 0.064537, 0.056375, 0.049161, 0.041463]),
            (0.8, [0.064642, 0.037127, 0.048166, 0.05913, 0.070313, 0.082203, 0.095268, 0.109923, 0.12655, 0.14553, 0.161149]),
        ]
        for (theta, shares) in reference {
            // Ranks 1 and 2 are exact in fio's method; the rest come from Gray et al.'s closed
            // form, which fio uses and which is within 0.02 of the exact Zipf per bucket here.
            Self.expectClose(Self.shares(.zipf(theta: theta, center: nil), edges: Self.rankEdges), shares,
                             tolerance: { $0 < 2 ? 0.003 : 0.02 }, "zipf:\(theta)")
        }
    }

    @Test func paretoMatchesScipy() {
        let reference: [(Double, [Double])] = [
            (0.2, [0.383813, 0.038716, 0.042621, 0.046921, 0.051654, 0.056864, 0.0626, 0.068915, 0.075866, 0.083519, 0.088511]),
            (0.3, [0.129236, 0.029459, 0.036174, 0.04442, 0.054545, 0.066979, 0.082246, 0.100994, 0.124015, 0.152284, 0.179648]),
        ]
        for (h, shares) in reference {
            Self.expectClose(Self.shares(.pareto(h: h, center: nil), edges: Self.rankEdges), shares,
                             tolerance: { _ in 0.003 }, "pareto:\(h)")
        }
    }

    @Test func normalMatchesScipy() {
        let edges: [UInt64] = Array(stride(from: 0, through: 1000, by: 50))
        let reference: [(Double, [Double])] = [
            (0, [0.0, 1e-06, 1.3e-05, 0.000148, 0.001202, 0.006888, 0.027821, 0.07923, 0.15915, 0.225547,
                 0.225547, 0.15915, 0.07923, 0.027821, 0.006888, 0.001202, 0.000148, 1.3e-05, 1e-06, 0.0]),
            (10, [0.0, 3e-06, 3.4e-05, 0.000302, 0.001973, 0.009421, 0.032896, 0.084003, 0.156915, 0.214453,
                  0.214453, 0.156915, 0.084003, 0.032896, 0.009421, 0.001973, 0.000302, 3.4e-05, 3e-06, 0.0]),
        ]
        for (deviation, shares) in reference {
            // The mean of 12 uniform draws is a normal to within 0.005 per bucket of 50 blocks.
            Self.expectClose(Self.shares(.normal(deviation: deviation, center: nil), edges: edges), shares,
                             tolerance: { _ in 0.006 }, "normal:\(deviation)")
        }
    }

    /// As in fio, ranks are hashed over the file: the same share of IO goes to the hottest
    /// blocks, but they are not neighbours; a center puts rank 0 (the hottest block) there.
    @Test func hotBlocksAreScatteredAndACenterPlacesTheHottest() {
        for distribution in [RandomDistribution.zipf(theta: 1.2, center: 0.25), .pareto(h: 0.2, center: 0.25)] {
            var g = Xoshiro256StarStar(seed: 3)
            let skewed = SkewedBlocks(distribution, blockCount: Self.blocks, generator: &g)
            var counts = [Int](repeating: 0, count: Int(Self.blocks))
            for _ in 0..<200_000 { counts[Int(skewed.next(&g))] += 1 }
            let hottest = counts.indices.sorted { counts[$0] > counts[$1] }
            #expect(hottest[0] == 250, "\(distribution): hottest block \(hottest[0])")
            let top10 = hottest.prefix(10)
            #expect(top10.max()! - top10.min()! > 100, "\(distribution): the 10 hottest blocks are \(top10.sorted())")
            // Ranks 0..<100 land on at most 100 blocks (the hash modulo the size can merge some),
            // so the 100 hottest blocks take at least their share: the skew survives scattering.
            let ranks = Self.shares(distribution, edges: [0, 100, Self.blocks])[0]
            let scattered = Double(hottest.prefix(100).map { counts[$0] }.reduce(0, +)) / 200_000
            #expect(scattered > ranks - 0.01 && ranks > 0.5, "\(distribution): top 10% take \(scattered), ranks 0..<100 \(ranks)")
        }
    }

    @Test func nonUniformJobsKeepNoMapAndUseEveryBlockIndex() {
        var job = JobSpec()
        job.size = 1000 * 4096
        job.randomDistribution = .zipf(theta: 1.2, center: nil)
        var stream = IOStream(job: job)
        var seen = Set<UInt64>()
        var repeats = 0
        for _ in 0..<1000 {
            let o = stream.next().offset
            #expect(o % 4096 == 0 && o < job.size)
            if !seen.insert(o).inserted { repeats += 1 }
        }
        // fio drops the random map for skewed distributions: hot blocks repeat within a pass.
        #expect(repeats > 300 && stream.passes == 0)
    }

    @Test(arguments: [
        ("random", RandomDistribution.random), ("zipf", .zipf(theta: 1.1, center: nil)), ("zipf:1.2", .zipf(theta: 1.2, center: nil)),
        ("zipf:0.8:0.25", .zipf(theta: 0.8, center: 0.25)), ("pareto", .pareto(h: 0.2, center: nil)),
        ("pareto:0.3:1", .pareto(h: 0.3, center: 1)), ("normal", .normal(deviation: 0, center: nil)),
        ("normal:5", .normal(deviation: 5, center: nil)), ("normal:5:0.5", .normal(deviation: 5, center: 0.5)),
    ])
    func fioSpellingsAreRead(text: String, expected: RandomDistribution) throws {
        let d = try RandomDistribution(fioSpelling: text)
        #expect(d == expected)
        #expect(try RandomDistribution(fioSpelling: d.description) == d)
    }

    @Test(arguments: [
        ("zipf:1", "fio refuses a zipf theta of 1.0"), ("zipf:-1", "must not be negative"), ("zipf:nan", "'nan' is not a number"),
        ("pareto:0", "between 0 and 1"), ("pareto:1", "between 0 and 1"), ("normal:100", "below 100"), ("normal:-1", "below 100"),
        ("zipf:1.2:1.5", "center must be from 0 to 1"), ("zipf:1.2:0.5:3", "at most a value and a center"),
        ("random:2", "random takes no value"), ("gauss", "fio names this distribution normal"),
        ("zoned", "needs its zones"), ("zoned:60/10:30/20:8/70", "add up to 98, and fio needs 100"),
        ("zoned:60/50:40/60", "add up to 110, more than 100"), ("zoned:50/50:30/50:20/", "zone 3 gets 0 percent"),
        ("zoned:x/10:100/90", "'x' in 'x/10'"), ("zoned_abs:60/1G:40", "gives no zone size"), ("zoned:60/10:40/90,50/10", "add up to 50"),
        ("sequence:2,0,1", "does not implement fio's sequence"), ("uniform", "unknown distribution"), ("zipf:inf", "is not a number"),
    ])
    func badSpellingsAreRefusedByName(text: String, message: String) {
        do {
            _ = try RandomDistribution(fioSpelling: text)
            Issue.record("\(text) was accepted")
        } catch {
            #expect(error.description.contains(message) && error.description.contains("random_distribution=\(text)"), "\(error.description)")
        }
    }
}

/// fio's zoned distributions (options.c zone_split_ddir, io_u.c __get_next_rand_offset_zoned):
/// each zone gets its access share of the IOs, uniformly over its size, reads and writes apart.
struct ZonedDistributionTests {
    /// Shares of `count` IOs of each direction that fall below each edge (percent of the job's size).
    static func shares(_ spelling: String, rw: RWMode, size: UInt64 = 1 << 30, edges: [UInt64],
                       count: Int = 200_000) throws -> [IODirection: [Double]] {
        var job = JobSpec()
        job.rw = rw
        job.size = size
        job.randomDistribution = try RandomDistribution(fioSpelling: spelling)
        try job.validate()
        var stream = IOStream(job: job)
        var tallies: [IODirection: [Int]] = [.read: Array(repeating: 0, count: edges.count + 1),
                                             .write: Array(repeating: 0, count: edges.count + 1)]
        var misplaced = 0   // counted, and expected once: an #expect per IO is most of the time here
        for _ in 0..<count {
            let io = stream.next()
            if !(io.offset % 4096 == 0 && io.offset < size) { misplaced += 1 }
            let bucket = edges.firstIndex { io.offset * 100 < $0 * size } ?? edges.count
            tallies[io.direction]![bucket] += 1
        }
        #expect(misplaced == 0, "\(misplaced) of \(count) offsets not 4096-aligned below \(size)")
        return tallies.mapValues { t in let n = Double(max(1, t.reduce(0, +))); return t.map { Double($0) / n } }
    }

    static func expectClose(_ got: [Double]?, _ want: [Double], _ what: String) {
        guard let got else { Issue.record("no IOs for \(what)"); return }
        for (g, w) in zip(got, want) { #expect(abs(g - w) < 0.01, "\(what): \(got) vs \(want)") }
    }

    /// rand-zones.fio's zones: 50% of the IOs in the first 5%, 30% in the next 15%, 20% in the
    /// remaining 80% (its size left out, as fio reads `20/`); fio 3.33 issued 50.3/31.7/18.0%.
    @Test func randZonesSendsEachShareToItsZone() throws {
        let got = try Self.shares("zoned:50/5:30/15:20/", rw: .randread, edges: [5, 20, 40, 60])
        Self.expectClose(got[.read], [0.50, 0.30, 0.05, 0.05, 0.10], "reads")
    }

    @Test func readsAndWritesHaveTheirOwnZones() throws {
        let got = try Self.shares("zoned:90/10:10/90,10/50:90/50", rw: .randrw, edges: [10, 50])
        Self.expectClose(got[.read], [0.90, 0.10 * 40 / 90, 0.10 * 50 / 90], "reads")
        Self.expectClose(got[.write], [0.10 * 10 / 50, 0.10 * 40 / 50, 0.90], "writes")
    }

    @Test func zonedAbsZonesAreBytes() throws {
        let got = try Self.shares("zoned_abs:70/64M:30/192M", rw: .randwrite, edges: [25, 50], count: 100_000)
        // 1 GiB job: the first 64 MiB is 6.25%, the next 192 MiB ends at 25%; nothing beyond.
        Self.expectClose(got[.write], [1.0, 0, 0], "writes")
        let first = try Self.shares("zoned_abs:70/64M:30/192M", rw: .randwrite, size: 256 << 20, edges: [25], count: 100_000)
        Self.expectClose(first[.write], [0.70, 0.30], "writes in 256 MiB")
    }

    @Test func zonedAbsPastTheJobIsRefused() throws {
        var job = JobSpec()
        job.rw = .randread
        job.size = 64 << 20
        job.randomDistribution = try RandomDistribution(fioSpelling: "zoned_abs:50/32M:50/64M")
        #expect(throws: BenchError.self) { try job.validate() }
        job.randomDistribution = try RandomDistribution(fioSpelling: "zoned_abs:50/32M:50/32M")
        try job.validate()
    }

    @Test func spellingsRoundTrip() throws {
        for text in ["zoned:50/5:30/15:20/", "zoned:90/10:10/90,10/50:90/50", "zoned_abs:50/10G:50/20G"] {
            let d = try RandomDistribution(fioSpelling: text)
            #expect(d.description == text)
            #expect(try RandomDistribution(fioSpelling: d.description) == d)
        }
        guard case .zoned(let split) = try RandomDistribution(fioSpelling: "zoned:50/5:30/15:20/") else { Issue.record("not zoned"); return }
        #expect(split.read.map(\.size) == [5, 15, 80] && split.write == split.read)
    }
}

import Testing
@testable import UringBench
import TestSupport
import UringCore

/// compare's "over time and memory" table shows only the columns some case has a figure for:
/// a run shorter than three seconds has no thirds, and a column of dashes says nothing.
@Suite struct TimeAndMemoryTableTests {
    static func cases() -> [CaseSummary] {
        let plan = ComparisonPlan(base: JobSpec(), engines: [.psync, .io_uring], iodepths: [1], blockSizes: [4096], rounds: 1)
        var results = CompareFixtures.results(plan.cases.map { ($0, [10_000], 100_000) })
        results.plan = plan
        return results.cases
    }

    @Test func columnsWithoutAFigureInAnyCaseAreLeftOut() throws {
        var cases = Self.cases()
        for i in cases.indices {
            cases[i].iopsFirstThird = nil
            cases[i].iopsLastThird = nil
            cases[i].iopsLastToFirst = nil
            cases[i].majorFaultsPerIO = Spread([0])
            cases[i].pageCacheHitRatio = Spread([0.25])
        }
        let table = TimeAndMemoryTable(cases: cases)
        #expect(table.headers == ["case", "major faults/IO", "page-cache hit"])
        #expect(table.cells(cases[0]).dropFirst() == ["0.000", "25.0%"])
        #expect(!table.renderText().contains("first ⅓"))
    }

    @Test func aFigureInOneCaseKeepsItsColumnWithADashForTheOthers() throws {
        var cases = Self.cases()
        cases[0].iopsFirstThird = Spread([900])
        cases[1].iopsFirstThird = nil
        let table = TimeAndMemoryTable(cases: cases)
        #expect(table.headers.contains("IOPS first ⅓"))
        let column = try #require(table.headers.firstIndex(of: "IOPS first ⅓"))
        #expect(table.cells(cases[0])[column] == "900")
        #expect(table.cells(cases[1])[column] == "–")
    }

    @Test func theCaptionNamesTheEngineOptionsTheCasesRanWith() throws {
        var results = CompareFixtures.results(Self.cases().map { ($0.key, [10_000], 100_000) })
        results.plan = ComparisonPlan(base: JobSpec(), engines: [.psync, .pvsync2], iodepths: [1], blockSizes: [4096], rounds: 1)
        #expect(!ComparisonTable.caption(results).contains("--uncached"))
        results.plan.base.engineOptions[ReadWriteFlags.uncachedOption] = 1
        #expect(ComparisonTable.caption(results).contains("with --uncached where the engine takes it"))
    }
}

import Foundation
import Testing
@testable import UringBench

/// `compare --direct 0,1`: O_DIRECT and buffered as a dimension of the plan, the pairs that
/// cannot be what their key says, and files written before the dimension existed.
struct CompareDirectTests {
    static func plan(_ engines: [EngineKind], directs: [Bool]?, options: EngineOptionValues = EngineOptionValues()) -> ComparisonPlan {
        var base = JobSpec()
        base.engineOptions = options
        var plan = ComparisonPlan(base: base, engines: engines, iodepths: [4], blockSizes: [4096], rounds: 1)
        plan.directs = directs
        return plan
    }

    @Test func bothDirectsAreCasesAndMmapDirectIsSkippedByName() throws {
        let plan = Self.plan([.mmap, .psync, .io_uring], directs: [false, true])
        try plan.validate()
        #expect(plan.cases.map { "\($0.engine.rawValue)/\($0.direct ? 1 : 0)" } == ["mmap/0", "psync/0", "io_uring/0", "psync/1", "io_uring/1"])
        #expect(plan.skipped.map(\.key) == [CaseKey(engine: .mmap, iodepth: 4, blockSize: 4096, direct: true)])
        #expect(plan.skipped.first?.reason.contains("mmap has no O_DIRECT") == true)
        // Each case's job is opened as its key says, under a name of its own.
        let jobs = plan.cases.map { plan.job(for: $0, round: 1) }
        #expect(jobs.map(\.direct) == plan.cases.map(\.direct))
        #expect(Set(jobs.map(\.name)).count == jobs.count)
        #expect(jobs.map(CaseKey.init) == plan.cases)
    }

    @Test func uncachedRunsOnlyInTheBufferedCases() throws {
        var options = EngineOptionValues()
        options[ReadWriteFlags.uncachedOption] = 1
        let plan = Self.plan([.psync, .pvsync2], directs: [false, true], options: options)
        try plan.validate()
        #expect(plan.cases.map { "\($0.engine.rawValue)/\($0.direct ? 1 : 0)" } == ["psync/0", "pvsync2/0", "psync/1"])
        #expect(plan.skipped.map(\.key.engine) == [.pvsync2])
        #expect(plan.skipped.first?.reason.contains("--uncached with direct=1") == true)
    }

    @Test(arguments: [
        ([true, true], "--direct lists 0 and 1 at most once each"),
        ([], "the --direct list is empty"),
    ])
    func badDirectListsAreRefused(directs: [Bool], fragment: String) {
        #expect(throws: CompareError.self) { try Self.plan([.psync], directs: directs).validate() }
        do { try Self.plan([.psync], directs: directs).validate() } catch { #expect(error.description.contains(fragment), "\(error)") }
    }

    @Test func aPlanOfMmapAtDirectOneAloneIsRefused() {
        do {
            try Self.plan([.mmap], directs: nil).validate()
            Issue.record("mmap at direct=1 alone was accepted")
        } catch {
            #expect(error.description.contains("no case left to run: mmap with direct=1"), "\(error)")
        }
    }

    @Test func aBufferedCaseIsMeasuredAgainstTheBufferedBaseline() {
        let plan = Self.plan([.psync, .io_uring], directs: [true, false])
        let buffered = CaseKey(engine: .io_uring, iodepth: 4, blockSize: 4096, direct: false)
        #expect(buffered.baseline(.psync, among: plan.cases) == CaseKey(engine: .psync, iodepth: 1, blockSize: 4096, direct: false))
        #expect(buffered.description == "io_uring buffered QD4 4k")
        #expect(CaseKey(engine: .io_uring, iodepth: 4, blockSize: 4096).description == "io_uring QD4 4k")
    }

    /// Keys and plans written before direct was a dimension: direct 1 (compare's default), the
    /// plan's one value its base job's.
    @Test func filesWithoutTheFieldDecode() throws {
        let key = try JSONDecoder().decode(CaseKey.self, from: Data(#"{"engine":"psync","iodepth":1,"blockSize":4096}"#.utf8))
        #expect(key.direct)
        var plan = Self.plan([.psync], directs: nil)
        plan.base.direct = false
        let encoded = try JSONEncoder().encode(plan)
        #expect(!String(decoding: encoded, as: UTF8.self).contains("directs"))
        let decoded = try JSONDecoder().decode(ComparisonPlan.self, from: encoded)
        #expect(decoded.directList == [false])
        #expect(decoded.cases.map(\.direct) == [false])
    }

    @Test func jobFilesMayMixDirectButNotMmapAtDirectOne() throws {
        var a = JobSpec(), b = JobSpec()
        a.name = "buffered"; a.direct = false
        b.name = "direct"; b.direct = true
        let plan = try ComparisonPlan.fromJobs([a, b], rounds: 1)
        #expect(plan.directList == [false, true])
        #expect(plan.cases.map(\.direct) == [false, true])
        var m = JobSpec()
        m.name = "mapped"; m.engine = .mmap; m.direct = true
        #expect(throws: CompareError.self) { try ComparisonPlan.fromJobs([a, m], rounds: 1) }
    }
}

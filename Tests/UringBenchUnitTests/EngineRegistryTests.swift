import Foundation
import Testing
@testable import UringBench

/// The registry is the one list of engines: names, fio names, options and job files agree.
struct EngineRegistryTests {
    @Test func namesAreUniqueAndOnlyRegisteredNamesMakeAKind() {
        let names = EngineRegistry.all.map(\.kind.rawValue)
        #expect(Set(names).count == names.count)
        #expect(EngineKind.allCases.map(\.rawValue) == names)
        for name in names { #expect(EngineKind(rawValue: name)?.descriptor.kind.rawValue == name) }
        #expect(EngineKind(rawValue: "vsync") == nil)   // fio's, not driven here
        #expect(EngineKind(rawValue: "") == nil)
    }

    /// A job file naming each engine's fio ioengine (and selector) runs that engine, and the
    /// JSON's job options name the same ioengine back.
    @Test(arguments: EngineRegistry.all.map(\.kind))
    func jobFileRoundTripsEveryEngine(kind: EngineKind) throws {
        let d = kind.descriptor
        let selector = d.fioSelector.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)\n" }.joined()
        let text = "[j]\nrw=randread\ntime_based\nruntime=1s\nsize=1M\nfilename=f\nioengine=\(d.fioEngine)\n\(selector)"
        let job = try #require(try JobFile.parse(text, path: "t.fio").jobs.first)
        #expect(job.spec.engine == kind)
        let options = FioJSON.jobOptions(job.spec)
        #expect(options["ioengine"] == d.fioEngine)
        for (key, value) in d.fioSelector { #expect(options[key] == value) }
    }

    @Test func decodingAnUnknownEngineNamesIt() {
        let data = Data(#""posixaio_v2""#.utf8)
        do {
            _ = try JSONDecoder().decode(EngineKind.self, from: data)
            Issue.record("an unknown engine decoded")
        } catch {
            #expect(String(describing: error).contains("unknown engine 'posixaio_v2'"))
        }
    }

    /// Results written before the io_uring options moved into the engine still load, with
    /// the same options set.
    @Test func legacyJobSpecFieldsLoadAsEngineOptions() throws {
        let json = #"{"engine":"io_uring_sqpoll","fixedBuffers":true,"registerFiles":false,"sqPollSpin":true,"sqThreadIdleMilliseconds":0,"sqPollCPU":1,"iodepth":32}"#
        let job = try JSONDecoder().decode(JobSpec.self, from: Data(json.utf8))
        #expect(job.engine == .io_uring_sqpoll && job.iodepth == 32 && job.blockSize == 4096)
        #expect(job.engineOptions.isSet(IORingEngine.fixedBuffersOption))
        #expect(!job.engineOptions.isSet(IORingEngine.registerFilesOption))
        #expect(job.engineOptions.isSet(IORingEngine.sqPollSpinOption))
        #expect(job.engineOptions[IORingEngine.sqThreadIdleOption] == nil)
        #expect(job.engineOptions[IORingEngine.sqPollCPUOption] == 1)
        // And what we write reads back equal.
        let again = try JSONDecoder().decode(JobSpec.self, from: JSONEncoder().encode(job))
        #expect(again == job)
    }

    @Test func comparePlansKeepOnlyEachEnginesOwnOptions() {
        var base = JobSpec()
        base.engineOptions[IORingEngine.fixedBuffersOption] = 1
        base.engineOptions[IORingEngine.sqPollCPUOption] = 0
        let plan = ComparisonPlan(base: base, engines: [.libaio, .io_uring, .io_uring_sqpoll], iodepths: [8], blockSizes: [4096], rounds: 1)
        let jobs = plan.cases.map { plan.job(for: $0, round: 1) }
        #expect(jobs[0].engineOptions.options.isEmpty)
        #expect(jobs[1].engineOptions.options.map(\.option.name) == ["fixedbufs"])
        #expect(jobs[2].engineOptions.options.map(\.option.name) == ["fixedbufs", "sqpoll-cpu"])
        for job in jobs { #expect(throws: Never.self) { try job.validate() } }
    }
}

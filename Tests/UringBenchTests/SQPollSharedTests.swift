import Foundation
import Testing
import TestSupport
@testable import UringBench
@testable import UringCore

/// SQPOLL with several jobs: one SQ thread per ring, or with --sqpoll-shared one for the group
/// (IORING_SETUP_ATTACH_WQ), and the SQ threads' CPU read apart from the process's.
@Suite(.waits) struct SQPollSharedTests {
    static let size: UInt64 = 32 << 20

    /// The SQ threads of this process as the kernel lists them, read here without the code
    /// under test: thread id → name.
    static func sqThreadsNow() -> [Int32: String] {
        var out: [Int32: String] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? [] {
            guard let id = Int32(entry),
                  let name = try? String(contentsOfFile: "/proc/self/task/\(entry)/comm", encoding: .utf8) else { continue }
            let trimmed = name.trimmingCharacters(in: .newlines)
            if trimmed.hasPrefix("iou-sqp-") { out[id] = trimmed }
        }
        return out
    }

    /// Runs a two-job SQPOLL group while watching /proc/self/task; returns the group and every
    /// SQ thread seen during it. Other tests may run SQ threads meanwhile: the kernel names
    /// each after the thread that made its ring, so the caller keeps those of this group's jobs.
    static func runWatched(shared: Bool) throws -> (group: JobGroupResult, seen: [Int32: String]) {
        let file = try TestFiles.laidOut(size: size)
        var job = TestFiles.job(.io_uring_sqpoll, file: file, size: size, depth: 16, milliseconds: 1000)
        job.numjobs = 2
        job.engineOptions[IORingEngine.sqThreadIdleOption] = 50
        if shared { job.engineOptions[IORingEngine.sqPollSharedOption] = 1 }
        let groupJob = job
        // Written by the run's thread before `done` is signalled, read after.
        final class Outcome: @unchecked Sendable { var result: Result<JobGroupResult, BenchError>? }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        Thread {
            outcome.result = Result { () throws(BenchError) in try Runner.runGroup(groupJob) }
            done.signal()
        }.start()
        var seen: [Int32: String] = [:]
        while done.wait(timeout: .now() + .milliseconds(20)) == .timedOut {
            seen.merge(sqThreadsNow()) { a, _ in a }
        }
        guard let result = outcome.result else { throw BenchError.groupStopped }
        return (try result.get(), seen)
    }

    @Test(arguments: [false, true])
    func sharedRingsRunOneSQThreadAndUnsharedOnePerRing(shared: Bool) throws {
        let availability = EngineProbe.check(.io_uring_sqpoll)
        try #require(availability.available, "io_uring_sqpoll unavailable here: \(availability.reason ?? "")")
        let (group, seen) = try Self.runWatched(shared: shared)
        #expect(group.jobs.count == 2)
        let jobThreads = group.jobs.compactMap(\.threadID)
        try #require(jobThreads.count == 2)
        // The SQ threads the kernel ran for this group's rings (named after the job thread that
        // created each ring).
        let ours = seen.filter { entry in jobThreads.contains { entry.value == "iou-sqp-\($0)" } }
        if shared {
            #expect(ours.count == 1, "shared: one SQ thread for both rings; seen \(ours)")
            #expect(ours.values.first == "iou-sqp-\(jobThreads[0])", "the first job's ring made it")
            #expect(!group.jobs[0].setup.ringFlags.contains("ATTACH_WQ"))
            #expect(group.jobs[1].setup.ringFlags.contains("ATTACH_WQ"), "the second ring attached (\(group.jobs[1].setup.ringFlags))")
            #expect(group.jobs.allSatisfy { $0.setup.sqThreadShared == true })
        } else {
            #expect(ours.count == 2, "one SQ thread per ring; seen \(ours)")
            #expect(Set(ours.values) == Set(jobThreads.map { "iou-sqp-\($0)" }))
            #expect(group.jobs.allSatisfy { !$0.setup.ringFlags.contains("ATTACH_WQ") && $0.setup.sqThreadShared == nil })
        }
        // Every read of both jobs checked against the file's pattern.
        for r in group.jobs {
            #expect(r.totalIOs > 0)
            #expect(r.verify.checkedIOs == r.totalIOs)
        }
        // The figures name the same threads the kernel listed, and count each once.
        let merged = group.merged
        let sq = try #require(merged.sqThreads, "notes: \(merged.setup.notes)")
        #expect(Set(sq.threads.map(\.threadID)) == Set(ours.keys))
        #expect(sq.rings == 2)
        #expect(sq.seconds > 0, "an SQ thread polling for 1 s of IO used some CPU")
        // Part of the process's CPU (a tick of rounding per thread allowed).
        #expect(sq.seconds <= merged.cpu.processSeconds + 0.02 * Double(sq.threads.count))
        let text = FioTextReport(groups: [JobGroupResult(jobs: [merged])]).render()
        #expect(text.contains(shared ? "1 SQ thread (\(sq.threads[0].threadID)) for 2 rings, shared (--sqpoll-shared)"
                                     : "2 SQ threads (") , "\(text)")
    }

    /// Each ring's SQ thread is its own job's; read over the measured interval.
    @Test func aSingleRingsSQThreadCPUIsMeasured() throws {
        let availability = EngineProbe.check(.io_uring_sqpoll)
        try #require(availability.available, "io_uring_sqpoll unavailable here: \(availability.reason ?? "")")
        let file = try TestFiles.laidOut(size: Self.size)
        let job = TestFiles.job(.io_uring_sqpoll, file: file, size: Self.size, depth: 16, milliseconds: 1000)
        let r = try Runner.run(job)
        let sq = try #require(r.sqThreads, "notes: \(r.setup.notes)")
        #expect(sq.threads.count == 1 && sq.rings == 1)
        #expect(r.setup.sqThreadID == sq.threads[0].threadID)
        #expect(sq.seconds > 0)
        #expect(sq.seconds <= r.cpu.processSeconds + 0.02)
        #expect(FioTextReport(results: [r]).render().contains("  cpu (sqpoll) : usr="))
        let json = try FioJSONReport(results: [r]).render()
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let jobs = object?["jobs"] as? [[String: Any]]
        let own = jobs?.first?["uringbench"] as? [String: Any]
        let threads = (own?["sqThreads"] as? [String: Any])?["threads"] as? [[String: Any]]
        #expect(threads?.count == 1, "JSON: jobs[0].uringbench.sqThreads.threads")
        #expect((threads?.first?["threadID"] as? Int).map(Int32.init) == sq.threads[0].threadID)
        // fio's own keys are untouched.
        #expect(jobs?.first?["sys_cpu"] != nil && jobs?.first?["usr_cpu"] != nil)
    }

    /// The SQ thread leaves with the last ring it serves; read after that, it is "not
    /// measured", never a number.
    @Test func anSQThreadThatHasExitedReadsAsNothing() throws {
        let availability = EngineProbe.check(.io_uring_sqpoll)
        try #require(availability.available, "io_uring_sqpoll unavailable here: \(availability.reason ?? "")")
        let file = try TestFiles.laidOut(size: Self.size)
        let fd = open(file, O_RDONLY)
        defer { close(fd) }
        let buffers = try AlignedBuffers(count: 4, size: 4096)
        var job = JobSpec()
        job.engine = .io_uring_sqpoll
        var engine: IORingEngine? = try IORingEngine(EngineContext(fd: fd, buffers: buffers, bufferSize: 4096, depth: 4, job: job))
        let id = try #require(engine?.sqThreadID)
        #expect(Self.sqThreadsNow()[id] == "iou-sqp-\(Syscalls.threadID)")
        #expect(ThreadCPUTime.read(threadID: id) != nil)
        engine = nil
        let deadline = Date().addingTimeInterval(10)
        while FileManager.default.fileExists(atPath: "/proc/self/task/\(id)") && Date() < deadline { usleep(5000) }
        #expect(!FileManager.default.fileExists(atPath: "/proc/self/task/\(id)"), "the SQ thread outlived its only ring by 10 s")
        #expect(ThreadCPUTime.read(threadID: id) == nil)
    }

    @Test func statLinesAreReadFromTheLastParenthesis() {
        // Fields 14 and 15 (utime, stime) of a thread whose name holds ") (" and spaces.
        let line = "4242 (a) (b c) S 1 2 3 4 5 6 7 8 9 10 250 75 0 0 20 0 1 0 100 0 0\n"
        let t = ThreadCPUTime.parse(stat: line, threadID: 4242, ticksPerSecond: 100)
        #expect(t == ThreadCPUTime(threadID: 4242, userSeconds: 2.5, systemSeconds: 0.75))
        #expect(ThreadCPUTime.parse(stat: "4242 (x) S 1 2", threadID: 4242, ticksPerSecond: 100) == nil)
        #expect(ThreadCPUTime.parse(stat: "garbage", threadID: 1, ticksPerSecond: 100) == nil)
        #expect(ThreadCPUTime.parse(stat: "1 (x) S 1 2 3 4 5 6 7 8 9 10 -5 75", threadID: 1, ticksPerSecond: 100) == nil)
    }

    @Test func aSharedThreadIsCountedOnceOverItsWidestWindow() {
        let a = ThreadCPUTime(threadID: 10, userSeconds: 0, systemSeconds: 0.9)
        let aLater = ThreadCPUTime(threadID: 10, userSeconds: 0, systemSeconds: 0.95)
        let b = ThreadCPUTime(threadID: 11, userSeconds: 0.01, systemSeconds: 0.8)
        let shared = SQThreadUsage.merge([SQThreadUsage(threads: [a], rings: 1), SQThreadUsage(threads: [aLater], rings: 1)])
        #expect(shared == SQThreadUsage(threads: [aLater], rings: 2))
        let apart = SQThreadUsage.merge([SQThreadUsage(threads: [a], rings: 1), SQThreadUsage(threads: [b], rings: 1)])
        #expect(apart?.threads.count == 2 && abs((apart?.seconds ?? 0) - 1.71) < 1e-9)
        // A job whose thread was not read leaves the sum unknown, not low.
        #expect(SQThreadUsage.merge([SQThreadUsage(threads: [a], rings: 1), nil]) == nil)
        #expect(SQThreadUsage.merge([nil, nil]) == nil)
    }

    @Test func sharingNeedsSQPollAndSeveralJobs() {
        var job = JobSpec()
        job.engine = .io_uring
        job.numjobs = 2
        job.engineOptions[IORingEngine.sqPollSharedOption] = 1
        #expect(throws: BenchError.invalidOption("--sqpoll-shared is an option of io_uring_sqpoll, not of io_uring; use --engine io_uring_sqpoll or drop --sqpoll-shared")) {
            try job.validate()
        }
        job.engine = .io_uring_sqpoll
        job.numjobs = 1
        #expect {
            try job.validate()
        } throws: { error in
            (error as? BenchError)?.description.contains("--numjobs 1 has no other job; use --numjobs 2 or more") == true
        }
        job.numjobs = 2
        #expect(throws: Never.self) { try job.validate() }
    }
}

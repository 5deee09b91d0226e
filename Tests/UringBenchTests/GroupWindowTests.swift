import Foundation
import Testing
@testable import UringBench

/// A numjobs group's figures over its one window: a ramp that ends at one shared instant.
@Suite struct GroupWindowTests {
    static let size: UInt64 = 32 << 20
    static let ms: UInt64 = 1_000_000

    static func nullGroup(jobs: Int, rampNanoseconds: UInt64 = 0) throws -> JobSpec {
        var job = JobSpec()
        job.engine = .null
        job.filename = try TestFiles.laidOut(size: Self.size)
        job.size = Self.size
        job.iodepth = 8
        job.runtimeNanoseconds = 300 * Self.ms
        job.rampNanoseconds = rampNanoseconds
        job.numjobs = jobs
        job.groupReporting = true
        return job
    }

    /// A group's ramp ends at one instant for every job, start + ramp, and the shared deadline
    /// is runtime after it: no job measures less than the runtime (before, each job measured
    /// from its own first tick after the ramp, toward the shared deadline).
    @Test func everyJobOfAGroupMeasuresFromTheRampsEnd() throws {
        let job = try Self.nullGroup(jobs: 16, rampNanoseconds: 200 * Self.ms)
        let group = try Runner.runGroup(job)
        for r in group.jobs {
            #expect(r.runtimeNanoseconds >= job.runtimeNanoseconds,
                    "a job measured \(r.runtimeNanoseconds / 1000) µs of a \(job.runtimeNanoseconds / 1000) µs runtime")
            #expect(r.totalIOs > 0)
        }
        #expect(group.merged.totalIOs == group.jobs.map(\.totalIOs).reduce(0, +))
    }

    /// The schedule of a group's job: a ramp seen late still ends at start + ramp, and the
    /// batch reaped then is the first counted; a single job's measured time starts at its tick.
    @Test func aSharedRampEndsAtStartPlusRampHoweverLateItIsSeen() {
        var shared = RunSchedule(start: 0, rampNanoseconds: 100 * Self.ms, runtimeNanoseconds: 500 * Self.ms,
                                 rateIOPS: 0, sharedWindow: true)
        #expect(!shared.endsSharedRamp(at: 99 * Self.ms))
        #expect(shared.endsSharedRamp(at: 100 * Self.ms))
        let tick = shared.tick(at: 230 * Self.ms, stopping: false)
        #expect(tick.rampEnded)
        #expect(shared.measureStart == 100 * Self.ms)
        #expect(shared.deadline == 600 * Self.ms)
        #expect(!shared.endsSharedRamp(at: 240 * Self.ms), "the ramp ends once")

        var single = RunSchedule(start: 0, rampNanoseconds: 100 * Self.ms, runtimeNanoseconds: 500 * Self.ms, rateIOPS: 0)
        #expect(!single.endsSharedRamp(at: 230 * Self.ms))
        #expect(single.tick(at: 230 * Self.ms, stopping: false).rampEnded)
        #expect(single.measureStart == 230 * Self.ms && single.deadline == 730 * Self.ms)
    }
}

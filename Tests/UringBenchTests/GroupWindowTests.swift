import Foundation
import CSystemShims
import Glibc
import Testing
import TestSupport
import UringCore
@testable import UringBench

/// A numjobs group's figures over its one window: the process's CPU read where the window
/// starts and where the last job stops measuring, and a ramp that ends at one shared instant.
@Suite(.waits) struct GroupWindowTests {
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

    static func processSeconds() -> Double {
        let r = Syscalls.getrusage(RUSAGE_SELF.rawValue)
        return Runner.seconds(r.ru_utime) + Runner.seconds(r.ru_stime)
    }

    /// The group's process CPU is one reading over the whole window: it holds every job
    /// thread's CPU (each thread measures inside the window) and no more than the process
    /// used around the run; CPU per IO divides it by every job's IOs. Before, the merged
    /// result took the one job whose own process window held the most CPU, which misses what
    /// the other threads used before that job began measuring and after it stopped.
    @Test(arguments: [0, 100 * ms])
    func theGroupsProcessCPUIsOneReadingOverItsWindow(ramp: UInt64) throws {
        let job = try Self.nullGroup(jobs: 8, rampNanoseconds: ramp)
        let before = Self.processSeconds()
        let group = try Runner.runGroup(job)
        let after = Self.processSeconds()
        let window = try #require(group.windowCPU, "the group runner read no window CPU")
        let merged = group.merged
        #expect(merged.cpu.processUserSeconds == window.userSeconds)
        #expect(merged.cpu.processSystemSeconds == window.systemSeconds)
        #expect(merged.cpuMicrosecondsPerIO == (window.userSeconds + window.systemSeconds) * 1e6 / Double(merged.totalIOs))
        // rusage is in microseconds, truncated per thread: two readings of each of 8 threads.
        let threads = group.jobs.map(\.cpu.threadSeconds).reduce(0, +)
        #expect(merged.cpu.processSeconds >= threads - 16e-6,
                "the window's process CPU \(merged.cpu.processSeconds) s misses some of the job threads' \(threads) s")
        #expect(merged.cpu.processSeconds <= after - before + 1e-6)
        // Each job's cpu line keeps its own thread's figures.
        for r in group.jobs { #expect(r.cpu.threadSeconds <= merged.cpu.processSeconds + 16e-6) }
    }

    static func threadSeconds() -> Double {
        let r = Syscalls.getrusage(CSystemShims_RUSAGE_THREAD)
        return Runner.seconds(r.ru_utime) + Runner.seconds(r.ru_stime)
    }

    /// Uses this thread's CPU until `seconds` of it have gone; returns how much went.
    static func burn(_ seconds: Double) -> Double {
        let t0 = threadSeconds()
        var x: UInt64 = 1
        while threadSeconds() - t0 < seconds { for _ in 0..<10_000 { x = x &* 6364136223846793005 &+ 1 } }
        precondition(x != 0)
        return threadSeconds() - t0
    }

    /// The window's CPU is the process's from the ramp's end (the first call; later ones
    /// change nothing) to the last job's stop: CPU used before the ramp ended, or after the
    /// last job stopped, is in none of it, and nothing is known before the last job stops.
    @Test func theWindowsCPUSpansTheRampsEndToTheLastJobsStop() throws {
        let control = JobGroupControl(jobs: 2)
        let other = DispatchGroup()
        DispatchQueue.global().async(group: other) { _ = control.arriveAndWait(job: 1) }
        #expect(control.arriveAndWait(job: 0) != nil)
        other.wait()
        _ = Self.burn(0.02)                                // the ramp
        let atRampEnd = Self.processSeconds()
        control.startWindow()
        var inWindow = Self.burn(0.02)
        control.startWindow()
        control.stopMeasuring()
        #expect(control.windowCPU == nil, "a job still measures")
        inWindow += Self.burn(0.02)
        control.stopMeasuring()
        let atStop = Self.processSeconds()
        _ = Self.burn(0.02)                                // after the window
        let window = try #require(control.windowCPU)
        let seconds = window.userSeconds + window.systemSeconds
        #expect(seconds >= inWindow - 4e-6, "the window holds \(seconds) s of the \(inWindow) s used in it")
        #expect(seconds <= atStop - atRampEnd + 2e-6, "the window holds \(seconds) s, more than the \(atStop - atRampEnd) s between its ends")
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

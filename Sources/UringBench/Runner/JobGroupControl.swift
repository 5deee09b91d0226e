import Foundation
import Glibc
import Synchronization
import UringCore

/// What the threads of one group (a job's numjobs copies, or the jobs between two stonewalls) share: a start barrier (every job's engine and buffers
/// are set up before any job issues its first IO), the start time every job measures from, and
/// two stop flags — the window's end (one job reached the shared deadline or saw Ctrl-C, so
/// every job stops: the group's figures cover one window) and a failure (a job that fails
/// stops the others) — and the process's CPU over that window, for the group's CPU figures.
/// Outside the per-IO path: the loop reads the flags only on its 50 ms tick.
final class JobGroupControl: @unchecked Sendable {
    let jobs: Int
    /// Every job stops when one stops at its end (copies of one job, or fio's exitall); else
    /// each job ends at its own time and the group's window runs to the last.
    let endsTogether: Bool
    private let condition = NSCondition()
    private var arrived = 0
    private var arrivedJobs: Set<Int> = []
    private var start: UInt64? = nil
    /// The wall time of `start`, read with it, so every job reports the very same start.
    private var startWall: Double = 0
    /// The process's CPU (every thread) where the window starts — the barrier, or the ramp's
    /// end — and where it ends: when the last job stops measuring.
    private var processAtStart: rusage? = nil
    private var processAtEnd: rusage? = nil
    private var rampEnded = false
    private var stoppedMeasuring = 0
    private let stop = Atomic<Bool>(false)
    private let windowEnd = Atomic<Bool>(false)

    init(jobs: Int, endsTogether: Bool = true) {
        self.jobs = jobs
        self.endsTogether = endsTogether
    }

    /// Waits until every job has arrived (set up, or failed), and returns the group's start
    /// time (CycleClock's), read once by the last job to arrive. Nil when the group was stopped
    /// meanwhile: a job failed, and no job should start.
    func arriveAndWait(job: Int) -> UInt64? {
        condition.lock()
        defer { condition.unlock() }
        if arrivedJobs.insert(job).inserted { arrived += 1 }
        if arrived >= jobs && start == nil {
            var clock = CycleClock.shared
            start = clock.now()
            startWall = Date().timeIntervalSince1970
            processAtStart = Syscalls.getrusage(RUSAGE_SELF.rawValue)
            condition.broadcast()
        }
        while arrived < jobs && !stopRequested { condition.wait() }
        return stopRequested ? nil : start
    }

    /// The wall time (seconds since the epoch) of the group's start; read after the barrier.
    var startWallTime: Double {
        condition.lock()
        defer { condition.unlock() }
        return startWall
    }

    /// Job `job` failed or ended early: every other job stops, including any still waiting at
    /// the barrier.
    func fail(job: Int) {
        stop.store(true, ordering: .releasing)
        condition.lock()
        if arrivedJobs.insert(job).inserted { arrived += 1 }
        condition.broadcast()
        condition.unlock()
    }

    var stopRequested: Bool { stop.load(ordering: .acquiring) }

    /// A job stopped for its deadline or Ctrl-C: the group's measured window is over, when its
    /// jobs end together.
    func endWindow() { if endsTogether { windowEnd.store(true, ordering: .releasing) } }

    var windowEnded: Bool { windowEnd.load(ordering: .acquiring) }

    /// The ramp is over (the first job to see it calls): the window's CPU counts from here.
    func startWindow() {
        condition.lock()
        defer { condition.unlock() }
        if rampEnded { return }
        rampEnded = true
        processAtStart = Syscalls.getrusage(RUSAGE_SELF.rawValue)
    }

    /// A job has stopped measuring (its loop drained); the last to stop ends the window's CPU.
    func stopMeasuring() {
        condition.lock()
        defer { condition.unlock() }
        stoppedMeasuring += 1
        if stoppedMeasuring == jobs { processAtEnd = Syscalls.getrusage(RUSAGE_SELF.rawValue) }
    }

    /// The process's CPU seconds over the window, user and system; nil until every job has
    /// stopped measuring.
    var windowCPU: (userSeconds: Double, systemSeconds: Double)? {
        condition.lock()
        defer { condition.unlock() }
        guard let p0 = processAtStart, let p1 = processAtEnd else { return nil }
        return (Runner.seconds(p1.ru_utime) - Runner.seconds(p0.ru_utime),
                Runner.seconds(p1.ru_stime) - Runner.seconds(p0.ru_stime))
    }
}

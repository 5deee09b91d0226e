import Foundation
import Synchronization

/// What the threads of one numjobs group share: a start barrier (every job's engine and buffers
/// are set up before any job issues its first IO), the start time every job measures from, and
/// two stop flags — the window's end (one job reached the shared deadline or saw Ctrl-C, so
/// every job stops: the group's figures cover one window) and a failure (a job that fails
/// stops the others). Outside the per-IO path: the loop reads the flags only on its 50 ms tick.
final class JobGroupControl: @unchecked Sendable {
    let jobs: Int
    /// What the jobs' engines share, if their engine shares anything (--sqpoll-shared).
    let engineShare: (any EngineGroupShare)?
    private let condition = NSCondition()
    private var arrived = 0
    private var arrivedJobs: Set<Int> = []
    private var start: UInt64? = nil
    private let stop = Atomic<Bool>(false)
    private let windowEnd = Atomic<Bool>(false)

    init(jobs: Int, engineShare: (any EngineGroupShare)? = nil) {
        self.jobs = jobs
        self.engineShare = engineShare
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
            condition.broadcast()
        }
        while arrived < jobs && !stopRequested { condition.wait() }
        return stopRequested ? nil : start
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

    /// A job stopped for the deadline or Ctrl-C: the group's measured window is over.
    func endWindow() { windowEnd.store(true, ordering: .releasing) }

    var windowEnded: Bool { windowEnd.load(ordering: .acquiring) }
}

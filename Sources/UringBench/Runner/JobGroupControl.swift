import Foundation
import Synchronization

/// What the threads of one numjobs group share: a start barrier (every job's engine and buffers
/// are set up before any job issues its first IO, so all start together) and a stop flag (a job
/// that fails stops the others, so the group ends together). Outside the per-IO path: the loop
/// reads the flag only on its 50 ms tick.
final class JobGroupControl: @unchecked Sendable {
    let jobs: Int
    /// What the jobs' engines share, if their engine shares anything (--sqpoll-shared).
    let engineShare: (any EngineGroupShare)?
    private let condition = NSCondition()
    private var arrived = 0
    private var arrivedJobs: Set<Int> = []
    private let stop = Atomic<Bool>(false)

    init(jobs: Int, engineShare: (any EngineGroupShare)? = nil) {
        self.jobs = jobs
        self.engineShare = engineShare
    }

    /// Waits until every job has arrived (set up, or failed). Returns false when the group was
    /// stopped meanwhile: a job failed, and no job should start.
    func arriveAndWait(job: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if arrivedJobs.insert(job).inserted { arrived += 1 }
        if arrived >= jobs { condition.broadcast() }
        while arrived < jobs && !stopRequested { condition.wait() }
        return !stopRequested
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
}

import Foundation

/// One thread of a group as it sees itself: its job, which copy of that job it is (its index
/// in the job's numjobs), the file it reads (opened before the threads start, so a file is laid
/// out once), and what the job ended with.
final class JobThread: @unchecked Sendable {
    /// The thread's index over the whole group (the barrier's count).
    let index: Int
    /// The job section it runs, as the index into the group's jobs.
    let member: Int
    /// Which copy of its job it is (0..<numjobs): its seed, CPU and engine share.
    let copy: Int
    let file: DataFile
    /// Written by the job's thread before `done` is signalled, read after.
    var outcome: Result<RunResult, BenchError>? = nil
    let done = DispatchSemaphore(value: 0)

    init(index: Int, member: Int, copy: Int, file: DataFile) {
        self.index = index
        self.member = member
        self.copy = copy
        self.file = file
    }
}

import Foundation

/// One job of a numjobs group as its thread sees it: the file it reads (opened before the
/// threads start, so a file is laid out once), and what the job ended with.
final class JobThread: @unchecked Sendable {
    let index: Int
    let file: DataFile
    /// Written by the job's thread before `done` is signalled, read after.
    var outcome: Result<RunResult, BenchError>? = nil
    let done = DispatchSemaphore(value: 0)

    init(index: Int, file: DataFile) {
        self.index = index
        self.file = file
    }
}

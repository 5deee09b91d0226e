/// A job's fio log files: one `FioLogFiles` per numjobs thread, numbered as fio numbers threads
/// (the job's first thread is `firstThreadNumber`, its copies the numbers after it).
public final class FioLogFileSet: @unchecked Sendable {
    public let threads: [FioLogFiles]

    /// Opens every file of the job's `numjobs` threads; nil when `options` names no log.
    public init?(options: FioLogOptions, jobName: String, firstThreadNumber: Int, numjobs: Int) throws(OutputError) {
        guard !options.isEmpty else { return nil }
        var threads: [FioLogFiles] = []
        for i in 0..<max(1, numjobs) {
            threads.append(try FioLogFiles(options: options, jobName: jobName, threadNumber: firstThreadNumber + i))
        }
        self.threads = threads
    }

    /// Each of `numjobs` threads records `options`' logs in memory and writes no file.
    init(recordingOnly options: FioLogOptions, numjobs: Int) {
        threads = (0..<max(1, numjobs)).map { FioLogFiles(recordingOnly: options, threadNumber: $0 + 1) }
    }

    public var outputs: [OutputFile] { threads.flatMap(\.outputs) }

    /// Thread `index`'s files (0 for a job on its own).
    func thread(_ index: Int) -> FioLogFiles? { index < threads.count ? threads[index] : nil }

    /// Writes every thread's files, thread by thread (with per_job_logs=0 their lines follow one
    /// another in the shared file, as fio's do).
    public func writeRecorded() throws(OutputError) {
        for t in threads { try t.writeRecorded() }
    }
}

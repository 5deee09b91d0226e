import Foundation
import UringCore

/// Runs the `numjobs` copies of a job at once, each on a thread of its own (fio's `thread`
/// mode) with its own file descriptor, engine instance (ring, AIO context), buffers and
/// offset stream; t/io_uring's per-thread submitter is the model. All start behind one
/// barrier once every job is set up, and a failing job stops the others.
extension Runner {
    public static func runGroup(_ job: JobSpec,
                                logs: FioLogFileSet? = nil,
                                layoutProgress: DataFile.Progress? = nil,
                                progress: ((ProgressSnapshot) -> Void)? = nil) throws(BenchError) -> JobGroupResult {
        if job.numjobs <= 1 && job.cpusAllowed == nil { return JobGroupResult(jobs: [try run(job, logs: logs, layoutProgress: layoutProgress, progress: progress)]) }
        try job.validate()
        try Preflight.check([job])
        // The first open lays the file out if needed and checks it; the others open that same
        // file through its descriptor, under its one O_EXCL claim on a device. On fio's own
        // files (FioJobFiles) each job lays out and opens its own.
        let first = try DataFile.opened(for: job, progress: layoutProgress)
        try first.refuseUnverifiableReads(job)
        var threads = [JobThread(index: 0, file: first)]
        for i in 1..<max(1, job.numjobs) {
            let file = try job.jobFiles == nil ? DataFile(sharing: first, job: job) : DataFile.opened(for: job.forJob(i), progress: layoutProgress)
            try file.refuseUnverifiableReads(job.forJob(i))
            threads.append(JobThread(index: i, file: file))
        }
        let control = JobGroupControl(jobs: job.numjobs, engineShare: job.engine.descriptor.makeGroupShare?(job))
        defer { control.engineShare?.groupEnded() }
        let lines = progress.map { GroupProgress(jobs: job.numjobs, emit: $0) }
        for t in threads {
            let thread = Thread {
                let report: ((ProgressSnapshot) -> Void)? = lines.map { lines in { lines.report(job: t.index, $0) } }
                let outcome = Result { () throws(BenchError) in
                    var pinned: CPUList? = nil
                    if let cpus = job.cpusAllowed {
                        let mine = cpus.forJob(t.index, policy: job.cpusAllowedPolicy)
                        do throws(Errno) { try Syscalls.setThreadAffinity(mine.cpus.map { Int32($0) }) } catch {
                            throw .system(context: "pinning job \(t.index + 1) to CPUs \(mine) (cpus_allowed)", error: error)
                        }
                        pinned = CPUList(cpus: Syscalls.threadAffinity)
                    }
                    var r = try runJob(job.forJob(t.index), file: t.file, jobIndex: t.index, group: control, logs: logs?.thread(t.index), progress: report)
                    r.cpus = pinned
                    return r
                }
                if case .failure = outcome {
                    control.engineShare?.jobFailed(t.index)
                    control.fail(job: t.index)
                }
                t.outcome = outcome
                t.done.signal()
            }
            thread.name = "\(job.name).\(t.index)"
            thread.start()
        }
        for t in threads { t.done.wait() }

        var results: [RunResult] = []
        var stoppedByOther = false
        for t in threads {
            switch t.outcome {
            case .success(let r): results.append(r)
            case .failure(.groupStopped): stoppedByOther = true
            case .failure(let error): throw error
            case nil: throw .system(context: "job \(t.index + 1) of \(job.name) ended without a result", error: Errno(rawValue: EIO))
            }
        }
        if stoppedByOther { throw .system(context: "a job of \(job.name) stopped with no job failing", error: Errno(rawValue: EIO)) }
        var group = JobGroupResult(jobs: results)
        group.windowCPU = control.windowCPU
        if job.endFsync && !results.contains(where: \.interrupted) {
            // fio's end_fsync: once per job and file; jobs sharing one file sync it once, after all of them.
            for t in job.jobFiles == nil ? [threads[0]] : threads {
                let t0 = MonotonicClock.now()
                do { try Syscalls.fsync(t.file.fd) } catch {
                    throw .ioFailed(engine: job.engine.rawValue, direction: .sync, offset: 0, error: error)
                }
                group.jobs[t.index].endFsyncNanoseconds = MonotonicClock.now() - t0
            }
        }
        return group
    }
}

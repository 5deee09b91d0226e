import Foundation
import UringCore

/// Runs the jobs of one group at once — fio's jobs between two stonewalls, each job as its
/// `numjobs` copies — every copy on a thread of its own (fio's `thread` mode) with its own file
/// descriptor, engine instance (ring, AIO context), buffers and offset stream; t/io_uring's
/// per-thread submitter is the model. All start behind one barrier once every thread is set
/// up, and a failing job stops the others.
extension Runner {
    public static func runGroup(_ job: JobSpec,
                                logs: FioLogFileSet? = nil,
                                layoutProgress: DataFile.Progress? = nil,
                                progress: ((ProgressSnapshot) -> Void)? = nil) throws(BenchError) -> JobGroupResult {
        if job.numjobs <= 1 && job.cpusAllowed == nil { return JobGroupResult(jobs: [try run(job, logs: logs, layoutProgress: layoutProgress, progress: progress)]) }
        return try runConcurrent([GroupJob(job, logs: logs)], layoutProgress: layoutProgress, progress: progress).jobs[0]
    }

    /// The jobs of one group, at the same time: one barrier, one start; each job's own ramp
    /// and runtime from its start (the group's start plus its startdelay). `exitAll` (fio's
    /// exitall): the first job to end stops the others.
    public static func runConcurrent(_ members: [GroupJob], exitAll: Bool = false,
                                     layoutProgress: DataFile.Progress? = nil,
                                     progress: ((ProgressSnapshot) -> Void)? = nil) throws(BenchError) -> ConcurrentGroupResult {
        let specs = members.map(\.spec)
        for spec in specs { try spec.validate() }
        try Preflight.check(specs)
        try GroupFileUse.check(specs)
        let threads = try openFiles(members, layoutProgress: layoutProgress)
        // Copies of one job end together (one window); jobs that end at different times each
        // keep their own end unless exitall ends them with the first.
        let endsTogether = exitAll || Set(members.map(\.endsAfterNanoseconds)).count == 1
        let control = JobGroupControl(jobs: threads.count, endsTogether: endsTogether)
        let shares = members.map { $0.spec.engine.descriptor.makeGroupShare?($0.spec) }
        defer { for share in shares { share?.groupEnded() } }
        let lines = progress.map { GroupProgress(jobs: threads.count, emit: $0) }
        for t in threads {
            let member = members[t.member]
            let thread = Thread {
                let report: ((ProgressSnapshot) -> Void)? = lines.map { lines in { lines.report(job: t.index, $0) } }
                let outcome = Result { () throws(BenchError) in
                    try runThread(t, of: member, control: control, share: shares[t.member], progress: report)
                }
                if case .failure = outcome {
                    shares[t.member]?.jobFailed(t.copy)
                    control.fail(job: t.index)
                }
                t.outcome = outcome
                t.done.signal()
            }
            thread.name = "\(member.spec.name).\(t.copy)"
            thread.start()
        }
        for t in threads { t.done.wait() }
        return try collect(threads, of: members, control: control)
    }

    /// One thread's job: pinned first (cpus_allowed), then run.
    static func runThread(_ t: JobThread, of member: GroupJob, control: JobGroupControl, share: (any EngineGroupShare)?,
                          progress: ((ProgressSnapshot) -> Void)?) throws(BenchError) -> RunResult {
        let job = member.spec
        var pinned: CPUList? = nil
        if let cpus = job.cpusAllowed {
            let mine = cpus.forJob(t.copy, policy: job.cpusAllowedPolicy)
            do throws(Errno) { try Syscalls.setThreadAffinity(mine.cpus.map { Int32($0) }) } catch {
                throw .system(context: "pinning job \(t.copy + 1) to CPUs \(mine) (cpus_allowed)", error: error)
            }
            pinned = CPUList(cpus: Syscalls.threadAffinity)
        }
        var r = try runJob(job.forJob(t.copy), file: t.file, jobIndex: t.copy, group: control, groupThread: t.index, engineShare: share,
                           startDelay: member.startDelayNanoseconds, logs: member.logs?.thread(t.copy), progress: progress)
        r.cpus = pinned
        return r
    }

    /// Each job's first thread opens its file, or shares the open of an earlier job on the same
    /// file (the first job that writes it, whose open checked the write; else the first job):
    /// a file is laid out and checked once. A job's other copies share its open.
    static func openFiles(_ members: [GroupJob], layoutProgress: DataFile.Progress?) throws(BenchError) -> [JobThread] {
        var opened: [String: (member: Int, file: DataFile)] = [:]
        for m in GroupFileUse.openers(members.map(\.spec)) {
            let job = members[m].spec
            opened[GroupFileUse.key(job.filename)] = (m, try DataFile.opened(for: job, progress: layoutProgress))
        }
        var threads: [JobThread] = []
        for (m, member) in members.enumerated() {
            let job = member.spec
            guard let shared = opened[GroupFileUse.key(job.filename)] else {
                throw .system(context: "the file of job '\(job.name)' was not opened", error: Errno(rawValue: EIO))
            }
            try GroupFileUse.checkFits(job, in: shared.file)
            let first = shared.member == m ? shared.file : try DataFile(sharing: shared.file, job: job, jobIndex: 0)
            try first.refuseUnverifiableReads(job)
            threads.append(JobThread(index: threads.count, member: m, copy: 0, file: first))
            // On fio's own files (FioJobFiles) each copy lays out and opens its own; otherwise
            // the copies share the job's open, each at its own region (offset_increment).
            for i in 1..<max(1, job.numjobs) {
                let file = try job.jobFiles == nil ? DataFile(sharing: first, job: job, jobIndex: i)
                                                   : DataFile.opened(for: job.forJob(i), jobIndex: i, progress: layoutProgress)
                try file.refuseUnverifiableReads(job.forJob(i))
                threads.append(JobThread(index: threads.count, member: m, copy: i, file: file))
            }
        }
        return threads
    }

    /// The threads' results, job by job; the first failure is thrown. Then each job's end_fsync.
    static func collect(_ threads: [JobThread], of members: [GroupJob], control: JobGroupControl) throws(BenchError) -> ConcurrentGroupResult {
        var results: [[RunResult]] = Array(repeating: [], count: members.count)
        var stoppedByOther = false
        for t in threads {
            switch t.outcome {
            case .success(let r): results[t.member].append(r)
            case .failure(.groupStopped): stoppedByOther = true
            case .failure(let error): throw error
            case nil: throw .system(context: "job \(t.copy + 1) of \(members[t.member].spec.name) ended without a result", error: Errno(rawValue: EIO))
            }
        }
        let names = members.map(\.spec.name).joined(separator: ", ")
        if stoppedByOther { throw .system(context: "a job of \(names) stopped with no job failing", error: Errno(rawValue: EIO)) }
        var groups: [JobGroupResult] = []
        for (m, member) in members.enumerated() {
            var group = JobGroupResult(jobs: results[m])
            group.windowCPU = control.windowCPU
            let job = member.spec
            if job.endFsync && !results[m].contains(where: \.interrupted) {
                // fio's end_fsync: once per job and file; copies sharing one file sync it once,
                // after all of them.
                let mine = threads.filter { $0.member == m }
                for t in job.jobFiles == nil ? Array(mine.prefix(1)) : mine {
                    let t0 = MonotonicClock.now()
                    do { try Syscalls.fsync(t.file.fd) } catch {
                        throw .ioFailed(engine: job.engine.rawValue, direction: .sync, offset: 0, error: error)
                    }
                    group.jobs[t.copy].endFsyncNanoseconds = MonotonicClock.now() - t0
                }
            }
            groups.append(group)
        }
        return ConcurrentGroupResult(jobs: groups)
    }
}

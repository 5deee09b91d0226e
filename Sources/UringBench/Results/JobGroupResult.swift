/// What the jobs of one numjobs group measured, job by job (fio's report without
/// group_reporting), and merged into one (with it): IO counts added, latency histograms
/// merged bucket by bucket (so the group's percentiles are those of all its IOs, not an
/// average of the jobs' percentiles), each 500 ms sample the sum of the jobs' samples.
public struct JobGroupResult: Sendable {
    public var jobs: [RunResult]
    /// The process's CPU seconds (every thread) over the group's window, read by the group
    /// runner where the window starts and ends; nil for a group put together from its jobs.
    var windowCPU: (userSeconds: Double, systemSeconds: Double)? = nil

    public init(jobs: [RunResult]) {
        precondition(!jobs.isEmpty, "a group has at least one job")
        self.jobs = jobs
    }

    public var merged: RunResult { jobs.count == 1 ? jobs[0] : Self.merge(jobs, windowCPU: windowCPU) }

    /// `jobs` as one (group_reporting): they may be copies of one job, or jobs of one group
    /// that differ (a reader and a writer: the merged result then has both directions).
    static func merge(_ jobs: [RunResult], windowCPU: (userSeconds: Double, systemSeconds: Double)? = nil) -> RunResult {
        var r = jobs[0]
        r.startedAt = jobs.map(\.startedAt).min() ?? r.startedAt
        r.runtimeNanoseconds = jobs.map(\.runtimeNanoseconds).max() ?? 0
        let total = DirectionResult.sum(jobs.map(\.total))
        r.totalIOs = total.ios; r.bytes = total.bytes
        r.slat = total.slat; r.clat = total.clat; r.lat = total.lat
        r.iopsSamples = total.iopsSamples; r.bandwidthSamples = total.bandwidthSamples
        let directionsDiffer = jobs.contains { $0.job.rw.reads != r.job.rw.reads || $0.job.rw.writes != r.job.rw.writes }
        if r.mixed != nil || directionsDiffer {
            r.mixed = MixedDirections(read: DirectionResult.sum(jobs.compactMap { $0.figures(.read) }),
                                      write: DirectionResult.sum(jobs.compactMap { $0.figures(.write) }))
        }
        let syncs = jobs.compactMap(\.syncLatency)
        if var sync = syncs.first {
            for s in syncs.dropFirst() { sync.merge(s) }
            r.syncLatency = sync
        }
        r.endFsyncNanoseconds = jobs.compactMap(\.endFsyncNanoseconds).max()
        // The process figures cover every thread already: the group's window read once, or
        // (without it) the widest job's window. The per-thread figures add up, as fio's.
        var cpu = jobs.map(\.cpu).max { $0.processSeconds < $1.processSeconds } ?? r.cpu
        if let windowCPU, r.runtimeNanoseconds > 0 {
            cpu.processUserSeconds = windowCPU.userSeconds
            cpu.processSystemSeconds = windowCPU.systemSeconds
        }
        cpu.threadUserSeconds = jobs.map(\.cpu.threadUserSeconds).reduce(0, +)
        cpu.threadSystemSeconds = jobs.map(\.cpu.threadSystemSeconds).reduce(0, +)
        cpu.contextSwitches = jobs.map(\.cpu.contextSwitches).reduce(0, +)
        cpu.majorFaults = jobs.map(\.cpu.majorFaults).reduce(0, +)
        cpu.minorFaults = jobs.map(\.cpu.minorFaults).reduce(0, +)
        r.cpu = cpu
        var d = DepthDistributions()
        for j in jobs {
            for i in d.depth.indices { d.depth[i] += j.distributions.depth[i] }
            for i in d.submit.indices { d.submit[i] += j.distributions.submit[i] }
            for i in d.complete.indices { d.complete[i] += j.distributions.complete[i] }
        }
        r.distributions = d
        r.disk = jobs.compactMap(\.disk).first
        r.memory = MemoryFigures.merged(jobs.compactMap(\.memory))
        r.verify.checkedIOs = jobs.map(\.verify.checkedIOs).reduce(0, +)
        r.verify.checkedBytes = jobs.map(\.verify.checkedBytes).reduce(0, +)
        let wakeups = jobs.compactMap(\.sqThreadWakeups)
        r.sqThreadWakeups = wakeups.isEmpty ? nil : wakeups.reduce(0, +)
        r.sqThreads = SQThreadUsage.merge(jobs.map(\.sqThreads))
        // Each job's notes once (most are the same for every job).
        r.setup.notes = jobs.flatMap(\.setup.notes).reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
        r.interrupted = jobs.contains(where: \.interrupted)
        // The group ends with its last job (size-bound jobs may end apart).
        r.ending = r.interrupted ? .interrupted : jobs.max { $0.runtimeNanoseconds < $1.runtimeNanoseconds }?.ending
        r.threadID = jobs[0].threadID
        let pinned = jobs.compactMap(\.cpus)
        r.cpus = pinned.isEmpty ? nil : CPUList(cpus: pinned.flatMap(\.cpus))
        r.group = GroupFigures(jobs: jobs.count, jobRuntimeNanoseconds: jobs.map(\.runtimeNanoseconds).reduce(0, +))
        return r
    }
}

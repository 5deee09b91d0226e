/// What the jobs of one fio group (the jobs between two stonewalls, run at the same time)
/// measured: each job section's threads as a `JobGroupResult`, in the file's order.
public struct ConcurrentGroupResult: Sendable {
    public var jobs: [JobGroupResult]

    public init(jobs: [JobGroupResult]) {
        precondition(!jobs.isEmpty, "a group has at least one job")
        self.jobs = jobs
    }

    /// Every thread of the group, in fio's order (each job's numjobs copies in turn).
    public var threads: [RunResult] { jobs.flatMap(\.jobs) }

    /// What fio reports for the group, block by block (its `threadstats`, stat.c
    /// __show_run_stats): a thread without group_reporting starts a block of its own, and a
    /// thread with it joins the block before it; a block of several threads is reported merged.
    public var blocks: [RunResult] {
        var runs: [[RunResult]] = []
        for r in threads {
            if runs.isEmpty || !r.job.groupReporting { runs.append([r]) } else { runs[runs.count - 1].append(r) }
        }
        let windowCPU = jobs[0].windowCPU
        return runs.map { $0.count == 1 ? $0[0] : JobGroupResult.merge($0, windowCPU: windowCPU) }
    }

    /// fio's "Run status" aggregate of a direction: the bytes of every block that moved any,
    /// over the longest of their runtimes (the base of each block's `per=` share).
    public func bytesPerSecond(_ direction: IODirection) -> UInt64 {
        Self.bytesPerSecond(direction, blocks: blocks)
    }

    static func bytesPerSecond(_ direction: IODirection, blocks: [RunResult]) -> UInt64 {
        let moving = blocks.filter { $0.figures(direction) != nil }
        let runtimeMs = max(1, moving.map { UInt64((Double($0.runtimeNanoseconds) / 1e6).rounded()) }.max() ?? 1)
        let bytes = moving.compactMap { $0.figures(direction)?.bytes }.reduce(0, +)
        return bytes * 1000 / runtimeMs
    }

    /// The disk's counters over the whole run, per device in the order first seen: in each
    /// group the thread that measured longest (the threads of a group count the same disk
    /// over overlapping windows), added up over the groups.
    static func wholeRunDisk(_ groups: [ConcurrentGroupResult]) -> [DiskUtilization] {
        var order: [String] = []
        var sums: [String: (counters: DiskCounters, elapsedMs: Double)] = [:]
        for g in groups {
            var longest: [String: RunResult] = [:]
            var seen: [String] = []
            for r in g.threads {
                guard let d = r.disk else { continue }
                if let l = longest[d.device] {
                    if r.runtimeNanoseconds > l.runtimeNanoseconds { longest[d.device] = r }
                } else {
                    longest[d.device] = r
                    seen.append(d.device)
                }
            }
            for device in seen {
                guard let r = longest[device], let d = r.disk else { continue }
                let elapsedMs = Double(r.runtimeNanoseconds) / 1e6
                if let s = sums[device] {
                    sums[device] = (s.counters + d.counters, s.elapsedMs + elapsedMs)
                } else {
                    order.append(device)
                    sums[device] = (d.counters, elapsedMs)
                }
            }
        }
        return order.compactMap { device in
            sums[device].map { s in
                // fio's util: io_ticks over the time measured, at most 100%.
                DiskUtilization(device: device, counters: s.counters,
                                utilPercent: s.elapsedMs > 0 ? min(100, Double(s.counters.ioTicks) / s.elapsedMs * 100) : 0)
            }
        }
    }
}

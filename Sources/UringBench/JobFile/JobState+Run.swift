/// How the job runs: syncs, threads and CPUs, the rate cap, fio's log files, and the options
/// uringbench takes only at the value that is its own behaviour.
extension JobState {
    mutating func applySync(_ e: JobEntry) throws(JobFileError) {
        switch try e.required() {
        case "0", "none": spec.openSync = .none
        case "1", "sync": spec.openSync = .sync
        case "dsync": spec.openSync = .dsync
        case let v: throw e.fail("'sync=\(v)' must be 0, 1, none, sync or dsync")
        }
    }

    func refuseProcesses(_ e: JobEntry) throws(JobFileError) {
        guard try e.flag() else { throw e.fail("thread=0 asks for a process per job; uringbench runs every job as a thread (fio's thread mode); remove the line or set thread=1") }
    }

    mutating func applyCPUsAllowed(_ e: JobEntry) throws(JobFileError) {
        let v = try e.required()
        guard let cpus = CPUList(v) else { throw e.fail("'cpus_allowed=\(v)' is not a CPU list; write CPU numbers and ranges from 0 to \(CPUList.maxCPU), e.g. cpus_allowed=0-3,6") }
        spec.cpusAllowed = cpus
    }

    mutating func applyCPUsAllowedPolicy(_ e: JobEntry) throws(JobFileError) {
        let v = try e.required()
        guard let policy = CPUsAllowedPolicy(rawValue: v) else { throw e.fail("'cpus_allowed_policy=\(v)' must be shared or split") }
        spec.cpusAllowedPolicy = policy
    }

    mutating func applyRateIOPS(_ e: JobEntry) throws(JobFileError) {
        let v = try e.required()
        do {
            let (read, write) = try FioValue.perDirection(v, kbBase: kbBase)
            spec.rateIOPS = read
            spec.writeRateIOPS = write == read ? nil : write
        } catch { throw e.fail("'rate_iops=\(v)' \(error.reason)") }
    }

    mutating func applySubmitMode(_ e: JobEntry) throws(JobFileError) {
        switch try e.required() {
        case "inline": spec.submitOffload = false
        case "offload": spec.submitOffload = true
        case let v: throw e.fail("'io_submit_mode=\(v)' must be inline (fio's default) or offload")
        }
    }

    /// Options whose only value here is fio's default, which is what uringbench always does.
    func refuseNonDefault(_ e: JobEntry) throws(JobFileError) {
        switch e.key {
        case "create_on_open":
            guard !(try e.flag()) else {
                throw e.fail("create_on_open=1 makes fio skip laying out a missing or short file, so it would read holes; uringbench always lays the file out: remove it")
            }
        default:
            // allow_mounted_write: fio's default, 0, is the only behaviour uringbench has.
            guard try !e.flag() else { throw e.fail("allow_mounted_write=1 lets fio write a mounted device; uringbench never writes a device that is mounted, swap or held: remove the line or set allow_mounted_write=0") }
        }
    }

    /// What ends a job that is not time_based; fio ignores all three in a time_based job
    /// (backend.c keep_running), and so does `finish`.
    mutating func applySizeLimit(_ e: JobEntry) throws(JobFileError) {
        switch e.key {
        case "io_size":
            switch try e.sizeOrPercent() {
            case .percent(let p) where p > 100:
                throw e.fail("'io_size=\(e.value ?? "")' is more than 100%, which fio refuses; give at most 100%")
            case .percent(let p): ioSizePercent = p; spec.ioSize = nil
            case .bytes(let n): spec.ioSize = n == 0 ? nil : n; ioSizePercent = nil     // fio: 0 is unset
            }
        case "loops": spec.loops = max(1, try e.integer(0...JobSpec.maxLoops))     // fio runs loops=0 once
        default: spec.numberIOs = UInt64(try e.integer(0...Int.max))              // number_ios
        }
    }

    /// fio's think time: thinktime and thinktime_spin (a bare number is microseconds), after
    /// every thinktime_blocks IOs, counted at completion or at issue.
    mutating func applyThinkTime(_ e: JobEntry) throws(JobFileError) {
        switch e.key {
        case "thinktime": spec.thinktimeNanoseconds = try e.microseconds()
        case "thinktime_spin": spec.thinktimeSpinNanoseconds = try e.microseconds()
        case "thinktime_blocks": spec.thinktimeBlocks = try e.integer(1...Int(Int32.max))
        default:
            switch try e.required() {
            case "complete": spec.thinktimeCountsIssued = false
            case "issue": spec.thinktimeCountsIssued = true
            case let v: throw e.fail("'thinktime_blocks_type=\(v)' must be complete (fio's default) or issue")
            }
        }
    }

    /// rate (bytes per second, `r,w` per direction) and rate_process.
    mutating func applyRate(_ e: JobEntry) throws(JobFileError) {
        let v = try e.required()
        if e.key == "rate" {
            do {
                let (read, write) = try FioValue.perDirection(v, kbBase: kbBase)
                spec.rateBytes = read
                spec.writeRateBytes = write == read ? nil : write
            } catch { throw e.fail("'rate=\(v)' \(error.reason)") }
            return
        }
        switch v {
        case "linear": spec.ratePoisson = false
        case "poisson": spec.ratePoisson = true
        default: throw e.fail("'rate_process=\(v)' must be linear (fio's default) or poisson")
        }
    }

    mutating func applyLog(_ e: JobEntry) throws(JobFileError) {
        switch e.key {
        case "write_lat_log": logs.latency = try e.required()
        case "write_bw_log": logs.bandwidth = try e.required()
        case "write_iops_log": logs.iops = try e.required()
        case "write_hist_log": logs.histogram = try e.required()
        case "log_avg_msec": logs.averageMilliseconds = UInt64(try e.integer(0...Int(FioLogOptions.maxMilliseconds)))
        case "log_hist_msec": logs.histogramMilliseconds = UInt64(try e.integer(0...Int(FioLogOptions.maxMilliseconds)))
        default: logs.perJobLogs = try e.flag()
        }
    }
}

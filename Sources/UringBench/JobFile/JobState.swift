/// One job's options as they accumulate, global first, then its own section.
struct JobState {
    var spec = JobSpec()
    var description: String?
    var ioengine: String?
    var rw: String?
    var timeBased = false
    var hasRuntime = false
    var hasSize = false
    var hasFilename = false
    var sqthreadPoll = false
    var stonewall = false
    var batchSubmitSet = false

    init(name: String) {
        spec.name = name
        spec.engine = .psync        // fio's default ioengine
        spec.direct = false         // fio's default: buffered
    }

    mutating func apply(_ entry: JobFileSyntax.Entry, path: String) throws(JobFileError) {
        let key = JobFile.aliases[entry.key] ?? entry.key
        func fail(_ message: String) -> JobFileError { JobFileError(path: path, line: entry.line, message) }
        guard JobFile.supportedOptions.contains(key) else {
            throw fail("unsupported option '\(entry.key)': uringbench job files accept \(JobFile.supportedOptions.joined(separator: ", ")); remove it or run the file with fio")
        }
        if let v = entry.value, v.contains("${") {
            throw fail("'\(entry.key)=\(v)' uses an environment variable, which this reader does not expand; write the value out")
        }
        if JobFile.ioUringOptions.contains(key) && ioengine != "io_uring" {
            throw fail("'\(entry.key)' is an io_uring option and fio accepts it only after ioengine=io_uring; set ioengine=io_uring above it")
        }
        func required() throws(JobFileError) -> String {
            guard let v = entry.value else { throw fail("option '\(entry.key)' needs a value: \(entry.key)=...") }
            return v
        }
        func flag() throws(JobFileError) -> Bool {
            guard let v = entry.value else { return true }      // bare `time_based` sets it
            switch v {
            case "1": return true
            case "0": return false
            default: throw fail("'\(entry.key)=\(v)' must be 0 or 1")
            }
        }
        func integer(_ range: ClosedRange<Int>) throws(JobFileError) -> Int {
            let v = try required()
            guard let n = Int(v), range.contains(n) else {
                throw fail("'\(entry.key)=\(v)' must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return n
        }
        func size() throws(JobFileError) -> UInt64 {
            let v = try required()
            guard let n = Units.parseSize(v), n > 0 else {
                throw fail("'\(entry.key)=\(v)' is not a size; use fio's suffixes, e.g. 4k, 512M, 1G")
            }
            return n
        }
        func duration() throws(JobFileError) -> UInt64 {
            let v = try required()
            guard let n = Units.parseDuration(v) else {
                throw fail("'\(entry.key)=\(v)' is not a time; use e.g. 10s, 500ms, 2m (a bare number is seconds)")
            }
            return n
        }

        switch key {
        case "name": spec.name = try required()
        case "description": description = try required()
        case "filename":
            let v = try required()
            if v.contains(":") { throw fail("filename=\(v) lists several files (':'); uringbench reads one file per job") }
            spec.filename = v; hasFilename = true
        case "size": spec.size = try size(); hasSize = true
        case "bs":
            let v = try size()
            guard v <= 64 << 20 else { throw fail("'bs=\(entry.value ?? "")' is larger than 64M; use a smaller block size") }
            spec.blockSize = Int(v)
        case "rw":
            let v = try required()
            guard v == "randread" else {
                throw fail("rw=\(v) is not supported: uringbench runs random reads only; use rw=randread")
            }
            rw = v
        case "ioengine":
            let v = try required()
            switch v {
            case "psync", "libaio", "io_uring": ioengine = v
            case "io_uring_sqpoll":
                throw fail("ioengine=io_uring_sqpoll is uringbench's name, not fio's; write ioengine=io_uring and sqthread_poll=1")
            default:
                throw fail("ioengine=\(v) is not one uringbench drives; use psync, libaio or io_uring (with sqthread_poll=1 for SQPOLL)")
            }
            if v != "io_uring" { sqthreadPoll = false; spec.fixedBuffers = false; spec.registerFiles = false; spec.sqPollCPU = nil }
        case "iodepth": spec.iodepth = try integer(1...32768)
        case "runtime": spec.runtimeNanoseconds = try duration(); hasRuntime = spec.runtimeNanoseconds > 0
        case "time_based": timeBased = try flag()
        case "ramp_time": spec.rampNanoseconds = try duration()
        case "direct": spec.direct = try flag()
        case "invalidate": spec.invalidate = try flag()
        case "randseed":
            let v = try required()
            guard let n = UInt64(v) else { throw fail("'randseed=\(v)' must be a whole number") }
            spec.randSeed = n
        case "norandommap":
            // uringbench's offsets never use a random map; fio needs norandommap for the same.
            guard try flag() else { throw fail("norandommap=0 asks for fio's random map, which uringbench does not keep; remove the line or set norandommap=1") }
        case "numjobs":
            let n = try integer(1...Int.max)
            guard n == 1 else { throw fail("numjobs=\(n): uringbench runs one job process at a time; use numjobs=1") }
        case "group_reporting": _ = try flag()
        case "stonewall": stonewall = try flag()
        case "rate_iops":
            let v = try required()
            guard let n = UInt64(v) else { throw fail("'rate_iops=\(v)' must be one whole number of IOs per second (read,write pairs are not supported)") }
            spec.rateIOPS = n
        case "sqthread_poll": sqthreadPoll = try flag()
        case "sqthread_poll_cpu": spec.sqPollCPU = try integer(0...4095)
        case "fixedbufs": spec.fixedBuffers = try flag()
        case "registerfiles": spec.registerFiles = try flag()
        case "iodepth_batch_submit": spec.batchSubmit = try integer(1...32768); batchSubmitSet = true
        case "iodepth_batch_complete_min": spec.batchCompleteMin = try integer(1...32768)
        case "iodepth_batch_complete_max": spec.batchCompleteMax = try integer(1...32768)
        default:
            throw fail("option '\(entry.key)' is listed as supported but not handled; this is a uringbench bug")
        }
    }

    func finish(path: String, line: Int, isFirst: Bool) throws(JobFileError) -> JobFile.Job {
        func fail(_ message: String) -> JobFileError { JobFileError(path: path, line: line, "job '\(spec.name)': " + message) }
        var spec = self.spec
        if rw == nil { throw fail("no rw= option, and fio's default is sequential reads; add rw=randread") }
        if !timeBased { throw fail("no time_based: fio would stop after reading 'size' bytes once, uringbench always runs for 'runtime'; add time_based") }
        if !hasRuntime { throw fail("no runtime=; add e.g. runtime=10s") }
        if !hasSize { throw fail("no size=; add the bytes of the file to read, e.g. size=1G") }
        if !hasFilename { throw fail("no filename= (fio would make a file per job); add e.g. filename=uringbench.dat so every job reads the same file") }
        if !isFirst && !stonewall {
            throw fail("fio runs jobs concurrently unless told otherwise, uringbench one after another; add stonewall (in [global] or this job)")
        }
        switch ioengine ?? "psync" {
        case "libaio": spec.engine = .libaio
        case "io_uring":
            spec.engine = sqthreadPoll ? .io_uring_sqpoll : .io_uring
            // fio's io_uring engine never enters the kernel to wait under sqthread_poll: it
            // spins on the CQ ring. Same job, same reaping.
            spec.sqPollSpin = sqthreadPoll
        default: spec.engine = .psync
        }
        if spec.sqPollCPU != nil && !sqthreadPoll { throw fail("sqthread_poll_cpu needs sqthread_poll=1") }
        // fio clamps the batch sizes to the depth; do the same rather than refuse a valid file.
        spec.batchSubmit = min(spec.batchSubmit, spec.effectiveDepth)
        spec.batchCompleteMin = min(spec.batchCompleteMin, spec.effectiveDepth)
        if let maxBatch = spec.batchCompleteMax { spec.batchCompleteMax = min(max(maxBatch, spec.batchCompleteMin), spec.effectiveDepth) }
        do { try spec.validate() } catch { throw fail(error.description) }
        return JobFile.Job(spec: spec, description: description, line: line)
    }
}

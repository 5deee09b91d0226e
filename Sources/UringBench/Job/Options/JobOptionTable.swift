/// The table: every job option uringbench takes, one row each, in the order a refusal of an
/// unknown job-file key lists them. Adding an option is adding a row here (see
/// docs/architecture.md, "Adding a job option"); rows with `.special` are read by code of their
/// own in `JobState`.
extension JobOption {
    // Where a job's IOs go and how they are paced (fio's offset, rate and thinktime options).
    public static let offset = JobOption(
        fio: "offset", aliases: ["fileoffset"], cli: "offset",
        help: "Start the job's IOs this far into the file, in bytes or as a share of its size, e.g. 1G or 50% (fio's offset).",
        valueName: "size", .special,
        echo: { $0.offsetPercent > 0 ? "\($0.offsetPercent)%" : $0.offset > 0 ? "\($0.offset)" : nil })
    public static let offsetIncrement = JobOption(
        fio: "offset_increment", cli: "offset-increment",
        help: "With --numjobs, job N starts N times this further (fio's offset_increment).", valueName: "size", .special,
        echo: { $0.offsetIncrement > 0 ? "\($0.offsetIncrement)" : nil })
    static let filesize = JobOption(
        fio: "filesize", help: "The file's size; each job's region runs from its offset to the file's end.", .special,
        echo: { $0.fileSize.map(formatBytesFlag) })
    public static let rate = JobOption(
        fio: "rate", cli: "rate",
        help: "Cap on bytes read and on bytes written per second, each, or read,write (fio's rate, e.g. 10M or 10M,5M).",
        valueName: "bytes", .special,
        echo: { job in
            guard job.rateBytes > 0 || job.writeRateBytes ?? 0 > 0 else { return nil }
            return job.writeRateBytes.map { "\(job.rateBytes),\($0)" } ?? "\(job.rateBytes)"
        })
    public static let rateProcess = JobOption(
        fio: "rate_process", cli: "rate-process",
        help: "linear: rate-limited IOs evenly spaced; poisson: at exponential gaps around the rate (fio's rate_process).",
        .special, echo: { $0.ratePoisson ? "poisson" : nil })
    public static let thinktime = JobOption(
        fio: "thinktime", cli: "thinktime",
        help: "Pause this long after every --thinktime-blocks IOs, once those in flight complete (fio's thinktime; a bare number is microseconds).",
        valueName: "time", .special, echo: { $0.thinktimeNanoseconds > 0 ? "\($0.thinktimeNanoseconds / 1_000)" : nil })
    public static let thinktimeSpin = JobOption(
        fio: "thinktime_spin", cli: "thinktime-spin",
        help: "Spin the CPU for this part of each --thinktime instead of sleeping (fio's thinktime_spin).", valueName: "time", .special,
        echo: { $0.thinktimeNanoseconds > 0 && $0.thinktimeSpinNanoseconds > 0 ? "\($0.thinktimeSpinNanoseconds / 1_000)" : nil })
    public static let thinktimeBlocks = JobOption(
        fio: "thinktime_blocks", cli: "thinktime-blocks", help: "IOs between two think times (fio's thinktime_blocks, default 1).",
        valueName: "N", .special, echo: { $0.thinktimeNanoseconds > 0 && $0.thinktimeBlocks != 1 ? "\($0.thinktimeBlocks)" : nil })
    static let thinktimeBlocksType = JobOption(
        fio: "thinktime_blocks_type", help: "complete (fio's default): count IOs completed between think times; issue: count IOs issued.",
        .special, echo: { $0.thinktimeNanoseconds > 0 && $0.thinktimeCountsIssued ? "issue" : nil })
    public static let name = JobOption(fio: "name", cli: "name", help: "Job name shown in the report.", .text { $0.name = $1 },
        echo: { $0.name })
    public static let filename = JobOption(
        fio: "filename", cli: "filename",
        help: "Data file: laid out with a verifiable pattern if missing, used read-only if present.", .special,
        echo: { $0.filename })
    public static let size = JobOption(
        fio: "size", cli: "size",
        help: "Bytes of the file to read (fio suffixes: 512M, 1G), or a multiple of the memory the page cache may use here (1.5xmem: MemTotal, or the cgroup's memory limit when lower).",
        valueName: "size|Nxmem", .special,
        echo: { formatBytesFlag($0.size) })
    public static let bs = JobOption(
        fio: "bs", aliases: ["blocksize"], cli: "bs",
        help: "Block size of each read; a multiple of the device's logical block size with O_DIRECT.", valueName: "size",
        .bytes(1...UInt64(JobSpec.maxBlockSize), example: "4k") { $0.blockSize = Int(clamping: $1) },
        echo: { $0.blockSizes == nil ? formatBytesFlag(UInt64($0.blockSize)) : nil })
    public static let bsrange = JobOption(
        fio: "bsrange", aliases: ["blocksize_range"],
        help: "Each IO's size drawn from min to max in steps of min (4k-64k; reads,writes: 4k-16k,4k-64k).", .special,
        echo: { job in job.blockSizes.flatMap { $0.read.shares.isEmpty ? $0.echoText : nil } })
    public static let bssplit = JobOption(
        fio: "bssplit",
        help: "Each IO's size drawn from a split, size/percent entries (4k/60:64k/40; reads,writes: two lists).", .special,
        echo: { job in job.blockSizes.flatMap { $0.read.shares.isEmpty ? nil : $0.echoText } })
    public static let rw = JobOption(
        fio: "rw", aliases: ["readwrite"], help: "The direction(s) and order of the IOs; on the command line, the subcommand.", .special,
        echo: { job in
            // fio's offset modifier, as written (read:-8k).
            guard job.sequentialSkip != 0 else { return job.rw.rawValue }
            return job.rw.rawValue + ":" + (job.sequentialSkip < 0 ? "-" : "") + formatBytesFlag(job.sequentialSkip.magnitude)
        })
    public static let ioengine = JobOption(
        fio: "ioengine", help: "fio's engine; with its selector options (sqthread_poll=1), one of uringbench's engines.", .special,
        echo: { $0.engine.fioEngine })
    public static let timeBased = JobOption(
        fio: "time_based", cli: "time-based",
        help: "Run for --runtime, wrapping over the file (fio's time_based; the default unless --io-size, --number-ios or --loops is given).",
        .special, echo: { $0.timeBased ? "1" : nil })
    // What ends a job that is not time_based (fio's run model): the job file's meaning is fio's;
    // on the command line any of them makes the run size-bound.
    public static let ioSize = JobOption(
        fio: "io_size", aliases: ["io_limit"], cli: "io-size",
        help: "End after this many bytes per loop, reads and writes together (fio's io_size; default --size): the run is size-bound.",
        valueName: "size", .special, echo: { $0.timeBased ? nil : $0.ioSize.map(formatBytesFlag) })
    public static let numberIOs = JobOption(
        fio: "number_ios", cli: "number-ios", help: "End after N IOs per loop, if sooner (fio's number_ios): the run is size-bound.",
        valueName: "N", .special, echo: { !$0.timeBased && $0.numberIOs > 0 ? "\($0.numberIOs)" : nil })
    public static let loops = JobOption(
        fio: "loops", cli: "loops", help: "Do the job's --io-size N times (fio's loops): the run is size-bound.",
        valueName: "N", .special, echo: { !$0.timeBased && $0.loops != 1 ? "\($0.loops)" : nil })
    public static let thread = JobOption(
        fio: "thread", help: "Jobs as threads (uringbench's only mode; thread=0 is refused).", .special,
        echo: { $0.numjobs > 1 ? "1" : nil })
    public static let iodepth = JobOption(
        fio: "iodepth", cli: "iodepth", help: "IOs kept in flight (sync engines run at depth 1).",
        .integer(1...JobSpec.maxIODepth, example: 32) { $0.iodepth = $1 },
        boundsReason: ": no engine queues more (io_uring's ring holds 32768, libaio's default aio-max-nr is 65536)",
        echo: { "\($0.iodepth)" })
    public static let runtime = JobOption(
        fio: "runtime", aliases: ["timeout"], cli: "runtime",
        help: "Measured time (10s, 500ms, 2m; a bare number is seconds) (default: 10s); with --io-size, --number-ios or --loops a cap, 0 = none.",
        valueName: "time", .special,
        echo: { $0.timeBased || $0.runtimeNanoseconds > 0 ? "\($0.runtimeNanoseconds / 1_000_000)ms" : nil })
    public static let rampTime = JobOption(
        fio: "ramp_time", cli: "ramp-time", help: "Time run before measuring starts.", valueName: "time",
        .duration { $0.rampNanoseconds = $1 },
        echo: { $0.rampNanoseconds > 0 ? "\($0.rampNanoseconds / 1_000_000)ms" : nil })
    public static let direct = JobOption(
        fio: "direct", cli: "direct", help: "1: O_DIRECT, bypassing the page cache; 0: buffered.", valueName: "0|1",
        .flag { $0.direct = $1 },
        echo: { $0.direct ? "1" : "0" })
    public static let invalidate = JobOption(
        fio: "invalidate", cli: "invalidate",
        help: "1: drop the file's cached pages before running; 0: keep them (page-cache tests).", valueName: "0|1",
        .flag { $0.invalidate = $1 },
        echo: { $0.invalidate ? nil : "0" })
    public static let randseed = JobOption(
        fio: "randseed", cli: "randseed", help: "Seed of the random offsets: same seed, same offsets, on every engine.", .special,
        echo: { "\($0.randSeed)" })
    public static let norandommap = JobOption(
        fio: "norandommap", cli: "norandommap",
        help: "Random modes: draw offsets with replacement (fio's norandommap) instead of using every block once per pass.", .special,
        echo: { $0.rw.isRandom && !$0.randomMap ? "1" : nil })
    public static let randomGenerator = JobOption(
        fio: "random_generator", cli: "random-generator",
        help: "Random offsets: tausworthe (fio's default; with the random map), tausworthe64, or lfsr (every block once per pass, no map).",
        valueName: "name", .special,
        echo: { $0.randomGenerator != .tausworthe ? $0.randomGenerator.rawValue : nil })
    public static let randomDistribution = JobOption(
        fio: "random_distribution", cli: "random-distribution",
        help: "Random offsets: random (uniform), zipf:θ, pareto:h or normal:σ, each with an optional :center from 0 to 1 (fio's spelling; skewed ones keep no random map).",
        valueName: "dist", .special,
        echo: { $0.randomDistribution.isUniform ? nil : $0.randomDistribution.description })
    public static let fadviseHint = JobOption(
        fio: "fadvise_hint", cli: "fadvise-hint",
        help: "Readahead advice at open: 1 (fio's default: random for random modes, sequential for sequential ones), 0 (none), random, sequential, normal.",
        valueName: "hint", .special,
        echo: { $0.fadviseHint != .byPattern ? $0.fadviseHint.rawValue : nil })
    public static let numjobs = JobOption(
        fio: "numjobs", cli: "numjobs",
        help: "Run N copies of the job at once, each a thread with its own engine, buffers and offset stream (fio's numjobs in its --thread mode; fio forks processes by default).",
        valueName: "N", .integer(1...JobSpec.maxNumjobs, example: 4) { $0.numjobs = $1 },
        boundsReason: ": each job is a thread with its own engine",
        echo: { "\($0.numjobs)" })
    public static let groupReporting = JobOption(
        fio: "group_reporting", cli: "group-reporting",
        help: "Report the numjobs jobs as one, latency histograms merged (fio's group_reporting).", .flag { $0.groupReporting = $1 },
        echo: { $0.numjobs == 1 || $0.groupReporting ? "1" : nil })
    public static let cpusAllowed = JobOption(
        fio: "cpus_allowed", cli: "cpus-allowed",
        help: "Run the job threads only on these CPUs, e.g. 0-3,6 (fio's cpus_allowed).", valueName: "list", .special,
        echo: { $0.cpusAllowed?.description })
    public static let cpusAllowedPolicy = JobOption(
        fio: "cpus_allowed_policy", cli: "cpus-allowed-policy",
        help: "shared: every job on every listed CPU; split: one listed CPU per job, in turn (fio's cpus_allowed_policy).", .special,
        echo: { $0.cpusAllowed != nil ? $0.cpusAllowedPolicy.rawValue : nil })
    public static let gtodReduce = JobOption(
        fio: "gtod_reduce", cli: "gtod-reduce",
        help: "Measure no latency and read the clock once every 64 IOs instead of per IO (fio's gtod_reduce); IOPS and bandwidth stay measured.",
        .flag { $0.gtodReduce = $1 }, echo: { $0.gtodReduce ? "1" : nil })
    public static let ioSubmitMode = JobOption(
        fio: "io_submit_mode", cli: "io-submit-mode",
        help: "inline (fio's default) or offload: with a rate, submit each IO when it is due whatever the completions do, while a slot is free (fio's io_submit_mode=offload; libaio, io_uring).",
        valueName: "mode", .special, echo: { $0.submitOffload ? "offload" : nil })
    public static let rateIOPS = JobOption(
        fio: "rate_iops", cli: "rate-iops",
        help: "Cap on reads and on writes per second, each, as fio's rate_iops (0: none), for throttled reference runs.", .special,
        echo: { job in job.writeRateIOPS.map { "\(job.rateIOPS),\($0)" } ?? (job.rateIOPS > 0 ? "\(job.rateIOPS)" : nil) })
    public static let rwmixread = JobOption(
        fio: "rwmixread", cli: "rwmixread", help: "randrw, rw: percent of IOs that are reads (default 50).", valueName: "pct",
        .integer(0...100, example: 70) { $0.rwMixRead = $1 },
        echo: { $0.rw.isMixed ? "\($0.rwMixRead)" : nil })
    static let rwmixwrite = JobOption(
        fio: "rwmixwrite", help: "randrw, rw: percent of IOs that are writes (the rest are reads).",
        .integer(0...100, example: 30) { $0.rwMixRead = 100 - $1 })
    public static let fsync = JobOption(
        fio: "fsync", cli: "fsync", help: "fsync after every N writes (fio's fsync=N).", valueName: "N",
        .integer(0...Int(Int32.max), example: 1) { $0.fsyncEvery = $1 },
        echo: { $0.fsyncEvery > 0 ? "\($0.fsyncEvery)" : nil })
    public static let fdatasync = JobOption(
        fio: "fdatasync", cli: "fdatasync", help: "fdatasync after every N writes (fio's fdatasync=N).", valueName: "N",
        .integer(0...Int(Int32.max), example: 1) { $0.fdatasyncEvery = $1 },
        echo: { $0.fdatasyncEvery > 0 ? "\($0.fdatasyncEvery)" : nil })
    public static let endFsync = JobOption(
        fio: "end_fsync", cli: "end-fsync", help: "fsync once after the run, outside every figure (fio's end_fsync).",
        .flag { $0.endFsync = $1 },
        echo: { $0.endFsync ? "1" : nil })
    public static let sync = JobOption(
        fio: "sync", cli: "sync", help: "Open the file O_SYNC: each write returns once on stable storage (fio's sync=1).", .special,
        echo: { $0.openSync == .none ? nil : $0.openSync == .sync ? "1" : "dsync" })
    // 0 is fio's "the depth" for a submit batch (init.c fixup_options, resolved in JobState.finish)
    // and "at least one" for a reap (backend.c wait_for_completions).
    public static let iodepthBatchSubmit = JobOption(
        fio: "iodepth_batch_submit", aliases: ["iodepth_batch"], cli: "iodepth-batch-submit",
        help: "Submit once this many IOs are queued (fio's default: 1).",
        .integer(0...JobSpec.maxIODepth, example: 8) { $0.batchSubmit = $1 },
        echo: { $0.batchSubmit != 1 ? "\($0.batchSubmit)" : nil })
    public static let iodepthBatchCompleteMin = JobOption(
        fio: "iodepth_batch_complete_min", aliases: ["iodepth_batch_complete"], cli: "iodepth-batch-complete-min",
        help: "Reap at least this many completions when the queue is full (fio's default: 1).",
        .integer(0...JobSpec.maxIODepth, example: 1) { $0.batchCompleteMin = max(1, $1) },
        echo: { $0.batchCompleteMin != 1 ? "\($0.batchCompleteMin)" : nil })
    public static let iodepthBatchCompleteMax = JobOption(
        fio: "iodepth_batch_complete_max", cli: "iodepth-batch-complete-max",
        help: "Reap at most this many completions per call (fio's default: the complete-min value, so 1).",
        .integer(1...JobSpec.maxIODepth, example: 8) { $0.batchCompleteMax = $1 },
        echo: { $0.batchCompleteMax.map { "\($0)" } })
    public static let verify = JobOption(
        fio: nil, cli: "verify", help: "Check every read's bytes against the file's pattern (time kept out of latencies).",
        .flag { $0.verify = $1 },
        echo: { $0.verify ? "crc32c" : nil })
    public static let allowTmpfs = JobOption(
        fio: nil, cli: "allow-tmpfs",
        help: "Allow O_DIRECT on a file or device in memory: tmpfs, ramfs, zram, a RAM disk, a loop device over one (it measures memory, not a disk).",
        .flag { $0.allowTmpfs = $1 })
    public static let allowOverwrite = JobOption(
        fio: nil, cli: "allow-overwrite",
        help: "Let a write job write a file uringbench did not lay out, or a block device (never one that is mounted, swap or held); the report says it was overwritten.",
        .flag { $0.allowOverwrite = $1 })

    public static let writeLatLog = JobOption(fio: "write_lat_log", cli: "write-lat-log", help: "fio's write_lat_log: each IO's lat, slat and clat in NAME_lat.N.log, NAME_slat.N.log, NAME_clat.N.log (N: the job's thread, 1 to --numjobs).", valueName: "name", .special)
    public static let writeBWLog = JobOption(fio: "write_bw_log", cli: "write-bw-log", help: "fio's write_bw_log: bandwidth in NAME_bw.N.log.", valueName: "name", .special)
    public static let writeIOPSLog = JobOption(fio: "write_iops_log", cli: "write-iops-log", help: "fio's write_iops_log: IOPS in NAME_iops.N.log.", valueName: "name", .special)
    public static let writeHistLog = JobOption(fio: "write_hist_log", cli: "write-hist-log", help: "fio's write_hist_log: clat histograms in NAME_clat_hist.N.log, one per --log-hist-msec.", valueName: "name", .special)
    public static let logAvgMsec = JobOption(fio: "log_avg_msec", cli: "log-avg-msec", help: "fio's log_avg_msec: one averaged line per N ms window instead of one per IO (0).", valueName: "ms", .special)
    public static let logHistMsec = JobOption(fio: "log_hist_msec", cli: "log-hist-msec", help: "fio's log_hist_msec: the interval of the --write-hist-log histograms.", valueName: "ms", .special)
    public static let perJobLogs = JobOption(fio: "per_job_logs", cli: "per-job-logs", help: "fio's per_job_logs: 1 numbers each thread's files; 0 writes NAME_lat.log and so on, every thread adding its lines at the end.", valueName: "0|1", .special)

    /// Every row; `JobFile.supportedOptions` lists the job-file keys in this order.
    public static let all: [JobOption] = [
        name,
        JobOption(fio: "description", help: "fio's description, shown in plots.", .special),
        JobOption(fio: "kb_base", help: "1024 (fio's default: k is 1024, KiB 1000) or 1000 (k is 1000, KiB 1024).", .special),
        filename, size, bs,
        rw, ioengine,
        iodepth, runtime,
        timeBased,
        rampTime, direct, invalidate, randseed,
        JobOption(fio: "randrepeat", help: "0: seed the offsets from the system's random source on every run (unless randseed= is given), as fio does.", .special),
        norandommap, randomGenerator, randomDistribution, fadviseHint, numjobs,
        groupReporting,
        thread,
        cpusAllowed, cpusAllowedPolicy,
        JobOption(fio: "stonewall", aliases: ["wait_for_previous"], help: "Wait for the jobs before: this job starts a new group (the jobs of a group run at the same time).", .special),
        JobOption(fio: "exitall", help: "When one job ends, the others end too.", .special),
        rateIOPS, ioSubmitMode, rwmixread, rwmixwrite,
        JobOption(fio: "directory", help: "Prefixed to the filename of this and later sections.", .special),
        JobOption(fio: "filename_format", help: "The names of a job's files when filename= is absent ($jobname.$jobnum.$filenum, fio's default).", .special),
        JobOption(fio: "buffered", help: "The negation of direct.", .flag { $0.direct = !$1 }),
        gtodReduce,
        JobOption(fio: "create_on_open", help: "Only 0: uringbench always lays the file out.", .special),
        filesize, offset, offsetIncrement, thinktime, thinktimeSpin, thinktimeBlocks, thinktimeBlocksType, rate, rateProcess,
        JobOption(fio: "startdelay", help: "Start the job this long after its group starts (one fixed delay).", .special),
        loops, numberIOs, ioSize,
        bsrange, bssplit,
        fsync, fdatasync, endFsync, sync, iodepthBatchSubmit, iodepthBatchCompleteMin, iodepthBatchCompleteMax,
        JobOption(fio: "allow_file_create", help: "Lay out the data file when it does not exist (fio's default 1).", .flag { $0.allowFileCreate = $1 }),
        JobOption(fio: "allow_mounted_write", help: "Only 0: uringbench never writes a device in use.", .special),
        writeLatLog, writeBWLog, writeIOPSLog, writeHistLog, logAvgMsec, logHistMsec, perJobLogs,
        verify, allowTmpfs, allowOverwrite,
    ]
}

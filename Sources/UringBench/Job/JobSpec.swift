import UringCore

/// One job: what fio calls a job section, with the options uringbench supports.
public struct JobSpec: Codable, Sendable, Equatable {
    public var name: String = "randread"
    public var engine: EngineKind = .io_uring
    /// fio's rw: direction(s) and order of the IOs.
    public var rw: RWMode = .randread
    /// fio's `rw=read:N` offset modifier (ddir_seq_add) of a sequential job: each IO starts N bytes
    /// after the end of the last (negative: before it, reading backwards). 0 = plain sequential.
    var sequentialSkip: Int64 = 0
    /// Percent of a mixed job's IOs that are reads (fio's rwmixread).
    public var rwMixRead: Int = 50
    /// A sync after every N writes, 0 = never (fio's fsync=N); at most one of the two is set.
    var fsyncEvery: Int = 0
    /// A data sync after every N writes (fio's fdatasync=N).
    var fdatasyncEvery: Int = 0
    /// fsync the file once the measured run ends (fio's end_fsync), outside every figure.
    public var endFsync: Bool = false
    /// Open the file O_SYNC or O_DSYNC (fio's sync=1 / sync=dsync).
    public var openSync: OpenSyncMode = .none
    public var filename: String = "uringbench.dat"
    /// fio's own file per job when a job file names none (FioJobFiles): job i of a numjobs
    /// group reads `jobFiles.path(forJob: i)`, and `filename` is job 0's; nil: every job of the
    /// group reads `filename`.
    var jobFiles: FioJobFiles? = nil
    public var size: UInt64 = 1 << 30
    public var blockSize: Int = 4096
    /// The sizes of a job whose IOs are not all one size (fio's bssplit, bsrange); `blockSize`
    /// is then the smallest of them. nil: every IO is `blockSize`.
    public var blockSizes: BlockSizes? = nil
    public var iodepth: Int = 1
    /// The measured time of a time-based job; for a size-bound one a cap, 0 = none (fio's runtime).
    public var runtimeNanoseconds: UInt64 = 10_000_000_000
    /// Run for `runtime`, wrapping over the file (fio's time_based); false: end once the IOs
    /// `ioSize`, `numberIOs` and `loops` ask for are done (`IssueLimit`).
    public var timeBased: Bool = true
    /// Bytes a size-bound job issues per loop, reads and writes together (fio's io_size); nil:
    /// `size`, one pass over the job's range.
    public var ioSize: UInt64? = nil
    /// A size-bound job ends after this many IOs per loop, if sooner, 0 = no such limit (fio's
    /// number_ios).
    public var numberIOs: UInt64 = 0
    /// Times a size-bound job does its `ioSize` (fio's loops).
    public var loops: Int = 1
    public var rampNanoseconds: UInt64 = 0
    public var direct: Bool = true
    /// Drop the file's pages from the page cache before running (fio's `invalidate`).
    public var invalidate: Bool = true
    public var randSeed: UInt64 = 0x5EED_0F_10
    /// Keep fio's random map: random IO uses every block once per pass (false: fio's norandommap,
    /// draws with replacement).
    public var randomMap: Bool = true
    /// fio's random_generator (lfsr needs no map).
    public var randomGenerator: RandomGenerator = .tausworthe
    /// fio's random_distribution: uniform, or skewed towards hot blocks (which keeps no map).
    public var randomDistribution: RandomDistribution = .random
    /// fio's fadvise_hint: the readahead advice given when the file is opened.
    public var fadviseHint: FadviseHint = .byPattern
    public var verify: Bool = false
    /// Options of the job's engine, declared by the engine (e.g. io_uring's fixedbufs).
    public var engineOptions = EngineOptionValues()
    /// Commit once this many IOs are queued (fio's iodepth_batch_submit; 1 = each IO at once).
    public var batchSubmit: Int = 1
    /// Reap at least this many completions when the queue is full (iodepth_batch_complete_min).
    public var batchCompleteMin: Int = 1
    /// Reap at most this many per call (iodepth_batch_complete_max); nil = batchCompleteMin, fio's
    /// default. fio therefore takes one completion per call and refills that slot at once.
    public var batchCompleteMax: Int? = nil
    /// Cap on reads and on writes issued per second, each, 0 = none (fio's rate_iops): for
    /// throttled reference runs.
    public var rateIOPS: UInt64 = 0
    /// A cap of its own on writes, 0 = none (fio's rate_iops=r,w); nil: `rateIOPS` caps writes too.
    var writeRateIOPS: UInt64? = nil
    /// Cap on bytes read and on bytes written per second, each, 0 = none (fio's rate); where
    /// set it replaces rate_iops for its direction, as in fio (init.c `__setup_rate`).
    public var rateBytes: UInt64 = 0
    /// A cap of its own on bytes written per second (fio's rate=r,w); nil: `rateBytes` caps writes too.
    public var writeRateBytes: UInt64? = nil
    /// fio's rate_process=poisson: rate-limited IOs arrive at exponential gaps around the rate's
    /// mean (seeded from randseed), not evenly spaced (linear, fio's default).
    public var ratePoisson: Bool = false
    /// fio's gtod_reduce: no latency is measured (fio's disable_lat, disable_clat, disable_slat,
    /// clat_percentiles=0), and the loop reads the clock once every 64 IOs instead of per IO
    /// (fio's ts_cache_mask 63); IOPS and bandwidth stay measured over the run's window.
    public var gtodReduce: Bool = false
    /// fio's io_submit_mode=offload with a rate: each IO is submitted when it is due, whatever
    /// the completions do, while a slot is free (fio's job thread hands IOs to its offload
    /// workers on the rate's schedule); the loop waits for completions only until the next IO
    /// is due. false: fio's inline, where a job ahead of its rate waits for a completion first.
    public var submitOffload: Bool = false
    /// fio's thinktime: after every `thinktimeBlocks` IOs the job lets its IOs in flight complete
    /// and pauses this long (0: never), spinning the CPU for `thinktimeSpinNanoseconds` of it.
    public var thinktimeNanoseconds: UInt64 = 0
    /// fio's thinktime_spin: the part of each think time spent spinning rather than asleep.
    public var thinktimeSpinNanoseconds: UInt64 = 0
    /// fio's thinktime_blocks: IOs between two think times.
    public var thinktimeBlocks: Int = 1
    /// fio's thinktime_blocks_type=issue: count IOs issued (default complete: IOs completed).
    var thinktimeCountsIssued: Bool = false
    /// fio's offset: where the job's region of the file starts, in bytes.
    public var offset: UInt64 = 0
    /// fio's offset=P%: the region starts at P% of the file's size, rounded up to a block
    /// (0: `offset` in bytes). See `JobRegion`.
    public var offsetPercent: Int = 0
    /// fio's offset_increment: job N of a numjobs group starts N times this far after `offset`.
    public var offsetIncrement: UInt64 = 0
    /// fio's filesize: the file's size when it is not `size`; each job's region then runs from
    /// its offset to the end of a file of this size (nil: the region is `size` bytes).
    var fileSize: UInt64? = nil
    public var allowTmpfs: Bool = false
    /// Let a write job write a target uringbench did not lay out (a user's file, a block device
    /// that is not in use). The report then says the target was overwritten.
    public var allowOverwrite: Bool = false
    /// Lay out the data file when it does not exist (fio's allow_file_create; job files only).
    var allowFileCreate: Bool = true
    /// Copies of the job run at once, each a thread with its own engine, buffers and offset
    /// stream (fio's numjobs, in its `thread` mode: fio forks processes by default).
    public var numjobs: Int = 1
    /// Report the jobs of a numjobs group as one, histograms merged (fio's group_reporting).
    public var groupReporting: Bool = false
    /// CPUs the job threads may run on (fio's cpus_allowed); nil: wherever the kernel puts them.
    public var cpusAllowed: CPUList? = nil
    /// All jobs on all the CPUs, or one CPU each (fio's cpus_allowed_policy).
    public var cpusAllowedPolicy: CPUsAllowedPolicy = .shared

    public init() {}

    /// Bounds on what a job may ask for, so that no value reaches a conversion or an allocation
    /// that cannot hold it.
    static let maxIODepth = 65536
    static let maxBlockSize = 64 << 20
    /// The pacing gap is whole nanoseconds: above this the cap would silently be no cap.
    static let maxRateIOPS: UInt64 = 1_000_000_000
    /// A thread, a file descriptor and an engine (an io_uring ring or AIO context) per job.
    public static let maxNumjobs = 1024
    /// fio reads loops as a 32-bit count.
    public static let maxLoops = Int(Int32.max)

    /// Every key is optional, so results written before a field existed still load (a
    /// committed baseline, an old `--output`); io_uring's options, once fields of their own,
    /// move into `engineOptions`.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = JobSpec()
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? d.name
        engine = try c.decodeIfPresent(EngineKind.self, forKey: .engine) ?? d.engine
        rw = try c.decodeIfPresent(RWMode.self, forKey: .rw) ?? d.rw
        rwMixRead = try c.decodeIfPresent(Int.self, forKey: .rwMixRead) ?? d.rwMixRead
        sequentialSkip = try c.decodeIfPresent(Int64.self, forKey: .sequentialSkip) ?? d.sequentialSkip
        fsyncEvery = try c.decodeIfPresent(Int.self, forKey: .fsyncEvery) ?? d.fsyncEvery
        fdatasyncEvery = try c.decodeIfPresent(Int.self, forKey: .fdatasyncEvery) ?? d.fdatasyncEvery
        endFsync = try c.decodeIfPresent(Bool.self, forKey: .endFsync) ?? d.endFsync
        openSync = try c.decodeIfPresent(OpenSyncMode.self, forKey: .openSync) ?? d.openSync
        filename = try c.decodeIfPresent(String.self, forKey: .filename) ?? d.filename
        jobFiles = try c.decodeIfPresent(FioJobFiles.self, forKey: .jobFiles)
        size = try c.decodeIfPresent(UInt64.self, forKey: .size) ?? d.size
        blockSize = try c.decodeIfPresent(Int.self, forKey: .blockSize) ?? d.blockSize
        blockSizes = try c.decodeIfPresent(BlockSizes.self, forKey: .blockSizes)
        iodepth = try c.decodeIfPresent(Int.self, forKey: .iodepth) ?? d.iodepth
        runtimeNanoseconds = try c.decodeIfPresent(UInt64.self, forKey: .runtimeNanoseconds) ?? d.runtimeNanoseconds
        // Results written before size-bound jobs existed were all time-based.
        timeBased = try c.decodeIfPresent(Bool.self, forKey: .timeBased) ?? d.timeBased
        ioSize = try c.decodeIfPresent(UInt64.self, forKey: .ioSize)
        numberIOs = try c.decodeIfPresent(UInt64.self, forKey: .numberIOs) ?? d.numberIOs
        loops = try c.decodeIfPresent(Int.self, forKey: .loops) ?? d.loops
        rampNanoseconds = try c.decodeIfPresent(UInt64.self, forKey: .rampNanoseconds) ?? d.rampNanoseconds
        direct = try c.decodeIfPresent(Bool.self, forKey: .direct) ?? d.direct
        invalidate = try c.decodeIfPresent(Bool.self, forKey: .invalidate) ?? d.invalidate
        randSeed = try c.decodeIfPresent(UInt64.self, forKey: .randSeed) ?? d.randSeed
        // Results written before the random map existed were drawn with replacement.
        randomMap = try c.decodeIfPresent(Bool.self, forKey: .randomMap) ?? false
        randomGenerator = try c.decodeIfPresent(RandomGenerator.self, forKey: .randomGenerator) ?? d.randomGenerator
        randomDistribution = try c.decodeIfPresent(RandomDistribution.self, forKey: .randomDistribution) ?? d.randomDistribution
        // Results written before fadvise_hint existed gave no advice.
        fadviseHint = try c.decodeIfPresent(FadviseHint.self, forKey: .fadviseHint) ?? FadviseHint.none
        verify = try c.decodeIfPresent(Bool.self, forKey: .verify) ?? d.verify
        engineOptions = try c.decodeIfPresent(EngineOptionValues.self, forKey: .engineOptions) ?? d.engineOptions
        batchSubmit = try c.decodeIfPresent(Int.self, forKey: .batchSubmit) ?? d.batchSubmit
        batchCompleteMin = try c.decodeIfPresent(Int.self, forKey: .batchCompleteMin) ?? d.batchCompleteMin
        batchCompleteMax = try c.decodeIfPresent(Int.self, forKey: .batchCompleteMax) ?? d.batchCompleteMax
        rateIOPS = try c.decodeIfPresent(UInt64.self, forKey: .rateIOPS) ?? d.rateIOPS
        writeRateIOPS = try c.decodeIfPresent(UInt64.self, forKey: .writeRateIOPS)
        rateBytes = try c.decodeIfPresent(UInt64.self, forKey: .rateBytes) ?? d.rateBytes
        writeRateBytes = try c.decodeIfPresent(UInt64.self, forKey: .writeRateBytes)
        ratePoisson = try c.decodeIfPresent(Bool.self, forKey: .ratePoisson) ?? d.ratePoisson
        gtodReduce = try c.decodeIfPresent(Bool.self, forKey: .gtodReduce) ?? d.gtodReduce
        submitOffload = try c.decodeIfPresent(Bool.self, forKey: .submitOffload) ?? d.submitOffload
        thinktimeNanoseconds = try c.decodeIfPresent(UInt64.self, forKey: .thinktimeNanoseconds) ?? d.thinktimeNanoseconds
        thinktimeSpinNanoseconds = try c.decodeIfPresent(UInt64.self, forKey: .thinktimeSpinNanoseconds) ?? d.thinktimeSpinNanoseconds
        thinktimeBlocks = try c.decodeIfPresent(Int.self, forKey: .thinktimeBlocks) ?? d.thinktimeBlocks
        thinktimeCountsIssued = try c.decodeIfPresent(Bool.self, forKey: .thinktimeCountsIssued) ?? d.thinktimeCountsIssued
        offset = try c.decodeIfPresent(UInt64.self, forKey: .offset) ?? d.offset
        offsetPercent = try c.decodeIfPresent(Int.self, forKey: .offsetPercent) ?? d.offsetPercent
        offsetIncrement = try c.decodeIfPresent(UInt64.self, forKey: .offsetIncrement) ?? d.offsetIncrement
        fileSize = try c.decodeIfPresent(UInt64.self, forKey: .fileSize)
        allowTmpfs = try c.decodeIfPresent(Bool.self, forKey: .allowTmpfs) ?? d.allowTmpfs
        allowOverwrite = try c.decodeIfPresent(Bool.self, forKey: .allowOverwrite) ?? d.allowOverwrite
        allowFileCreate = try c.decodeIfPresent(Bool.self, forKey: .allowFileCreate) ?? d.allowFileCreate
        numjobs = try c.decodeIfPresent(Int.self, forKey: .numjobs) ?? d.numjobs
        groupReporting = try c.decodeIfPresent(Bool.self, forKey: .groupReporting) ?? d.groupReporting
        cpusAllowed = try c.decodeIfPresent(CPUList.self, forKey: .cpusAllowed)
        cpusAllowedPolicy = try c.decodeIfPresent(CPUsAllowedPolicy.self, forKey: .cpusAllowedPolicy) ?? d.cpusAllowedPolicy

        let legacy = try decoder.container(keyedBy: LegacyKeys.self)
        if try legacy.decodeIfPresent(Bool.self, forKey: .fixedBuffers) == true { engineOptions[IORingEngine.fixedBuffersOption] = 1 }
        if try legacy.decodeIfPresent(Bool.self, forKey: .registerFiles) == true { engineOptions[IORingEngine.registerFilesOption] = 1 }
        if try legacy.decodeIfPresent(Bool.self, forKey: .sqPollSpin) == true { engineOptions[IORingEngine.sqPollSpinOption] = 1 }
        if let idle = try legacy.decodeIfPresent(Int.self, forKey: .sqThreadIdleMilliseconds), idle != 0 { engineOptions[IORingEngine.sqThreadIdleOption] = idle }
        if let cpu = try legacy.decodeIfPresent(Int.self, forKey: .sqPollCPU) { engineOptions[IORingEngine.sqPollCPUOption] = cpu }
    }

    private enum LegacyKeys: String, CodingKey {
        case fixedBuffers, registerFiles, sqPollSpin, sqThreadIdleMilliseconds, sqPollCPU
    }

    /// The file job `index` of the group reads.
    public func filename(forJob index: Int) -> String { jobFiles?.path(forJob: index) ?? filename }

    /// Every file the group reads: one per job with `jobFiles`, else `filename` alone.
    public var filenames: [String] { jobFiles == nil ? [filename] : (0..<max(1, numjobs)).map(filename(forJob:)) }

    /// The job as job `index` of its group runs it: on its own file.
    func forJob(_ index: Int) -> JobSpec {
        var job = self
        job.filename = filename(forJob: index)
        return job
    }

    /// Completions taken per reap call at most.
    var effectiveBatchCompleteMax: Int { max(batchCompleteMax ?? batchCompleteMin, batchCompleteMin) }

    /// The depth the engine really runs at.
    var effectiveDepth: Int { engine.isSynchronous ? 1 : iodepth }

    /// The refusal of a rate cap above `maxRateIOPS`, nil for one at most that (the command line
    /// checks with it too).
    public static func rateIOPSProblem(_ rate: UInt64) -> String? {
        guard rate > maxRateIOPS else { return nil }
        return "--rate-iops must be at most \(maxRateIOPS), one IO per nanosecond (got \(rate)); use 0 for no cap"
    }

    static let zeroRuntimeProblem = "--runtime must be positive for a time-based job; use e.g. --runtime 10s"

    /// Rejects combinations that cannot run, before any file is touched.
    public func validate() throws(BenchError) {
        // The table's limits (JobOption), the same the command line and job files apply.
        let counts: [(JobOption, Int)] = [(.iodepth, iodepth), (.numjobs, numjobs), (.rwmixread, rwMixRead),
                                          (.fsync, fsyncEvery), (.fdatasync, fdatasyncEvery)]
        for (row, value) in counts {
            if let problem = row.problem(value) { throw .invalidOption(problem) }
        }
        if let cpus = cpusAllowed, let bad = cpus.cpus.first(where: { $0 >= Syscalls.configuredCPUs }) {
            throw .invalidOption("--cpus-allowed \(cpus) names CPU \(bad), and this machine has CPUs 0-\(Syscalls.configuredCPUs - 1); use e.g. --cpus-allowed 0-\(Syscalls.configuredCPUs - 1)")
        }
        if blockSize < 1 || blockSize > Self.maxBlockSize {
            throw .invalidOption(JobOption.bs.refusal(got: "\(blockSize)"))
        }
        if size > Units.maxSize { throw .invalidOption("--size must be below 2^63 bytes (got \(size)); use e.g. --size 1G") }
        if runtimeNanoseconds > Units.maxDurationNanoseconds || rampNanoseconds > Units.maxDurationNanoseconds {
            throw .invalidOption("--runtime and --ramp-time must be at most \(Units.maxDurationText); use e.g. --runtime 10s")
        }
        if let problem = Self.rateIOPSProblem(max(rateIOPS, writeRateIOPS ?? 0)) { throw .invalidOption(problem) }
        try validateRegion()
        try validatePacing()
        try validateBlockSizes()
        if size < UInt64(blockSize) {
            throw .invalidOption("--size \(size) is smaller than --bs \(blockSize): the file must hold at least one block; use --size \(formatBytesFlag(UInt64(blockSize) * 1024)) or a smaller --bs")
        }
        if direct && blockSize % DataPattern.sectorSize != 0 {
            throw .invalidOption("--bs \(blockSize) is not a multiple of 512, which O_DIRECT needs on every device; use --bs \(max(512, blockSize / 512 * 512)) or --direct 0")
        }
        if fsyncEvery > 0 && fdatasyncEvery > 0 {
            throw .invalidOption("--fsync \(fsyncEvery) and --fdatasync \(fdatasyncEvery) both set a sync cadence; keep one")
        }
        if !rw.writes && (fsyncEvery > 0 || fdatasyncEvery > 0 || endFsync) {
            throw .invalidOption("--fsync, --fdatasync and --end-fsync sync written data, and \(rw.rawValue) writes nothing; use randwrite, write, randrw or rw")
        }
        if verify && !engine.descriptor.transfersData {
            throw .invalidOption("--verify checks the bytes an engine read, and \(engine.rawValue) reads none; drop --verify")
        }
        if rw.writes && blockSize % DataPattern.sectorSize != 0 {
            throw .invalidOption("--bs \(blockSize): a write job writes whole 512-byte sectors, each with its own verify header; use --bs \(max(512, blockSize / 512 * 512))")
        }
        if verify && blockSize % DataPattern.sectorSize != 0 {
            throw .invalidOption("--verify checks whole 512-byte sectors (each carries its offset, generation and checksum), and --bs \(blockSize) is not a multiple of 512; use --bs \(max(512, blockSize / 512 * 512)) or drop --verify")
        }
        if verify && rw.writes && numjobs > 1 {
            throw .invalidOption("--verify on a write job with --numjobs \(numjobs): the jobs write the same blocks, so none knows what another wrote there last; use --numjobs 1 with --verify")
        }
        if verify && rw.writes && blockSize > 0 && regionSpan / UInt64(blockSize) > UInt64(BlockGenerations.maxBlocks) {
            throw .invalidOption("--verify on a write job keeps each block's generation (32–36 bytes a block), and --size \(formatBytesFlag(regionSpan)) at --bs \(blockSize) is \(regionSpan / UInt64(blockSize)) blocks, more than \(BlockGenerations.maxBlocks); use a smaller --size or a larger --bs")
        }
        let blocks = regionSpan / UInt64(blockSize)
        if rw.isRandom, case .normal = randomDistribution, blocks > SkewedBlocks.maxNormalBlocks {
            throw .invalidOption("random_distribution=normal sums 12 draws of up to \(blocks) blocks, more than uringbench's 64-bit sum holds (2^59 blocks); use a larger --bs or a smaller --size")
        }
        if sequentialSkip != 0 && (rw.isRandom || sequentialSkip.magnitude >= size || (sequentialSkip < 0 && sequentialSkip.magnitude < UInt64(blockSize))) {
            throw .invalidOption("rw=\(rw):\(sequentialSkip): an offset modifier must be a step of less than --size (\(formatBytesFlag(size))), and a backwards one at least --bs (\(blockSize)) so that no IO crosses the end when the walk wraps")
        }
        if rw.isRandom, case .zoned(let split) = randomDistribution, split.absolute, split.absoluteEnd / UInt64(blockSize) > blocks {
            throw .invalidOption("random_distribution=\(randomDistribution) (--random-distribution): the zones cover \(formatBytesFlag(split.absoluteEnd)), more than the job's \(formatBytesFlag(size)) (fio: \"zoned_abs sizes exceed file size\"); make the zones smaller or --size larger")
        }
        if rw.isRandom && randomDistribution.isUniform && randomMap && randomGenerator != .lfsr && blocks > RandomBlockMap.maxBlocks {
            throw .invalidOption("a random map of \(blocks) blocks would take \(blocks >> 23) MiB; use --norandommap (fio's norandommap) or --random-generator lfsr, which needs no map")
        }
        try validateEnd()
        try validateBatchesAndEngineOptions()
        try validateReducedClock()
        try validateOffload()
    }

    /// gtod_reduce leaves every latency unmeasured; the sync figures (their count is their
    /// latency histogram's) cannot go with it.
    func validateReducedClock() throws(BenchError) {
        if gtodReduce && (fsyncEvery > 0 || fdatasyncEvery > 0) {
            throw .invalidOption("--gtod-reduce measures no latency, and the syncs of --fsync and --fdatasync are counted by theirs (fio's sync block); drop --gtod-reduce or the sync cadence")
        }
    }

    /// rate or rate_iops caps reads or writes.
    var hasRate: Bool { rateIOPS != 0 || writeRateIOPS ?? 0 != 0 || rateBytes != 0 || writeRateBytes ?? 0 != 0 }

    /// io_submit_mode=offload is a rate's open-loop schedule: it needs a rate, and an engine
    /// that can wait for completions until the next IO is due.
    func validateOffload() throws(BenchError) {
        guard submitOffload else { return }
        if !hasRate {
            throw .invalidOption("--io-submit-mode offload submits each IO when a rate says it is due, and the job has no --rate-iops or --rate (fio's offload then only moves submission to other threads); add one or use --io-submit-mode inline")
        }
        if !engine.descriptor.reapsWithTimeout {
            let engines = EngineRegistry.all.filter(\.reapsWithTimeout).map(\.kind.rawValue).joined(separator: " or ")
            throw .invalidOption("--io-submit-mode offload waits for completions only until the next IO is due, which \(engine.rawValue) cannot (fio runs a synchronous engine's IOs on iodepth threads then); use --engine \(engines)")
        }
        if thinktimeNanoseconds > 0 {
            throw .invalidOption("--io-submit-mode offload keeps the rate's schedule, and --thinktime pauses it; drop one of them")
        }
    }

    /// The submit and reap batches against the depth, and each engine option against its engine.
    func validateBatchesAndEngineOptions() throws(BenchError) {
        if batchSubmit < 1 || batchSubmit > effectiveDepth && !engine.isSynchronous {
            throw .invalidOption("--iodepth-batch-submit must be between 1 and --iodepth (\(iodepth)); got \(batchSubmit)")
        }
        if batchCompleteMin < 1 || batchCompleteMin > effectiveDepth && !engine.isSynchronous {
            throw .invalidOption("--iodepth-batch-complete-min must be between 1 and --iodepth (\(iodepth)); got \(batchCompleteMin)")
        }
        if let maxBatch = batchCompleteMax, maxBatch < batchCompleteMin || maxBatch > effectiveDepth && !engine.isSynchronous {
            throw .invalidOption("--iodepth-batch-complete-max must be between --iodepth-batch-complete-min (\(batchCompleteMin)) and --iodepth (\(iodepth)); got \(maxBatch)")
        }
        if let unknown = engineOptions.values.keys.sorted().first(where: { EngineOption.named($0) == nil }) {
            throw .invalidOption("--\(unknown) is not an option of any engine; the engine options are \(EngineOption.all.map(\.description).joined(separator: ", "))")
        }
        let declared = engine.descriptor.options
        for (option, value) in engineOptions.options {
            guard declared.contains(option) else {
                let owners = option.engines.map(\.rawValue).joined(separator: " or ")
                throw .invalidOption("\(option) is an option of \(owners), not of \(engine.rawValue); use --engine \(owners) or drop \(option)")
            }
            guard option.range.contains(value) else {
                throw .invalidOption("\(option) \(value) is out of range; use a value from \(option.range.lowerBound) to \(option.range.upperBound)")
            }
        }
        if engineOptions.isSet(IORingEngine.sqPollSharedOption) && numjobs < 2 {
            throw .invalidOption("\(IORingEngine.sqPollSharedOption) shares the first job's SQ thread with the other jobs' rings, and --numjobs \(numjobs) has no other job; use --numjobs 2 or more, or drop \(IORingEngine.sqPollSharedOption)")
        }
    }

    /// The rules of what ends the job: a time-based job's runtime, a size-bound job's io_size,
    /// number_ios and loops.
    func validateEnd() throws(BenchError) {
        if timeBased {
            if runtimeNanoseconds == 0 { throw .invalidOption(Self.zeroRuntimeProblem) }
            if ioSize != nil || numberIOs > 0 || loops != 1 {
                throw .invalidOption("--io-size, --number-ios and --loops end a size-bound job, and this job is time-based (fio ignores them then); drop --time-based or drop them")
            }
            return
        }
        if loops < 1 || loops > Self.maxLoops {
            throw .invalidOption("--loops must be from 1 to \(Self.maxLoops) (got \(loops)); use e.g. --loops 3")
        }
        if let ioSize, ioSize == 0 || ioSize > Units.maxSize {
            throw .invalidOption("--io-size must be from 1 byte to below 2^63 bytes (got \(ioSize)); use e.g. --io-size \(formatBytesFlag(size))")
        }
        if numberIOs > 0 && rampNanoseconds > 0 {
            // fio counts number_ios from the ramp's end and io_size from the start.
            throw .invalidOption("--number-ios with --ramp-time: fio counts number_ios only after the ramp, io_size from the start, which uringbench does not reproduce; drop one of them")
        }
        if verify && rw.writes && (ioSize ?? size > size || loops > 1) {
            // fio verifies after each loop and counts the verify reads toward io_size (fio 3.33:
            // randwrite size=1m io_size=3m verify writes 2 MiB); uringbench reads back once, after.
            throw .invalidOption("--verify on a size-bound write job with --io-size above --size or --loops: fio verifies after every pass and counts those reads toward io_size, so it writes less; drop --verify, or keep --io-size at most --size and --loops 1")
        }
        if rw == .rw, ioSize ?? size > size || (loops > 1 && size % UInt64(blockSize) != 0) {
            // Each direction walks the file on its own, and fio starts a new pass (both back at
            // 0) when either reaches the end: where that is depends on fio's own draws.
            throw .invalidOption("rw (sequential reads and writes mixed) with --io-size above --size, or --loops with a --size that is not a multiple of --bs: fio's passes end where its own direction draws put them; use randrw, or an --io-size of at most --size that is a multiple of --bs")
        }
    }
}

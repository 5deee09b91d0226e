import UringCore

/// One job: what fio calls a job section, with the options uringbench supports.
public struct JobSpec: Codable, Sendable, Equatable {
    public var name: String = "randread"
    public var engine: EngineKind = .io_uring
    /// fio's rw: direction(s) and order of the IOs.
    public var rw: RWMode = .randread
    /// fio's `rw=read:N` offset modifier (ddir_seq_add) of a sequential job: each IO starts N bytes
    /// after the end of the last (negative: before it, reading backwards). 0 = plain sequential.
    public var sequentialSkip: Int64 = 0
    /// Percent of a mixed job's IOs that are reads (fio's rwmixread).
    public var rwMixRead: Int = 50
    /// A sync after every N writes, 0 = never (fio's fsync=N); at most one of the two is set.
    public var fsyncEvery: Int = 0
    /// A data sync after every N writes (fio's fdatasync=N).
    public var fdatasyncEvery: Int = 0
    /// fsync the file once the measured run ends (fio's end_fsync), outside every figure.
    public var endFsync: Bool = false
    /// Open the file O_SYNC or O_DSYNC (fio's sync=1 / sync=dsync).
    public var openSync: OpenSyncMode = .none
    public var filename: String = "uringbench.dat"
    /// fio's own file per job when a job file names none (FioJobFiles): job i of a numjobs
    /// group reads `jobFiles.path(forJob: i)`, and `filename` is job 0's; nil: every job of the
    /// group reads `filename`.
    public var jobFiles: FioJobFiles? = nil
    public var size: UInt64 = 1 << 30
    public var blockSize: Int = 4096
    public var iodepth: Int = 1
    public var runtimeNanoseconds: UInt64 = 10_000_000_000
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
    public var writeRateIOPS: UInt64? = nil
    public var allowTmpfs: Bool = false
    /// Let a write job write a target uringbench did not lay out (a user's file, a block device
    /// that is not in use). The report then says the target was overwritten.
    public var allowOverwrite: Bool = false
    /// Lay out the data file when it does not exist (fio's allow_file_create; job files only).
    public var allowFileCreate: Bool = true
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
    public static let maxIODepth = 65536
    public static let maxBlockSize = 64 << 20
    /// The pacing gap is whole nanoseconds: above this the cap would silently be no cap.
    public static let maxRateIOPS: UInt64 = 1_000_000_000
    /// A thread, a file descriptor and an engine (an io_uring ring or AIO context) per job.
    public static let maxNumjobs = 1024

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
        iodepth = try c.decodeIfPresent(Int.self, forKey: .iodepth) ?? d.iodepth
        runtimeNanoseconds = try c.decodeIfPresent(UInt64.self, forKey: .runtimeNanoseconds) ?? d.runtimeNanoseconds
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
    public func forJob(_ index: Int) -> JobSpec {
        var job = self
        job.filename = filename(forJob: index)
        return job
    }

    /// Completions taken per reap call at most.
    public var effectiveBatchCompleteMax: Int { max(batchCompleteMax ?? batchCompleteMin, batchCompleteMin) }

    /// The depth the engine really runs at.
    public var effectiveDepth: Int { engine.isSynchronous ? 1 : iodepth }

    /// Rejects combinations that cannot run, before any file is touched.
    public func validate() throws(BenchError) {
        if iodepth < 1 { throw .invalidOption("--iodepth must be at least 1 (got \(iodepth)); use --iodepth 1 for one IO at a time") }
        if numjobs < 1 || numjobs > Self.maxNumjobs {
            throw .invalidOption("--numjobs must be from 1 to \(Self.maxNumjobs) (got \(numjobs)); each job is a thread with its own engine, e.g. --numjobs 4")
        }
        if let cpus = cpusAllowed, let bad = cpus.cpus.first(where: { $0 >= Syscalls.configuredCPUs }) {
            throw .invalidOption("--cpus-allowed \(cpus) names CPU \(bad), and this machine has CPUs 0-\(Syscalls.configuredCPUs - 1); use e.g. --cpus-allowed 0-\(Syscalls.configuredCPUs - 1)")
        }
        if iodepth > Self.maxIODepth {
            throw .invalidOption("--iodepth must be at most \(Self.maxIODepth) (got \(iodepth)): no engine queues more (io_uring's ring holds 32768, libaio's default aio-max-nr is 65536); use e.g. --iodepth 128")
        }
        if blockSize < 1 || blockSize > Self.maxBlockSize {
            throw .invalidOption("--bs must be between 1 byte and 64M (got \(blockSize)); use e.g. --bs 4k")
        }
        if size > Units.maxSize { throw .invalidOption("--size must be below 2^63 bytes (got \(size)); use e.g. --size 1G") }
        if runtimeNanoseconds > Units.maxDurationNanoseconds || rampNanoseconds > Units.maxDurationNanoseconds {
            throw .invalidOption("--runtime and --ramp-time must be at most \(Units.maxDurationText); use e.g. --runtime 10s")
        }
        if rateIOPS > Self.maxRateIOPS || writeRateIOPS ?? 0 > Self.maxRateIOPS {
            throw .invalidOption("--rate-iops must be at most \(Self.maxRateIOPS), one IO per nanosecond (got \(max(rateIOPS, writeRateIOPS ?? 0))); use 0 for no cap")
        }
        if size < UInt64(blockSize) {
            throw .invalidOption("--size \(size) is smaller than --bs \(blockSize): the file must hold at least one block; use --size \(formatBytesFlag(UInt64(blockSize) * 1024)) or a smaller --bs")
        }
        if direct && blockSize % DataPattern.sectorSize != 0 {
            throw .invalidOption("--bs \(blockSize) is not a multiple of 512, which O_DIRECT needs on every device; use --bs \(max(512, blockSize / 512 * 512)) or --direct 0")
        }
        if rwMixRead < 0 || rwMixRead > 100 {
            throw .invalidOption("--rwmixread must be a percentage from 0 to 100 (got \(rwMixRead)); use e.g. --rwmixread 70")
        }
        if fsyncEvery < 0 || fdatasyncEvery < 0 {
            throw .invalidOption("--fsync and --fdatasync take a count of writes, 0 or more; use e.g. --fsync 1")
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
        if verify && rw.writes && blockSize > 0 && size / UInt64(blockSize) > UInt64(BlockGenerations.maxBlocks) {
            throw .invalidOption("--verify on a write job keeps each block's generation (32–36 bytes a block), and --size \(formatBytesFlag(size)) at --bs \(blockSize) is \(size / UInt64(blockSize)) blocks, more than \(BlockGenerations.maxBlocks); use a smaller --size or a larger --bs")
        }
        let blocks = size / UInt64(blockSize)
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
        if runtimeNanoseconds == 0 { throw .invalidOption("--runtime must be positive; use e.g. --runtime 10s") }
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
}

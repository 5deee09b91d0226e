/// What `uringbench compare` runs: the cross product modes × direct × engines × depths × block
/// sizes, each `rounds` times, interleaved round by round on one file.
public struct ComparisonPlan: Codable, Sendable, Equatable {
    /// Everything but engine, depth and block size, shared by every run.
    public var base: JobSpec
    public var engines: [EngineKind]
    /// fio's rw modes, each a separate case (default: randread alone).
    public var modes: [RWMode] = [.randread]
    public var iodepths: [Int]
    public var blockSizes: [Int]
    /// Jobs at once per case (fio's numjobs), each a separate case (default: 1).
    public var numjobs: [Int] = [1]
    /// `compare --direct 0,1`: O_DIRECT and buffered, each a separate case. nil (plans written
    /// before the list existed, and a single --direct) is `base.direct` alone.
    public var directs: [Bool]? = nil
    /// Equal concurrency (`compare --concurrency`): each value a number of IOs in flight that
    /// every engine runs at — a synchronous engine as that many jobs at depth 1, an asynchronous
    /// one as `numjobs[0]` jobs sharing that depth. Replaces `iodepths` × `numjobs`.
    public var concurrency: [Int]? = nil
    public var rounds: Int
    public var baselineEngine: EngineKind
    /// Set when the cases come from a job file (`compare --job-file`): one case per job, run
    /// as written, instead of the cross product.
    public var jobs: [JobSpec]?

    /// More rounds than this is a typing mistake, and the bound keeps runs × rounds small.
    public static let maxRounds = 1000

    public init(base: JobSpec, engines: [EngineKind], modes: [RWMode] = [.randread], iodepths: [Int], blockSizes: [Int], rounds: Int,
                baselineEngine: EngineKind = .psync) {
        self.base = base
        self.engines = engines
        self.modes = modes
        self.iodepths = iodepths
        self.blockSizes = blockSizes
        self.rounds = rounds
        self.baselineEngine = baselineEngine
    }

    /// Plans written before modes existed compared random reads.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        base = try c.decode(JobSpec.self, forKey: .base)
        engines = try c.decode([EngineKind].self, forKey: .engines)
        modes = try c.decodeIfPresent([RWMode].self, forKey: .modes) ?? [.randread]
        iodepths = try c.decode([Int].self, forKey: .iodepths)
        blockSizes = try c.decode([Int].self, forKey: .blockSizes)
        numjobs = try c.decodeIfPresent([Int].self, forKey: .numjobs) ?? [1]
        directs = try c.decodeIfPresent([Bool].self, forKey: .directs)
        concurrency = try c.decodeIfPresent([Int].self, forKey: .concurrency)
        rounds = try c.decode(Int.self, forKey: .rounds)
        baselineEngine = try c.decode(EngineKind.self, forKey: .baselineEngine)
        jobs = try c.decodeIfPresent([JobSpec].self, forKey: .jobs)
    }

    /// The --direct values, in the order given.
    public var directList: [Bool] { directs ?? [base.direct] }

    /// Cases in run order within a round: mode, then direct as listed, then block size, then
    /// depth, then numjobs, then engine as listed. A sync engine is run once per block size,
    /// since every depth is depth 1 for it. A pair that cannot be what its key says is left
    /// out (`skipped`).
    public var cases: [CaseKey] {
        if let jobs { return jobs.map(CaseKey.init) }
        return crossProduct.filter { Self.skipReason($0, engineOptions: base.engineOptions) == nil }
    }

    /// The pairs of the cross product left out, each with the reason (empty for a job file,
    /// whose jobs are checked by `fromJobs`).
    public var skipped: [(key: CaseKey, reason: String)] {
        guard jobs == nil else { return [] }
        return crossProduct.compactMap { key in Self.skipReason(key, engineOptions: base.engineOptions).map { (key, $0) } }
    }

    private var crossProduct: [CaseKey] {
        var seen = Set<CaseKey>()
        var out: [CaseKey] = []
        for rw in modes {
            for direct in directList {
                for bs in blockSizes {
                    for key in depthCases(rw: rw, direct: direct, blockSize: bs) where seen.insert(key).inserted { out.append(key) }
                }
            }
        }
        return out
    }

    /// The depths × numjobs × engines of one mode, direct and block size (with --concurrency,
    /// the IOs in flight × engines).
    private func depthCases(rw: RWMode, direct: Bool, blockSize bs: Int) -> [CaseKey] {
        var out: [CaseKey] = []
        if let concurrency {
            let asyncJobs = numjobs.first ?? 1
            for n in concurrency {
                for engine in engines {
                    out.append(engine.isSynchronous
                        ? CaseKey(engine: engine, rw: rw, iodepth: 1, blockSize: bs, numjobs: n, direct: direct)
                        : CaseKey(engine: engine, rw: rw, iodepth: max(1, n / asyncJobs), blockSize: bs, numjobs: asyncJobs, direct: direct))
                }
            }
            return out
        }
        for depth in iodepths {
            for jobs in numjobs {
                for engine in engines {
                    out.append(CaseKey(engine: engine, rw: rw, iodepth: depth, blockSize: bs, numjobs: jobs, direct: direct))
                }
            }
        }
        return out
    }

    /// Why a pair of the cross product cannot be what its key says, nil when it can: mmap
    /// has no O_DIRECT (fio's direct=1 for mmap is msync and MADV_DONTNEED after each IO,
    /// still through the page cache, which a direct=1 row would misname), and --uncached acts
    /// only on buffered IO.
    static func skipReason(_ key: CaseKey, engineOptions: EngineOptionValues) -> String? {
        guard key.direct else { return nil }
        if key.engine == .mmap {
            return "mmap with direct=1: mmap has no O_DIRECT (fio's direct=1 for mmap is msync and MADV_DONTNEED after each IO, through the page cache); mmap runs in the direct=0 cases (--direct 0,1), or alone with uringbench randread --engine mmap --direct 1"
        }
        if engineOptions.restricted(to: key.engine).isSet(ReadWriteFlags.uncachedOption) {
            return "\(key.engine.rawValue) --uncached with direct=1: RWF_DONTCACHE acts on buffered IO only; it runs in the direct=0 cases (--direct 0,1)"
        }
        return nil
    }

    public func job(for key: CaseKey, round: Int) -> JobSpec {
        if let jobs, var job = jobs.first(where: { CaseKey($0) == key }) {
            job.name += "-r\(round)"
            return job
        }
        var job = base
        job.engine = key.engine
        job.rw = key.rw
        job.iodepth = key.iodepth
        job.blockSize = key.blockSize
        job.numjobs = key.numjobs
        job.direct = key.direct
        // A case is one figure: a group's jobs merged.
        job.groupReporting = true
        job.name = "\(key.slug)-r\(round)"
        // fio's batch options cannot exceed the depth: clamp per case instead of refusing a sweep.
        job.batchSubmit = min(base.batchSubmit, job.effectiveDepth)
        job.batchCompleteMin = min(base.batchCompleteMin, job.effectiveDepth)
        if let maxBatch = base.batchCompleteMax { job.batchCompleteMax = min(max(maxBatch, job.batchCompleteMin), job.effectiveDepth) }
        // The shared options reach only the engines that declare them.
        job.engineOptions = job.engineOptions.restricted(to: key.engine)
        return job
    }

    /// A plan whose cases are the jobs of a job file, in file order. The jobs must read one file
    /// (the comparison's premise) and be distinct cases, since results are keyed by case.
    public static func fromJobs(_ jobs: [JobSpec], rounds: Int, baselineEngine: EngineKind? = nil) throws(CompareError) -> ComparisonPlan {
        guard let first = jobs.first else { throw .invalidPlan("the job file has no jobs; add a job section") }
        for job in jobs.dropFirst() {
            if job.filename != first.filename || job.size != first.size {
                throw .invalidPlan("job '\(job.name)' reads \(job.filename) (size \(formatBytesFlag(job.size))) but '\(first.name)' reads \(first.filename) (size \(formatBytesFlag(first.size))); a comparison runs every job on one file: set filename and size in [global]")
            }
        }
        for (i, job) in jobs.enumerated() {
            if let other = jobs[..<i].first(where: { CaseKey($0) == CaseKey(job) }) {
                throw .invalidPlan("jobs '\(other.name)' and '\(job.name)' are both \(CaseKey(job)); compare keys results by engine, rw, direct, depth, block size and numjobs, so give each job a distinct one")
            }
            if job.engine == .mmap && job.direct {
                throw .invalidPlan("job '\(job.name)': mmap with direct=1 is msync and MADV_DONTNEED after each IO, through the page cache, and compare would show it as a direct=1 case; set direct=0 for the mmap job, or run the file with uringbench run")
            }
        }
        func unique<T: Hashable>(_ xs: [T]) -> [T] { var seen = Set<T>(); return xs.filter { seen.insert($0).inserted } }
        let engines = unique(jobs.map(\.engine))
        var plan = ComparisonPlan(base: first, engines: engines, modes: unique(jobs.map(\.rw)), iodepths: unique(jobs.map(\.effectiveDepth)).sorted(),
                                  blockSizes: unique(jobs.map(\.blockSize)).sorted(), rounds: rounds,
                                  baselineEngine: baselineEngine ?? (engines.contains(.psync) ? .psync : engines[0]))
        let directs = unique(jobs.map(\.direct))
        if directs.count > 1 { plan.directs = directs }
        plan.base.name = "compare"
        plan.jobs = jobs
        return plan
    }

    /// Rejects a plan that cannot run, before any file is touched.
    public func validate() throws(CompareError) {
        if engines.isEmpty {
            throw .invalidPlan("the engine list is empty; pass e.g. --engines \(EngineKind.allCases.map(\.rawValue).joined(separator: ","))")
        }
        if let dup = engines.first(where: { e in engines.filter { $0 == e }.count > 1 }) {
            throw .invalidPlan("engine '\(dup.rawValue)' is listed twice in --engines; list each engine once")
        }
        if modes.isEmpty { throw .invalidPlan("the --rw list is empty; pass e.g. --rw randread,randwrite") }
        if let dup = modes.first(where: { m in modes.filter { $0 == m }.count > 1 }) {
            throw .invalidPlan("rw '\(dup.rawValue)' is listed twice in --rw; list each mode once")
        }
        if iodepths.isEmpty { throw .invalidPlan("the --iodepth list is empty; pass e.g. --iodepth 1,8,32") }
        if blockSizes.isEmpty { throw .invalidPlan("the --bs list is empty; pass e.g. --bs 4k,64k") }
        if numjobs.isEmpty { throw .invalidPlan("the --numjobs list is empty; pass e.g. --numjobs 1,4,16") }
        if let directs {
            if directs.isEmpty { throw .invalidPlan("the --direct list is empty; pass e.g. --direct 0,1") }
            if directs.count > 2 || Set(directs).count != directs.count {
                throw .invalidPlan("--direct lists 0 and 1 at most once each (got \(directs.map { $0 ? "1" : "0" }.joined(separator: ","))); pass e.g. --direct 0,1")
            }
        }
        if let concurrency {
            if concurrency.isEmpty { throw .invalidPlan("the --concurrency list is empty; pass e.g. --concurrency 1,4,16,64") }
            if numjobs.count > 1 {
                throw .invalidPlan("--concurrency sets each engine's jobs and depth, so --numjobs takes one value there (the jobs of an asynchronous engine); got \(numjobs.map(String.init).joined(separator: ","))")
            }
            let k = numjobs[0]
            for n in concurrency {
                if n < 1 || n > JobSpec.maxNumjobs {
                    throw .invalidPlan("--concurrency \(n) is out of range: a synchronous engine runs it as \(n) jobs, from 1 to \(JobSpec.maxNumjobs); use e.g. --concurrency 32")
                }
                if n % k != 0 {
                    throw .invalidPlan("--concurrency \(n) cannot be split evenly over --numjobs \(k) asynchronous jobs; use a concurrency that \(k) divides, or --numjobs 1")
                }
            }
        }
        // Each case keeps the engine options its engine declares; one that no listed engine
        // declares would reach no case and act on nothing.
        if jobs == nil, let option = base.engineOptions.options.map(\.option).first(where: { o in !engines.contains { $0.descriptor.options.contains(o) } }) {
            let owners = option.engines.map(\.rawValue).joined(separator: " or ")
            throw .invalidPlan("\(option) is an option of \(owners), and no engine in --engines takes it; add \(owners) to --engines or drop \(option)")
        }
        if rounds < 1 || rounds > Self.maxRounds {
            throw .invalidPlan("--rounds must be from 1 to \(Self.maxRounds) (got \(rounds)); use --rounds 3 for a median over three interleaved rounds")
        }
        if jobs == nil, cases.isEmpty, let first = skipped.first {
            throw .invalidPlan("no case left to run: \(first.reason)")
        }
        for key in cases {
            do { try job(for: key, round: 1).validate() } catch {
                throw .invalidPlan("\(key): \(error.description)")
            }
        }
    }
}

/// Runs a `ComparisonPlan`: round 1 runs every case once (A B C D), then round 2 (A B C D), and
/// so on, all on one file laid out before the first run. A shared, drifting machine then slows
/// every engine alike instead of whichever happened to run during the noise.
public enum ComparisonRunner {
    public struct Event: Sendable {
        public var round: Int
        public var rounds: Int
        public var index: Int          // run number, 1-based, over all rounds
        public var total: Int
        public var key: CaseKey
        /// nil when the run is about to start, the result when it has finished.
        public var result: RunResult?
        /// What each --neighbour job measured beside the run (empty without neighbours).
        public var neighbours: [RunResult] = []
    }

    /// `moreRounds`, when given, is asked after each round from `plan.rounds` on whether to run
    /// another (`--until-confident`); the results then record the rounds really run.
    /// `neighbours` (--neighbour): jobs run beside every case, behind its barrier and over its
    /// ramp and runtime, so each case is measured under their interference.
    public static func run(_ plan: ComparisonPlan, command: String,
                           neighbours: [JobSpec] = [],
                           layoutProgress: DataFile.Progress? = nil,
                           progress: ((ProgressSnapshot) -> Void)? = nil,
                           events: ((Event) -> Void)? = nil,
                           moreRounds: ((ComparisonResults) -> Bool)? = nil) throws(BenchError) -> ComparisonResults {
        do { try plan.validate() } catch { throw .invalidOption(error.description) }
        let cases = plan.cases
        try checkNeighbours(neighbours, caseFile: plan.job(for: cases[0], round: 1).filename)
        // Every engine and file of every case, before the layout and the first run.
        try Preflight.check(cases.map { plan.job(for: $0, round: 1) })
        // Lay the file out (or check it) once, outside any measured run.
        let file = try DataFile(job: plan.job(for: cases[0], round: 1), progress: layoutProgress)
        let machine = file.machine
        _ = file   // closed when released; each run opens its own descriptor with its own flags

        var runs: [RunResult] = []
        var rounds: [Int] = []
        var interrupted = false
        var round = 0
        var total: Int { cases.count * max(round, plan.rounds) }
        outer: while true {
            round += 1
            if round > plan.rounds {
                var done = plan
                done.rounds = round - 1
                guard let moreRounds, moreRounds(ComparisonResults(runs: runs, runRounds: rounds, plan: done, command: command, machine: machine)) else { break }
            }
            for key in cases {
                let event = Event(round: round, rounds: max(round, plan.rounds), index: runs.count + 1, total: total, key: key, result: nil)
                events?(event)
                let job = plan.job(for: key, round: round)
                // Every run keeps its IOPS per second (fio's iops log, log_avg_msec=1000, in memory).
                let recording = IOPSTimeSeries.recording(for: job)
                var (result, beside) = try runCase(job, logs: recording, neighbours: neighbours, progress: progress)
                result.iopsTimeSeries = IOPSTimeSeries(recorded: recording)
                var done = event
                done.result = result
                done.neighbours = beside
                events?(done)
                if result.interrupted {
                    interrupted = true
                    if result.totalIOs > 0 { runs.append(result); rounds.append(round) }
                    break outer
                }
                runs.append(result)
                rounds.append(round)
            }
        }
        if runs.isEmpty { throw .interrupted(during: "the first run of the comparison") }
        var ran = plan
        ran.rounds = max(plan.rounds, rounds.max() ?? 0)
        return ComparisonResults(runs: runs, runRounds: rounds, plan: ran, command: command,
                                 machine: machine, interrupted: interrupted)
    }

    /// A neighbour may read the cases' data file (it shares the open) but never write it: the
    /// cases' reads would meet its writes, and its blocks would not be the file's pattern.
    public static func checkNeighbours(_ neighbours: [JobSpec], caseFile: String) throws(BenchError) {
        for n in neighbours where n.rw.writes && GroupFileUse.key(n.filename) == GroupFileUse.key(caseFile) {
            throw .invalidOption("--neighbour job '\(n.name)' writes '\(n.filename)', the data file of the cases it would run beside; give it a file of its own (filename=)")
        }
    }

    /// One run of a case, with the neighbours beside it over its whole window.
    static func runCase(_ job: JobSpec, logs: FioLogFileSet?, neighbours: [JobSpec], progress: ((ProgressSnapshot) -> Void)?) throws(BenchError) -> (RunResult, [RunResult]) {
        guard !neighbours.isEmpty else { return (try Runner.run(job, logs: logs, progress: progress), []) }
        let beside = neighbours.map { n in
            var n = n
            n.rampNanoseconds = job.rampNanoseconds
            n.runtimeNanoseconds = job.runtimeNanoseconds
            return GroupJob(n)
        }
        let group = try Runner.runConcurrent([GroupJob(job, logs: logs)] + beside, progress: progress)
        return (group.jobs[0].merged, group.jobs.dropFirst().map(\.merged))
    }
}

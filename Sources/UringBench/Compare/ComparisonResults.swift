import Foundation
import UringCore

/// What `uringbench compare --output` writes and `--against`/`plot` read back: fio's JSON
/// document with every run (each carrying its full `RunResult` under `uringbench`), plus one
/// block of our own, `uringbench_compare`, with the plan, the machine and the per-case summary.
public struct ComparisonResults: Sendable {
    public static let format = "uringbench-compare"
    static let formatVersion = 1

    /// The summary block. The runs are the source of truth; this is derived from them and
    /// kept in the file for readers that do not want to recompute it.
    public struct Summary: Codable, Sendable {
        public var format: String
        public var version: Int
        /// The command line that produced the file, for re-running it.
        public var command: String
        public var machine: MachineInfo
        public var plan: ComparisonPlan
        /// Every run in execution order: `jobs[i]` of the fio document is round `rounds[i]`.
        public var rounds: [Int]
        public var interrupted: Bool
        public var cases: [CaseSummary]
        /// Each case against the baseline engine with 95% CIs (absent in older files).
        public var effects: [Effect]?
    }

    /// Runs in execution order.
    public var runs: [RunResult]
    /// Round (1-based) of each run.
    var runRounds: [Int]
    public var plan: ComparisonPlan
    public var command: String
    public var machine: MachineInfo
    public var interrupted: Bool

    public init(runs: [RunResult], runRounds: [Int], plan: ComparisonPlan, command: String, machine: MachineInfo, interrupted: Bool = false) {
        precondition(runs.count == runRounds.count)
        self.runs = runs
        self.runRounds = runRounds
        self.plan = plan
        self.command = command
        self.machine = machine
        self.interrupted = interrupted
    }

    public var cases: [CaseSummary] {
        CaseSummary.summarize(runs, order: plan.cases, baselineEngine: plan.baselineEngine, equalConcurrency: plan.concurrency != nil).map {
            var c = $0
            c.roundsPlanned = plan.rounds
            return c
        }
    }

    /// Not interrupted, and every case ran every planned round.
    public var isComplete: Bool { !interrupted && cases.allSatisfy { $0.rounds == plan.rounds } }

    /// "3 interleaved rounds", or what an interrupted comparison really ran.
    var roundsDescription: String {
        if isComplete { return "\(plan.rounds) interleaved round\(plan.rounds == 1 ? "" : "s")" }
        return "the rounds each case ran (column rounds) of \(plan.rounds) planned: interrupted (\(StopCause.phrase)) with \(runsMeasured) runs measured"
    }

    /// "10 of 15": the runs measured of those the plan holds (its bounds keep the product small).
    var runsMeasured: String { "\(runs.count) of \(plan.cases.count * plan.rounds)" }

    public var summary: Summary {
        Summary(format: Self.format, version: Self.formatVersion, command: command, machine: machine,
                plan: plan, rounds: runRounds, interrupted: interrupted, cases: cases,
                effects: CaseEffects.of(self))
    }

    /// The runs of one case, in round order.
    public func runs(of key: CaseKey) -> [RunResult] { runs.filter { CaseKey($0.job) == key } }

    // MARK: file

    private struct File: Encodable {
        let document: FioJSON.Document
        let summary: Summary
        enum Key: String, CodingKey { case summary = "uringbench_compare" }
        func encode(to encoder: Encoder) throws {
            try document.encode(to: encoder)              // fio's keys at the top level
            var c = encoder.container(keyedBy: Key.self)  // and ours beside them
            try c.encode(summary, forKey: .summary)
        }
    }

    private struct Probe: Decodable {
        let summary: Summary?
        enum Key: String, CodingKey { case summary = "uringbench_compare" }
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            summary = try c.decodeIfPresent(Summary.self, forKey: .summary)
        }
    }

    public func render() throws -> String {
        try FioJSONEncoder().encode(File(document: FioJSONReport(results: runs).document(), summary: summary))
            .render(exactFloatsUnder: FioJSONReport.exactFloatKeys)
    }

    /// Writes the file the way every output is written: complete or not at all (see `OutputFile`).
    public func write(to output: OutputFile) throws {
        try output.write(render())
    }

    public func write(to path: String) throws {
        try write(to: OutputFile(path: path))
    }

    public static func load(path: String) throws(CompareError) -> ComparisonResults {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadableResults(path: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied or not a file" : "no such file")
        }
        return try decode(data, path: path)
    }

    public static func decode(_ data: Data, path: String) throws(CompareError) -> ComparisonResults {
        guard !data.isEmpty else { throw .truncatedResults(path: path, reason: "the file is empty") }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            // Valid JSON up to the end means the file was cut short; anything else is not JSON.
            let trimmed = String(decoding: data.prefix(1), as: UTF8.self)
            if trimmed == "{" {
                let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
                throw .truncatedResults(path: path, reason: "the JSON ends early or is malformed" + (detail.map { ": " + ResultsFileCheck.locate($0, in: data) } ?? ""))
            }
            throw .notOurResults(path: path, reason: "not JSON")
        }
        guard let top = object as? [String: Any] else { throw .notOurResults(path: path, reason: "not a JSON object") }
        guard let block = top["uringbench_compare"] as? [String: Any] else {
            if top["fio version"] != nil {
                throw .notOurResults(path: path, reason: "a fio JSON output without the uringbench_compare block")
            }
            throw .notOurResults(path: path, reason: "no uringbench_compare block")
        }
        guard block["format"] as? String == format else { throw .notOurResults(path: path, reason: "format is not \(format)") }
        guard let version = block["version"] as? Int, version == formatVersion else {
            throw .notOurResults(path: path, reason: "format version \(block["version"] ?? "?") is not \(formatVersion); re-measure with this uringbench")
        }
        if let negative = ResultsFileCheck.negativeNumber(in: top) { throw .truncatedResults(path: path, reason: negative) }
        let data = fillingJobDefaults(top) ?? data
        let decoder = JSONDecoder()
        let summary: Summary
        let document: FioJSON.Document
        do {
            guard let s = try decoder.decode(Probe.self, from: data).summary else { throw CompareError.notOurResults(path: path, reason: "no uringbench_compare block") }
            summary = s
            document = try decoder.decode(FioJSON.Document.self, from: data)
        } catch let e as CompareError {
            throw e
        } catch {
            throw .truncatedResults(path: path, reason: describe(error))
        }
        // The thirds are derived: recomputed from what they derive from, never read back.
        let runs = document.jobs.compactMap(\.uringbench).map { r in
            var r = r
            r.iopsThirds = IOPSThirds(r)
            return r
        }
        guard runs.count == document.jobs.count else {
            throw .truncatedResults(path: path, reason: "\(document.jobs.count - runs.count) of \(document.jobs.count) jobs lack their 'uringbench' results")
        }
        guard runs.count == summary.rounds.count, !runs.isEmpty else {
            throw .truncatedResults(path: path, reason: "\(runs.count) runs but the summary lists \(summary.rounds.count)")
        }
        if let problem = ResultsFileCheck.problem(runs: runs, rounds: summary.rounds, plan: summary.plan) {
            throw .truncatedResults(path: path, reason: problem)
        }
        return ComparisonResults(runs: runs, runRounds: summary.rounds, plan: summary.plan, command: summary.command,
                                 machine: summary.machine, interrupted: summary.interrupted)
    }

    /// Files outlive the code that wrote them: a `JobSpec` field added later (with a default)
    /// is missing from older files and would make them unreadable. Fill every missing job key
    /// with `JobSpec()`'s value; nil when nothing was missing (the original bytes are decoded).
    static func fillingJobDefaults(_ top: [String: Any]) -> Data? {
        guard let defaultsData = try? JSONEncoder().encode(JobSpec()),
              let defaults = try? JSONSerialization.jsonObject(with: defaultsData) as? [String: Any] else { return nil }
        var changed = false
        func fill(_ value: Any?) -> Any? {
            guard var job = value as? [String: Any] else { return value }
            for (key, v) in defaults where job[key] == nil {
                job[key] = v
                changed = true
            }
            return job
        }
        var top = top
        if var jobs = top["jobs"] as? [[String: Any]] {
            for i in jobs.indices {
                if var r = jobs[i]["uringbench"] as? [String: Any] {
                    r["job"] = fill(r["job"])
                    jobs[i]["uringbench"] = r
                }
            }
            top["jobs"] = jobs
        }
        if var block = top["uringbench_compare"] as? [String: Any], var plan = block["plan"] as? [String: Any] {
            plan["base"] = fill(plan["base"])
            if let list = plan["jobs"] as? [Any] { plan["jobs"] = list.map { fill($0) ?? $0 } }
            block["plan"] = plan
            top["uringbench_compare"] = block
        }
        guard changed else { return nil }
        return try? JSONSerialization.data(withJSONObject: top)
    }

    static func describe(_ error: Error) -> String { ResultsFieldBounds.describe(error) }
}

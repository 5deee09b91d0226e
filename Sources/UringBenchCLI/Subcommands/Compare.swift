import ArgumentParser
import Foundation
import UringBench
import UringCore

extension UringBenchCommand {
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "compare",
            abstract: "Run engines interleaved round by round on one file and compare them in one table.",
            discussion: """
            Example: uringbench compare --engines psync,libaio,io_uring,io_uring_sqpoll --iodepth 32 --runtime 10s --rounds 3
            Runs are the cross product of --engines, --iodepth and --bs, in order A B C D, A B C D, ... \
            so drift on a shared machine hits every engine alike. The table quotes medians over rounds \
            with min–max. psync is synchronous and runs once per block size, at depth 1. \
            --direct 0,1 adds O_DIRECT and buffered as a dimension (mmap runs buffered only).
            Verdicts: every case against the baseline engine on CPU per IO, IOPS and clat p99, with a \
            95% CI (t-interval on the logs of the per-round paired ratios).
            Gate: --against results/baseline.json calls a case and metric regressed when its median \
            moved past the threshold (default --max-iops-drop 10% --max-p99-rise 20%) and the move is \
            significant (two-sided Mann–Whitney U over the rounds, p < 0.05), noise when past the \
            threshold but not significant. Needs 4 rounds against a 4-round baseline (3 vs 3 can never \
            reach p < 0.05). Exit 0 passed, 2 regressed, 3 too few rounds to decide or interrupted, 4 improved only \
            with --fail-on-improvement, 1 on errors. --output may not be the baseline unless \
            --update-baseline, which rewrites it only when the gate passed.
            """)

        @Option(help: ArgumentHelp("Comma-separated engines: \(EngineRegistry.names) (default: all).", valueName: "list"))
        var engines: String?

        @Option(help: ArgumentHelp("fio rw modes to compare, each a separate case: randread, randwrite, read, write, randrw, rw (default: randread). Writes go only to a file uringbench laid out.", valueName: "list"))
        var rw: String?

        @Option(help: ArgumentHelp("randrw, rw: percent of IOs that are reads.", valueName: "pct"))
        var rwmixread: Int = 50

        @Option(help: ArgumentHelp("IO depth, or a list (1,8,32,128) (default: 32).", valueName: "list"))
        var iodepth: String?

        @Option(help: ArgumentHelp("Block size, or a list (4k,64k) (default: 4k).", valueName: "list"))
        var bs: String?

        @Option(help: ArgumentHelp("Jobs at once per case, or a list (1,4,16): each a thread with its own engine at --iodepth (fio's numjobs, thread mode); a case's jobs are reported merged (default: 1).", valueName: "list"))
        var numjobs: String?

        @Option(help: ArgumentHelp("Equal concurrency: IOs in flight per case, or a sweep (1,4,16,64). Synchronous engines (psync) run as that many jobs at depth 1, asynchronous ones as --numjobs jobs (default 1) sharing that depth; the table says how each ran and leads with IOPS, CPU µs per IO and IOPS per busy core. Replaces --iodepth.", valueName: "list"))
        var concurrency: String?

        @Option(name: .customLong("job-file"), help: ArgumentHelp("Compare the jobs of a fio job file (one case per job, all on one file) instead of --engines × --iodepth × --bs.", valueName: "path"))
        var jobFile: String?

        @Option(name: .customLong("neighbour"), help: ArgumentHelp("Run the jobs of this fio job file beside every case (one group, no stonewall; over each case's ramp and runtime, behind its start): each case is measured under that interference, and each neighbour's IOPS per case is listed. A neighbour may not write the cases' data file.", valueName: "path"))
        var neighbour: String?

        @Option(help: "Rounds; each round runs every case once. Medians are over rounds.")
        var rounds: Int = 3

        @Option(name: .customLong("baseline-engine"), help: ArgumentHelp("Engine the ratio column divides by (default psync, or the first engine listed without psync).", valueName: "engine"))
        var baselineEngine: String?

        @Option(help: ArgumentHelp("Measured time per run (10s, 500ms) (default: 10s; overrides a job file's runtime).", valueName: "time"))
        var runtime: DurationArgument?

        @Option(name: .customLong("ramp-time"), help: ArgumentHelp("Time run before measuring starts, per run.", valueName: "time"))
        var rampTime = DurationArgument(nanoseconds: 0)

        @Option(name: .customLong("until-confident"), help: ArgumentHelp("Add rounds (after --rounds) until every verdict's 95% CI half-width is at most this (2%), or --max-rounds/--max-time stops it.", valueName: "pct"))
        var untilConfident: String?

        @Option(name: .customLong("max-rounds"), help: ArgumentHelp("With --until-confident: stop after this many rounds (default 20).", valueName: "n"))
        var maxRounds: Int?

        @Option(name: .customLong("max-time"), help: ArgumentHelp("With --until-confident: start no round that would end after this much measuring (10m, 90s).", valueName: "time"))
        var maxTime: DurationArgument?

        @Option(help: ArgumentHelp("Latency against load: measure each engine's peak IOPS, then run it capped with rate_iops at these percentages of that peak (10,25,50,75,90,100); achieved IOPS and clat p50/p99/p99.9 per step.", valueName: "list"))
        var load: String?

        @Option(name: .customLong("latency-target"), help: ArgumentHelp("Find per engine the highest IOPS whose clat percentile stays within a target (p99=1ms), by bisection on rate_iops (fio's latency_target searches the queue depth instead).", valueName: "pNN=time"))
        var latencyTarget: String?

        @OptionGroup var file: FileOptions

        /// Batch options are clamped to each depth of a sweep.
        @OptionGroup var tuning: EngineTuningOptions

        @Option(help: ArgumentHelp("Write every run (fio's JSON schema) and the summary to this file.", valueName: "path"))
        var output: String?

        @Option(name: .customLong("fio-plot-dir"), help: ArgumentHelp("Also write one fio JSON per case, the round with the median IOPS, in bench-fio's layout for fio-plot: DIR/<engine>/<bs>/<rw>-<iodepth>-1.json (DIR must exist).", valueName: "dir"))
        var fioPlotDir: String?

        @Flag(help: "Print the table as GitHub-flavoured Markdown (for a CI job summary).")
        var markdown = false

        @Option(help: ArgumentHelp("Do not run: read the runs from a results file written by --output.", valueName: "path"))
        var from: String?

        @Option(help: ArgumentHelp("Gate: compare with this baseline results file; exit 2 on a significant regression.", valueName: "path"))
        var against: String?

        @Option(name: .customLong("max-iops-drop"), help: ArgumentHelp("Gate: allowed IOPS drop (default 10% when no threshold is given).", valueName: "pct"))
        var maxIOPSDrop: String?
        @Option(name: .customLong("max-bw-drop"), help: ArgumentHelp("Gate: allowed bandwidth drop.", valueName: "pct"))
        var maxBWDrop: String?
        @Option(name: .customLong("max-p50-rise"), help: ArgumentHelp("Gate: allowed clat p50 rise.", valueName: "pct"))
        var maxP50Rise: String?
        @Option(name: .customLong("max-p99-rise"), help: ArgumentHelp("Gate: allowed clat p99 rise (default 20% when no threshold is given).", valueName: "pct"))
        var maxP99Rise: String?
        @Option(name: .customLong("max-p9999-rise"), help: ArgumentHelp("Gate: allowed clat p99.99 rise.", valueName: "pct"))
        var maxP9999Rise: String?
        @Option(name: .customLong("max-cpu-rise"), help: ArgumentHelp("Gate: allowed rise of CPU µs per IO.", valueName: "pct"))
        var maxCPURise: String?

        @Flag(help: "Gate: compare with a baseline from another machine or with other job options.")
        var force = false

        @Flag(name: .customLong("fail-on-improvement"), help: "Gate: exit 4 when something improved beyond a threshold and nothing regressed (refresh the baseline).")
        var failOnImprovement = false

        @Flag(name: .customLong("update-baseline"), help: "Gate: allow --output to be the --against file, and write it only when the gate passed.")
        var updateBaseline = false

        var givenThresholds: [(GateMetric, String?)] {
            [(.iops, maxIOPSDrop), (.bandwidth, maxBWDrop), (.clatP50, maxP50Rise),
             (.clatP99, maxP99Rise), (.clatP9999, maxP9999Rise), (.cpuPerIO, maxCPURise)]
        }

        func thresholds() throws -> GateThresholds {
            var limits: [GateMetric: Double] = [:]
            for (metric, text) in givenThresholds {
                guard let text else { continue }
                guard let v = GateThresholds.parsePercent(text) else {
                    throw CompareCLI.fail("\(metric.flag) '\(text)' is not a percentage; write e.g. \(metric.flag) 10%")
                }
                limits[metric] = v
            }
            return limits.isEmpty ? .defaults : GateThresholds(limits)
        }

        /// The --neighbour file's jobs: one group, no log files (they would not be written).
        func neighbourJobs() throws -> [JobSpec] {
            guard let neighbour else { return [] }
            let file: JobFile
            do { file = try JobFile.load(path: neighbour) } catch { throw CompareCLI.fail(error) }
            if let later = file.jobs.first(where: { $0.group != 0 }) {
                throw CompareCLI.fail("--neighbour \(neighbour): job '\(later.spec.name)' starts a second group (stonewall); a neighbour runs as one group beside each case: remove the stonewall")
            }
            if let logged = file.jobs.first(where: { !$0.logs.isEmpty }) {
                throw CompareCLI.fail("--neighbour \(neighbour): job '\(logged.spec.name)' asks for fio log files, which a neighbour does not write; remove its write_*_log lines")
            }
            return file.jobs.map(\.spec)
        }

        func plan() throws -> ComparisonPlan {
            if let jobFile { return try planFromJobFile(jobFile) }
            let engineList = try CompareCLI.engines(engines ?? EngineKind.allCases.map(\.rawValue).joined(separator: ","), option: "--engines")
            let modes = try CompareCLI.list(rw ?? "randread", option: "--rw", example: "randread,randwrite") { RWMode(fioName: $0) }
            let depths = try CompareCLI.list(iodepth ?? "32", option: "--iodepth", example: "1,8,32") { Int($0).flatMap { $0 >= 1 ? $0 : nil } }
            let sizes = try CompareCLI.list(bs ?? "4k", option: "--bs", example: "4k,64k") { Units.parseSize($0).flatMap { $0 > 0 && $0 <= 64 << 20 ? Int($0) : nil } }
            let jobCounts = try CompareCLI.list(numjobs ?? "1", option: "--numjobs", example: "1,4,16") { Int($0).flatMap { (1...JobSpec.maxNumjobs).contains($0) ? $0 : nil } }
            let baseline: [EngineKind]
            if let baselineEngine {
                baseline = try CompareCLI.engines(baselineEngine, option: "--baseline-engine")
                guard baseline.count == 1 else { throw CompareCLI.fail("--baseline-engine takes one engine; pass e.g. --baseline-engine psync") }
                guard engineList.contains(baseline[0]) else {
                    throw CompareCLI.fail("--baseline-engine \(baseline[0].rawValue) is not in --engines, so there is nothing to divide by; add it to --engines or pick one of \(engineList.map(\.rawValue).joined(separator: ", "))")
                }
            } else {
                baseline = [engineList.contains(.psync) ? .psync : engineList[0]]
            }
            var base = JobSpec()
            base.name = "compare"
            file.apply(to: &base)
            tuning.apply(to: &base)
            base.runtimeNanoseconds = runtime?.nanoseconds ?? 10_000_000_000
            base.rampNanoseconds = rampTime.nanoseconds
            base.rwMixRead = rwmixread
            var plan = ComparisonPlan(base: base, engines: engineList, modes: modes, iodepths: depths, blockSizes: sizes, rounds: rounds, baselineEngine: baseline[0])
            plan.numjobs = jobCounts
            if file.direct.isList { plan.directs = file.direct.values }
            if let concurrency {
                if iodepth != nil {
                    throw CompareCLI.fail("--concurrency sets every engine's depth (synchronous engines run at depth 1 in as many jobs); drop --iodepth or drop --concurrency")
                }
                let levels = try CompareCLI.list(concurrency, option: "--concurrency", example: "1,4,16,64") { Int($0).flatMap { (1...JobSpec.maxNumjobs).contains($0) ? $0 : nil } }
                plan.concurrency = levels
                plan.iodepths = levels.map { max(1, $0 / (jobCounts.first ?? 1)) }
            }
            do { try plan.validate() } catch { throw CompareCLI.fail(error) }
            return plan
        }

        /// One case per job of the file, as written; only --rounds, --runtime and
        /// --baseline-engine apply on top (the file says everything else).
        func planFromJobFile(_ path: String) throws -> ComparisonPlan {
            if engines != nil || iodepth != nil || bs != nil || rw != nil || numjobs != nil || concurrency != nil || file.direct.isList {
                throw CompareCLI.fail("--job-file sets the engines, modes, direct, depths, block sizes and numjobs; drop --engines/--rw/--direct/--iodepth/--bs/--numjobs/--concurrency or drop --job-file")
            }
            let file: JobFile
            do { file = try JobFile.load(path: path) } catch { throw CompareCLI.fail(error) }
            if let job = file.jobs.first(where: { !$0.logs.isEmpty }) {
                // A case runs once per round: which round's samples would the one file hold?
                throw CompareCLI.fail("\(path) line \(job.line): job '\(job.spec.name)' sets \(job.logs.optionNames.joined(separator: ", ")), which compare does not write (it runs each case over several rounds); run the file with uringbench run, or remove them")
            }
            // compare runs each job as a case of its own, one after another: jobs fio would run
            // together (no stonewall between them), or later than the others, are another job.
            for (job, next) in zip(file.jobs, file.jobs.dropFirst()) where job.group == next.group {
                throw CompareCLI.fail("\(path) line \(next.line): job '\(next.spec.name)' has no stonewall, so fio runs it at the same time as '\(job.spec.name)'; compare runs each job as a case of its own: add stonewall (in [global] for every job), or run the file with uringbench run")
            }
            if let job = file.jobs.first(where: { $0.spec.gtodReduce }) {
                throw CompareCLI.fail("\(path) line \(job.line): job '\(job.spec.name)' sets gtod_reduce=1, which measures no latency, and compare's verdicts, gate and table need its p50 and p99; remove gtod_reduce=1 or run the file with uringbench run")
            }
            if let job = file.jobs.first(where: { $0.startDelayNanoseconds > 0 }) {
                throw CompareCLI.fail("\(path) line \(job.line): job '\(job.spec.name)' sets startdelay, which compare does not apply (it runs each case from its own start); remove it or run the file with uringbench run")
            }
            var jobs = file.jobs.map(\.spec)
            if let runtime { for i in jobs.indices { jobs[i].runtimeNanoseconds = runtime.nanoseconds } }
            var baseline: EngineKind? = nil
            if let baselineEngine {
                baseline = try CompareCLI.engines(baselineEngine, option: "--baseline-engine").first
                if let b = baseline, !jobs.contains(where: { $0.engine == b }) {
                    throw CompareCLI.fail("--baseline-engine \(b.rawValue) has no job in \(path); pick an engine the file runs")
                }
            }
            do {
                let plan = try ComparisonPlan.fromJobs(jobs, rounds: rounds, baselineEngine: baseline)
                try plan.validate()
                return plan
            } catch { throw CompareCLI.fail(error) }
        }

        mutating func run() throws {
            let limits = try thresholds()
            if against == nil, let (metric, _) = givenThresholds.first(where: { $0.1 != nil }) {
                throw CompareCLI.fail("\(metric.flag) is a gate threshold and applies only with --against BASELINE.json; add --against or drop \(metric.flag)")
            }
            let gate = against == nil ? nil : limits
            try refuseFlagsThatDoNotApply()
            let neighbours = try neighbourJobs()
            let beside = NeighbourFigures()
            var baseline: ComparisonResults? = nil
            if let against {
                do { baseline = try ComparisonResults.load(path: against) } catch { throw CompareCLI.fail(error) }
            }
            let confidence = try confidenceTarget()
            var stop: ConfidenceTarget.Stop? = nil
            let current: ComparisonResults
            let results: OutputFile?
            var fioPlot: FioPlotDirectory? = nil
            if let from {
                if confidence != nil { throw CompareCLI.fail("--until-confident adds rounds to a measurement, and --from measures nothing; drop one of them") }
                if load != nil || latencyTarget != nil { throw CompareCLI.fail("--load and --latency-target measure a curve, and --from measures nothing; drop one of them (plot a load file with uringbench plot)") }
                results = try openOutput(reading: [(from, "the results file read by --from")])
                do { current = try ComparisonResults.load(path: from) } catch { throw CompareCLI.fail(error) }
                fioPlot = try openFioPlotDir(cases: current.cases.map(\.key), job: { key in current.runs(of: key).first?.job ?? JobSpec() },
                                             reading: [(from, "the results file read by --from")])
                if let baseline, let against { try checkGateRounds(here: current.cases.map(\.rounds).min() ?? 0, baseline: baseline, path: against) }
            } else {
                let plan = try plan()
                do { try ComparisonRunner.checkNeighbours(neighbours, caseFile: plan.job(for: plan.cases[0], round: 1).filename) } catch {
                    throw CompareCLI.fail(error)
                }
                let dataFiles = plan.cases.map { (path: plan.job(for: $0, round: 1).filename, role: "the data file") }
                let inputs = (jobFile.map { [(path: $0, role: "the job file")] } ?? []) + dataFiles
                    + (neighbour.map { [(path: $0, role: "the --neighbour job file")] } ?? []) + neighbours.map { (path: $0.filename, role: "the data file of --neighbour job '\($0.name)'") }
                if load != nil || latencyTarget != nil {
                    if plan.directList.count > 1 { throw CompareCLI.fail("--load and --latency-target measure one curve per engine at one --direct; pass --direct 0 or --direct 1") }
                    if fioPlotDir != nil { throw CompareCLI.fail("--fio-plot-dir writes one file per case of a comparison; --load and --latency-target measure a curve: drop one of them") }
                    return try runLoad(plan, inputs: inputs)
                }
                if confidence != nil, !plan.cases.contains(where: { $0.engine != plan.baselineEngine }) {
                    throw CompareCLI.fail("--until-confident needs a case to compare with the baseline engine \(plan.baselineEngine.rawValue); add an engine to --engines")
                }
                results = try openOutput(reading: inputs)
                fioPlot = try openFioPlotDir(cases: plan.cases, job: { plan.job(for: $0, round: 1) }, reading: inputs)
                // Refuse before measuring what the gate would refuse after: a case the baseline
                // lacks, another machine, another --direct.
                if let baseline, let against {
                    let have = baseline.cases.map(\.key)
                    // Another direct is the compatibility check's refusal (below), or forced across.
                    let acrossDirect = !Set(plan.directList).isSubset(of: baseline.plan.directList)
                    if !acrossDirect || force, let missing = plan.cases.first(where: { BaselineGate.counterpart(of: $0, among: have, acrossDirect: acrossDirect) == nil }) {
                        throw CompareCLI.fail(CompareError.baselineMissingCase(path: against, caseLabel: missing.description))
                    }
                    try checkGateRounds(here: plan.rounds, baseline: baseline, path: against)
                    do {
                        _ = try BaselineGate.compatibility(plan: plan, machine: Preflight.machine(for: plan.job(for: plan.cases[0], round: 1)),
                                                           baseline: baseline, baselinePath: against, force: force)
                    } catch { throw CompareCLI.fail(error) }
                }
                (current, stop) = try measure(plan, until: confidence, neighbours: neighbours, beside: beside)
            }
            Terminal.write(1, report(current, stop: stop, confidence: confidence, beside: beside))
            if let results, !updateBaseline {
                try write(current, to: results)
                Terminal.error("wrote \(current.runs.count) runs to \(results.path)")
            }
            if let fioPlot {
                let written: Int
                do { written = try fioPlot.write(current) } catch { throw CompareCLI.fail("\(error)") }
                Terminal.error("wrote \(written) fio JSON files (one per case) under \(fioPlot.directory)")
            }
            guard let baseline, let against, let gate else { return }
            try applyGate(current, baseline: baseline, path: against, thresholds: gate, results: results)
        }


        /// Flags that cannot act together, refused before anything is read or run.
        func refuseFlagsThatDoNotApply() throws {
            if updateBaseline && (against == nil || output == nil) {
                throw CompareCLI.fail("--update-baseline rewrites the --against file with this run when the gate passes; pass both, e.g. --against results/baseline.json --output results/baseline.json")
            }
            if from != nil && (engines != nil || rw != nil || iodepth != nil || bs != nil || numjobs != nil || concurrency != nil || jobFile != nil || runtime != nil || neighbour != nil || file.direct.isList) {
                throw CompareCLI.fail("--from reads finished runs, so --engines, --rw, --direct, --iodepth, --bs, --numjobs, --concurrency, --job-file, --runtime and --neighbour do not apply; drop them or drop --from")
            }
            if neighbour != nil && (load != nil || latencyTarget != nil) {
                throw CompareCLI.fail("--neighbour runs beside a comparison's cases, not beside a --load or --latency-target curve; drop one of them")
            }
        }

        /// The comparison's text: the table and its caption, the neighbour's figures, the
        /// over-time table, skipped pairs, notes, effects and the confidence summary.
        func report(_ current: ComparisonResults, stop: ConfidenceTarget.Stop?, confidence: ConfidenceTarget?, beside: NeighbourFigures) -> String {
            let table = ComparisonTable(results: current)
            let caption = ComparisonTable.caption(current)
            var text = markdown ? "**\(caption)**\n\n" + table.renderMarkdown() : caption + "\n" + table.renderText()
            text += beside.note()
            let overTime = TimeAndMemoryTable(cases: current.cases)
            if !overTime.isEmpty { text += "\n" + (markdown ? overTime.renderMarkdown() : overTime.renderText()) }
            let skipped = ComparisonTable.skippedNote(current.plan)
            if !skipped.isEmpty { text += (markdown ? "\n" : "") + skipped }
            if !current.isComplete {
                text += "note: interrupted (\(StopCause.phrase)): the figures cover only the runs finished before the stop; \(ComparisonTable.cutShortNote)\n"
            }
            if let target = current.runs.lazy.compactMap(\.overwritten).first {
                text += "OVERWRITTEN: these runs wrote over \(target) (--allow-overwrite); what was there is lost where they wrote\n"
            }
            let effects = CaseEffects.of(current)
            if !effects.isEmpty { text += "\n" + (markdown ? CaseEffects.renderMarkdown(effects) : CaseEffects.renderText(effects)) }
            if let confidence { text += (markdown ? "\n" : "") + confidence.summary(stop, results: current) + "\n" }
            return text
        }

        /// The gate against the baseline: its report, the baseline replaced when asked and the
        /// gate passed, and the exit code.
        func applyGate(_ current: ComparisonResults, baseline: ComparisonResults, path against: String, thresholds gate: GateThresholds,
                       results: OutputFile?) throws {
            let report: GateReport
            do {
                report = try BaselineGate.evaluate(current: current, baseline: baseline, baselinePath: against, thresholds: gate, force: force)
            } catch { throw CompareCLI.fail(error) }
            Terminal.write(1, (markdown ? "\n```\n" : "\n") + report.render() + (markdown ? "```\n" : ""))
            if let results, updateBaseline {
                // Only a complete run that passed the gate becomes the new baseline.
                if !report.regressions.isEmpty {
                    Terminal.error("gate failed: baseline \(against) left unchanged")
                } else if current.interrupted {
                    Terminal.error("interrupted: baseline \(against) left unchanged")
                } else if report.exitCode() != GateReport.exitPassed {
                    Terminal.error("gate undecided (too few rounds): baseline \(against) left unchanged")
                } else {
                    try write(current, to: results)
                    Terminal.error("baseline \(against) updated")
                }
            }
            let code = report.exitCode(failOnImprovement: failOnImprovement)
            if code != 0 { throw ExitCode(code) }
        }

        /// Refuses, before measuring, a gate whose rounds could never show a significant change.
        func checkGateRounds(here: Int, baseline: ComparisonResults, path: String) throws {
            let there = baseline.cases.map(\.rounds).min() ?? 0
            guard !GateSignificance.canDecide(rounds: here, baselineRounds: there) else { return }
            let smallest = String(format: "%.3f", MannWhitneyU.smallestPValue(max(here, 1), max(there, 1)))
            let fix: String
            if let need = GateSignificance.minimumRounds(against: there), need <= 10 {
                fix = from == nil ? "pass --rounds \(need) or more" : "re-run the comparison with --rounds \(need) or more"
            } else {
                fix = "re-measure the baseline with --rounds 5 or more"
            }
            throw CompareCLI.fail("--against: \(here) round\(here == 1 ? "" : "s") here and \(there) in '\(path)' can never show a significant change (the smallest two-sided Mann–Whitney p is \(smallest), not below \(String(format: "%g", GateSignificance.level))); \(fix)")
        }

        /// Opens --output before anything is measured (without truncating it) and refuses it when
        /// it is one of `inputs`, or the --against baseline without --update-baseline.
        func openOutput(reading inputs: [(path: String, role: String)]) throws -> OutputFile? {
            let results = try Terminal.openOutput(output)
            if let results, let against {
                let isBaseline = results.isSame(as: against)
                if isBaseline && !updateBaseline {
                    throw CompareCLI.fail("--output '\(results.path)' is the baseline '\(against)' (--against): a run that fails the gate would replace it; add --update-baseline to write it only when the gate passes, or pass another --output")
                }
                if !isBaseline && updateBaseline {
                    throw CompareCLI.fail("--update-baseline rewrites the baseline, but --output '\(results.path)' is not '\(against)'; pass --output '\(against)' or drop --update-baseline")
                }
            }
            try Terminal.refuse(results, ifSameAs: inputs)
            return results
        }

        /// Opens --fio-plot-dir's files before anything is measured, refused when one is an input.
        func openFioPlotDir(cases: [CaseKey], job: (CaseKey) -> JobSpec, reading inputs: [(path: String, role: String)]) throws -> FioPlotDirectory? {
            guard let fioPlotDir else { return nil }
            if Set(cases.map(\.direct)).count > 1 {
                // bench-fio's layout has no place for direct: a buffered case and an O_DIRECT one would share a file.
                throw CompareCLI.fail("--fio-plot-dir lays cases out by engine, bs, rw, depth and jobs, with no place for direct; write each --direct value's cases to a --fio-plot-dir of its own")
            }
            let directory: FioPlotDirectory
            do { directory = try FioPlotDirectory(directory: fioPlotDir, cases: cases, job: job) } catch { throw Terminal.failure(error) }
            for file in directory.outputs { try Terminal.refuse(file, ifSameAs: inputs) }
            return directory
        }

        func write(_ results: ComparisonResults, to output: OutputFile) throws {
            let text: String
            do { text = try results.render() } catch { throw CompareCLI.fail("cannot encode the results: \(error)") }
            try Terminal.emit(text, to: output)
        }

        /// --until-confident with its limits, or nil; the limits alone are refused by name.
        func confidenceTarget() throws -> ConfidenceTarget? {
            guard let untilConfident else {
                if maxRounds != nil || maxTime != nil { throw CompareCLI.fail("--max-rounds and --max-time limit --until-confident; add --until-confident 2% or drop them") }
                return nil
            }
            guard let target = GateThresholds.parsePercent(untilConfident), target > 0 else {
                throw CompareCLI.fail("--until-confident '\(untilConfident)' is not a positive percentage; write e.g. --until-confident 2%")
            }
            let limit = maxRounds ?? max(ConfidenceTarget.defaultMaxRounds, rounds)
            // The file this writes is read back by compare --from and plot, which hold a plan to this limit.
            guard limit <= ComparisonPlan.maxRounds else {
                throw CompareCLI.fail("--max-rounds \(limit) is above \(ComparisonPlan.maxRounds), the most rounds a results file holds; pass --max-rounds \(ComparisonPlan.maxRounds) or fewer")
            }
            guard limit >= max(rounds, 2) else {
                throw CompareCLI.fail("--max-rounds \(limit) is below --rounds \(rounds) (or 2, the fewest with a confidence interval); raise --max-rounds")
            }
            if let maxTime, maxTime.nanoseconds == 0 { throw CompareCLI.fail("--max-time must be longer than 0; write e.g. --max-time 10m") }
            return ConfidenceTarget(halfWidth: target, maxRounds: limit, maxNanoseconds: maxTime?.nanoseconds)
        }

        func measure(_ plan: ComparisonPlan, until confidence: ConfidenceTarget?, neighbours: [JobSpec],
                     beside: NeighbourFigures) throws -> (ComparisonResults, ConfidenceTarget.Stop?) {
            var plan = plan
            // A confidence interval needs two rounds: start from at least 2.
            if confidence != nil { plan.rounds = max(plan.rounds, 2) }
            let total = plan.cases.count * plan.rounds
            let roundNanoseconds = UInt64(plan.cases.count) * (plan.base.runtimeNanoseconds + plan.base.rampNanoseconds)
            let seconds = Double(total) * Double(plan.base.runtimeNanoseconds + plan.base.rampNanoseconds) / 1e9
            if let confidence {
                Terminal.error("compare: \(plan.cases.count) case\(plan.cases.count == 1 ? "" : "s") × \(plan.rounds) rounds, then more until every 95% CI is within \(ConfidenceTarget.format(confidence.halfWidth)) (at most \(confidence.maxRounds) rounds\(confidence.maxNanoseconds.map { ", \(String(format: "%g", Double($0) / 1e9))s" } ?? "")), interleaved on \(plan.base.filename)")
            } else {
                Terminal.error("compare: \(plan.cases.count) case\(plan.cases.count == 1 ? "" : "s") × \(plan.rounds) round\(plan.rounds == 1 ? "" : "s") = \(total) runs, \(plan.base.timeBased ? "about \(Int(seconds.rounded(.up)))s" : "size-bound"), interleaved on \(plan.base.filename)")
            }
            var results: ComparisonResults? = nil
            var stop: ConfidenceTarget.Stop? = nil
            let started = DispatchTime.now().uptimeNanoseconds
            let more: ((ComparisonResults) -> Bool)? = confidence.map { target in
                { partial in
                    stop = target.stop(after: partial, elapsed: DispatchTime.now().uptimeNanoseconds - started, roundNanoseconds: roundNanoseconds)
                    Terminal.error("after \(partial.plan.rounds) rounds: widest 95% CI \(ConfidenceTarget.describeWidest(partial)), target \(ConfidenceTarget.format(target.halfWidth))\(stop == nil ? ": another round" : "")")
                    return stop == nil
                }
            }
            try Terminal.run {
                results = try ComparisonRunner.run(plan, command: CompareCLI.commandLine, neighbours: neighbours, layoutProgress: Terminal.layoutProgress,
                                                   progress: Terminal.progressLine(for: plan.base), events: { event in
                    guard let r = event.result else { return }
                    if !event.neighbours.isEmpty { beside.record(event.key, event.neighbours) }
                    Terminal.finishProgress()
                    let index = String(repeating: " ", count: String(event.total).count - String(event.index).count) + "\(event.index)"
                    let figures = r.measuredNothing ? "interrupted during the ramp-up: nothing measured"
                        : "\(ComparisonTable.count(r.iops)) IOPS  p99 \(ComparisonTable.latency(Double(r.clat.valueAt(percentile: 99))))\(r.interrupted ? "  (cut short by \(StopCause.phrase))" : "")"
                    let neighbourText = event.neighbours.map { "  beside \($0.job.name) \(ComparisonTable.count($0.iops)) IOPS" }.joined()
                    let line = "[\(index)/\(event.total)] round \(event.round)/\(event.rounds)  \(event.key.description.padding(toLength: 26, withPad: " ", startingAt: 0))  \(figures)\(neighbourText)"
                    Terminal.error(line)
                }, moreRounds: more)
            }
            return (results!, stop)
        }
    }
}

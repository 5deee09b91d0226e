import ArgumentParser
import CSystemShims
import Foundation
import UringBench

extension UringBenchCommand {
    /// One job of one rw mode (`randread`, `randwrite`, `read`, `write`, `randrw`, `rw`): every
    /// mode takes the same options; the subcommand says fio's `rw`.
    struct WorkloadCommand<Mode: WorkloadMode>: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: Mode.rw.rawValue, abstract: Mode.abstract, discussion: """
                Example: uringbench \(Mode.rw.rawValue) \(Mode.example)
                The file (default uringbench.dat, 1 GiB) is laid out on first use with a pattern that \
                --verify checks byte for byte; \(Mode.rw.writes
                    ? "a write job writes only to a file uringbench laid out, and writes that pattern back."
                    : "an existing file is only ever read.")
                """)
        }

        @Option(help: "I/O engine: \(EngineRegistry.names).")
        var engine: EngineKind = .io_uring

        @OptionGroup var job: JobOptions

        @Option(name: .customLong("output-format"), help: "normal (fio's text), json (fio's JSON schema) or json+ (json plus fio's latency histogram bins).")
        var outputFormat: FioOutputFormat = .normal

        @Option(help: "Write the report to this file instead of standard output.")
        var output: String?

        func validate() throws {
            if job.rwmixread != nil && !Mode.rw.isMixed {
                throw ValidationError("--rwmixread sets the share of reads in randrw and rw; \(Mode.rw.rawValue) is not mixed, so drop it")
            }
        }

        mutating func run() throws {
            let spec = job.jobSpec(engine: engine, rw: Mode.rw)
            let report = try Terminal.openOutput(output)
            try Terminal.refuse(report, ifSameAs: [(spec.filename, "the data file")])
            let logs = try Terminal.openLogs(job.logs.options, for: spec, firstThreadNumber: 1,
                                             reading: [(spec.filename, "the data file")], report: report)
            try Terminal.run {
                let group = try Runner.runGroup(spec, logs: logs, layoutProgress: Terminal.layoutProgress, progress: Terminal.progressLine(for: spec))
                Terminal.finishProgress()
                let text: String
                switch outputFormat {
                case .normal: text = FioTextReport(groups: [group]).render()
                case .json, .jsonPlus: text = try FioJSONReport(groups: [group], plus: outputFormat == .jsonPlus).render()
                }
                try Terminal.emit(text, to: report)
                try Terminal.writeLogs(logs)
                try Terminal.failIfNothingMeasured([group.merged])
            }
        }
    }

    /// The job subcommands, in the order help lists them.
    static let workloadCommands: [ParsableCommand.Type] = [
        WorkloadCommand<RandReadMode>.self, WorkloadCommand<RandWriteMode>.self, WorkloadCommand<ReadMode>.self,
        WorkloadCommand<WriteMode>.self, WorkloadCommand<RandRWMode>.self, WorkloadCommand<ReadWriteMode>.self,
    ]
}

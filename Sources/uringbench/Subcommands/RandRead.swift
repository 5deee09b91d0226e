import ArgumentParser
import CSystemShims
import Foundation
import UringBench

extension UringBenchCommand {
    struct RandRead: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "randread",
            abstract: "Random reads on one file with one engine at a set depth, reported like fio.",
            discussion: """
            Example: uringbench randread --engine io_uring --iodepth 32
            The file (default uringbench.dat, 1 GiB) is laid out on first use with a pattern that \
            --verify checks byte for byte; an existing file is only ever read.
            """)

        @Option(help: "I/O engine: \(EngineRegistry.names).")
        var engine: EngineKind = .io_uring

        @OptionGroup var job: JobOptions

        @Option(name: .customLong("output-format"), help: "normal (fio's text) or json (fio's JSON schema).")
        var outputFormat: OutputFormat = .normal

        @Option(help: "Write the report to this file instead of standard output.")
        var output: String?

        mutating func run() throws {
            let spec = job.jobSpec(engine: engine)
            let report = try Terminal.openOutput(output)
            try Terminal.refuse(report, ifSameAs: [(spec.filename, "the data file")])
            try Terminal.run {
                let result = try Runner.run(spec, layoutProgress: Terminal.layoutProgress, progress: Terminal.progressLine(for: spec))
                Terminal.finishProgress()
                let text: String
                switch outputFormat {
                case .normal: text = FioTextReport(results: [result]).render()
                case .json: text = try FioJSONReport(results: [result]).render()
                }
                try Terminal.emit(text, to: report)
                try Terminal.failIfNothingMeasured([result])
            }
        }
    }
}

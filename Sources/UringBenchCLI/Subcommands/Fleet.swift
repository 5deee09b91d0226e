import ArgumentParser
import Foundation
import UringBench

extension UringBenchCommand {
    struct Fleet: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge the compare results of many hosts into one table and flag outlier hosts.",
            discussion: """
            Example: uringbench fleet results/fleet/*.json --markdown
            Each file is one host's `compare --output` (the host is the file name without .json; \
            deploy/ansible fetches them there). Every host must have run the same job: files from \
            different jobs are refused, naming the difference. Per case: a row per host with its \
            median IOPS, CPU µs per IO and clat p99, its ratio to the fleet median, and robust \
            z-scores, z = (x − fleet median) / (1.4826 × MAD), MAD the median absolute deviation; \
            |z| > 3.5 on IOPS or CPU µs/IO, with the host at least --min-difference off the fleet \
            median, flags it as an outlier (with few hosts the MAD can be tiny, and a 1% \
            difference would score past 3.5). --output writes the merge as JSON, which \
            `uringbench plot` draws.
            """)

        @Argument(help: ArgumentHelp("Results files, one per host (compare --output).", valueName: "results"))
        var files: [String] = []

        @Flag(help: "Print the table as GitHub-flavoured Markdown (for a CI job summary).")
        var markdown = false

        @Option(name: .customLong("min-difference"), help: ArgumentHelp("An outlier must also be this far off the fleet median.", valueName: "pct"))
        var minDifference = "5%"

        @Option(help: ArgumentHelp("Also write the merge as JSON to this file (uringbench plot reads it).", valueName: "path"))
        var output: String?

        mutating func run() throws {
            guard let floor = GateThresholds.parsePercent(minDifference) else {
                throw CompareCLI.fail("--min-difference '\(minDifference)' is not a percentage; write e.g. --min-difference 5%")
            }
            // The output is opened (and checked) before anything is read, and is never an input.
            let report = try Terminal.openOutput(output)
            try Terminal.refuse(report, ifSameAs: files.map { ($0, "a results file it merges") })
            let summary: FleetSummary
            do {
                var hosts: [FleetHost] = []
                for path in files { hosts.append(try FleetHost.load(path: path)) }
                summary = try FleetSummary.merge(hosts, minDifference: floor)
            } catch {
                throw CompareCLI.fail(error)
            }
            let table = FleetTable(summary: summary)
            Terminal.write(1, markdown ? table.renderMarkdown() : table.renderText())
            if let report {
                try Terminal.emit(try summary.render(), to: report)
                if let output { Terminal.error("wrote \(output)") }
            }
        }
    }
}

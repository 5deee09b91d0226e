import ArgumentParser
import Foundation
import UringBench
import UringNet

extension UringBenchCommand {
    struct Plot: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plot",
            abstract: "Draw a comparison results file: one self-contained HTML page with inline SVG charts.",
            discussion: """
            Example: uringbench plot results/baseline.json -o report.html
            A fleet file (uringbench fleet --output) gets per-host IOPS and CPU µs/IO charts instead; \
            an echo file (uringbench echo --output-format json --output FILE) gets server CPU per \
            request and p99 against connections and against offered load, one line per engine.
            Charts: IOPS per engine with min–max whiskers, clat percentile curves on a log-percentile \
            axis, and the clat histogram; the machine and job in a header. No script and nothing \
            fetched from the network. --format svg writes the charts alone.
            """)

        enum Format: String, ExpressibleByArgument, CaseIterable { case html, svg }

        @Argument(help: "Results file written by uringbench compare --output, a fleet file (fleet --output), or an echo file (echo --output-format json --output).")
        var results: String

        @Option(name: [.short, .customLong("output")], help: "Write here instead of standard output.")
        var output: String?

        @Option(help: "html (page with header and table) or svg (charts only).")
        var format: Format = .html

        mutating func run() throws {
            let report = try Terminal.openOutput(output)
            try Terminal.refuse(report, ifSameAs: [(results, "the results file it plots")])
            // A fleet file (uringbench fleet --output) gets the fleet charts.
            let fleet: FleetSummary?
            do { fleet = try FleetSummary.loadIfFleet(path: results) } catch { throw CompareCLI.fail(error) }
            if let fleet {
                let plot = FleetPlot(summary: fleet)
                try Terminal.emit(format == .html ? plot.renderHTML() : plot.renderSVG(), to: report)
                if let output { Terminal.error("wrote \(output)") }
                return
            }
            // An `echo --output-format json` file: CPU per request and p99 against connections and load.
            if let data = FileManager.default.contents(atPath: results), EchoResults.isEchoResults(data) {
                let echo: EchoResults
                do { echo = try EchoResults.decode(data, path: results) } catch { throw CompareCLI.fail(error) }
                let plot = EchoPlot(results: echo)
                try Terminal.emit(format == .html ? plot.renderHTML() : plot.renderSVG(), to: report)
                if let output { Terminal.error("wrote \(output)") }
                return
            }
            // A `compare --load` file draws the latency-against-load curves instead.
            if let data = FileManager.default.contents(atPath: results), LoadCurve.isLoadCurve(data) {
                let curve: LoadCurve
                do { curve = try LoadCurve.decode(data, path: results) } catch { throw CompareCLI.fail(error) }
                let plot = LoadCurvePlot(curve: curve)
                let svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + plot.chart() + "\n"
                try Terminal.emit(format == .html ? plot.renderHTML() : svg, to: report)
                if let output { Terminal.error("wrote \(output)") }
                return
            }
            let loaded: ComparisonResults
            do { loaded = try ComparisonResults.load(path: results) } catch { throw CompareCLI.fail(error) }
            let plot = ComparisonPlot(results: loaded)
            let text = format == .html ? plot.renderHTML() : plot.renderSVG()
            try Terminal.emit(text, to: report)
            if let output { Terminal.error("wrote \(output)") }
        }
    }
}

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import UringBench
import TestSupport
@testable import UringCore

/// The HTML/SVG report: self-contained, well-formed, one mark per case in each chart, and
/// (where Chromium is installed) a page a real browser loads with every chart in its DOM.
@Suite(.waits) struct PlotTests {
    static let cases: [(CaseKey, [UInt64], UInt64)] = [
        (CaseKey(engine: .psync, iodepth: 1, blockSize: 4096), [10_000, 11_000, 12_000], 90_000),
        (CaseKey(engine: .libaio, iodepth: 32, blockSize: 4096), [40_000, 41_000, 39_000], 700_000),
        (CaseKey(engine: .io_uring, iodepth: 32, blockSize: 4096), [42_000, 43_000, 44_000], 650_000),
        (CaseKey(engine: .io_uring_sqpoll, iodepth: 32, blockSize: 4096), [45_000, 44_000, 46_000], 600_000),
    ]
    let plot = ComparisonPlot(results: CompareFixtures.results(cases))

    func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func htmlIsSelfContainedWithThreeCharts() {
        let html = plot.renderHTML()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        for id in ["chart-iops", "chart-percentiles", "chart-histogram"] { #expect(count("id=\"\(id)\"", in: html) == 1) }
        #expect(count("class=\"bar\"", in: html) == 4)
        #expect(count("class=\"whisker\"", in: html) == 4)
        #expect(count("class=\"curve\"", in: html) == 4)
        #expect(count("class=\"histogram\"", in: html) == 4)
        // Nothing fetched, nothing executed.
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("src=") && !html.contains("href=") && !html.contains("@import") && !html.contains("url("))
        // The header names the machine and the job.
        #expect(html.contains("Test CPU, 2 cores, kernel 6.1.0, ext4 on vda"))
        #expect(html.contains("iodepth=1,32"))
        #expect(html.contains("3 interleaved rounds"))
    }

    @Test func barsAreScaledToMediansAndWhiskersToMinMax() throws {
        let svg = plot.iopsChart()
        // The title of each bar carries its figures, checked against the summary.
        #expect(svg.contains("io_uring_sqpoll QD32 4k: median 45.0k IOPS, min 44.0k, max 46.0k"))
        #expect(svg.contains("psync QD1 4k: median 11.0k IOPS, min 10.0k, max 12.0k"))
        #expect(svg.contains("4.09×"))   // 45k / 11k
    }

    @Test func svgFormatIsWellFormedXML() throws {
        let svg = plot.renderSVG()
        #expect(svg.hasPrefix("<?xml"))
        let parser = XMLParser(data: Data(svg.utf8))
        let ok = parser.parse()
        #expect(ok, "SVG is not well-formed: \(String(describing: parser.parserError))")
        #expect(count("<svg ", in: svg) == 5)   // the document, the effect chart and the three others
        #expect(count("class=\"ci-whisker\"", in: svg) == CaseEffects.of(plot.results).count)
    }

    @Test func percentileAxisIsFioPlots() {
        #expect(ComparisonPlot.percentileX(90) == 1)
        #expect(abs(ComparisonPlot.percentileX(99.9) - 3) < 1e-9)
        #expect(PlotAxis.nanosecondDecade(5) == "100µs")
        #expect(PlotAxis.nanosecondDecade(6) == "1ms")
        #expect(PlotAxis.niceTicks(46_000) == [0, 10_000, 20_000, 30_000, 40_000, 50_000])
    }

    static var chromium: String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            for name in ["chromium", "chromium-browser"] where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
                return "\(dir)/\(name)"
            }
        }
        return nil
    }

    /// What a person would see: Chromium loads the page and its DOM holds the three charts with
    /// one bar and one curve per case; the screenshot is a real PNG.
    @Test(.enabled(if: chromium != nil, "chromium is not installed (apt-get install -y chromium)"))
    func chromiumLoadsThePage() throws {
        let html = TestFiles.path("plot") + ".html"
        try plot.renderHTML().write(toFile: html, atomically: true, encoding: .utf8)
        let profile = TestFiles.path("chromium-profile")
        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile)"]
        let dom = try JobFileTests.shell(Self.chromium!, flags + ["--dump-dom", "file://\(html)"])
        #expect(dom.status == 0, "chromium: \(dom.err)")
        for id in ["chart-iops", "chart-percentiles", "chart-histogram"] { #expect(dom.out.contains("id=\"\(id)\"")) }
        #expect(count("class=\"bar\"", in: dom.out) == 4)
        #expect(count("class=\"curve\"", in: dom.out) == 4)
        let png = TestFiles.path("plot") + ".png"
        let shot = try JobFileTests.shell(Self.chromium!, flags + ["--window-size=1100,1600", "--screenshot=\(png)", "file://\(html)"])
        #expect(shot.status == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(bytes.count > 10_000)
    }
}

extension PlotTests {
    @Test func depthChartOnlyForASweep() throws {
        #expect(plot.depthChart() == nil)   // psync QD1 + others at QD32 is not a sweep
        var sweep: [(CaseKey, [UInt64], UInt64)] = [(CaseKey(engine: .psync, iodepth: 1, blockSize: 4096), [10_000], 90_000)]
        for d in [1, 8, 32] {
            sweep.append((CaseKey(engine: .libaio, iodepth: d, blockSize: 4096), [UInt64(10_000 * d)], 90_000))
            sweep.append((CaseKey(engine: .io_uring, iodepth: d, blockSize: 4096), [UInt64(11_000 * d)], 90_000))
        }
        let p = ComparisonPlot(results: CompareFixtures.results(sweep))
        let chart = try #require(p.depthChart())
        #expect(count("class=\"depth-point\"", in: chart) == 7)
        #expect(count("class=\"depth-line\"", in: chart) == 3)   // libaio, io_uring, and psync's level
        #expect(p.renderHTML().contains("id=\"chart-depth\""))
        let parser = XMLParser(data: Data(p.renderSVG().utf8))
        #expect(parser.parse())
    }
}

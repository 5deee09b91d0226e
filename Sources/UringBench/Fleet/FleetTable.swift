import Foundation
import UringCore

/// `uringbench fleet`'s table: per case, a row per host and a fleet-median row; ratios to the
/// fleet median, robust z-scores, and a flag on outliers. Plain text or GitHub Markdown.
public struct FleetTable {
    public var summary: FleetSummary

    public init(summary: FleetSummary) { self.summary = summary }

    public static let headers = ["case", "host", "IOPS", "× fleet", "CPU µs/IO", "× fleet", "clat p99", "z IOPS", "z CPU", "outlier"]

    func rows() -> [[String]] {
        var out: [[String]] = []
        for c in summary.cases {
            for r in c.rows {
                out.append([c.key.description, r.host, ComparisonTable.count(r.figures.iops), Self.ratio(r.iopsRatio),
                            String(format: "%.2f", r.figures.cpuPerIO), Self.ratio(r.cpuPerIORatio),
                            ComparisonTable.latency(r.figures.clatP99), Self.z(r.iopsZ), Self.z(r.cpuPerIOZ),
                            r.outlier ? "OUTLIER (\(r.reasons.joined(separator: ", ")))" : ""])
            }
            out.append([c.key.description, "fleet median", ComparisonTable.count(c.fleetMedian.iops), "1.00×",
                        String(format: "%.2f", c.fleetMedian.cpuPerIO), "1.00×", ComparisonTable.latency(c.fleetMedian.clatP99),
                        "", "", ""])
        }
        return out
    }

    static func ratio(_ r: Double?) -> String { r.map { String(format: "%.2f×", $0) } ?? "–" }
    /// "–" where the score is undefined (MAD 0).
    static func z(_ z: Double?) -> String { z.map { String(format: "%+.1f", $0) } ?? "–" }

    var header: String {
        "fleet of \(summary.hosts.count) hosts (\(summary.hosts.map(\.name).joined(separator: ", "))): \(summary.job)"
    }

    var footer: [String] {
        var lines = [summary.outlierRule + "; ratios are host median / fleet median"]
        let flagged = summary.outliers
        lines.append(flagged.isEmpty ? "no outliers"
                     : "outliers: " + flagged.map { "\($0.host) on \($0.key) (\($0.reasons.joined(separator: ", ")))" }.joined(separator: "; "))
        if summary.hosts.count < 5 {
            lines.append("note: with \(summary.hosts.count) hosts the MAD rests on \(summary.hosts.count / 2) deviation\(summary.hosts.count / 2 == 1 ? "" : "s") from the median, so a flag is a hint, not a verdict")
        }
        let versions = Set(summary.hosts.map(\.uringbenchVersion))
        if versions.count > 1 {
            lines.append("note: the hosts ran different uringbench builds: " + summary.hosts.map { "\($0.name) \($0.uringbenchVersion)" }.joined(separator: ", "))
        }
        for h in summary.hosts where h.interrupted { lines.append("note: \(h.name)'s run was interrupted (\(StopCause.phrase)); it lacks later cases") }
        lines.append("merged by uringbench \(summary.uringbench)")
        return lines
    }

    public func renderText() -> String {
        let rows = rows()
        let columns = TextColumns([Self.headers] + rows, leftAligned: [0, 1, 9])
        // The last column is left-aligned text: no padding after it.
        func line(_ cells: [String]) -> String {
            columns.line(cells).replacingOccurrences(of: " +$", with: "", options: .regularExpression)
        }
        var out = header + "\n\n" + line(Self.headers) + "\n"
        var previous: String?
        for r in rows {
            if let p = previous, p != r[0] { out += "\n" }
            previous = r[0]
            out += line(r) + "\n"
        }
        return out + "\n" + footer.joined(separator: "\n") + "\n"
    }

    public func renderMarkdown() -> String {
        var out = header + "\n\n| " + Self.headers.joined(separator: " | ") + " |\n"
        out += "|" + Self.headers.indices.map { [0, 1, 9].contains($0) ? ":---|" : "---:|" }.joined() + "\n"
        for r in rows() {
            var cells = r
            if cells[1] == "fleet median" { cells[1] = "**fleet median**" }
            if !cells[9].isEmpty { cells[9] = "**\(cells[9])**" }
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        return out + "\n" + footer.map { $0 + "  " }.joined(separator: "\n") + "\n"
    }
}

/// compare's second table: per case, how throughput held over the run (IOPS in its first and
/// last third, last ÷ first) beside the memory figures that explain it (major faults per IO,
/// page-cache hit ratio), each the median over rounds. A model that slows once the page cache
/// fills shows a last/first below 1 with faults per IO rising and the hit ratio falling.
public struct TimeAndMemoryTable {
    public let cases: [CaseSummary]
    typealias Column = (header: String, cell: (CaseSummary) -> String?)
    /// The columns some case has a figure for: runs shorter than three seconds have no thirds,
    /// and a column of dashes says nothing.
    let columns: [Column]

    public init(cases: [CaseSummary]) {
        self.cases = cases
        columns = Self.allColumns.filter { column in cases.contains { column.cell($0) != nil } }
    }

    /// Only when some case has a figure to show (results written before they existed have none).
    public var isEmpty: Bool { columns.isEmpty }

    static let title = "over time and memory (median over rounds; thirds of each run, faults of the whole process, hit ratio = 1 − disk reads ÷ reads asked):"

    static var allColumns: [Column] {
        [("IOPS first ⅓", { $0.iopsFirstThird.map { ComparisonTable.count($0.median) } }),
         ("last ⅓", { $0.iopsLastThird.map { ComparisonTable.count($0.median) } }),
         ("last/first", { $0.iopsLastToFirst.map { String(format: "%.2f", $0.median) } }),
         ("major faults/IO", { $0.majorFaultsPerIO.map { String(format: "%.3f", $0.median) } }),
         ("page-cache hit", { $0.pageCacheHitRatio.map { String(format: "%.1f%%", $0.median * 100) } })]
    }

    public var headers: [String] { ["case"] + columns.map(\.header) }

    public func cells(_ c: CaseSummary) -> [String] {
        [c.key.description] + columns.map { $0.cell(c) ?? "–" }
    }

    public func renderText() -> String {
        let rows = [headers] + cases.map(cells)
        let columns = TextColumns(rows)
        return Self.title + "\n" + rows.map(columns.line).joined(separator: "\n") + "\n"
    }

    public func renderMarkdown() -> String {
        var out = Self.title + "\n\n| " + headers.joined(separator: " | ") + " |\n"
        out += "|:---|" + String(repeating: "---:|", count: headers.count - 1) + "\n"
        for c in cases { out += "| " + cells(c).joined(separator: " | ") + " |\n" }
        return out
    }
}

/// Plain-text columns, as the comparison, load-curve, over-time and fleet tables print them:
/// each column as wide as its widest cell, two spaces between, the `leftAligned` columns (names)
/// padded on the right and the others (numbers) on the left.
struct TextColumns {
    let widths: [Int]
    let leftAligned: Set<Int>

    /// `rows`: every row the table prints, its header included.
    init(_ rows: [[String]], leftAligned: Set<Int> = [0]) {
        var widths: [Int] = []
        for row in rows {
            for (i, cell) in row.enumerated() {
                if i < widths.count { widths[i] = max(widths[i], cell.count) } else { widths.append(cell.count) }
            }
        }
        self.widths = widths
        self.leftAligned = leftAligned
    }

    func line(_ cells: [String]) -> String {
        cells.enumerated().map { i, cell in
            let pad = String(repeating: " ", count: widths[i] - cell.count)
            return leftAligned.contains(i) ? cell + pad : pad + cell
        }.joined(separator: "  ")
    }
}

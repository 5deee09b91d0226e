import Foundation

/// What every chart page shares (the disk comparison, the load curve, the fleet, the echo
/// servers): the palette, charts stacked in one SVG, the page head and its style sheet, tables.
package enum PlotPage {
    /// One colour per engine, by its place in the registry.
    package static let palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f"]

    /// Charts one above the other in one SVG document, each keeping its own size.
    package static func stackedSVG(_ charts: [String], title: String) -> String {
        var y = 0.0, width = 0.0
        var body = ""
        for chart in charts {
            let (w, h) = size(of: chart)
            body += chart.replacingOccurrences(of: "<svg xmlns=\"http://www.w3.org/2000/svg\" ", with: "<svg x=\"0\" y=\"\(SVGCanvas.n(y))\" ", options: [], range: chart.range(of: "<svg xmlns=\"http://www.w3.org/2000/svg\" ")) + "\n"
            y += h + 10
            width = max(width, w)
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(SVGCanvas.n(width))\" height=\"\(SVGCanvas.n(y))\" viewBox=\"0 0 \(SVGCanvas.n(width)) \(SVGCanvas.n(y))\">\n<title>\(SVGCanvas.escape(title))</title>\n" + body + "</svg>\n"
    }

    /// The start of every page up to `<body>`: doctype, title, the one style sheet (plus `style`).
    package static func pageHead(title: String, style: String = "") -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>\(SVGCanvas.escape(title))</title>
        \(pageStyle)\(style)
        </head>
        <body>
        """
    }

    package static func size(of svg: String) -> (Double, Double) {
        func attr(_ name: String) -> Double {
            guard let r = svg.range(of: " \(name)=\"") else { return 0 }
            let rest = svg[r.upperBound...]
            return Double(rest.prefix { $0 != "\"" }) ?? 0
        }
        return (attr("width"), attr("height"))
    }

    /// The pages' one style sheet (this page and the load-curve page).
    package static let pageStyle = """
        <style>
        body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 24px; color: #222; background: #fff; }
        h1 { font-size: 20px; margin: 0 0 8px; }
        dl { display: grid; grid-template-columns: max-content auto; gap: 2px 12px; font-size: 13px; margin: 0 0 16px; }
        dt { color: #666; } dd { margin: 0; }
        p { font-size: 13px; } code { font-size: 12px; }
        section { margin: 18px 0; }
        table { border-collapse: collapse; font-size: 12px; }
        th, td { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: right; }
        th:first-child, td:first-child { text-align: left; }
        </style>
        """

    /// Table rows, header first, every cell escaped.
    package static func tableRows(headers: [String], rows: [[String]]) -> String {
        let e = SVGCanvas.escape
        return "<tr>" + headers.map { "<th>\(e($0))</th>" }.joined() + "</tr>\n"
            + rows.map { "<tr>" + $0.map { "<td>\(e($0))</td>" }.joined() + "</tr>\n" }.joined()
    }
}

import Foundation

/// A tiny SVG writer: elements appended as text, numbers rounded to 0.1 px, text escaped.
/// Enough for bar and line charts without a dependency or any script.
package struct SVGCanvas {
    package let width: Double
    package let height: Double
    private(set) var body = ""

    package init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    package static func n(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() && abs(r) < 1e15 ? String(Int(r)) : String(format: "%.1f", r)
    }

    package static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    package mutating func raw(_ s: String) { body += s + "\n" }

    package mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width w: Double = 1, dash: String? = nil, cls: String? = nil) {
        raw("<line x1=\"\(Self.n(x1))\" y1=\"\(Self.n(y1))\" x2=\"\(Self.n(x2))\" y2=\"\(Self.n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.n(w))\"\(dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")\(cls.map { " class=\"\($0)\"" } ?? "")/>")
    }

    package mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, cls: String? = nil, title: String? = nil) {
        let t = title.map { "<title>\(Self.escape($0))</title>" } ?? ""
        raw("<rect x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(max(0, w)))\" height=\"\(Self.n(max(0, h)))\" fill=\"\(fill)\"\(cls.map { " class=\"\($0)\"" } ?? "")>\(t)</rect>")
    }

    package enum Anchor: String { case start, middle, end }

    package mutating func text(_ x: Double, _ y: Double, _ s: String, anchor: Anchor = .start, size: Double = 12, fill: String = "#222", weight: String? = nil, rotate: Double? = nil) {
        let r = rotate.map { " transform=\"rotate(\(Self.n($0)) \(Self.n(x)) \(Self.n(y)))\"" } ?? ""
        raw("<text x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" text-anchor=\"\(anchor.rawValue)\" font-size=\"\(Self.n(size))\" fill=\"\(fill)\"\(weight.map { " font-weight=\"\($0)\"" } ?? "")\(r)>\(Self.escape(s))</text>")
    }

    package mutating func polyline(_ points: [(Double, Double)], stroke: String, width w: Double = 2, dash: String? = nil, cls: String? = nil, title: String? = nil) {
        guard points.count > 1 else { return }
        let p = points.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " ")
        let t = title.map { "<title>\(Self.escape($0))</title>" } ?? ""
        raw("<polyline points=\"\(p)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(Self.n(w))\" stroke-linejoin=\"round\"\(dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")\(cls.map { " class=\"\($0)\"" } ?? "")>\(t)</polyline>")
    }

    package mutating func circle(_ cx: Double, _ cy: Double, r: Double, fill: String, cls: String? = nil, title: String? = nil) {
        let t = title.map { "<title>\(Self.escape($0))</title>" } ?? ""
        raw("<circle cx=\"\(Self.n(cx))\" cy=\"\(Self.n(cy))\" r=\"\(Self.n(r))\" fill=\"\(fill)\"\(cls.map { " class=\"\($0)\"" } ?? "")>\(t)</circle>")
    }

    /// The finished element; `id` lets tests and readers find each chart.
    package func svg(id: String, title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"\(id)\" class=\"chart\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" role=\"img\" aria-label=\"\(Self.escape(title))\">\n"
            + "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n" + body + "</svg>"
    }
}

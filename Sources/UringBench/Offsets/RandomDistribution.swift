/// fio's `random_distribution`: how random offsets are spread over the file. Non-uniform
/// distributions concentrate IO on some blocks; fio then keeps no random map, and neither does
/// uringbench.
public enum RandomDistribution: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Uniform (fio's default).
    case random
    /// Zipf with exponent theta (fio's default 1.1); the hottest block is at `center` of the
    /// file (0...1), or at a random place when nil.
    case zipf(theta: Double, center: Double?)
    /// Pareto with parameter h in (0, 1) (fio's default 0.2): "h of the IO goes to 1 - h of the
    /// blocks", the power-law fio draws as rank = (blocks - 1) * u^(log h / log(1 - h)).
    case pareto(h: Double, center: Double?)
    /// fio's normal: the mean of 12 uniform draws (a bell of standard deviation blocks / 12),
    /// widened by a uniform spread of `deviation` percent of the blocks (0 ≤ deviation < 100).
    case normal(deviation: Double, center: Double?)
    /// fio's zoned and zoned_abs: access percentages over consecutive zones of the file.
    case zoned(ZoneSplit)

    var isUniform: Bool { self == .random }

    /// fio's spelling: `random`, `zipf:1.2`, `pareto:0.3:0.5`, `normal:5`, `zoned:60/10:40/90`.
    public var description: String {
        func spelled(_ name: String, _ value: Double, _ center: Double?) -> String {
            "\(name):\(value)" + (center.map { ":\($0)" } ?? "")
        }
        switch self {
        case .random: return "random"
        case .zipf(let theta, let center): return spelled("zipf", theta, center)
        case .pareto(let h, let center): return spelled("pareto", h, center)
        case .normal(let deviation, let center): return spelled("normal", deviation, center)
        case .zoned(let split): return (split.absolute ? "zoned_abs:" : "zoned:") + split.spelling
        }
    }

    /// Reads fio's spelling. The error is a sentence that names the cause and the fix.
    public init(fioSpelling text: String) throws(BenchError) {
        for (prefix, absolute) in [("zoned:", false), ("zoned_abs:", true)] where text.hasPrefix(prefix) {
            do { self = .zoned(try ZoneSplit(String(text.dropFirst(prefix.count)), absolute: absolute)) } catch {
                throw .invalidOption("random_distribution=\(text): \(error.reason)")
            }
            return
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let name = parts[0]
        func refuse(_ why: String) -> BenchError { .invalidOption("random_distribution=\(text): \(why)") }
        func number(_ i: Int) throws(BenchError) -> Double? {
            guard i < parts.count else { return nil }
            guard let v = Double(parts[i]), v.isFinite else { throw refuse("'\(parts[i])' is not a number") }
            return v
        }
        switch name {
        case "random", "zipf", "pareto", "normal": break
        case "gauss":
            throw refuse("fio names this distribution normal; write normal:σ, e.g. normal:5")
        case "zoned", "zoned_abs":
            throw refuse("\(name) needs its zones as access/size pairs, e.g. \(name == "zoned" ? "zoned:60/10:40/90" : "zoned_abs:60/1G:40/3G")")
        case "sequence":
            throw refuse("uringbench does not implement fio's sequence distribution; use random, zipf:θ, pareto:h, normal:σ or zoned, or run the job with fio")
        default:
            throw refuse("unknown distribution; fio's are random, zipf:θ, pareto:h, normal:σ, zoned:a/s:… and zoned_abs:a/size:… (and sequence, which uringbench does not implement)")
        }
        if parts.count > 3 { throw refuse("takes at most a value and a center, e.g. zipf:1.2:0.25") }
        let value = try number(1)
        let center = try number(2)
        if let c = center, !(0...1).contains(c) { throw refuse("the center must be from 0 to 1 (a fraction of the file)") }
        switch name {
        case "random":
            guard parts.count == 1 else { throw refuse("random takes no value; write random_distribution=random") }
            self = .random
        case "zipf":
            let theta = value ?? 1.1
            if theta == 1 { throw refuse("fio refuses a zipf theta of 1.0; use e.g. zipf:1.2 or zipf:0.9") }
            if theta < 0 { throw refuse("a zipf theta must not be negative; use e.g. zipf:1.2") }
            self = .zipf(theta: theta, center: center)
        case "pareto":
            let h = value ?? 0.2
            if !(h > 0 && h < 1) { throw refuse("the pareto value must be between 0 and 1, exclusive; use e.g. pareto:0.2") }
            self = .pareto(h: h, center: center)
        case "normal":
            let deviation = value ?? 0
            if !(deviation >= 0 && deviation < 100) { throw refuse("the normal deviation must be from 0 to below 100 (percent of the file); use e.g. normal:5") }
            self = .normal(deviation: deviation, center: center)
        default:
            preconditionFailure("names were checked above")
        }
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try RandomDistribution(fioSpelling: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

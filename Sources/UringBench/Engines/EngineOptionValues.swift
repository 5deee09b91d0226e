/// The engine options a job sets, by option name. Only the options the job's engine declares
/// may be set (`JobSpec.validate` refuses the rest by name); absent means the engine's default.
public struct EngineOptionValues: Codable, Sendable, Equatable {
    public private(set) var values: [String: Int] = [:]

    public init() {}

    public subscript(option: EngineOption) -> Int? {
        get { values[option.name] }
        set { values[option.name] = newValue }
    }

    /// Whether a flag option is set.
    func isSet(_ option: EngineOption) -> Bool { values[option.name] != nil }

    /// The options set, in a stable order.
    public var options: [(option: EngineOption, value: Int)] {
        EngineOption.all.compactMap { o in values[o.name].map { (o, $0) } }
    }

    /// Only the values `engine` declares: what a comparison keeps when it runs a shared option
    /// set on every engine.
    func restricted(to engine: EngineKind) -> EngineOptionValues {
        var copy = self
        let names = Set(engine.descriptor.options.map(\.name))
        copy.values = values.filter { names.contains($0.key) }
        return copy
    }

    public init(from decoder: Decoder) throws {
        values = try decoder.singleValueContainer().decode([String: Int].self)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(values)
    }
}

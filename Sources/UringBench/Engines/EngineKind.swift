/// The name of a disk IO model uringbench can drive. The set of engines is the registry
/// (`EngineRegistry.all`); a kind can only be made from a registered name, so every kind has
/// a descriptor. Each engine file declares its own kind (`EngineKind.psync`, …).
public struct EngineKind: RawRepresentable, Hashable, Codable, Sendable, CaseIterable, CustomStringConvertible {
    public let rawValue: String

    /// A registered engine's name; nil for any other.
    public init?(rawValue: String) {
        guard EngineRegistry.all.contains(where: { $0.kind.rawValue == rawValue }) else { return nil }
        self.rawValue = rawValue
    }

    /// For an engine file declaring its own kind; the registration line makes it valid.
    init(declaring name: String) { rawValue = name }

    public static var allCases: [EngineKind] { EngineRegistry.all.map(\.kind) }

    public var description: String { rawValue }

    /// Everything the registry knows about this engine.
    var descriptor: EngineDescriptor { EngineRegistry.descriptor(for: self) }

    /// Sync engines complete inside `queue`, so they run at depth 1 whatever --iodepth says.
    var isSynchronous: Bool { descriptor.isSynchronous }

    /// The fio ioengine that runs the same IO model.
    var fioEngine: String { descriptor.fioEngine }

    public init(from decoder: Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let kind = EngineKind(rawValue: name) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "unknown engine '\(name)'; this uringbench has \(EngineKind.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        self = kind
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

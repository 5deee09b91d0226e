import Foundation

/// A JSON object whose keys keep the order they were given in.
public struct OrderedObject<Value: Codable>: Codable {
    public var entries: [(key: String, value: Value)]

    public init(_ entries: [(String, Value)]) { self.entries = entries.map { (key: $0.0, value: $0.1) } }

    public subscript(key: String) -> Value? { entries.first { $0.key == key }?.value }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { return nil }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        for e in entries { try c.encode(e.value, forKey: Key(stringValue: e.key)) }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        entries = try c.allKeys.map { (key: $0.stringValue, value: try c.decode(Value.self, forKey: $0)) }
    }
}

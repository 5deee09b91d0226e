import Foundation

/// Encodes any `Encodable` into a `FioJSONValue`: keys in the order `encode(to:)` writes them
/// (a synthesized conformance writes them in `CodingKeys` order), integers as integers and
/// `Double`s as floats, so fio's JSON comes out with fio's key order and fio's types.
/// Foundation's `JSONEncoder` writes `100.0` as `100`, which JSON readers take for an integer.
public struct FioJSONEncoder {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> FioJSONValue {
        let root = FioJSONNode()
        try value.encode(to: FioJSONNodeEncoder(node: root, codingPath: []))
        return root.value
    }
}

/// One value under construction; containers keep a reference and fill it in place.
final class FioJSONNode {
    enum Content {
        case unset
        case leaf(FioJSONValue)
        case object(keys: [String], children: [String: FioJSONNode])
        case array([FioJSONNode])
    }

    var content: Content = .unset

    var value: FioJSONValue {
        switch content {
        case .unset: return .object([])
        case .leaf(let v): return v
        case .object(let keys, let children): return .object(keys.map { .init(key: $0, value: children[$0]!.value) })
        case .array(let nodes): return .array(nodes.map(\.value))
        }
    }

    /// The child under `key`, created (after the keys already there) on first use.
    func child(_ key: String) -> FioJSONNode {
        if case .unset = content { content = .object(keys: [], children: [:]) }
        guard case .object(var keys, var children) = content else {
            preconditionFailure("a keyed container over a value that is not an object")
        }
        if let existing = children[key] { return existing }
        // Drop the enum's hold first so the appends below grow the storage in place; with it
        // each new key copied every key before it, quadratic in the object's size.
        content = .unset
        let node = FioJSONNode()
        keys.append(key)
        children[key] = node
        content = .object(keys: keys, children: children)
        return node
    }

    func appendElement() -> FioJSONNode {
        if case .unset = content { content = .array([]) }
        guard case .array(var nodes) = content else {
            preconditionFailure("an unkeyed container over a value that is not an array")
        }
        content = .unset  // as in child(_:): append in place, not to a copy
        let node = FioJSONNode()
        nodes.append(node)
        content = .array(nodes)
        return node
    }

    var count: Int {
        switch content {
        case .array(let nodes): return nodes.count
        case .object(let keys, _): return keys.count
        default: return 0
        }
    }

    /// Primitives become leaves; anything else encodes itself into this node.
    func store<T: Encodable>(_ value: T, codingPath: [CodingKey]) throws {
        switch value {
        case let v as Double:
            guard v.isFinite else { throw EncodingError.invalidValue(v, .init(codingPath: codingPath, debugDescription: "JSON has no \(v)")) }
            content = .leaf(.float(v))
        case let v as Float:
            guard v.isFinite else { throw EncodingError.invalidValue(v, .init(codingPath: codingPath, debugDescription: "JSON has no \(v)")) }
            content = .leaf(.float(Double(v)))
        case let v as String: content = .leaf(.string(v))
        case let v as Bool: content = .leaf(.bool(v))
        case let v as Int: content = .leaf(.signed(Int64(v)))
        case let v as Int8: content = .leaf(.signed(Int64(v)))
        case let v as Int16: content = .leaf(.signed(Int64(v)))
        case let v as Int32: content = .leaf(.signed(Int64(v)))
        case let v as Int64: content = .leaf(.signed(v))
        case let v as UInt: content = .leaf(.unsigned(UInt64(v)))
        case let v as UInt8: content = .leaf(.unsigned(UInt64(v)))
        case let v as UInt16: content = .leaf(.unsigned(UInt64(v)))
        case let v as UInt32: content = .leaf(.unsigned(UInt64(v)))
        case let v as UInt64: content = .leaf(.unsigned(v))
        default: try value.encode(to: FioJSONNodeEncoder(node: self, codingPath: codingPath))
        }
    }
}

private struct FioJSONNodeEncoder: Encoder {
    let node: FioJSONNode
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .unset = node.content { node.content = .object(keys: [], children: [:]) }
        return KeyedEncodingContainer(FioJSONKeyedContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
        if case .unset = node.content { node.content = .array([]) }
        return FioJSONUnkeyedContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> SingleValueEncodingContainer {
        FioJSONSingleValueContainer(node: node, codingPath: codingPath)
    }
}

private struct FioJSONIndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { return nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct FioJSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: FioJSONNode
    let codingPath: [CodingKey]

    mutating func encodeNil(forKey key: Key) throws { node.child(key.stringValue).content = .leaf(.null) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try node.child(key.stringValue).store(value, codingPath: codingPath + [key])
    }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try encode(value as Bool?, key) }
    mutating func encode(_ value: String, forKey key: Key) throws { try encode(value as String?, key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try encode(value as Double?, key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try encode(value as Float?, key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try encode(value as Int?, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try encode(value as Int8?, key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try encode(value as Int16?, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try encode(value as Int32?, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try encode(value as Int64?, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try encode(value as UInt?, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try encode(value as UInt8?, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try encode(value as UInt16?, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try encode(value as UInt32?, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try encode(value as UInt64?, key) }

    private func encode<T: Encodable>(_ value: T?, _ key: Key) throws {
        if let value { try node.child(key.stringValue).store(value, codingPath: codingPath + [key]) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        FioJSONNodeEncoder(node: node.child(key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
        FioJSONNodeEncoder(node: node.child(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
    }
    mutating func superEncoder() -> Encoder { FioJSONNodeEncoder(node: node.child("super"), codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> Encoder {
        FioJSONNodeEncoder(node: node.child(key.stringValue), codingPath: codingPath + [key])
    }
}

private struct FioJSONUnkeyedContainer: UnkeyedEncodingContainer {
    let node: FioJSONNode
    let codingPath: [CodingKey]
    var count: Int { node.count }

    private var nextPath: [CodingKey] { codingPath + [FioJSONIndexKey(count)] }

    mutating func encodeNil() throws { node.appendElement().content = .leaf(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let path = nextPath
        try node.appendElement().store(value, codingPath: path)
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = nextPath
        return FioJSONNodeEncoder(node: node.appendElement(), codingPath: path).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
        let path = nextPath
        return FioJSONNodeEncoder(node: node.appendElement(), codingPath: path).unkeyedContainer()
    }
    mutating func superEncoder() -> Encoder {
        let path = nextPath
        return FioJSONNodeEncoder(node: node.appendElement(), codingPath: path)
    }
}

private struct FioJSONSingleValueContainer: SingleValueEncodingContainer {
    let node: FioJSONNode
    let codingPath: [CodingKey]

    mutating func encodeNil() throws { node.content = .leaf(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws { try node.store(value, codingPath: codingPath) }
}

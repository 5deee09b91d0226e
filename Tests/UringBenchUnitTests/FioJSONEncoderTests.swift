import Testing
@testable import UringBench

/// The encoder behind every JSON report: keys in the order `encode(to:)` writes them, integers
/// as integers, `Double`s as floats, and large arrays and objects whole and in order (the
/// report's latency buckets run to hundreds of objects).
@Suite struct FioJSONEncoderTests {
    private struct Bucket: Encodable {
        let low: UInt64
        let share: Double
        let label: String
    }

    private struct Report: Encodable {
        let name: String
        let ios: Int
        let ratio: Double
        let buckets: [Bucket]
        let spare: Int?
    }

    /// An object with `count` keys named `k0`, `k1`, ... in that order.
    private struct WideObject: Encodable {
        let count: Int
        struct Key: CodingKey {
            let stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            for i in 0..<count { try container.encode(i, forKey: Key(stringValue: "k\(i)")) }
        }
    }

    @Test func keysInWrittenOrderWithFiosTypes() throws {
        let value = try FioJSONEncoder().encode(
            Report(name: "r", ios: 3, ratio: 100, buckets: [Bucket(low: 1, share: 0.5, label: "a")], spare: nil))
        #expect(value == .object([
            .init(key: "name", value: .string("r")),
            .init(key: "ios", value: .signed(3)),
            .init(key: "ratio", value: .float(100)),
            .init(key: "buckets", value: .array([.object([
                .init(key: "low", value: .unsigned(1)),
                .init(key: "share", value: .float(0.5)),
                .init(key: "label", value: .string("a")),
            ])])),
        ]))
    }

    private struct EveryPrimitive: Encodable {
        var d = 1.5, f: Float = 2.5, s = "x", b = true
        var i = -1, i8: Int8 = -8, i16: Int16 = -16, i32: Int32 = -32, i64: Int64 = -64
        var u: UInt = 1, u8: UInt8 = 8, u16: UInt16 = 16, u32: UInt32 = 32, u64: UInt64 = 64
        var optionals: [Double?] = [0.25, nil]
        var counts: [UInt64] = [3]
        var nested: [String: Int] = ["n": 7]
    }

    /// Each primitive type is the leaf of its kind, also inside arrays and as an optional's
    /// wrapped value (the leaves are found by type first, then by cast).
    @Test func everyPrimitiveIsTheLeafOfItsKind() throws {
        let value = try FioJSONEncoder().encode(EveryPrimitive())
        #expect(value == .object([
            .init(key: "d", value: .float(1.5)), .init(key: "f", value: .float(2.5)),
            .init(key: "s", value: .string("x")), .init(key: "b", value: .bool(true)),
            .init(key: "i", value: .signed(-1)), .init(key: "i8", value: .signed(-8)),
            .init(key: "i16", value: .signed(-16)), .init(key: "i32", value: .signed(-32)),
            .init(key: "i64", value: .signed(-64)), .init(key: "u", value: .unsigned(1)),
            .init(key: "u8", value: .unsigned(8)), .init(key: "u16", value: .unsigned(16)),
            .init(key: "u32", value: .unsigned(32)), .init(key: "u64", value: .unsigned(64)),
            .init(key: "optionals", value: .array([.float(0.25), .null])),
            .init(key: "counts", value: .array([.unsigned(3)])),
            .init(key: "nested", value: .object([.init(key: "n", value: .signed(7))])),
        ]))
        #expect(throws: EncodingError.self) { try FioJSONEncoder().encode([Double.nan]) }
    }

    @Test func largeArraysAndObjectsKeepEveryElementInOrder() throws {
        let buckets = (0..<5000).map { Bucket(low: UInt64($0), share: Double($0) / 4, label: "b\($0)") }
        let value = try FioJSONEncoder().encode(Report(name: "big", ios: 0, ratio: 0, buckets: buckets, spare: 7))
        guard case .object(let pairs) = value, case .array(let elements) = pairs[3].value else {
            Issue.record("no buckets array in \(value)")
            return
        }
        #expect(pairs.map(\.key) == ["name", "ios", "ratio", "buckets", "spare"])
        #expect(elements.count == 5000)
        let misplaced = elements.enumerated().filter { index, element in
            element != .object([
                .init(key: "low", value: .unsigned(UInt64(index))),
                .init(key: "share", value: .float(Double(index) / 4)),
                .init(key: "label", value: .string("b\(index)")),
            ])
        }
        #expect(misplaced.isEmpty)

        guard case .object(let wide) = try FioJSONEncoder().encode(WideObject(count: 3000)) else {
            Issue.record("a keyed container did not make an object")
            return
        }
        #expect(wide.map(\.key) == (0..<3000).map { "k\($0)" })
        #expect(wide.map(\.value) == (0..<3000).map { .signed(Int64($0)) })
    }
}

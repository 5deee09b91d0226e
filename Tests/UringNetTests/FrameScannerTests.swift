import Testing
@testable import UringNet

@Suite struct FrameScannerTests {
    static func frame(_ payload: [UInt8]) -> [UInt8] {
        let n = UInt32(payload.count)
        return [UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] + payload
    }

    func scan(_ s: inout FrameScanner, _ bytes: [UInt8], max: UInt32 = 1 << 20) -> Int {
        bytes.withUnsafeBytes { s.scan($0.baseAddress!, count: $0.count, maxFrame: max) }
    }

    @Test func coalescedFramesInOneRead() {
        var s = FrameScanner()
        let bytes = Self.frame([1, 2, 3]) + Self.frame([]) + Self.frame(Array(repeating: 9, count: 300))
        #expect(scan(&s, bytes) == 3)
        #expect(s.atBoundary)
    }

    @Test func frameSplitAtEveryByte() {
        var s = FrameScanner()
        let bytes = Self.frame(Array(0..<200).map { UInt8($0) }) + Self.frame([7])
        var frames = 0
        for b in bytes { frames += scan(&s, [b]) }
        #expect(frames == 2)
        #expect(s.atBoundary)
    }

    @Test func halfHeaderThenRest() {
        var s = FrameScanner()
        let bytes = Self.frame([5, 6, 7, 8])
        #expect(scan(&s, Array(bytes[0..<2])) == 0)
        #expect(!s.atBoundary)
        #expect(scan(&s, Array(bytes[2...])) == 1)
    }

    @Test func oversizedHeaderIsRefused() {
        var s = FrameScanner()
        #expect(scan(&s, [0, 0, 4, 1], max: 1024) == FrameScanner.badFrame)
        var t = FrameScanner()
        #expect(scan(&t, [0, 0, 4, 0] + Array(repeating: 1, count: 1024), max: 1024) == 1)
    }
}

import Testing
@testable import UringBench

@Suite struct DataPatternTests {
    static func filled(_ length: Int, at offset: UInt64, seed: UInt64) -> UnsafeMutableRawPointer {
        let p = UnsafeMutableRawPointer.allocate(byteCount: length, alignment: 8)
        DataPattern.fill(p, length: length, fileOffset: offset, seed: seed)
        return p
    }

    @Test func filledBlocksVerifyAndCarryTheirOffset() {
        let p = Self.filled(8192, at: 40960, seed: 7)
        defer { p.deallocate() }
        #expect(DataPattern.verify(p, length: 8192, fileOffset: 40960, seed: 7) == nil)
        #expect(DataPattern.seed(inHeader: p, expectedOffset: 40960) == 7)
        #expect(DataPattern.seed(inHeader: p + 512, expectedOffset: 40960 + 512) == 7)
        // Each sector differs from its neighbour: a read of the wrong sector cannot pass.
        #expect(memcmp(p + 64, p + 512 + 64, 448) != 0)
    }

    @Test func wrongSeedOrOffsetFails() {
        let p = Self.filled(4096, at: 0, seed: 7)
        defer { p.deallocate() }
        #expect(DataPattern.verify(p, length: 4096, fileOffset: 0, seed: 8) != nil)
        let wrongBlock = DataPattern.verify(p, length: 4096, fileOffset: 4096, seed: 7)
        #expect(wrongBlock?.dataBelongsAt == 0, "a read that returned block 0 for offset 4096 names block 0")
        // The header's offset field (bytes 8-15) is the first to differ: 0x1000 vs 0 at byte 9.
        #expect(wrongBlock?.fileOffset == 4096 + 9)
    }

    @Test func singleFlippedByteIsFoundAtItsOffset() {
        let p = Self.filled(4096, at: 1 << 20, seed: 99)
        defer { p.deallocate() }
        let flipped = 3000
        p.storeBytes(of: p.load(fromByteOffset: flipped, as: UInt8.self) ^ 0x40, toByteOffset: flipped, as: UInt8.self)
        let bad = DataPattern.verify(p, length: 4096, fileOffset: 1 << 20, seed: 99)
        #expect(bad?.fileOffset == (1 << 20) + UInt64(flipped))
        #expect(bad?.dataBelongsAt == nil)
    }

    @Test func unalignedRangesVerify() {
        // Buffered IO may read at any offset and length: compare a slice of a laid-out region.
        let p = Self.filled(4096, at: 0, seed: 3)
        defer { p.deallocate() }
        #expect(DataPattern.verify(p + 100, length: 1000, fileOffset: 100, seed: 3) == nil)
        #expect(DataPattern.verify(p + 100, length: 1000, fileOffset: 101, seed: 3) != nil)
    }
}

import Glibc

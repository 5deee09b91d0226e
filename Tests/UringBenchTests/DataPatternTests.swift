import Foundation
import Testing
@testable import UringBench

@Suite struct DataPatternTests {
    static func filled(_ length: Int, at offset: UInt64, seed: UInt64, generation: UInt64 = 0) -> UnsafeMutableRawPointer {
        let p = UnsafeMutableRawPointer.allocate(byteCount: length, alignment: 8)
        DataPattern.fill(p, length: length, fileOffset: offset, seed: seed, generation: generation)
        return p
    }

    @Test func filledBlocksVerifyAndCarryOffsetGenerationAndChecksum() {
        let p = Self.filled(8192, at: 40960, seed: 7, generation: 42)
        defer { p.deallocate() }
        #expect(DataPattern.verify(p, length: 8192, fileOffset: 40960, seed: 7) == nil)
        for k in 0..<16 {
            let h = DataPattern.SectorHeader(p + k * 512)
            #expect(h.magic == DataPattern.magic && h.offset == 40960 + UInt64(k * 512) && h.seed == 7 && h.generation == 42 && h.flags == 0)
            #expect(h.checksum == CRC32C.checksum(p + k * 512, length: 508), "sector \(k): the trailer holds the crc32c of bytes 0-507")
        }
        #expect(DataPattern.seed(inHeader: p, expectedOffset: 40960) == 7)
        // Each sector differs from its neighbour, and each generation from the last.
        #expect(memcmp(p + 64, p + 512 + 64, 400) != 0)
        let older = Self.filled(512, at: 40960, seed: 7, generation: 41)
        defer { older.deallocate() }
        #expect(memcmp(p + 32, older + 32, 472) != 0)
    }

    @Test func crc32cMatchesTheStandardAndBothImplementationsAgree() {
        let check = Array("123456789".utf8)
        // The check value of CRC-32C (Castagnoli), e.g. RFC 3720 and every crc catalogue.
        #expect(check.withUnsafeBytes { CRC32C.checksum($0.baseAddress!, length: 9) } == 0xE306_9283)
        #expect(check.withUnsafeBytes { ~CRC32C.software(0xFFFF_FFFF, $0.baseAddress!, length: 9) } == 0xE306_9283)
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<4099).map { _ in UInt8.random(in: 0...255, using: &rng) }
        bytes.withUnsafeBytes { raw in
            for length in [0, 1, 7, 8, 9, 508, 4099] {
                let p = raw.baseAddress!
                #expect(CRC32C.checksum(p, length: length) == ~CRC32C.software(0xFFFF_FFFF, p, length: length), "length \(length)")
            }
            let four = CRC32C.checksums((raw.baseAddress!, raw.baseAddress! + 1, raw.baseAddress! + 512, raw.baseAddress! + 3000), length: 508)
            #expect(four.0 == CRC32C.checksum(raw.baseAddress!, length: 508))
            #expect(four.1 == CRC32C.checksum(raw.baseAddress! + 1, length: 508))
            #expect(four.2 == CRC32C.checksum(raw.baseAddress! + 512, length: 508))
            #expect(four.3 == CRC32C.checksum(raw.baseAddress! + 3000, length: 508))
        }
    }

    @Test func aFlippedByteIsCorruptionAtItsOffset() throws {
        let p = Self.filled(4096, at: 1 << 20, seed: 99, generation: 5)
        defer { p.deallocate() }
        let flipped = 3000
        p.storeBytes(of: p.load(fromByteOffset: flipped, as: UInt8.self) ^ 0x40, toByteOffset: flipped, as: UInt8.self)
        let bad = try #require(DataPattern.verify(p, length: 4096, fileOffset: 1 << 20, seed: 99))
        #expect(bad.problem == .checksum && bad.sectorOffset == (1 << 20) + 2560)
        #expect(bad.firstDifference == (1 << 20) + UInt64(flipped))
        #expect(bad.found.generation == 5 && bad.found.checksum != bad.computedChecksum)
        #expect(bad.description.contains("is corrupt: found offset \((1 << 20) + 2560), generation 5, crc32c 0x"))
    }

    @Test func theWrongBlockIsNamedByTheOffsetItHolds() throws {
        let p = Self.filled(4096, at: 0, seed: 7)
        defer { p.deallocate() }
        let wrong = try #require(DataPattern.verify(p, length: 4096, fileOffset: 4096, seed: 7))
        #expect(wrong.problem == .misplaced && wrong.found.offset == 0 && wrong.sectorOffset == 4096)
        #expect(wrong.description.contains("holds the data of offset 0"))
        let otherFile = try #require(DataPattern.verify(p, length: 4096, fileOffset: 0, seed: 8))
        #expect(otherFile.problem == .seed(8))
    }

    @Test func generationsOutsideTheWindowAreStale() throws {
        let p = Self.filled(4096, at: 8192, seed: 1, generation: 100)
        defer { p.deallocate() }
        #expect(DataPattern.verify(p, length: 4096, fileOffset: 8192, seed: 1, generations: GenerationWindow(before: 0, lowest: 100, highest: 100)) == nil)
        #expect(DataPattern.verify(p, length: 4096, fileOffset: 8192, seed: 1, generations: GenerationWindow(before: 0, lowest: 90, highest: 120)) == nil)
        let stale = try #require(DataPattern.verify(p, length: 4096, fileOffset: 8192, seed: 1, generations: GenerationWindow(before: 0, lowest: 101, highest: 103)))
        #expect(stale.problem == .generation && stale.found.generation == 100)
        #expect(stale.description.contains("is stale: found offset 8192, generation 100, crc32c 0x"))
        #expect(stale.description.contains("expected offset 8192, generation 101…103"))
        // Before the run's own writes settle, anything older than the run is accepted.
        #expect(DataPattern.verify(p, length: 4096, fileOffset: 8192, seed: 1, generations: GenerationWindow(before: 101, lowest: 101, highest: 0)) == nil)
    }

    @Test func sectorsWrittenOverSomeoneElsesTargetDoNotMakeItUringbenchs() {
        let p = UnsafeMutableRawPointer.allocate(byteCount: 512, alignment: 8)
        defer { p.deallocate() }
        DataPattern.fill(p, length: 512, fileOffset: 0, seed: 3, generation: 9, flags: DataPattern.overwriteFlag)
        #expect(DataPattern.verify(p, length: 512, fileOffset: 0, seed: 3) == nil)
        #expect(DataPattern.seed(inHeader: p, expectedOffset: 0) == nil)
        DataPattern.fill(p, length: 512, fileOffset: 0, seed: 3)
        #expect(DataPattern.seed(inHeader: p, expectedOffset: 0) == 3)
        // A header whose checksum fails is not a header.
        p.storeBytes(of: p.load(fromByteOffset: 100, as: UInt8.self) ^ 1, toByteOffset: 100, as: UInt8.self)
        #expect(DataPattern.seed(inHeader: p, expectedOffset: 0) == nil)
    }
}

import Glibc

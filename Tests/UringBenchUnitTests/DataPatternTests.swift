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
        // Each sector's payload differs from its neighbour's; another generation changes the
        // header and the checksum, not the payload.
        #expect(memcmp(p + 64, p + 512 + 64, 400) != 0)
        let older = Self.filled(512, at: 40960, seed: 7, generation: 41)
        defer { older.deallocate() }
        #expect(memcmp(p + 32, older + 32, 476) == 0)
        #expect(memcmp(p + 24, older + 24, 8) != 0 && memcmp(p + 508, older + 508, 4) != 0)
    }

    /// 256 payloads per seed, one per sector number mod 256: no two sectors within 128 KiB share
    /// one, and another seed has others.
    @Test func noPayloadRepeatsWithin128KiB() {
        let span = 128 << 10
        let p = Self.filled(span, at: 3 << 20, seed: 11)
        let q = Self.filled(512, at: 3 << 20, seed: 12)
        defer { p.deallocate(); q.deallocate() }
        let payloads = Set((0..<span / 512).map { k in Data(bytes: p + k * 512 + 32, count: 472) })
        #expect(payloads.count == span / 512)
        #expect(memcmp(p + 32, q + 32, 472) != 0)
        // The next 128 KiB repeats the payloads (and only the payloads).
        let next = Self.filled(512, at: (3 << 20) + UInt64(span), seed: 11)
        defer { next.deallocate() }
        #expect(memcmp(p + 32, next + 32, 476) == 0 && memcmp(p, next, 32) != 0)
    }

    /// The checksum a write computes from the header alone (table lookups) is the crc32c of the
    /// sector's bytes 0-507, for any seed, offset, generation, flags and variant.
    @Test func checksumFromTheHeaderIsTheChecksumOfTheBytes() {
        var rng = SystemRandomNumberGenerator()
        let p = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 8)
        defer { p.deallocate() }
        for round in 0..<64 {
            let seed = UInt64.random(in: 0 ... .max, using: &rng)
            let flags: UInt32 = round % 2 == 0 ? 0 : UInt32.random(in: 0 ... .max, using: &rng)
            let pattern = SectorPattern(seed: seed, flags: flags)
            defer { pattern.deallocate() }
            for _ in 0..<8 {
                let offset = UInt64.random(in: 0 ..< (1 << 50), using: &rng) & ~511
                let generation = UInt64.random(in: 0 ... .max, using: &rng)
                pattern.fill(p, length: 4096, fileOffset: offset, generation: generation, payloadInPlace: false)
                for k in 0..<8 {
                    let h = DataPattern.SectorHeader(p + k * 512)
                    #expect(h.offset == offset + UInt64(k * 512) && h.generation == generation && h.seed == seed && h.flags == flags)
                    #expect(h.checksum == CRC32C.checksum(p + k * 512, length: 508), "seed \(seed) offset \(h.offset) generation \(generation)")
                }
                #expect(pattern.verify(p, length: 4096, fileOffset: offset, generations: .any) == nil)
            }
        }
    }

    /// A buffer whose payloads are in place (last filled for an offset of the same variant, as
    /// the IO loop tracks per slot) gets only new headers and checksums, and ends up byte for
    /// byte what a full fill writes.
    @Test func fillingOverPayloadsInPlaceWritesTheSameBytes() {
        let pattern = SectorPattern(seed: 5, flags: 0)
        defer { pattern.deallocate() }
        let bs = 16384
        let reused = UnsafeMutableRawPointer.allocate(byteCount: bs, alignment: 8)
        let fresh = UnsafeMutableRawPointer.allocate(byteCount: bs, alignment: 8)
        defer { reused.deallocate(); fresh.deallocate() }
        pattern.fill(reused, length: bs, fileOffset: 0, generation: 1, payloadInPlace: false)
        for (offset, generation) in [(UInt64(128 << 10), UInt64(2)), (UInt64(7 << 20), 3), (UInt64(0), .max)] {
            #expect(SectorPattern.variant(offset) == 0)
            pattern.fill(reused, length: bs, fileOffset: offset, generation: generation, payloadInPlace: true)
            memset(fresh, 0xA5, bs)
            pattern.fill(fresh, length: bs, fileOffset: offset, generation: generation, payloadInPlace: false)
            #expect(memcmp(reused, fresh, bs) == 0, "offset \(offset)")
            #expect(DataPattern.verify(reused, length: bs, fileOffset: offset, seed: 5) == nil)
        }
    }

    /// Any single byte changed anywhere in a sector — header, payload, flags or checksum — is a
    /// mismatch at that sector, found by the quick check and named by the full one.
    @Test func everyChangedByteIsFound() throws {
        let p = Self.filled(1024, at: 1 << 30, seed: 21, generation: 77)
        defer { p.deallocate() }
        for i in 0..<1024 {
            let byte = p.load(fromByteOffset: i, as: UInt8.self)
            p.storeBytes(of: byte ^ 0x01, toByteOffset: i, as: UInt8.self)
            let bad = DataPattern.verify(p, length: 1024, fileOffset: 1 << 30, seed: 21)
            p.storeBytes(of: byte, toByteOffset: i, as: UInt8.self)
            let found = try #require(bad, "byte \(i) changed and nothing was found")
            let sector = UInt64(1 << 30) + UInt64(i / 512 * 512)
            #expect(found.sectorOffset == sector, "byte \(i)")
            // The magic makes it no header; a changed offset names the offset it now holds;
            // anything else breaks the checksum. The diagnosis shows the sector of the
            // generation and flags found, so for those the first difference is the checksum.
            let k = i % 512
            if k >= 8 && k < 16 { #expect(found.problem == .misplaced, "byte \(i)") }
            if k >= 16 { #expect(found.problem == .checksum, "byte \(i): \(found)") }
            if (16..<24).contains(k) || (32..<504).contains(k) || k >= 508 {
                #expect(found.firstDifference == UInt64(1 << 30) + UInt64(i), "byte \(i): \(found)")
            } else if k >= 24 {
                #expect(found.firstDifference.map { $0 >= sector + 508 && $0 < sector + 512 } == true, "byte \(i): \(found)")
            }
        }
        #expect(DataPattern.verify(p, length: 1024, fileOffset: 1 << 30, seed: 21) == nil)
    }

    @Test func sectorsOfAnEarlierFormatAreNamedAsSuch() throws {
        let p = Self.filled(512, at: 0, seed: 2)
        defer { p.deallocate() }
        for magic: UInt64 in [0x3148_434E_4542_5255, 0x3248_434E_4542_5255] {   // URBENCH1, URBENCH2
            p.storeBytes(of: magic.littleEndian, as: UInt64.self)
            let bad = try #require(DataPattern.verify(p, length: 512, fileOffset: 0, seed: 2))
            #expect(bad.problem == .previousFormat)
            #expect(DataPattern.seed(inHeader: p, expectedOffset: 0) == nil)
        }
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

import Glibc

/// The verifiable layout of a uringbench data file: fio's verify=crc32c model, per sector.
///
/// Every 512-byte sector carries
/// - bytes 0–31, the header: magic, the sector's own file offset, the file's seed, and the
///   write generation (0 = laid out; a write job numbers its writes from the run's start time
///   in nanoseconds, so a later run's generations are larger);
/// - bytes 32–503: 59 words derived from the seed and the sector's number mod 256 (its
///   variant), so that no 128 KiB of the file repeats a payload;
/// - bytes 504–511, the trailer: flags, and the crc32c of bytes 0–507.
/// A sector read back can therefore be checked on its own: where it belongs, which write put
/// it there, and that no bit changed since. What a write changes is the header, and the
/// checksum follows from it in a few table lookups (SectorPattern), so preparing a write costs
/// a few ns per sector.
public enum DataPattern {
    static let sectorSize = 512
    static let headerWords = 4
    static let dataWords = 59
    static let flagsOffset = 504
    static let checksumOffset = 508
    /// "URBENCH3" read as a little-endian integer. "URBENCH1" was the format without
    /// generations and checksums, "URBENCH2" the one whose payload also followed offset and
    /// generation.
    static let magic: UInt64 = 0x3348_434E_4542_5255
    static let previousMagics: [UInt64] = [0x3148_434E_4542_5255, 0x3248_434E_4542_5255]
    /// Flags: written by --allow-overwrite over a target uringbench did not lay out. Sector 0
    /// with it does not make the file uringbench's.
    static let overwriteFlag: UInt32 = 1

    /// The key of a variant's payload (splitmix64's finaliser of seed and variant).
    static func payloadKey(seed: UInt64, variant: Int) -> UInt64 {
        var z = seed ^ (UInt64(truncatingIfNeeded: variant + 1) &* 0x9E37_79B9_7F4A_7C15)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Word `index` of a payload: the key's Weyl sequence through a one-multiply mix, so that
    /// every word differs.
    static func word(key: UInt64, index: Int) -> UInt64 {
        var z = key &+ UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 32)) &* 0xD6E8_FEB8_6659_FD93
        return z ^ (z >> 32)
    }

    /// Fills `length` bytes (a multiple of 512) that start at file offset `fileOffset` (a
    /// multiple of 512), every sector with `generation`. The IO loop keeps a SectorPattern for
    /// the run instead of making one per call.
    static func fill(_ buffer: UnsafeMutableRawPointer, length: Int, fileOffset: UInt64, seed: UInt64,
                            generation: UInt64 = 0, flags: UInt32 = 0) {
        precondition(length % sectorSize == 0 && fileOffset % UInt64(sectorSize) == 0)
        let pattern = SectorPattern(seed: seed, flags: flags)
        defer { pattern.deallocate() }
        pattern.fill(buffer, length: length, fileOffset: fileOffset, generation: generation, payloadInPlace: false)
    }

    /// A sector's header and trailer as read.
    public struct SectorHeader: Equatable, Sendable {
        var magic: UInt64
        public var offset: UInt64
        public var seed: UInt64
        var generation: UInt64
        public var flags: UInt32
        var checksum: UInt32

        public init(_ sector: UnsafeRawPointer) {
            magic = UInt64(littleEndian: sector.loadUnaligned(as: UInt64.self))
            offset = UInt64(littleEndian: sector.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            seed = UInt64(littleEndian: sector.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
            generation = UInt64(littleEndian: sector.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
            flags = UInt32(littleEndian: sector.loadUnaligned(fromByteOffset: DataPattern.flagsOffset, as: UInt32.self))
            checksum = UInt32(littleEndian: sector.loadUnaligned(fromByteOffset: DataPattern.checksumOffset, as: UInt32.self))
        }
    }

    /// The seed in the header of a sector laid out by uringbench at `expectedOffset` (checksum
    /// intact, not written over someone else's target), or nil.
    /// Whether sector 0 carries the magic of an earlier uringbench's pattern (its file, but
    /// one this version cannot verify or write over as its own).
    static func isEarlierFormat(header sector: UnsafeRawPointer) -> Bool {
        previousMagics.contains(SectorHeader(sector).magic)
    }

    public static func seed(inHeader sector: UnsafeRawPointer, expectedOffset: UInt64) -> UInt64? {
        let h = SectorHeader(sector)
        guard h.magic == magic, h.offset == expectedOffset, h.flags & overwriteFlag == 0,
              CRC32C.checksum(sector, length: checksumOffset) == h.checksum else { return nil }
        return h.seed
    }

    /// Checks `length` bytes (whole sectors) read from file offset `fileOffset` against the
    /// pattern: each sector's magic, offset, seed, checksum and data, and its generation
    /// against `generations`. Returns the first mismatch.
    public static func verify(_ buffer: UnsafeRawPointer, length: Int, fileOffset: UInt64, seed: UInt64,
                              generations: GenerationWindow = .any) -> VerifyMismatch? {
        precondition(length % sectorSize == 0 && fileOffset % UInt64(sectorSize) == 0)
        let pattern = SectorPattern(seed: seed, flags: 0)
        defer { pattern.deallocate() }
        return pattern.verify(buffer, length: length, fileOffset: fileOffset, generations: generations)
    }

    /// What is wrong with a sector that is not exactly the pattern's, in this order: magic,
    /// offset, checksum (summed over the bytes as read), seed, generation, then the bytes the
    /// checksum covers against the pattern (`expectedPayload`, with the flags found). Nil when
    /// nothing is (other flags than the reader's, say an overwritten target's).
    static func diagnose(_ sector: UnsafeRawPointer, at: UInt64, seed: UInt64, generations: GenerationWindow,
                         expectedPayload: UnsafeRawPointer) -> VerifyMismatch? {
        withUnsafeTemporaryAllocation(byteCount: sectorSize, alignment: 8) { scratch -> VerifyMismatch? in
            guard let expected = scratch.baseAddress else { return nil }
            let found = SectorHeader(sector)
            let computed = CRC32C.checksum(sector, length: checksumOffset)
            let problem: VerifyMismatch.Problem?
            if found.magic != magic {
                problem = previousMagics.contains(found.magic) ? .previousFormat : .noHeader
            } else if found.offset != at {
                problem = .misplaced
            } else if computed != found.checksum {
                problem = .checksum
            } else if found.seed != seed {
                problem = .seed(seed)
            } else if !generations.contains(found.generation) {
                problem = .generation
            } else {
                // The checksum held: the bytes must also be the pattern (everything the checksum covers).
                expectedSector(expected, at: at, seed: seed, generation: found.generation, flags: found.flags, payload: expectedPayload)
                problem = memcmp(expected, sector, checksumOffset) == 0 ? nil : .data
            }
            guard let problem else { return nil }
            // The first byte that differs from the sector this offset should hold (at the
            // generation found when it is one this read may return).
            let generation = generations.contains(found.generation) ? found.generation : generations.newest
            expectedSector(expected, at: at, seed: seed, generation: generation, flags: found.flags, payload: expectedPayload)
            var firstDifference: UInt64? = nil
            for i in 0..<sectorSize where expected.load(fromByteOffset: i, as: UInt8.self) != sector.load(fromByteOffset: i, as: UInt8.self) {
                firstDifference = at + UInt64(i)
                break
            }
            return VerifyMismatch(sectorOffset: at, problem: problem, found: found, computedChecksum: computed,
                                  expected: generations, firstDifference: firstDifference)
        }
    }

    /// The whole sector the pattern puts at `at`, checksum included (the slow way: for a
    /// diagnosis only).
    private static func expectedSector(_ sector: UnsafeMutableRawPointer, at: UInt64, seed: UInt64, generation: UInt64,
                                       flags: UInt32, payload: UnsafeRawPointer) {
        sector.storeBytes(of: magic.littleEndian, as: UInt64.self)
        sector.storeBytes(of: at.littleEndian, toByteOffset: 8, as: UInt64.self)
        sector.storeBytes(of: seed.littleEndian, toByteOffset: 16, as: UInt64.self)
        sector.storeBytes(of: generation.littleEndian, toByteOffset: 24, as: UInt64.self)
        (sector + headerWords * 8).copyMemory(from: payload, byteCount: dataWords * 8)
        sector.storeBytes(of: flags.littleEndian, toByteOffset: flagsOffset, as: UInt32.self)
        let crc = CRC32C.checksum(UnsafeRawPointer(sector), length: checksumOffset)
        sector.storeBytes(of: crc.littleEndian, toByteOffset: checksumOffset, as: UInt32.self)
    }
}

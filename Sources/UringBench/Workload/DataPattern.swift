/// The verifiable layout of a uringbench data file: fio's verify=crc32c model, per sector.
///
/// Every 512-byte sector carries
/// - bytes 0–31, the header: magic, the sector's own file offset, the file's seed, and the
///   write generation (0 = laid out; a write job numbers its writes from the run's start time
///   in nanoseconds, so a later run's generations are larger);
/// - bytes 32–503: 59 words derived from (seed, offset, generation);
/// - bytes 504–511, the trailer: flags, and the crc32c of bytes 0–507.
/// A sector read back can therefore be checked on its own: where it belongs, which write put
/// it there, and that no bit changed since. Checksums sit at the end so each covers one
/// contiguous range, and four sectors are summed side by side (CRC32C.checksums).
public enum DataPattern {
    public static let sectorSize = 512
    static let wordsPerSector = sectorSize / 8
    static let headerWords = 4
    static let dataWords = 59
    static let flagsOffset = 504
    static let checksumOffset = 508
    /// "URBENCH2" read as a little-endian integer ("URBENCH1" was the format without
    /// generations and checksums).
    public static let magic: UInt64 = 0x3248_434E_4542_5255
    public static let previousMagic: UInt64 = 0x3148_434E_4542_5255
    /// Flags: written by --allow-overwrite over a target uringbench did not lay out. Sector 0
    /// with it does not make the file uringbench's.
    public static let overwriteFlag: UInt32 = 1

    /// One key per sector, from everything that names it: seed, offset and generation.
    @inline(__always)
    static func sectorKey(seed: UInt64, sectorOffset: UInt64, generation: UInt64) -> UInt64 {
        // splitmix64's finaliser.
        var z = seed ^ (sectorOffset &* 0x9E37_79B9_7F4A_7C15) ^ (generation &* 0xC2B2_AE3D_27D4_EB4F)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Word `index` of a sector: the key's Weyl sequence through a one-multiply mix, so that
    /// every word differs and preparing a block costs a few hundred ns, not a microsecond.
    @inline(__always)
    static func word(key: UInt64, index: Int) -> UInt64 {
        var z = key &+ UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 32)) &* 0xD6E8_FEB8_6659_FD93
        return z ^ (z >> 32)
    }

    /// Everything of the sector but its checksum.
    @inline(__always)
    static func fillBody(sector: UnsafeMutableRawPointer, sectorOffset: UInt64, seed: UInt64, generation: UInt64, flags: UInt32) {
        let words = sector.assumingMemoryBound(to: UInt64.self)
        words[0] = magic.littleEndian
        words[1] = sectorOffset.littleEndian
        words[2] = seed.littleEndian
        words[3] = generation.littleEndian
        let key = sectorKey(seed: seed, sectorOffset: sectorOffset, generation: generation)
        for i in headerWords..<(headerWords + dataWords) {
            words[i] = word(key: key, index: i).littleEndian
        }
        sector.storeBytes(of: flags.littleEndian, toByteOffset: flagsOffset, as: UInt32.self)
    }

    /// Writes the sector that belongs at `sectorOffset` (a multiple of 512) into `sector`.
    @inline(__always)
    public static func fill(sector: UnsafeMutableRawPointer, sectorOffset: UInt64, seed: UInt64,
                            generation: UInt64 = 0, flags: UInt32 = 0) {
        fillBody(sector: sector, sectorOffset: sectorOffset, seed: seed, generation: generation, flags: flags)
        let crc = CRC32C.checksum(UnsafeRawPointer(sector), length: checksumOffset)
        sector.storeBytes(of: crc.littleEndian, toByteOffset: checksumOffset, as: UInt32.self)
    }

    /// Fills `length` bytes (a multiple of 512) that start at file offset `fileOffset` (a
    /// multiple of 512), every sector with `generation`.
    public static func fill(_ buffer: UnsafeMutableRawPointer, length: Int, fileOffset: UInt64, seed: UInt64,
                            generation: UInt64 = 0, flags: UInt32 = 0) {
        precondition(length % sectorSize == 0 && fileOffset % UInt64(sectorSize) == 0)
        var done = 0
        // Four sectors at a time: their checksums run side by side.
        while length - done >= 4 * sectorSize {
            let s = buffer + done
            for k in 0..<4 {
                fillBody(sector: s + k * sectorSize, sectorOffset: fileOffset + UInt64(done + k * sectorSize),
                         seed: seed, generation: generation, flags: flags)
            }
            let crc = CRC32C.checksums((UnsafeRawPointer(s), UnsafeRawPointer(s + sectorSize),
                                        UnsafeRawPointer(s + 2 * sectorSize), UnsafeRawPointer(s + 3 * sectorSize)),
                                       length: checksumOffset)
            s.storeBytes(of: crc.0.littleEndian, toByteOffset: checksumOffset, as: UInt32.self)
            s.storeBytes(of: crc.1.littleEndian, toByteOffset: sectorSize + checksumOffset, as: UInt32.self)
            s.storeBytes(of: crc.2.littleEndian, toByteOffset: 2 * sectorSize + checksumOffset, as: UInt32.self)
            s.storeBytes(of: crc.3.littleEndian, toByteOffset: 3 * sectorSize + checksumOffset, as: UInt32.self)
            done += 4 * sectorSize
        }
        while done < length {
            fill(sector: buffer + done, sectorOffset: fileOffset + UInt64(done), seed: seed, generation: generation, flags: flags)
            done += sectorSize
        }
    }

    /// A sector's header and trailer as read.
    public struct SectorHeader: Equatable, Sendable {
        public var magic: UInt64
        public var offset: UInt64
        public var seed: UInt64
        public var generation: UInt64
        public var flags: UInt32
        public var checksum: UInt32

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
        return withUnsafeTemporaryAllocation(byteCount: sectorSize, alignment: 8) { scratch -> VerifyMismatch? in
            guard let expected = scratch.baseAddress else { return nil }
            var done = 0
            while done < length {
                let sector = buffer + done
                let at = fileOffset + UInt64(done)
                let found = SectorHeader(sector)
                let computed = CRC32C.checksum(sector, length: checksumOffset)
                let problem: VerifyMismatch.Problem?
                if found.magic != magic {
                    problem = found.magic == previousMagic ? .previousFormat : .noHeader
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
                    fillBody(sector: expected, sectorOffset: at, seed: seed, generation: found.generation, flags: found.flags)
                    problem = memcmp(expected, sector, checksumOffset) == 0 ? nil : .data
                }
                if let problem {
                    // The first byte that differs from the sector this offset should hold (at
                    // the generation found when it is one this read may return).
                    let generation = generations.contains(found.generation) ? found.generation : generations.newest
                    fill(sector: expected, sectorOffset: at, seed: seed, generation: generation, flags: found.flags)
                    var firstDifference: UInt64? = nil
                    for i in 0..<sectorSize where expected.load(fromByteOffset: i, as: UInt8.self) != sector.load(fromByteOffset: i, as: UInt8.self) {
                        firstDifference = at + UInt64(i)
                        break
                    }
                    return VerifyMismatch(sectorOffset: at, problem: problem, found: found, computedChecksum: computed,
                                          expected: generations, firstDifference: firstDifference)
                }
                done += sectorSize
            }
            return nil
        }
    }
}

import Glibc

/// The verifiable layout of a uringbench data file.
///
/// Every 512-byte sector starts with a 32-byte header — magic, the sector's own file offset,
/// the file's seed, and the bitwise complement of the offset — followed by 60 words derived
/// from (seed, offset). Any read at any offset can therefore be checked byte for byte, and a
/// read that returned the wrong block says which block it returned.
public enum DataPattern {
    public static let sectorSize = 512
    static let headerWords = 4
    static let wordsPerSector = sectorSize / 8
    /// "URBENCH1" read as a little-endian integer.
    public static let magic: UInt64 = 0x3148_434E_4542_5255

    @inline(__always)
    static func word(seed: UInt64, sectorOffset: UInt64, index: Int) -> UInt64 {
        // splitmix64 of a per-word counter: cheap, stateless, and different for every word.
        var z = seed ^ (sectorOffset &* 0x9E37_79B9_7F4A_7C15) &+ UInt64(index) &* 0xD1B5_4A32_D192_ED03
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Writes the sector that belongs at `sectorOffset` (a multiple of 512) into `sector`.
    @inline(__always)
    public static func fill(sector: UnsafeMutableRawPointer, sectorOffset: UInt64, seed: UInt64) {
        let words = sector.assumingMemoryBound(to: UInt64.self)
        words[0] = magic.littleEndian
        words[1] = sectorOffset.littleEndian
        words[2] = seed.littleEndian
        words[3] = (~sectorOffset).littleEndian
        for i in headerWords..<wordsPerSector {
            words[i] = word(seed: seed, sectorOffset: sectorOffset, index: i).littleEndian
        }
    }

    /// Fills `length` bytes (a multiple of 512) that start at file offset `fileOffset`.
    public static func fill(_ buffer: UnsafeMutableRawPointer, length: Int, fileOffset: UInt64, seed: UInt64) {
        precondition(length % sectorSize == 0 && fileOffset % UInt64(sectorSize) == 0)
        var done = 0
        while done < length {
            fill(sector: buffer + done, sectorOffset: fileOffset + UInt64(done), seed: seed)
            done += sectorSize
        }
    }

    /// The seed recorded in a sector header, or nil if the bytes are not a uringbench header.
    public static func seed(inHeader sector: UnsafeRawPointer, expectedOffset: UInt64) -> UInt64? {
        let magicRead = UInt64(littleEndian: sector.loadUnaligned(as: UInt64.self))
        let offsetRead = UInt64(littleEndian: sector.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        guard magicRead == magic, offsetRead == expectedOffset else { return nil }
        return UInt64(littleEndian: sector.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
    }

    /// What a read returned that the pattern did not predict.
    public struct Mismatch: Error, Equatable, Sendable, CustomStringConvertible {
        public let fileOffset: UInt64          // first byte that differs
        public let expected: UInt8
        public let actual: UInt8
        /// Set when the sector's header is intact but names another offset: the read returned
        /// the wrong block rather than corrupted bytes.
        public let dataBelongsAt: UInt64?

        public var description: String {
            var text = "byte at offset \(fileOffset) is 0x\(String(actual, radix: 16)), expected 0x\(String(expected, radix: 16))"
            if let other = dataBelongsAt { text += " (the sector holds the data of offset \(other))" }
            return text
        }
    }

    /// Checks `length` bytes read from file offset `fileOffset` (any alignment) against the
    /// pattern; returns the first mismatch.
    public static func verify(_ buffer: UnsafeRawPointer, length: Int, fileOffset: UInt64, seed: UInt64) -> Mismatch? {
        let sector = UInt64(sectorSize)
        return withUnsafeTemporaryAllocation(byteCount: sectorSize, alignment: 8) { scratch -> Mismatch? in
            guard let expected = scratch.baseAddress else { return nil }
            var position = fileOffset
            let end = fileOffset + UInt64(length)
            while position < end {
                let sectorStart = position - position % sector
                fill(sector: expected, sectorOffset: sectorStart, seed: seed)
                let from = Int(position - sectorStart)
                let to = Int(min(end, sectorStart + sector) - sectorStart)
                let got = buffer + Int(position - fileOffset)
                if memcmp(expected + from, got, to - from) != 0 {
                    for i in 0..<(to - from) {
                        let e = expected.load(fromByteOffset: from + i, as: UInt8.self)
                        let a = got.load(fromByteOffset: i, as: UInt8.self)
                        if e != a {
                            var belongsAt: UInt64? = nil
                            if from == 0, to >= 32 {
                                let m = UInt64(littleEndian: got.loadUnaligned(as: UInt64.self))
                                let o = UInt64(littleEndian: got.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                                let n = UInt64(littleEndian: got.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
                                if m == magic, n == ~o, o != sectorStart { belongsAt = o }
                            }
                            return Mismatch(fileOffset: position + UInt64(i), expected: e, actual: a, dataBelongsAt: belongsAt)
                        }
                    }
                }
                position = sectorStart + sector
            }
            return nil
        }
    }
}

import Glibc

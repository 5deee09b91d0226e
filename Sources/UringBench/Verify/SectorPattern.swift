import Glibc

/// DataPattern for one file seed and one set of flags, made once per job, so that preparing a
/// write touches only what changes from write to write: each sector's header and checksum.
///
/// Bytes 32–507 of a sector (payload and flags) depend only on the seed and on the sector's
/// number mod 256, its variant: the 256 payloads are made here once, so no 128 KiB of the file
/// repeats one. crc32c is affine in every byte it sums, so the checksum of bytes 0–507 is the
/// variant's constant (the sector's crc32c register with offset and generation 0) xor one table
/// entry per byte of the offset and one per byte of the generation: 16 lookups instead of
/// summing 508 bytes. A write whose buffer still holds the right payloads (the runner knows)
/// writes 32 header bytes and 4 checksum bytes per sector; otherwise it copies the payloads in
/// first. Every byte stays what DataPattern says it is.
///
/// Plain memory, no reference counting in the IO loop; the owner calls deallocate().
struct SectorPattern {
    static let variants = 256
    static let payloadOffset = DataPattern.headerWords * 8

    let seed: UInt64
    let flags: UInt32
    /// Per variant, a whole sector of offset 0 and generation 0: header, payload, flags (the
    /// checksum field is left 0). Copied in whole; the header is then written over.
    private let images: UnsafeMutableRawPointer
    /// Per variant: the crc32c register (before the final inversion) of its image's bytes 0–507.
    private let constants: UnsafeMutablePointer<UInt32>
    /// 16 × 256 entries: what byte k of the offset (k < 8) or of the generation (k ≥ 8) adds to
    /// the register, for each of its 256 values. The same for every seed.
    private let terms: UnsafePointer<UInt32>

    /// The variant of the sector at file offset `offset`.
    @inline(__always)
    static func variant(_ offset: UInt64) -> Int { Int(truncatingIfNeeded: (offset >> 9) & 0xFF) }

    init(seed: UInt64, flags: UInt32) {
        self.seed = seed
        self.flags = flags
        let size = DataPattern.sectorSize
        images = .allocate(byteCount: Self.variants * size, alignment: 64)
        constants = .allocate(capacity: Self.variants)
        terms = Self.byteTerms
        for v in 0..<Self.variants {
            let image = images + v * size
            let words = image.bindMemory(to: UInt64.self, capacity: size / 8)
            words[0] = DataPattern.magic.littleEndian
            words[1] = 0
            words[2] = seed.littleEndian
            words[3] = 0
            let key = DataPattern.payloadKey(seed: seed, variant: v)
            for i in DataPattern.headerWords..<(DataPattern.headerWords + DataPattern.dataWords) {
                words[i] = DataPattern.word(key: key, index: i).littleEndian
            }
            image.storeBytes(of: flags.littleEndian, toByteOffset: DataPattern.flagsOffset, as: UInt32.self)
            image.storeBytes(of: 0, toByteOffset: DataPattern.checksumOffset, as: UInt32.self)
            constants[v] = ~CRC32C.checksum(UnsafeRawPointer(image), length: DataPattern.checksumOffset)
        }
    }

    func deallocate() {
        images.deallocate()
        constants.deallocate()
    }

    /// What the generation adds to every checksum of one write (the same for all its sectors).
    @inline(__always)
    func generationTerm(_ generation: UInt64) -> UInt32 {
        var r: UInt32 = 0
        var g = generation
        for k in 8..<16 {
            r ^= terms[k &<< 8 | Int(truncatingIfNeeded: g & 0xFF)]
            g &>>= 8
        }
        return r
    }

    /// The crc32c of bytes 0–507 of the variant's sector at `offset`, of the generation whose
    /// term is given.
    @inline(__always)
    func checksum(variant: Int, offset: UInt64, generationTerm: UInt32) -> UInt32 {
        var r = constants[variant] ^ generationTerm
        var o = offset
        for k in 0..<8 {
            r ^= terms[k &<< 8 | Int(truncatingIfNeeded: o & 0xFF)]
            o &>>= 8
        }
        return ~r
    }

    /// Writes `length` bytes (whole sectors) of the pattern at file offset `fileOffset` (a
    /// multiple of 512), every sector of `generation`. `payloadInPlace`: the buffer already
    /// holds, in every sector, the payload and flags of that sector's variant (it was last
    /// filled here for an offset of the same variant and nothing has written into it since).
    @inline(__always)
    func fill(_ buffer: UnsafeMutableRawPointer, length: Int, fileOffset: UInt64, generation: UInt64, payloadInPlace: Bool) {
        let size = DataPattern.sectorSize
        let g = generationTerm(generation)
        var done = 0
        var offset = fileOffset
        while done < length {
            let sector = buffer + done
            let v = Self.variant(offset)
            if !payloadInPlace { sector.copyMemory(from: images + v &* size, byteCount: size) }
            sector.storeBytes(of: DataPattern.magic.littleEndian, as: UInt64.self)
            sector.storeBytes(of: offset.littleEndian, toByteOffset: 8, as: UInt64.self)
            sector.storeBytes(of: seed.littleEndian, toByteOffset: 16, as: UInt64.self)
            sector.storeBytes(of: generation.littleEndian, toByteOffset: 24, as: UInt64.self)
            sector.storeBytes(of: checksum(variant: v, offset: offset, generationTerm: g).littleEndian,
                              toByteOffset: DataPattern.checksumOffset, as: UInt32.self)
            done &+= size
            offset &+= UInt64(size)
        }
    }

    /// Checks `length` bytes (whole sectors) read from file offset `fileOffset`: every sector's
    /// magic, offset, seed, flags, generation (against `generations`), payload and checksum —
    /// all 512 bytes. A sector that is not exactly this pattern's goes to `DataPattern.diagnose`,
    /// which decides as the full check always did (a sector with other flags can still pass).
    /// Returns the first mismatch.
    @inline(__always)
    func verify(_ buffer: UnsafeRawPointer, length: Int, fileOffset: UInt64, generations: GenerationWindow) -> VerifyMismatch? {
        let size = DataPattern.sectorSize
        var done = 0
        var at = fileOffset
        while done < length {
            let sector = buffer + done
            if !holdsPattern(sector, at: at, generations: generations),
               let bad = DataPattern.diagnose(sector, at: at, seed: seed, generations: generations,
                                              expectedPayload: payload(variant: Self.variant(at))) {
                return bad
            }
            done &+= size
            at &+= UInt64(size)
        }
        return nil
    }

    /// True when the sector is exactly the pattern's sector at `at` of a generation in the
    /// window with this pattern's flags. Anything else (other flags included) goes to the full
    /// diagnosis, which decides as before.
    @inline(__always)
    private func holdsPattern(_ sector: UnsafeRawPointer, at: UInt64, generations: GenerationWindow) -> Bool {
        let generation = UInt64(littleEndian: sector.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
        guard UInt64(littleEndian: sector.loadUnaligned(as: UInt64.self)) == DataPattern.magic,
              UInt64(littleEndian: sector.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) == at,
              UInt64(littleEndian: sector.loadUnaligned(fromByteOffset: 16, as: UInt64.self)) == seed,
              generations.contains(generation) else { return false }
        let v = Self.variant(at)
        let stored = UInt32(littleEndian: sector.loadUnaligned(fromByteOffset: DataPattern.checksumOffset, as: UInt32.self))
        guard stored == checksum(variant: v, offset: at, generationTerm: generationTerm(generation)) else { return false }
        // Payload and flags, bytes 32–507.
        let tail = Self.payloadOffset
        return memcmp(sector + tail, images + v &* DataPattern.sectorSize + tail, DataPattern.checksumOffset - tail) == 0
    }

    /// The variant's payload: bytes 32–503 of its sectors.
    func payload(variant: Int) -> UnsafeRawPointer {
        UnsafeRawPointer(images + variant &* DataPattern.sectorSize + Self.payloadOffset)
    }

    /// The 16 × 256 byte terms. A byte `b` at position p of the 508 summed, all others 0, puts
    /// table[b] into a register that starts at 0, and each of the 507 − p zero bytes after it
    /// moves the register one step: so the term at p is the one at p + 1 moved one step more.
    /// Made once per process (about 130,000 table steps) and only read after: safe to share.
    nonisolated(unsafe) static let byteTerms: UnsafePointer<UInt32> = {
        let out = UnsafeMutablePointer<UInt32>.allocate(capacity: 16 * 256)
        CRC32C.table.withUnsafeBufferPointer { t in
            @inline(__always) func step(_ r: UInt32) -> UInt32 { t[Int(r & 0xFF)] ^ (r >> 8) }
            let last = DataPattern.checksumOffset - 1
            for b in 0..<256 {
                // The generation's top byte sits at 31; walk down to the offset's lowest at 8.
                var r = t[b]
                for _ in 0..<(last - 31) { r = step(r) }
                for position in stride(from: 31, through: 8, by: -1) {
                    if position >= 24 { out[(8 + position - 24) * 256 + b] = r }
                    else if position <= 15 { out[(position - 8) * 256 + b] = r }
                    r = step(r)
                }
            }
        }
        return UnsafePointer(out)
    }()
}

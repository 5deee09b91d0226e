import CSystemShims
import UringCore

/// crc32c (Castagnoli, fio's verify=crc32c): the CPU's crc32 instruction where there is one
/// (SSE4.2; CSystemShims issues it, eight bytes a call), else a slicing-by-8 table. Both give
/// the same values.
public enum CRC32C {
    /// Chosen once per process.
    static let usesHardware = CPUFeatures.crc32

    /// The crc32c of `length` bytes (standard: initial value and final xor 0xFFFFFFFF).
    @inline(__always)
    static func checksum(_ data: UnsafeRawPointer, length: Int) -> UInt32 {
        ~update(0xFFFF_FFFF, data, length: length)
    }

    @inline(__always)
    static func update(_ crc: UInt32, _ data: UnsafeRawPointer, length: Int) -> UInt32 {
        usesHardware ? hardware(crc, data, length: length) : software(crc, data, length: length)
    }

    /// The crc32 instruction over eight bytes a step, then byte by byte.
    static func hardware(_ start: UInt32, _ data: UnsafeRawPointer, length: Int) -> UInt32 {
        var wide = UInt64(start)
        var p = data
        var n = length
        while n >= 8 {
            wide = CSystemShims_crc32c_u64(wide, UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)))
            p += 8
            n -= 8
        }
        var crc = UInt32(truncatingIfNeeded: wide)
        while n > 0 {
            crc = CSystemShims_crc32c_u8(crc, p.load(as: UInt8.self))
            p += 1
            n -= 1
        }
        return crc
    }

    /// Slicing-by-8 (Intel's, as in zlib and the kernel's crc32c_generic): eight bytes per step.
    static func software(_ start: UInt32, _ data: UnsafeRawPointer, length: Int) -> UInt32 {
        let t = table
        var crc = start
        var p = data
        var n = length
        while n >= 8 {
            let one = UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)) ^ crc
            let two = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
            crc = t[7 * 256 + Int(one & 0xFF)] ^ t[6 * 256 + Int((one >> 8) & 0xFF)]
                ^ t[5 * 256 + Int((one >> 16) & 0xFF)] ^ t[4 * 256 + Int(one >> 24)]
                ^ t[3 * 256 + Int(two & 0xFF)] ^ t[2 * 256 + Int((two >> 8) & 0xFF)]
                ^ t[256 + Int((two >> 16) & 0xFF)] ^ t[Int(two >> 24)]
            p += 8
            n -= 8
        }
        while n > 0 {
            crc = t[Int((crc ^ UInt32(p.load(as: UInt8.self))) & 0xFF)] ^ (crc >> 8)
            p += 1
            n -= 1
        }
        return crc
    }

    /// 8 × 256 entries of the reflected Castagnoli polynomial 0x82F63B78.
    static let table: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
            t[i] = c
        }
        for i in 0..<256 {
            for k in 1..<8 { t[k * 256 + i] = (t[(k - 1) * 256 + i] >> 8) ^ t[Int(t[(k - 1) * 256 + i] & 0xFF)] }
        }
        return t
    }()
}

import Glibc
import UringCore

/// Where a --verify write run numbers its writes from: above every generation the file's
/// blocks already carry. The wall clock alone is not enough: a block written while the clock
/// was ahead (an NTP step, a VM snapshot restored, a file copied from another host) would
/// otherwise look newer than this run's writes, and its first read would fail "stale".
enum GenerationFloor {
    static let chunk = 1 << 20

    /// The highest generation in an intact uringbench sector header (magic, its own offset,
    /// checksum) among `length` bytes of `fd` from `start` (the job's region); 0 when there is none. Read through the
    /// run's own descriptor (O_DIRECT or not), before the run, in no figure.
    static func highest(fd: Int32, from start: UInt64 = 0, length: UInt64, alignment: Int) throws(BenchError) -> UInt64 {
        let size = DataPattern.sectorSize
        let buffer = try AlignedBuffers(count: 1, size: chunk, alignment: max(4096, alignment))
        let raw = buffer.buffer(0)
        var highest: UInt64 = 0
        var offset = start
        let end = start &+ length
        while offset < end {
            let want = Int(min(UInt64(chunk), end - offset))
            let got: Int
            do { got = try Syscalls.pread(fd, raw, want, offset) } catch {
                throw .system(context: "reading the data file's generations before a --verify run (offset \(offset))", error: error)
            }
            for s in 0..<(got / size) {
                let sector = UnsafeRawPointer(raw + s * size)
                let h = DataPattern.SectorHeader(sector)
                guard h.magic == DataPattern.magic, h.offset == offset + UInt64(s * size), h.generation > highest,
                      CRC32C.checksum(sector, length: DataPattern.checksumOffset) == h.checksum else { continue }
                highest = h.generation
            }
            if got < want { break }
            offset += UInt64(got)
        }
        return highest
    }
}

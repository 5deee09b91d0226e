import Glibc

/// One aligned allocation cut into `count` IO buffers of `size` bytes, made once per run.
/// O_DIRECT needs the memory aligned to the device's DMA alignment; 4096 covers every device
/// uringbench has met and is what fio uses by default.
public final class AlignedBuffers {
    public let base: UnsafeMutableRawPointer
    public let size: Int
    public let count: Int
    let alignment: Int

    public init(count: Int, size: Int, alignment: Int = 4096) throws(BenchError) {
        precondition(count > 0 && size > 0)
        var memory: UnsafeMutableRawPointer? = nil
        let total = count * size
        let rc = posix_memalign(&memory, max(alignment, MemoryLayout<UInt64>.alignment), total)
        guard rc == 0, let memory else {
            throw BenchError.outOfMemory(what: "\(count) IO buffers of \(size) bytes")
        }
        memset(memory, 0, total)
        self.base = memory
        self.size = size
        self.count = count
        self.alignment = alignment
    }

    @inline(__always)
    public func buffer(_ slot: Int) -> UnsafeMutableRawPointer { base + slot &* size }

    deinit { free(base) }
}

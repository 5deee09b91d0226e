import Glibc

/// One aligned allocation cut into IO buffers of `size` bytes, made once per run.
/// O_DIRECT needs the memory aligned to the device's DMA alignment; 4096 covers every device
/// uringbench has met and is what fio uses by default.
///
/// Slot `i` uses buffer `i` unless `spare` buffers were asked for: then the write pattern
/// (PatternHook) may hand a slot a spare buffer that already holds the payloads its next write
/// needs, and takes the slot's old one as a spare. Engines only ever see a slot's buffer
/// (`buffer(_:)`) and, for registered buffers, its index among all of them (`index(_:)`).
public final class AlignedBuffers {
    public let base: UnsafeMutableRawPointer
    public let size: Int
    /// The slots: buffers in use at once, at most.
    public let count: Int
    /// All the buffers, the slots' and the spares' (what --fixedbufs registers).
    public let total: Int
    let alignment: Int
    /// Which buffer each slot uses.
    private let assigned: UnsafeMutablePointer<Int32>

    public init(count: Int, size: Int, alignment: Int = 4096, spare: Int = 0) throws(BenchError) {
        precondition(count > 0 && size > 0 && spare >= 0)
        var memory: UnsafeMutableRawPointer? = nil
        let total = count + spare
        let rc = posix_memalign(&memory, max(alignment, MemoryLayout<UInt64>.alignment), total * size)
        guard rc == 0, let memory else {
            throw BenchError.outOfMemory(what: "\(total) IO buffers of \(size) bytes")
        }
        memset(memory, 0, total * size)
        self.base = memory
        self.size = size
        self.count = count
        self.total = total
        self.alignment = alignment
        assigned = .allocate(capacity: count)
        for slot in 0..<count { assigned[slot] = Int32(slot) }
    }

    /// The buffer `slot` reads into and writes from.
    @inline(__always)
    public func buffer(_ slot: Int) -> UnsafeMutableRawPointer { base + Int(assigned[slot]) &* size }

    /// The index of `slot`'s buffer among all `total` (a registered buffer's index).
    @inline(__always)
    public func index(_ slot: Int) -> Int32 { assigned[slot] }

    /// Buffer `index` of all `total`, whichever slot uses it.
    @inline(__always)
    public func buffer(atIndex index: Int) -> UnsafeMutableRawPointer { base + index &* size }

    /// Gives `slot` buffer `index` (a spare) and returns the index of the one it had. Only
    /// between a slot's IOs: never while the kernel may read or write its buffer.
    @inline(__always)
    func exchange(slot: Int, for index: Int32) -> Int32 {
        let old = assigned[slot]
        assigned[slot] = index
        return old
    }

    deinit {
        assigned.deallocate()
        free(base)
    }
}

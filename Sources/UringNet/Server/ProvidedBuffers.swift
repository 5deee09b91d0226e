import CLiburing
import Glibc
import UringCore

/// A provided-buffer ring registered on an IORing: `count` buffers of `size` bytes in one
/// allocation, handed to multishot recvs of buffer group `group`; a buffer goes back with
/// `recycle` once its bytes are used.
final class ProvidedBuffers {
    let group: UInt16
    let count: Int
    let size: Int
    private let bufferRing: UnsafeMutablePointer<io_uring_buf_ring>
    private let memory: UnsafeMutableRawPointer

    /// `count` must be a power of two (the kernel's ring mask).
    init(ring: IORing, count: Int, size: Int, group: UInt16 = 0, engine: String) throws(NetError) {
        self.group = group
        self.count = count
        self.size = size
        var err: Int32 = 0
        guard let br = CLiburing_setup_buf_ring(ring.ring, UInt32(count), group, &err) else {
            throw NetError.ioUringUnavailable(engine: "\(engine) (provided-buffer ring)", error: Errno(negated: err))
        }
        bufferRing = br
        memory = .allocate(byteCount: count * size, alignment: 4096)
        for bid in 0..<count {
            io_uring_buf_ring_add(br, memory + bid * size, UInt32(size), UInt16(bid), io_uring_buf_ring_mask(UInt32(count)), Int32(bid))
        }
        io_uring_buf_ring_advance(br, Int32(count))
    }

    @inline(__always)
    func address(_ bid: Int) -> UnsafeMutableRawPointer { memory + bid * size }

    @inline(__always)
    func recycle(_ bid: Int) {
        CLiburing_buf_ring_recycle(bufferRing, memory + bid * size, UInt32(size), UInt16(bid), UInt32(count))
    }

    /// Unregisters the ring from `ring` (before ring.exit) and frees the buffers.
    func free(from ring: IORing) {
        CLiburing_free_buf_ring(ring.ring, bufferRing, UInt32(count), group)
        memory.deallocate()
    }
}

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
        let br: UnsafeMutablePointer<io_uring_buf_ring>
        do {
            br = try Self.registerRing(ring, entries: count, group: group)
        } catch {
            throw NetError.ioUringUnavailable(engine: "\(engine) (provided-buffer ring)", error: error)
        }
        bufferRing = br
        memory = .allocate(byteCount: count * size, alignment: 4096)
        for bid in 0..<count {
            io_uring_buf_ring_add(br, memory + bid * size, UInt32(size), UInt16(bid), io_uring_buf_ring_mask(UInt32(count)), Int32(bid))
        }
        io_uring_buf_ring_advance(br, Int32(count))
    }

    /// io_uring_setup_buf_ring() only arrived in liburing 2.4: maps the ring's memory, registers
    /// it as group `group` and leaves it empty (tail 0).
    private static func registerRing(_ ring: IORing, entries: Int, group: UInt16) throws(Errno) -> UnsafeMutablePointer<io_uring_buf_ring> {
        let bytes = entries * MemoryLayout<io_uring_buf>.stride
        guard let memory = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0),
              memory != MAP_FAILED else { throw .current }
        var registration = io_uring_buf_reg()
        registration.ring_addr = UInt64(UInt(bitPattern: memory))
        registration.ring_entries = UInt32(entries)
        registration.bgid = group
        let rc = io_uring_register_buf_ring(ring.ring, &registration, 0)
        if rc < 0 {
            munmap(memory, bytes)
            throw Errno(negated: rc)
        }
        let bufferRing = memory.assumingMemoryBound(to: io_uring_buf_ring.self)
        io_uring_buf_ring_init(bufferRing)
        return bufferRing
    }

    @inline(__always)
    func address(_ bid: Int) -> UnsafeMutableRawPointer { memory + bid * size }

    @inline(__always)
    func recycle(_ bid: Int) {
        // One add, one tail release.
        io_uring_buf_ring_add(bufferRing, memory + bid * size, UInt32(size), UInt16(bid), io_uring_buf_ring_mask(UInt32(count)), 0)
        io_uring_buf_ring_advance(bufferRing, 1)
    }

    /// Unregisters the ring from `ring` (before ring.exit) and frees the buffers.
    func free(from ring: IORing) {
        _ = io_uring_unregister_buf_ring(ring.ring, Int32(group))
        munmap(bufferRing, count * MemoryLayout<io_uring_buf>.stride)
        memory.deallocate()
    }
}

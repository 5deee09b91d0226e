import CLiburing
import Glibc
import UringBench

/// One io_uring owned by one thread: setup with the best accepted flags, SQE acquisition that
/// submits when the SQ is full, and a wait that wakes at least every 100 ms (stop and idle checks).
final class Ring {
    let ring: UnsafeMutablePointer<io_uring>
    let cqes: UnsafeMutablePointer<UnsafeMutablePointer<io_uring_cqe>?>
    let batch = 256
    /// Names of the setup flags the kernel accepted.
    let flagNames: [String]
    private var initialized = false

    /// Tries each flag set in order and keeps the first the kernel accepts; the last entry should
    /// be [] so plain io_uring still works on an older kernel. Refusal of io_uring itself throws.
    init(entries: UInt32, flagChoices: [[(UInt32, String)]], engine: String) throws(NetError) {
        ring = .allocate(capacity: 1)
        ring.initialize(to: io_uring())
        cqes = .allocate(capacity: batch)
        var lastError = Errno.invalidArgument
        var chosen: [String]? = nil
        for choice in flagChoices {
            var params = io_uring_params()
            params.flags = choice.reduce(0) { $0 | $1.0 }
            params.flags |= IORING_SETUP_CQSIZE
            params.cq_entries = entries * 4
            let rc = io_uring_queue_init_params(entries, ring, &params)
            if rc == 0 { chosen = choice.map(\.1); break }
            lastError = Errno(negated: rc)
            if lastError != .invalidArgument { break }   // EPERM, ENOMEM...: not a flag problem
        }
        guard let chosen else {
            cqes.deallocate()
            ring.deallocate()
            throw NetError.ioUringUnavailable(engine: engine, error: lastError)
        }
        flagNames = chosen
        initialized = true
    }

    @inline(__always)
    func sqe() -> UnsafeMutablePointer<io_uring_sqe> {
        while true {
            if let s = io_uring_get_sqe(ring) { return s }
            _ = io_uring_submit(ring)
        }
    }

    /// Submits what is queued and waits for at least one completion or `timeoutNs`.
    @inline(__always)
    func submitAndWait(timeoutNs: Int) {
        var ts = __kernel_timespec(tv_sec: Int64(timeoutNs / 1_000_000_000), tv_nsec: Int64(timeoutNs % 1_000_000_000))
        var cqe: UnsafeMutablePointer<io_uring_cqe>? = nil
        _ = io_uring_submit_and_wait_timeout(ring, &cqe, 1, &ts, nil)
    }

    /// Ready completions (at most `batch`); call `advance(n)` once they are handled.
    @inline(__always)
    func peek() -> Int {
        Int(io_uring_peek_batch_cqe(ring, cqes, UInt32(batch)))
    }

    @inline(__always)
    func advance(_ n: Int) { io_uring_cq_advance(ring, UInt32(n)) }

    /// Hands every completion in the CQ to `body` (user_data, res, flags), in batches, until the
    /// queue is empty. Inlined with its non-escaping closure: no allocation per completion.
    @inline(__always)
    func forEachCompletion(_ body: (UInt64, Int32, UInt32) -> Void) {
        while true {
            let n = peek()
            if n == 0 { return }
            for k in 0..<n {
                guard let cqe = cqes[k] else { continue }
                body(cqe.pointee.user_data, cqe.pointee.res, cqe.pointee.flags)
            }
            advance(n)
        }
    }

    func exit() {
        guard initialized else { return }
        io_uring_queue_exit(ring)
        initialized = false
        cqes.deallocate()
        ring.deallocate()
    }
}

/// user_data layout: operation in the top byte, connection slot in the low 32 bits.
enum RingOp: UInt64 {
    case accept = 1, recv = 2, send = 3, cancel = 4, listenerPoll = 5

    @inline(__always)
    func token(_ slot: Int) -> UInt64 { rawValue << 56 | UInt64(UInt32(truncatingIfNeeded: slot)) }

    @inline(__always)
    static func decode(_ data: UInt64) -> (RingOp?, Int) {
        (RingOp(rawValue: data >> 56), Int(data & 0xffff_ffff))
    }
}

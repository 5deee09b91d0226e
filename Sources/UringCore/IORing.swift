import CLiburing
import Glibc

/// One io_uring and the memory liburing keeps it in: set up in `init`, torn down once, by
/// `exit()` or else by `deinit` (io_uring_queue_exit). The disk engine and the network loops
/// each hold one, outside their loops, and reach `ring` and `cqes` directly on the hot path:
/// no retain or release per IO.
///
/// Also what the network loops share: SQE acquisition that submits when the SQ is full, a wait
/// that wakes at least every `timeoutNs` (stop and idle checks), completions peeked in batches.
///
/// The per-IO methods are public for the reason `CycleClock.now` is: a `package` @inlinable
/// method stays a call from another module.
public final class IORing {
    @usableFromInline package let ring: UnsafeMutablePointer<io_uring>
    @usableFromInline package let cqes: UnsafeMutablePointer<UnsafeMutablePointer<io_uring_cqe>?>
    @usableFromInline package let batch: Int
    /// The parameters as the kernel filled them in (features, SQ and CQ sizes).
    package let params: io_uring_params
    private var initialized = true

    /// io_uring_queue_init_params with `params`; the kernel's refusal throws its errno.
    /// `completionBatch` is how many CQEs one `peek` hands out.
    package init(entries: UInt32, params: io_uring_params, completionBatch: Int = 256) throws(Errno) {
        var params = params
        let ring = UnsafeMutablePointer<io_uring>.allocate(capacity: 1)
        ring.initialize(to: io_uring())
        let rc = io_uring_queue_init_params(entries, ring, &params)
        guard rc == 0 else {
            ring.deallocate()
            throw Errno(negated: rc)
        }
        self.ring = ring
        self.params = params
        batch = completionBatch
        cqes = .allocate(capacity: completionBatch)
        cqes.initialize(repeating: nil, count: completionBatch)
    }

    /// Tries each set of setup flags in order (a CQ four times the SQ with each) and keeps the
    /// first the kernel accepts; the last choice should be 0 so plain io_uring still works on an
    /// older kernel. EINVAL moves on to the next choice; any other refusal (EPERM, ENOMEM...) is
    /// not a flag problem and throws at once.
    package static func setUp(entries: UInt32, flagChoices: [UInt32]) throws(Errno) -> IORing {
        var lastError = Errno.invalidArgument
        for flags in flagChoices {
            var params = io_uring_params()
            params.flags = flags | IORING_SETUP_CQSIZE
            params.cq_entries = entries * 4
            do {
                return try IORing(entries: entries, params: params)
            } catch {
                lastError = error
                if error != .invalidArgument { break }
            }
        }
        throw lastError
    }

    deinit { exit() }

    /// Names of the setup flags the ring has, CQSIZE (which every `setUp` ring asks for) left out.
    package var flagNames: [String] { IORingSetupFlags.names(ring.pointee.flags & ~IORING_SETUP_CQSIZE) }

    /// The ring's file descriptor (for IORING_SETUP_ATTACH_WQ's wq_fd).
    package var fd: Int32 { ring.pointee.ring_fd }

    @inlinable @inline(__always)
    public func sqe() -> UnsafeMutablePointer<io_uring_sqe> {
        while true {
            if let s = io_uring_get_sqe(ring) { return s }
            _ = io_uring_submit(ring)
        }
    }

    /// Submits what is queued and waits for at least one completion or `timeoutNs`.
    @inlinable @inline(__always)
    public func submitAndWait(timeoutNs: Int) {
        var ts = __kernel_timespec(tv_sec: Int64(timeoutNs / 1_000_000_000), tv_nsec: Int64(timeoutNs % 1_000_000_000))
        var cqe: UnsafeMutablePointer<io_uring_cqe>? = nil
        _ = io_uring_submit_and_wait_timeout(ring, &cqe, 1, &ts, nil)
    }

    /// Ready completions (at most `batch`) into `cqes`; call `advance(n)` once they are handled.
    @inlinable @inline(__always)
    public func peek() -> Int {
        Int(io_uring_peek_batch_cqe(ring, cqes, UInt32(batch)))
    }

    @inlinable @inline(__always)
    public func advance(_ n: Int) { io_uring_cq_advance(ring, UInt32(n)) }

    /// Hands every completion in the CQ to `body` (user_data, res, flags), in batches, until the
    /// queue is empty. Inlined with its non-escaping closure: no allocation per completion.
    @inlinable @inline(__always)
    public func forEachCompletion(_ body: (UInt64, Int32, UInt32) -> Void) {
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

    /// Tears the ring down now (cancelling what is in flight); later calls, and deinit, do nothing.
    package func exit() {
        guard initialized else { return }
        initialized = false
        io_uring_queue_exit(ring)
        cqes.deallocate()
        ring.deallocate()
    }
}

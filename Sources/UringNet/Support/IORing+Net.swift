import CLiburing
import UringCore

extension IORing {
    /// A network loop's ring: the first of `flagChoices` the kernel accepts. A refusal of
    /// io_uring itself names the engine that needed it.
    static func forNet(entries: UInt32, flagChoices: [UInt32], engine: String) throws(NetError) -> IORing {
        do {
            return try setUp(entries: entries, flagChoices: flagChoices)
        } catch {
            throw .ioUringUnavailable(engine: engine, error: error)
        }
    }

    /// Marks a recv SQE as taking its buffer from provided-buffer group `group` (liburing 2.3
    /// has no helper for it).
    @inline(__always)
    static func selectBuffer(_ sqe: UnsafeMutablePointer<io_uring_sqe>, group: UInt16) {
        sqe.pointee.flags |= CLiburing_IOSQE_BUFFER_SELECT
        sqe.pointee.buf_group = group
    }
}

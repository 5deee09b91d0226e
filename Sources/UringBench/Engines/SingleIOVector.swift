import Glibc

/// The one iovec the vectored synchronous engines (pvsync, pvsync2) pass to each call: allocated
/// once with the engine, pointed at each IO's buffer just before its call.
struct SingleIOVector {
    private let pointer: UnsafeMutablePointer<iovec>

    init(length: Int) {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: iovec(iov_base: nil, iov_len: length))
    }

    /// The iovec, now covering `length` bytes at `base`.
    @inline(__always)
    func covering(_ base: UnsafeMutableRawPointer, length: Int) -> UnsafeMutablePointer<iovec> {
        pointer.pointee.iov_base = base
        pointer.pointee.iov_len = length
        return pointer
    }

    /// Called once, from the engine's deinit.
    func deallocate() {
        pointer.deallocate()
    }
}

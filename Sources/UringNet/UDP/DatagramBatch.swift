import CSystemShims
import Glibc

/// A reusable recvmmsg/sendmmsg batch: `count` slots of `size` bytes, each with its msghdr,
/// iovec and source address, allocated once. `receive` fills up to `count` slots; `echo` sends
/// slots [0, n) back to where they came from.
final class DatagramBatch {
    let count: Int
    let size: Int
    private let messages: UnsafeMutablePointer<CSystemShims_mmsghdr>
    private let vectors: UnsafeMutablePointer<iovec>
    private let sources: UnsafeMutablePointer<sockaddr_in>
    private let data: UnsafeMutableRawPointer

    init(count: Int, size: Int) {
        self.count = count
        self.size = size
        messages = .allocate(capacity: count)
        vectors = .allocate(capacity: count)
        sources = .allocate(capacity: count)
        data = .allocate(byteCount: count * size, alignment: 16)
    }

    deinit {
        messages.deallocate()
        vectors.deallocate()
        sources.deallocate()
        data.deallocate()
    }

    /// Waits up to `timeoutMs` for the first datagram, then takes what is queued without
    /// blocking: how many arrived, 0 on a timeout (or EAGAIN/EINTR), else -errno.
    func receive(_ fd: Int32, timeoutMs: Int32) -> Int32 {
        var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let polled = poll(&ready, 1, timeoutMs)
        if polled < 0 { return -errno }
        if polled == 0 { return 0 }
        for i in 0..<count {
            vectors[i] = iovec(iov_base: data + i * size, iov_len: size)
            var header = msghdr()
            header.msg_iov = vectors + i
            header.msg_iovlen = 1
            header.msg_name = UnsafeMutableRawPointer(sources + i)
            header.msg_namelen = socklen_t(MemoryLayout<sockaddr_in>.size)
            messages[i] = CSystemShims_mmsghdr(msg_hdr: header, msg_len: 0)
        }
        let n = CSystemShims_recvmmsg(fd, messages, UInt32(count), Int32(MSG_DONTWAIT))
        return n == -EAGAIN || n == -EINTR ? 0 : n
    }

    /// Sends datagrams [0, n) of the last `receive` back to their sources, each as long as it
    /// arrived: how many went (all n), or -errno.
    func echo(_ fd: Int32, _ n: Int32) -> Int32 {
        for i in 0..<Int(n) { vectors[i].iov_len = Int(messages[i].msg_len) }
        var sent: Int32 = 0
        while sent < n {
            let r = CSystemShims_sendmmsg(fd, messages + Int(sent), UInt32(n - sent), 0)
            if r == -EINTR { continue }
            if r < 0 { return r }
            sent += r
        }
        return sent
    }

    /// Bytes of datagram `i` of the last `receive`.
    func length(_ i: Int) -> UInt32 { messages[i].msg_len }
}

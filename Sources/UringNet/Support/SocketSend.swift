import CLiburing  // MSG_NOSIGNAL comes through liburing.h here (not found through SwiftGlibc alone)
import CSystemShims
import Glibc

/// The epoll clients' write path: send() until the bytes are gone or the socket is full, and
/// EPOLLOUT interest only while something waits to be written.
enum SocketSend {
    enum Outcome { case done, wouldBlock, failed }

    /// Sends `buffer[offset..<length]`, advancing `offset`; EINTR is retried.
    @inline(__always)
    static func push(_ fd: Int32, _ buffer: UnsafeRawPointer, offset: inout Int, length: Int) -> Outcome {
        while offset < length {
            let n = send(fd, buffer + offset, length - offset, Int32(MSG_NOSIGNAL))
            if n < 0 {
                let e = errno
                if e == EINTR { continue }
                return e == EAGAIN ? .wouldBlock : .failed
            }
            offset += n
        }
        return .done
    }

    /// Turns EPOLLOUT interest on or off for `fd` (registered with `token`), if it changes.
    @inline(__always)
    static func watchWritable(_ epfd: Int32, _ fd: Int32, token: UInt64, _ want: Bool, current: inout Bool) {
        guard want != current else { return }
        current = want
        _ = CSystemShims_epoll_ctl(epfd, CSystemShims_EPOLL_CTL_MOD, fd, want ? CSystemShims_EPOLLIN | CSystemShims_EPOLLOUT : CSystemShims_EPOLLIN, token)
    }
}

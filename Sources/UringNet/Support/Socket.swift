// SOCK_* (glibc's enum __socket_type): release builds find them only through CLiburing, whose
// liburing.h includes <sys/socket.h> itself.
import CLiburing
import CSystemShims
import Glibc

/// Socket setup for the network models, each step a plain libc call. Like the C shims and
/// liburing, each returns the fd (or 0) or -errno, which `Net` turns into a typed error once.
/// Addresses are IPv4 dotted quads; -EINVAL means a bad address.
enum Socket {
    /// socket + SO_REUSEADDR (+ SO_REUSEPORT) + bind + listen; the port actually bound goes to
    /// `boundPort` (useful with port 0).
    static func tcpListen(_ address: String, port: UInt16, backlog: Int32, reusePort: Bool, nonBlocking: Bool,
                          boundPort: inout Int32) -> Int32 {
        guard var sa = ipv4(address, port) else { return -EINVAL }
        let fd = socket(AF_INET, streamType | (nonBlocking ? Int32(SOCK_NONBLOCK.rawValue) : 0), 0)
        if fd < 0 { return -errno }
        if setOption(fd, SOL_SOCKET, SO_REUSEADDR) != 0 { return failClosing(fd) }
        if reusePort && setOption(fd, SOL_SOCKET, SO_REUSEPORT) != 0 { return failClosing(fd) }
        if withAddress(&sa, { bind(fd, $0, $1) }) != 0 { return failClosing(fd) }
        if listen(fd, backlog) != 0 { return failClosing(fd) }
        guard let port = localPort(fd) else { return failClosing(fd) }
        boundPort = port
        return fd
    }

    /// A blocking connect with TCP_NODELAY, switched to non-blocking afterwards if asked.
    static func tcpConnect(_ address: String, port: UInt16, nonBlocking: Bool) -> Int32 {
        guard var sa = ipv4(address, port) else { return -EINVAL }
        let fd = socket(AF_INET, streamType, 0)
        if fd < 0 { return -errno }
        var rc: Int32
        repeat { rc = withAddress(&sa) { Glibc.connect(fd, $0, $1) } } while rc != 0 && errno == EINTR
        if rc != 0 { return failClosing(fd) }
        if setNoDelay(fd) != 0 { return failClosing(fd) }
        if nonBlocking {
            let flags = fcntl(fd, F_GETFL)
            if flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0 { return failClosing(fd) }
        }
        return fd
    }

    /// accept4(SOCK_NONBLOCK|SOCK_CLOEXEC), with TCP_NODELAY on the new socket.
    static func acceptNonBlocking(_ listener: Int32) -> Int32 {
        var fd: Int32
        repeat {
            fd = CSystemShims_accept4(listener, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
        } while fd == -EINTR
        if fd < 0 { return fd }
        _ = setNoDelay(fd)
        return fd
    }

    static func setNoDelay(_ fd: Int32) -> Int32 {
        setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY)
    }

    /// A bound UDP socket with a 4 MiB receive buffer (SO_REUSEPORT optional).
    static func udpBind(_ address: String, port: UInt16, reusePort: Bool, boundPort: inout Int32) -> Int32 {
        guard var sa = ipv4(address, port) else { return -EINVAL }
        let fd = socket(AF_INET, datagramType, 0)
        if fd < 0 { return -errno }
        if reusePort && setOption(fd, SOL_SOCKET, SO_REUSEPORT) != 0 { return failClosing(fd) }
        _ = setOption(fd, SOL_SOCKET, SO_RCVBUF, 4 << 20)   // a smaller buffer only drops more
        if withAddress(&sa, { bind(fd, $0, $1) }) != 0 { return failClosing(fd) }
        guard let port = localPort(fd) else { return failClosing(fd) }
        boundPort = port
        return fd
    }

    /// A UDP client socket connected to address:port.
    static func udpConnect(_ address: String, port: UInt16) -> Int32 {
        guard var sa = ipv4(address, port) else { return -EINVAL }
        let fd = socket(AF_INET, datagramType, 0)
        if fd < 0 { return -errno }
        if withAddress(&sa, { Glibc.connect(fd, $0, $1) }) != 0 { return failClosing(fd) }
        return fd
    }

    /// SO_RCVTIMEO for a blocking socket.
    static func setReceiveTimeout(_ fd: Int32, microseconds: Int64) -> Int32 {
        var tv = timeval(tv_sec: Int(microseconds / 1_000_000), tv_usec: Int(microseconds % 1_000_000))
        let rc = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        return rc == 0 ? 0 : -errno
    }

    private static let streamType = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
    private static let datagramType = Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)

    private static func ipv4(_ address: String, _ port: UInt16) -> sockaddr_in? {
        var sa = sockaddr_in()
        sa.sin_family = sa_family_t(AF_INET)
        sa.sin_port = port.bigEndian
        return inet_pton(AF_INET, address, &sa.sin_addr) == 1 ? sa : nil
    }

    private static func withAddress(_ sa: inout sockaddr_in, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32) -> Int32 {
        withUnsafePointer(to: &sa) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }

    private static func localPort(_ fd: Int32) -> Int32? {
        var sa = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let rc = withUnsafeMutablePointer(to: &sa) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return rc == 0 ? Int32(UInt16(bigEndian: sa.sin_port)) : nil
    }

    private static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32 = 1) -> Int32 {
        var value = value
        return setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 ? 0 : -errno
    }

    /// Closes `fd` after a failed step and returns that step's -errno.
    private static func failClosing(_ fd: Int32) -> Int32 {
        let error = errno
        close(fd)
        return -error
    }
}

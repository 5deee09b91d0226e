import CSystemShims
import Glibc
import UringCore

/// Thin throwing wrappers over the socket shims: -errno becomes a typed `Errno` here, once.
enum Net {
    @inline(__always)
    static func check(_ rc: Int32) throws(Errno) -> Int32 {
        if rc < 0 { throw Errno(negated: rc) }
        return rc
    }

    static func validate(address: String) throws(NetError) {
        var a = in_addr()
        if inet_pton(AF_INET, address, &a) != 1 { throw NetError.badAddress(address) }
    }

    /// A TCP listener; port 0 picks a free port. Returns (fd, bound port).
    static func listen(host: String, port: Int, reusePort: Bool, nonBlocking: Bool) throws(NetError) -> (Int32, Int) {
        try validate(address: host)
        var bound: Int32 = 0
        let rc = Socket.tcpListen(host, port: UInt16(port), backlog: 4096, reusePort: reusePort, nonBlocking: nonBlocking, boundPort: &bound)
        if rc == -EADDRINUSE { throw NetError.portInUse(host: host, port: port) }
        if rc < 0 { throw NetError.listenFailed(host: host, port: port, error: Errno(negated: rc)) }
        return (rc, Int(bound))
    }

    static func connect(host: String, port: Int, nonBlocking: Bool) throws(NetError) -> Int32 {
        let rc = Socket.tcpConnect(host, port: UInt16(port), nonBlocking: nonBlocking)
        if rc == -EINVAL { throw NetError.badAddress(host) }
        if rc < 0 { throw NetError.connectFailed(host: host, port: port, error: Errno(negated: rc)) }
        return rc
    }

    /// Process-wide: a peer that vanished must produce EPIPE, never kill the process.
    static func ignoreSIGPIPE() {
        signal(SIGPIPE, SIG_IGN)
    }

    /// Pins the calling thread to `cpu` (a no-op for nil).
    static func pin(_ cpu: Int?) throws(NetError) {
        guard let cpu else { return }
        do {
            try Syscalls.setThreadAffinity([Int32(cpu)])
        } catch {
            throw NetError.system(context: "cannot pin to CPU \(cpu) (sched_setaffinity); pass a CPU listed by nproc", error: error)
        }
    }

    static func threadCPUMicroseconds() -> UInt64 {
        let u = Syscalls.getrusage(CSystemShims_RUSAGE_THREAD)
        return UInt64(u.ru_utime.tv_sec) * 1_000_000 + UInt64(u.ru_utime.tv_usec)
            + UInt64(u.ru_stime.tv_sec) * 1_000_000 + UInt64(u.ru_stime.tv_usec)
    }
}

import Glibc
import UringCore

/// Everything that stops a network run, each one line naming the cause and the fix.
public enum NetError: Error, Equatable, Sendable, CustomStringConvertible {
    case badAddress(String)
    case portInUse(host: String, port: Int)
    case listenFailed(host: String, port: Int, error: Errno)
    case connectFailed(host: String, port: Int, error: Errno)
    case tooManyConnections(needed: Int, limit: UInt64)
    case nothingListening(host: String, port: Int)
    case descriptorHardLimit(option: String, needed: UInt64, hard: UInt64)
    case allRequestsFailed(what: String, failed: UInt64, breakdown: String, hint: String)
    case ioUringUnavailable(engine: String, error: Errno)
    case invalidOption(String)
    case system(context: String, error: Errno)

    public var description: String {
        switch self {
        case .badAddress(let a):
            return "'\(a)' is not an IPv4 address; pass a dotted quad such as 127.0.0.1"
        case .portInUse(let host, let port):
            return "port \(port) on \(host) is already in use (EADDRINUSE); stop the other server or pick another --port (0 picks a free one)"
        case .listenFailed(let host, let port, let e):
            return "cannot listen on \(host):\(port): \(netName(e)) (\(e)); pick a local address and a port above 1023"
        case .connectFailed(let host, let port, let e):
            return "cannot connect to \(host):\(port): \(netName(e)) (\(e)); is a server running there (uringbench echo-server --port \(port))?"
        case .tooManyConnections(let needed, let limit):
            return "this run needs \(needed) file descriptors but the open-file limit (ulimit -n) is \(limit); raise it (ulimit -n \(needed + 64)) or lower -c"
        case .descriptorHardLimit(let option, let needed, let hard):
            return "\(option) up to \(needed - 64) \(option == "-c" ? "connections" : "sockets in all") needs \(needed) open files, above the hard limit (ulimit -Hn) of \(hard); raise the hard limit (as root: ulimit -Hn \(needed), or LimitNOFILE= for a service) or pass counts up to \(hard > 64 ? hard - 64 : 0)"
        case .nothingListening(let host, let port):
            return "nothing is listening on \(host):\(port): connection refused (ICMP port unreachable); start a server there (uringbench udp-server --port \(port)) or fix -s/-p"
        case .allRequestsFailed(let what, let failed, let breakdown, let hint):
            return "\(what): every one of the \(failed) requests failed (\(breakdown)); \(hint)"
        case .ioUringUnavailable(let engine, let e):
            return "\(engine) needs io_uring, and io_uring_queue_init failed: \(netName(e)) (\(e)); check kernel.io_uring_disabled, or use --engine epoll"
        case .invalidOption(let text):
            return text
        case .system(let context, let e):
            return "\(context): \(netName(e)) (\(e))"
        }
    }
}

/// Errno.name plus the socket errors this module meets.
func netName(_ e: Errno) -> String {
    switch e.rawValue {
    case ECONNREFUSED: return "ECONNREFUSED"
    case ECONNRESET: return "ECONNRESET"
    case EADDRINUSE: return "EADDRINUSE"
    case EADDRNOTAVAIL: return "EADDRNOTAVAIL"
    case ENETUNREACH: return "ENETUNREACH"
    case EHOSTUNREACH: return "EHOSTUNREACH"
    case ETIMEDOUT: return "ETIMEDOUT"
    case EMFILE: return "EMFILE"
    case ENFILE: return "ENFILE"
    case ENOBUFS: return "ENOBUFS"
    default: return e.name
    }
}

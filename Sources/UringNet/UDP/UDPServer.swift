import CLiburing
import CSystemShims
import Glibc
import Synchronization
import UringCore

/// The UDP models of the seed: one socket shared by many threads (recvfrom), a socket per thread
/// with SO_REUSEPORT (recvfrom), batching with recvmmsg/sendmmsg, and batching with io_uring
/// (a window of recvmsg SQEs, each answered by a sendmsg from the same buffer).
public enum UDPEngine: String, CaseIterable, Sendable, Codable {
    case recvfrom, recvmmsg, io_uring
}

public struct UDPServerConfig: Sendable {
    public var engine: UDPEngine
    public var host = "127.0.0.1"
    public var port = 0
    public var threads = 1
    public var reusePort = false          // false: every thread shares one socket
    public var batch = 32                 // recvmmsg batch / io_uring recvmsg window per thread
    public var cpus: [Int] = []
    public var maxDatagram = 65536

    public init(engine: UDPEngine) { self.engine = engine }

    public var modelName: String {
        "\(engine.rawValue)\(reusePort ? " reuseport" : threads > 1 ? " shared-socket" : "")"
    }
}

public struct UDPServerStats: Sendable, Codable, Equatable {
    public var datagrams: UInt64 = 0
    public var bytes: UInt64 = 0
    public var sendErrors: UInt64 = 0
    public var cpuMicroseconds: UInt64 = 0
    public init() {}
}

public final class UDPServer: Sendable {
    public let config: UDPServerConfig
    public let port: Int
    private let stopSignal = StopSignal()
    private let threads = Mutex<[NetThread]>([])
    private let results = Mutex(UDPServerStats())
    private let sockets: [Int32]

    private init(config: UDPServerConfig, port: Int, sockets: [Int32]) {
        self.config = config
        self.port = port
        self.sockets = sockets
    }

    public static func start(_ config: UDPServerConfig) throws(NetError) -> UDPServer {
        try Net.validate(address: config.host)
        guard config.threads >= 1, config.batch >= 1, config.batch <= 1024 else {
            throw NetError.invalidOption("--threads must be at least 1 and --batch 1-1024")
        }
        var fds: [Int32] = []
        var port = config.port
        let socketCount = config.reusePort ? config.threads : 1
        for _ in 0..<socketCount {
            var bound: Int32 = 0
            let fd = Socket.udpBind(config.host, port: UInt16(port), reusePort: config.reusePort, boundPort: &bound)
            if fd < 0 {
                for f in fds { Syscalls.close(f) }
                if fd == -EADDRINUSE { throw NetError.portInUse(host: config.host, port: port) }
                throw NetError.listenFailed(host: config.host, port: port, error: Errno(negated: fd))
            }
            // recvfrom waits at most 100 ms so a stop request is noticed.
            _ = Socket.setReceiveTimeout(fd, microseconds: 100_000)
            fds.append(fd)
            port = Int(bound)
        }
        let server = UDPServer(config: config, port: port, sockets: fds)
        let ready = StartBox()
        let setupError = Mutex<NetError?>(nil)
        var spawned: [NetThread] = []
        for t in 0..<config.threads {
            let fd = fds[t % fds.count]
            let cpu = config.cpus.isEmpty ? nil : config.cpus[t % config.cpus.count]
            let stop = server.stopSignal
            guard let th = NetThread.spawn({
                var stats = UDPServerStats()
                do {
                    try Net.pin(cpu)
                    let cpu0 = Net.threadCPUMicroseconds()
                    switch config.engine {
                    case .recvfrom:
                        ready.signal()
                        stats = UDPServer.recvfromLoop(fd: fd, config: config, stop: stop)
                    case .recvmmsg:
                        ready.signal()
                        stats = try UDPServer.recvmmsgLoop(fd: fd, config: config, stop: stop)
                    case .io_uring:
                        let loop = try UDPRingLoop(fd: fd, config: config)
                        ready.signal()
                        stats = loop.run(stop: stop)
                    }
                    stats.cpuMicroseconds = Net.threadCPUMicroseconds() - cpu0
                } catch {
                    setupError.withLock { if $0 == nil { $0 = (error as? NetError) ?? .invalidOption("\(error)") } }
                    ready.signal()
                }
                server.results.withLock {
                    $0.datagrams += stats.datagrams; $0.bytes += stats.bytes
                    $0.sendErrors += stats.sendErrors; $0.cpuMicroseconds += stats.cpuMicroseconds
                }
            }) else {
                throw NetError.system(context: "cannot start a server thread (pthread_create)", error: Errno.current)
            }
            spawned.append(th)
        }
        server.threads.withLock { $0 = spawned }
        ready.wait(count: config.threads)
        if let e = setupError.withLock({ $0 }) {
            server.stop()
            throw e
        }
        return server
    }

    @discardableResult
    public func stop() -> UDPServerStats {
        stopSignal.request()
        let ts = threads.withLock { t -> [NetThread] in let c = t; t = []; return c }
        for t in ts { t.join() }
        if !ts.isEmpty { for fd in sockets { Syscalls.close(fd) } }
        return results.withLock { $0 }
    }

    static func recvfromLoop(fd: Int32, config: UDPServerConfig, stop: StopSignal) -> UDPServerStats {
        var stats = UDPServerStats()
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: config.maxDatagram, alignment: 64)
        defer { buffer.deallocate() }
        var peer = sockaddr_storage()
        while !stop.requested {
            var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let n = withUnsafeMutablePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, buffer, config.maxDatagram, 0, $0, &len) }
            }
            if n < 0 { continue }   // EAGAIN after 100 ms, EINTR
            let sent = withUnsafePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, buffer, n, 0, $0, len) }
            }
            if sent < 0 { stats.sendErrors += 1 } else { stats.datagrams += 1; stats.bytes += UInt64(n) }
        }
        return stats
    }

    static func recvmmsgLoop(fd: Int32, config: UDPServerConfig, stop: StopSignal) throws(NetError) -> UDPServerStats {
        var stats = UDPServerStats()
        let batch = DatagramBatch(count: config.batch, size: config.maxDatagram)
        while !stop.requested {
            let n = batch.receive(fd, timeoutMs: 100)
            if n <= 0 { continue }
            let sent = batch.echo(fd, n)
            if sent < 0 { stats.sendErrors += UInt64(n); continue }
            stats.datagrams += UInt64(n)
            for i in 0..<Int(n) { stats.bytes += UInt64(batch.length(i)) }
        }
        return stats
    }
}

/// io_uring UDP: `batch` recvmsg SQEs in flight, each slot with its own msghdr, address and
/// buffer; a completed recvmsg becomes a sendmsg of the same bytes to the same peer, whose
/// completion re-arms the recvmsg. All of a wake-up's SQEs go in one io_uring_enter.
final class UDPRingLoop {
    let fd: Int32
    let ring: IORing
    let slots: Int
    let size: Int
    let headers: UnsafeMutablePointer<msghdr>
    let vectors: UnsafeMutablePointer<iovec>
    let addresses: UnsafeMutablePointer<sockaddr_storage>
    let memory: UnsafeMutableRawPointer

    init(fd: Int32, config: UDPServerConfig) throws(NetError) {
        self.fd = fd
        slots = config.batch
        size = config.maxDatagram
        ring = try IORing.forNet(entries: UInt32(max(64, config.batch * 2)), flagChoices: MultishotEchoLoop.flagChoices, engine: "udp-server --engine io_uring")
        headers = .allocate(capacity: slots)
        vectors = .allocate(capacity: slots)
        addresses = .allocate(capacity: slots)
        memory = .allocate(byteCount: slots * size, alignment: 4096)
        for i in 0..<slots { armRecv(i) }
    }

    @inline(__always)
    private func armRecv(_ i: Int) {
        vectors[i] = iovec(iov_base: memory + i * size, iov_len: size)
        headers[i] = msghdr()
        headers[i].msg_name = UnsafeMutableRawPointer(addresses + i)
        headers[i].msg_namelen = socklen_t(MemoryLayout<sockaddr_storage>.size)
        headers[i].msg_iov = vectors + i
        headers[i].msg_iovlen = 1
        let s = ring.sqe()
        io_uring_prep_recvmsg(s, fd, headers + i, 0)
        io_uring_sqe_set_data64(s, RingOp.recv.token(i))
    }

    func run(stop: StopSignal) -> UDPServerStats {
        var stats = UDPServerStats()
        while !stop.requested {
            ring.submitAndWait(timeoutNs: 100_000_000)
            ring.forEachCompletion { data, res, _ in
                let (op, i) = RingOp.decode(data)
                if op == .recv {
                    if res < 0 { armRecv(i); return }
                    vectors[i].iov_len = Int(res)
                    let s = ring.sqe()
                    io_uring_prep_sendmsg(s, fd, headers + i, 0)
                    io_uring_sqe_set_data64(s, RingOp.send.token(i))
                } else {
                    if res < 0 { stats.sendErrors += 1 } else { stats.datagrams += 1; stats.bytes += UInt64(res) }
                    armRecv(i)
                }
            }
        }
        ring.exit()   // cancels the outstanding recvmsgs before their memory goes
        headers.deallocate()
        vectors.deallocate()
        addresses.deallocate()
        memory.deallocate()
        return stats
    }
}

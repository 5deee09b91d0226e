import CSystemShims
import Glibc
import Synchronization
import Testing
import TestSupport
@testable import UringNet
@testable import UringCore

/// Hand-made misbehaving servers: one flips a byte of every echo, one never answers.
final class FakeServer: Sendable {
    let port: Int
    private let listener: Int32
    private let thread: Mutex<NetThread?> = Mutex(nil)

    init(flipByte: Bool) {
        var bound: Int32 = 0
        listener = Socket.tcpListen("127.0.0.1", port: 0, backlog: 16, reusePort: false, nonBlocking: false, boundPort: &bound)
        port = Int(bound)
        let l = listener
        let t = NetThread.spawn {
            let fd = Glibc.accept(l, nil, nil)
            guard fd >= 0 else { return }
            _ = Socket.setReceiveTimeout(fd, microseconds: 3_000_000)
            var buf = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buf.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { break }
                if !flipByte { continue }
                buf[n - 1] ^= 0x40
                _ = buf.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, n, Int32(MSG_NOSIGNAL)) }
            }
            Glibc.close(fd)
        }
        thread.withLock { $0 = t }
    }

    func stop() {
        Glibc.shutdown(listener, Int32(SHUT_RDWR))
        thread.withLock { $0?.join() }
        Glibc.close(listener)
    }
}

@Suite(.serialized, .waits) struct TCPQPSClientTests {
    @Test(arguments: ClientEngine.allCases)
    func detectsCorruptedEcho(engine: ClientEngine) throws {
        try #require(engine == .epoll || ioUringUsable, "\(ioUringReason ?? "")")
        let server = FakeServer(flipByte: true)
        var job = TCPQPSConfig(port: server.port)
        job.engine = engine
        job.connections = 1
        job.requests = 3
        job.sizeMin = 64
        job.sizeMax = 64
        job.requestTimeoutNanoseconds = 500_000_000
        let r = try TCPQPSClient.run(job)
        server.stop()
        #expect(r.success == 0)
        #expect(r.corrupt >= 1)
        #expect(r.failed >= 1)
    }

    @Test(arguments: ClientEngine.allCases)
    func timesOutInsteadOfHanging(engine: ClientEngine) throws {
        try #require(engine == .epoll || ioUringUsable, "\(ioUringReason ?? "")")
        let server = FakeServer(flipByte: false)
        var job = TCPQPSConfig(port: server.port)
        job.engine = engine
        job.connections = 1
        job.requests = 1
        job.requestTimeoutNanoseconds = 200_000_000
        let r = try TCPQPSClient.run(job)
        server.stop()
        #expect(r.success == 0)
        #expect(r.timeouts == 1 && r.failed == 1)
    }

    @Test func refusedConnectionIsAnError() throws {
        // Bind a port, close it: nothing listens there now.
        var bound: Int32 = 0
        let fd = Socket.tcpListen("127.0.0.1", port: 0, backlog: 1, reusePort: false, nonBlocking: false, boundPort: &bound)
        Glibc.close(fd)
        let job = TCPQPSConfig(port: Int(bound))
        #expect(throws: NetError.connectFailed(host: "127.0.0.1", port: Int(bound), error: .init(rawValue: ECONNREFUSED))) {
            _ = try TCPQPSClient.run(job)
        }
    }

    @Test func badAddressAndTooManyConnections() throws {
        #expect(throws: NetError.badAddress("300.1.1.1")) {
            _ = try TCPQPSClient.run(TCPQPSConfig(host: "300.1.1.1", port: 9))
        }
        var job = TCPQPSConfig(port: 9)
        let limit = ResourceLimits.openFiles
        job.connections = Int(min(limit, 1 << 30)) + 1
        #expect(throws: NetError.tooManyConnections(needed: job.connections + 32, limit: limit)) {
            try TCPQPSClient.validate(job)
        }
    }
}

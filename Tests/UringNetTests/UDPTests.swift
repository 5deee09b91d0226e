import CSystemShims
import Glibc
import Testing
import TestSupport
@testable import UringNet

@Suite(.serialized, .waits) struct UDPTests {
    @Test("every UDP model echoes datagrams byte for byte", arguments: UDPModel.allCases)
    func modelsEcho(model: UDPModel) throws {
        try #require(model != .io_uring || ioUringUsable, "\(ioUringReason ?? "")")
        let server = try UDPServer.start(model.serverConfig(threads: 2, batch: 8))
        for size in [8, 1400, 9000] {
            var job = UDPQPSConfig(port: server.port)
            job.threads = 2
            job.socketsPerThread = 4
            job.requests = 2000
            job.size = size
            job.timeoutNanoseconds = 2_000_000_000
            let r = try UDPQPSClient.run(job)
            // Loopback does not drop at this rate, and a reply that differs is never accepted.
            #expect(r.corrupt == 0, "size \(size)")
            #expect(r.success + r.lost == 2000, "size \(size)")
            #expect(r.success > 0, "size \(size)")
        }
        let stats = server.stop()
        #expect(stats.datagrams >= 1)
        #expect(stats.sendErrors == 0)
    }

    @Test("a server that never answers: every request is counted lost and the client returns")
    func lossIsCountedNotAwaited() throws {
        var bound: Int32 = 0
        let fd = Socket.udpBind("127.0.0.1", port: 0, reusePort: false, boundPort: &bound)   // bound, never read: no ICMP
        defer { Glibc.close(fd) }
        var job = UDPQPSConfig(port: Int(bound))
        job.socketsPerThread = 2
        job.requests = 6
        job.timeoutNanoseconds = 50_000_000
        let r = try UDPQPSClient.run(job)
        #expect(r.success == 0)
        #expect(r.lost == 6)
        #expect(r.refused == 0)
    }

    @Test("a closed port (ICMP port unreachable) is reported as nothing listening, not as loss")
    func closedPortIsNamed() throws {
        var bound: Int32 = 0
        let fd = Socket.udpBind("127.0.0.1", port: 0, reusePort: false, boundPort: &bound)
        Glibc.close(fd)
        var job = UDPQPSConfig(port: Int(bound))
        job.socketsPerThread = 2
        job.requests = 20
        job.timeoutNanoseconds = 50_000_000
        #expect(throws: NetError.nothingListening(host: "127.0.0.1", port: Int(bound))) {
            _ = try UDPQPSClient.run(job)
        }
    }

    @Test("every UDP engine counts the bytes it echoes: their sum is the sum of the datagram sizes",
          arguments: UDPEngine.allCases)
    func bytesAreCounted(engine: UDPEngine) throws {
        try #require(engine != .io_uring || ioUringUsable, "\(ioUringReason ?? "")")
        var config = UDPServerConfig(engine: engine)
        config.batch = 4
        let server = try UDPServer.start(config)
        let fd = Socket.udpConnect("127.0.0.1", port: UInt16(server.port))
        // Generous: under a loaded test run the server thread may wait long for a core.
        _ = Socket.setReceiveTimeout(fd, microseconds: 10_000_000)
        var expected: UInt64 = 0
        var echoed = 0
        for (k, size) in [1, 8, 100, 1400, 9000, 65000, 37].enumerated() {
            let datagram = payload(size, seed: k)
            _ = datagram.withUnsafeBytes { Glibc.send(fd, $0.baseAddress!, size, 0) }
            var back = [UInt8](repeating: 0, count: 65536)
            let n = back.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress!, 65536, 0) }
            #expect(n == size && Array(back[0..<max(0, n)]) == datagram, "size \(size)")
            expected += UInt64(size)
            echoed += 1
        }
        Glibc.close(fd)
        let stats = server.stop()
        #expect(stats.datagrams == UInt64(echoed))
        #expect(stats.bytes == expected, "\(engine): \(stats.bytes) bytes counted, \(expected) echoed")
    }

    @Test("a UDP port in use is refused")
    func portInUse() throws {
        let first = try UDPServer.start(UDPServerConfig(engine: .recvfrom))
        var second = UDPServerConfig(engine: .recvfrom)
        second.port = first.port
        #expect(throws: NetError.portInUse(host: "127.0.0.1", port: first.port)) {
            _ = try UDPServer.start(second)
        }
        first.stop()
    }
}

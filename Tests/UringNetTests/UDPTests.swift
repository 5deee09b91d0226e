import CSystemShims
import Glibc
import Testing
@testable import UringNet

@Suite(.serialized) struct UDPTests {
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

    @Test("with no server every request is counted lost and the client returns")
    func lossIsCountedNotAwaited() throws {
        var bound: Int32 = 0
        let fd = CSystemShims_udp_bind("127.0.0.1", 0, 0, &bound)
        Glibc.close(fd)
        var job = UDPQPSConfig(port: Int(bound))
        job.socketsPerThread = 2
        job.requests = 6
        job.timeoutNanoseconds = 50_000_000
        let r = try UDPQPSClient.run(job)
        #expect(r.success == 0)
        #expect(r.lost == 6)
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

import Glibc
import Testing
import TestSupport
@testable import UringNet

@Suite(.serialized, .waits) struct EchoServerTests {
    func start(_ engine: EchoEngine, threads: Int = 2, configure: (inout EchoServerConfig) -> Void = { _ in }) throws -> EchoServer {
        var c = EchoServerConfig(engine: engine)
        c.threads = threads
        c.ringBuffers = 256
        c.bufferSize = 4096
        configure(&c)
        return try EchoServer.start(c)
    }

    @Test("io_uring is usable on this machine (the io_uring tests below are not skipped)")
    func ioUringProbe() {
        #expect(ioUringReason == nil, "\(ioUringReason ?? "")")
    }

    @Test("every engine echoes 1 B … 64 KiB frames to concurrent clients, every byte checked",
          arguments: testEngines)
    func echoesAllSizes(engine: EchoEngine) throws {
        try #require(engine == .epoll || ioUringUsable, "\(ioUringReason ?? "")")
        let server = try start(engine)
        var job = TCPQPSConfig(port: server.port)
        job.threads = 4
        job.connections = 12
        job.requests = 1500
        job.sizeMin = 1
        job.sizeMax = 64 * 1024
        job.requestTimeoutNanoseconds = 10_000_000_000
        let r = try TCPQPSClient.run(job)
        let stats = server.stop()
        #expect(r.success == 1500)
        #expect(r.failed == 0 && r.corrupt == 0 && r.notRun == 0)
        #expect(r.latency.count == 1500)
        #expect(stats.frames == 1500)
        #expect(stats.accepted == 12)
        #expect(stats.badFrames == 0)
    }

    @Test("the io_uring client checks every byte against every engine, 1 B … 64 KiB", arguments: testEngines)
    func uringClient(engine: EchoEngine) throws {
        try #require(ioUringUsable, "\(ioUringReason ?? "")")
        let server = try start(engine)
        var job = TCPQPSConfig(port: server.port)
        job.engine = .io_uring
        job.threads = 3
        job.connections = 9
        job.requests = 1000
        job.sizeMin = 1
        job.sizeMax = 64 * 1024
        let r = try TCPQPSClient.run(job)
        let stats = server.stop()
        #expect(r.success == 1000 && r.failed == 0 && r.notRun == 0)
        #expect(r.latency.count == 1000)
        #expect(stats.frames == 1000)
    }

    @Test("exact sizes 1 B and 64 KiB, and raw mode", arguments: testEngines)
    func edgeSizesAndRaw(engine: EchoEngine) throws {
        try #require(engine == .epoll || ioUringUsable, "\(ioUringReason ?? "")")
        for (size, raw) in [(1, false), (65536, false), (0, false), (512, true)] {
            let server = try start(engine, threads: 1) { $0.raw = raw }
            var job = TCPQPSConfig(port: server.port)
            job.connections = 3
            job.requests = 60
            job.sizeMin = size
            job.sizeMax = size
            job.raw = raw
            let r = try TCPQPSClient.run(job)
            server.stop()
            #expect(r.success == 60, "size \(size) raw \(raw)")
            #expect(r.failed == 0, "size \(size) raw \(raw)")
            #expect(r.bytes == UInt64(60 * size))
        }
    }

    @Test("split and coalesced frames come back byte for byte", arguments: testEngines)
    func splitAndCoalesced(engine: EchoEngine) throws {
        try #require(engine == .epoll || ioUringUsable, "\(ioUringReason ?? "")")
        let server = try start(engine, threads: 1)
        let fd = Sock.connect(server.port)
        // Three frames in one write (the "sticky packet" case).
        let coalesced = frame(payload(10, seed: 1)) + frame(payload(0, seed: 2)) + frame(payload(5000, seed: 3))
        Sock.send(fd, coalesced)
        #expect(Sock.read(fd, coalesced.count) == coalesced)
        // One frame dribbled out in pieces: half a header, the rest of it, then the payload in 7 chunks.
        let split = frame(payload(9000, seed: 4))
        var cuts = [0, 2, 4]
        for k in 1...6 { cuts.append(4 + k * 1300) }
        cuts.append(split.count)
        for j in 0..<(cuts.count - 1) {
            Sock.send(fd, Array(split[cuts[j]..<cuts[j + 1]]))
            usleep(2000)
        }
        #expect(Sock.read(fd, split.count) == split)
        Glibc.close(fd)
        let stats = server.stop()
        #expect(stats.frames == 4)
    }

    @Test("a frame longer than --max-frame closes that connection only", arguments: testEngines)
    func oversizedFrame(engine: EchoEngine) throws {
        try #require(engine == .epoll || ioUringUsable, "\(ioUringReason ?? "")")
        let server = try start(engine, threads: 1) { $0.maxFrame = 1024 }
        let bad = Sock.connect(server.port)
        Sock.send(bad, [0xff, 0xff, 0xff, 0xf0, 1, 2, 3])   // 4 GiB announced
        #expect(Sock.waitForClose(bad) != -2)
        Glibc.close(bad)
        let good = Sock.connect(server.port)
        let f = frame(payload(1024, seed: 9))
        Sock.send(good, f)
        #expect(Sock.read(good, f.count) == f)
        Glibc.close(good)
        let stats = server.stop()
        #expect(stats.badFrames == 1)
        #expect(stats.frames == 1)
    }

    @Test("clients that vanish mid-frame (RST) or never send do not hurt the server", arguments: testEngines)
    func vanishingClients(engine: EchoEngine) throws {
        try #require(engine == .epoll || ioUringUsable, "\(ioUringReason ?? "")")
        let server = try start(engine, threads: 1)
        let silent = Sock.connect(server.port)
        for k in 0..<5 {
            let fd = Sock.connect(server.port)
            Sock.send(fd, Array(frame(payload(3000, seed: k))[0..<1500]))
            Sock.reset(fd)
        }
        var job = TCPQPSConfig(port: server.port)
        job.connections = 4
        job.requests = 400
        job.sizeMin = 100
        job.sizeMax = 2000
        let r = try TCPQPSClient.run(job)
        Glibc.close(silent)
        let stats = server.stop()
        #expect(r.success == 400 && r.failed == 0)
        #expect(stats.accepted == 10)
    }

    @Test("--idle-timeout closes a connection that sends nothing", arguments: testEngines)
    func idleTimeout(engine: EchoEngine) throws {
        try #require(engine == .epoll || ioUringUsable, "\(ioUringReason ?? "")")
        let server = try start(engine, threads: 1) { $0.idleTimeoutNanoseconds = 200_000_000 }
        let fd = Sock.connect(server.port)
        #expect(Sock.waitForClose(fd) == 0)
        Glibc.close(fd)
        let stats = server.stop()
        #expect(stats.idleClosed == 1)
    }

    @Test("a second server on a port in use is refused with portInUse")
    func portInUse() throws {
        let first = try start(.epoll, threads: 1)
        #expect(throws: NetError.portInUse(host: "127.0.0.1", port: first.port)) {
            _ = try start(.epoll, threads: 1) { $0.port = first.port }
        }
        first.stop()
    }

    @Test("multishot reports the ring flags it got")
    func multishotFlags() throws {
        try #require(ioUringUsable, "\(ioUringReason ?? "")")
        let server = try start(.io_uring_multishot, threads: 1)
        #expect(server.ringFlags == ["SINGLE_ISSUER", "DEFER_TASKRUN"])
        server.stop()
    }

    @Test("multishot survives running out of provided buffers (ENOBUFS) without losing bytes")
    func multishotBufferShortage() throws {
        try #require(ioUringUsable, "\(ioUringReason ?? "")")
        let server = try start(.io_uring_multishot, threads: 1) { $0.ringBuffers = 4; $0.bufferSize = 1024 }
        var job = TCPQPSConfig(port: server.port)
        job.connections = 8
        job.requests = 400
        job.sizeMin = 4000
        job.sizeMax = 20000
        let r = try TCPQPSClient.run(job)
        let stats = server.stop()
        #expect(r.success == 400 && r.failed == 0)
        #expect(stats.bufferShortages > 0)
    }
}

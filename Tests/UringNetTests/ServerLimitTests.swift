import CSystemShims
import Foundation
import Glibc
import Testing
import TestSupport
@testable import UringNet

/// Servers under hostile or exhausted conditions: a peer that never reads, and the open-file
/// limit. The servers run as child processes; CPU time and RSS come from their /proc entries.
@Suite(.serialized, .waits) struct ServerLimitTests {
    /// A client that sends whole frames as fast as its socket takes them and never reads an echo.
    final class NonReader {
        let fd: Int32
        var sentBytes = 0
        var failed = false              // the server closed or reset the connection
        let frame = UringNetTests.frame(payload(16 * 1024 - 4, seed: 7))
        init(port: Int) {
            fd = Socket.tcpConnect("127.0.0.1", port: UInt16(port), nonBlocking: true)
        }
        /// Sends whole 16 KiB frames back to back (a short send resumes mid-frame next time)
        /// until the socket pushes back (EAGAIN).
        func push() {
            while true {
                let offset = sentBytes % frame.count
                let n = frame.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
                if n < 0 && errno != EAGAIN { failed = true }
                if n <= 0 { return }
                sentBytes += n
            }
        }
        deinit { Glibc.close(fd) }
    }

    /// The bound stated in the README: with the default pool (4096 × 16 KiB = 64 MiB of provided
    /// buffers) two non-reading peers beside normal clients keep the server under 64 MiB
    /// resident. Without backpressure the peers held the whole pool: 86 MB. With it each holds at
    /// most 16 buffers; what it sent before its socket buffers filled only passed through the
    /// pool (33–46 MB measured).
    static let rssBoundKiB = 64 * 1024

    @Test("a client that never reads its echoes does not starve the others, and RSS stays bounded",
          .enabled(if: ServerChild.binary != nil, "the uringbench binary is not built next to the tests"),
          arguments: testEngines)
    func nonReadingClient(engine: EchoEngine) throws {
        let server = try ServerChild.echoServer(engine)
        defer { server.terminate() }
        let hogs = (0..<2).map { _ in NonReader(port: server.port) }
        for _ in 0..<20 {
            for h in hogs { h.push() }
            usleep(20_000)
        }
        var job = TCPQPSConfig(port: server.port)
        job.connections = 8
        job.requests = 4000
        job.sizeMin = 64
        job.sizeMax = 64
        job.requestTimeoutNanoseconds = 3_000_000_000
        let r = try TCPQPSClient.run(job)
        for h in hogs { h.push() }
        let rss = server.residentKiB ?? Int.max
        let summary = server.terminate(collectOutput: true)
        // Every echo was checked byte for byte by the client.
        #expect(r.success == 4000 && r.failed == 0, "\(engine): success \(r.success), failed \(r.failed); \(summary)")
        // The non-readers stayed connected: the server pushed back instead of closing them.
        #expect(hogs.allSatisfy { $0.sentBytes > 0 && !$0.failed }, "\(hogs.map(\.sentBytes))")
        #expect(rss < Self.rssBoundKiB, "\(engine): VmRSS \(rss) KiB")
        if engine == .io_uring_multishot {
            #expect(summary.contains("receiving paused"), "\(summary)")
        }
    }

    @Test("at the open-file limit the server refuses and counts extra clients without spinning, and serves the open ones",
          .enabled(if: ServerChild.binary != nil, "the uringbench binary is not built next to the tests"),
          arguments: testEngines)
    func descriptorLimit(engine: EchoEngine) throws {
        let server = try ServerChild.echoServer(engine, openFiles: 32)
        defer { server.terminate() }
        var clients: [Int32] = []
        for _ in 0..<60 { clients.append(Sock.connect(server.port)) }
        usleep(200_000)
        // CPU time over a fixed second of wall time, from /proc: a spinning loop burns ~1 s.
        let cpu0 = server.cpuMicroseconds ?? 0
        usleep(1_000_000)
        let cpuUsed = (server.cpuMicroseconds ?? Int64.max) - cpu0
        var echoed = 0, closed = 0
        for (k, fd) in clients.enumerated() {
            let f = frame(payload(100, seed: k))
            Sock.send(fd, f)
            let back = Sock.read(fd, f.count)
            if back == f { echoed += 1 } else if back.isEmpty { closed += 1 }
            Glibc.close(fd)
        }
        let summary = server.terminate(collectOutput: true)
        // Fixed: ≤ 10 ms. The spinning loops burned 80–200 ms per second even at load average 16.
        #expect(cpuUsed < 50_000, "\(engine): \(cpuUsed) us of CPU in 1 s at the limit")
        #expect(echoed >= 10, "\(engine): \(echoed) echoed, \(closed) closed")
        #expect(echoed + closed == 60, "\(engine): \(echoed) echoed, \(closed) closed")
        #expect(summary.contains("\(closed) refused at the open-file limit"), "\(engine): \(closed) closed; \(summary)")
    }

    @Test("echo: a run in which every request fails is an error naming why, not a table",
          .enabled(if: ServerChild.binary != nil, "the uringbench binary is not built next to the tests"))
    func echoAllFailed() throws {
        var plan = EchoBenchPlan(engines: ["epoll"], sizes: [4096], uringbenchPath: ServerChild.binary!, nioPath: "")
        plan.rounds = 1
        plan.requests = 50
        plan.warmupRequests = 0
        plan.connectionCounts = [2]
        plan.serverCPU = nil
        plan.clientCPU = nil
        plan.serverMaxFrame = 1024      // every 4 KiB frame closes its connection
        do {
            _ = try EchoBench.run(plan) { _, _, _ in }
            Issue.record("the run did not fail")
        } catch {
            #expect(error.description.contains("every one of the 50 requests failed"), "\(error)")
            #expect(error.description.contains("--max-frame"), "\(error)")
        }
    }
}

import CSystemShims
import Foundation
import Glibc
import Testing
import TestSupport
@testable import UringNet
import UringCore

/// The UDP open-loop client against a server that holds every reply: datagrams must leave on
/// schedule, each latency must run from its scheduled time, and replies that come back out of
/// order are still matched to their requests.
@Suite(.serialized, .waits) struct UDPOpenLoopTests {
    /// Reads `count` datagrams, noting when each arrived; after `hold` from the first, replies to
    /// all of them in reverse order (so the client has to match by sequence number).
    final class HoldingServer: @unchecked Sendable {
        let fd: Int32
        let port: Int
        var arrivals: [UInt64] = []
        var repliedAt: UInt64 = 0
        private let done = DispatchSemaphore(value: 0)

        init(count: Int, hold: UInt64) {
            var bound: Int32 = 0
            fd = Socket.udpBind("127.0.0.1", port: 0, reusePort: false, boundPort: &bound)
            port = Int(bound)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
            _ = Socket.setReceiveTimeout(fd, microseconds: 5_000_000)   // µs: the test fails rather than hangs
            let t = Thread { [self] in
                var datagrams: [([UInt8], sockaddr_in)] = []
                var buffer = [UInt8](repeating: 0, count: 65536)
                while datagrams.count < count {
                    var peer = sockaddr_in()
                    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
                    let n = buffer.withUnsafeMutableBytes { b in
                        withUnsafeMutablePointer(to: &peer) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, b.baseAddress!, b.count, 0, $0, &len) } }
                    }
                    guard n > 0 else { break }
                    arrivals.append(MonotonicClock.now())
                    datagrams.append((Array(buffer[0..<n]), peer))
                }
                while let first = arrivals.first, MonotonicClock.now() - first < hold { usleep(1000) }
                repliedAt = MonotonicClock.now()
                for (bytes, peer) in datagrams.reversed() {
                    var to = peer
                    _ = bytes.withUnsafeBytes { b in
                        withUnsafePointer(to: &to) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, b.baseAddress!, b.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
                    }
                }
                done.signal()
            }
            t.start()
        }

        func wait() { done.wait(); close(fd) }
    }

    @Test("datagrams go out on schedule under a server that holds its replies, and latency includes the wait")
    func scheduleHoldsUnderAHoldingServer() throws {
        let frames = 20
        let server = HoldingServer(count: frames, hold: 400_000_000)
        var job = UDPQPSConfig(port: server.port)
        job.socketsPerThread = 2
        job.requests = frames
        job.size = 64
        job.rate = 100                      // one every 10 ms: due at 0, 10, …, 190 ms
        job.timeoutNanoseconds = 3_000_000_000
        let r = try UDPQPSClient.run(job)
        server.wait()
        #expect(r.success == UInt64(frames) && r.lost == 0 && r.corrupt == 0 && r.stale == 0, "\(r)")
        // All left before any reply: sending never waited on the server.
        #expect(server.arrivals.count == frames && server.arrivals.allSatisfy { $0 < server.repliedAt }, "\(server.arrivals.count) arrived")
        let span = (server.arrivals.last ?? 0) - (server.arrivals.first ?? 0)
        #expect(span >= 150_000_000 && span <= 390_000_000, "arrivals spanned \(span / 1_000_000) ms")
        // Request k was due at k x 10 ms and answered at ~400 ms.
        #expect(r.latency.max >= 380_000_000, "max latency \(r.latency.max / 1_000_000) ms")
        #expect(r.latency.observedMin >= 190_000_000, "min latency \(r.latency.observedMin / 1_000_000) ms")
    }

    @Test("a socket with a full window gives up its oldest request: counted lost and overloaded, never waited on")
    func fullWindowGivesUpTheOldest() throws {
        var bound: Int32 = 0
        let fd = Socket.udpBind("127.0.0.1", port: 0, reusePort: false, boundPort: &bound)   // bound, never read: no replies, no ICMP
        defer { Glibc.close(fd) }
        var job = UDPQPSConfig(port: Int(bound))
        job.socketsPerThread = 1
        job.requests = UDPQPSConfig.openLoopWindow + 36
        job.size = 16
        job.rate = 2000
        job.timeoutNanoseconds = 10_000_000_000   // longer than the run: only the window gives up
        job.maxTimeNanoseconds = 2_000_000_000
        let r = try UDPQPSClient.run(job)
        #expect(r.success == 0)
        #expect(r.overloaded == 36 && r.lost == 36, "\(r)")
        #expect(r.notSent == UInt64(UDPQPSConfig.openLoopWindow), "\(r)")
    }

    @Test("a socket sweep above the hard open-file limit is refused, naming --sockets")
    func socketSweepAboveTheHardLimit() {
        let hard = ResourceLimits.openFilesHard
        var plan = UDPBenchPlan()
        plan.socketCounts = [8, Int(min(hard, 1 << 40))]
        #expect(throws: NetError.descriptorHardLimit(option: "--sockets", needed: UInt64(plan.socketCounts[1]) + 64, hard: hard)) {
            _ = try UDPBench.raiseDescriptorLimit(for: plan)
        }
    }
}

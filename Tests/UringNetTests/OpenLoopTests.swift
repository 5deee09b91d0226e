import CSystemShims
import Foundation
import Glibc
import Testing
import TestSupport
@testable import UringNet
import UringCore

/// The open-loop client against a deliberately slow server: requests must leave on schedule
/// whatever the server does, and each latency must run from the request's scheduled time.
@Suite(.serialized, .waits) struct OpenLoopTests {
    /// Accepts one connection, reads frames and notes when each arrived, and sends no echo until
    /// `hold` after the first arrived (a stalled server); then echoes everything it has.
    final class StalledServer: @unchecked Sendable {
        let listener: Int32
        let port: Int
        var arrivals: [UInt64] = []
        var framesBeforeFirstEcho = -1
        private var thread: Thread?
        private let done = DispatchSemaphore(value: 0)

        init(frameLength: Int, frames: Int, hold: UInt64) {
            var bound: Int32 = 0
            listener = Socket.tcpListen("127.0.0.1", port: 0, backlog: 16, reusePort: false, nonBlocking: false, boundPort: &bound)
            port = Int(bound)
            let t = Thread { [self] in
                let fd = accept(listener, nil, nil)
                _ = Socket.setReceiveTimeout(fd, microseconds: 20_000)
                var received = [UInt8]()
                var chunk = [UInt8](repeating: 0, count: 65536)
                var first: UInt64 = 0
                while received.count < frameLength * frames {
                    let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
                    let now = MonotonicClock.now()
                    if n > 0 {
                        let before = received.count / frameLength
                        received += chunk[0..<n]
                        for _ in before..<(received.count / frameLength) { arrivals.append(now) }
                        if first == 0 { first = now }
                    } else if n == 0 || errno != EAGAIN { break }
                    if first != 0 && now - first >= hold { break }
                }
                while first != 0 && MonotonicClock.now() - first < hold { usleep(1000) }
                framesBeforeFirstEcho = received.count / frameLength
                // Echo what came, then the rest as it comes.
                var sent = 0
                while sent < frameLength * frames {
                    if sent < received.count {
                        let n = received.withUnsafeBytes { send(fd, $0.baseAddress! + sent, received.count - sent, Int32(MSG_NOSIGNAL)) }
                        if n <= 0 { break }
                        sent += n
                    } else {
                        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
                        if n > 0 { received += chunk[0..<n] } else if n == 0 || errno != EAGAIN { break }
                    }
                }
                usleep(200_000)
                close(fd)
                done.signal()
            }
            thread = t
            t.start()
        }

        func wait() { done.wait(); close(listener) }
    }

    @Test("requests go out on schedule under a stalled server, and latency includes the wait", arguments: ClientEngine.allCases)
    func scheduleHoldsUnderAStalledServer(client: ClientEngine) throws {
        let frames = 20
        let server = StalledServer(frameLength: 68, frames: frames, hold: 400_000_000)
        var job = TCPQPSConfig(port: server.port)
        job.connections = 1
        job.requests = frames
        job.sizeMin = 64
        job.sizeMax = 64
        job.rate = 100                 // one request every 10 ms: due at 0, 10, …, 190 ms
        job.engine = client
        job.requestTimeoutNanoseconds = 5_000_000_000
        let r = try TCPQPSClient.run(job)
        server.wait()
        #expect(r.success == UInt64(frames) && r.failed == 0 && r.corrupt == 0, "\(r)")
        // Every request left before the first echo came back: sending never waited on the server.
        #expect(server.framesBeforeFirstEcho == frames, "\(server.framesBeforeFirstEcho) frames before the first echo")
        // Paced over ~190 ms, not sent in a burst (generous bounds: the machine is shared).
        let span = (server.arrivals.last ?? 0) - (server.arrivals.first ?? 0)
        #expect(span >= 150_000_000 && span <= 390_000_000, "arrivals spanned \(span / 1_000_000) ms")
        // Request k was due at k x 10 ms and answered at ~400 ms: latency from the schedule is
        // ~400 ms for the first and ~210 ms for the last. A clock started at the actual send of
        // a closed-loop client would have seen one request, and none of this wait.
        #expect(r.latency.max >= 380_000_000, "max latency \(r.latency.max / 1_000_000) ms")
        #expect(r.latency.observedMin >= 190_000_000, "min latency \(r.latency.observedMin / 1_000_000) ms")
    }

    @Test("a run cut off by --max-time accounts for every request: in flight at the end is its own category", arguments: ClientEngine.allCases)
    func everyRequestIsInOneCategory(client: ClientEngine) throws {
        let frames = 100
        // Reads and holds every request for 1 s: nothing is answered before --max-time.
        let server = StalledServer(frameLength: 68, frames: frames, hold: 1_000_000_000)
        var job = TCPQPSConfig(port: server.port)
        job.connections = 1
        job.requests = frames
        job.sizeMin = 64
        job.sizeMax = 64
        job.rate = 100
        job.engine = client
        job.requestTimeoutNanoseconds = 5_000_000_000
        job.maxTimeNanoseconds = 300_000_000
        let r = try TCPQPSClient.run(job)
        server.wait()
        #expect(r.timedOut && r.success == 0 && r.failed == 0, "\(r)")
        #expect(r.inFlightAtEnd > 0 && r.notRun > 0, "\(r)")
        #expect(r.accountedRequests == UInt64(frames), "\(r)")
        let line = QPSReport.requestsLine(r, maxOutstanding: job.maxOutstandingPerConnection)
        #expect(line.contains("\(frames) = success=0 + failed=0 (") && line.contains("+ in_flight_at_end=\(r.inFlightAtEnd) + not_sent=\(r.notRun)"), "\(line)")
    }

    @Test("--rate is refused with a size range, by name")
    func openLoopRefusals() {
        var job = TCPQPSConfig(port: 1)
        job.rate = 1000
        job.sizeMin = 64
        job.sizeMax = 128
        #expect(throws: NetError.invalidOption("--rate needs one --size (N, not MIN-MAX): echoes are checked against payloads regenerated per request")) {
            try TCPQPSClient.validate(job)
        }
    }

    @Test("a sweep above the hard open-file limit is refused before anything runs")
    func sweepAboveTheHardLimit() {
        let hard = ResourceLimits.openFilesHard
        var plan = EchoBenchPlan(engines: ["epoll"], sizes: [64], uringbenchPath: "/bin/false", nioPath: "")
        plan.connectionCounts = [10, Int(min(hard, 1 << 40))]
        #expect(throws: NetError.descriptorHardLimit(option: "-c", needed: UInt64(plan.connectionCounts[1]) + 64, hard: hard)) {
            _ = try EchoBench.raiseDescriptorLimit(for: plan)
        }
    }
}

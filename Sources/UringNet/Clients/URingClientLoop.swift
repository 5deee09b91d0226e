import CLiburing
import CSystemShims
import Glibc
import UringCore

/// The io_uring client: per connection one operation at a time, send (the rest after a short
/// send) then recv until the whole echo is in; all connections' SQEs go to the kernel in one
/// io_uring_enter per wake-up. A timed-out request's socket is shut down, and the connection is
/// replaced once its operation has completed (never while the kernel may still use its buffers).
final class URingClientLoop: QPSClientLoop {
    let config: TCPQPSConfig
    let ring: IORing
    let conns: UnsafeMutablePointer<ClientConnection>
    let count: Int
    let quota: Int
    let threadIndex: Int
    let firstIndex: Int
    var issued = 0
    var result = TCPQPSResult()
    private var now: UInt64 = 0

    init(config: TCPQPSConfig, fds: [Int32], firstIndex: Int, threadIndex: Int, quota: Int) throws(NetError) {
        self.config = config
        self.quota = quota
        self.threadIndex = threadIndex
        self.firstIndex = firstIndex
        count = fds.count
        ring = try IORing.forNet(entries: UInt32(max(64, min(4096, fds.count * 2))), flagChoices: MultishotEchoLoop.flagChoices,
                        engine: "tcp-qps --client-engine io_uring")
        conns = ClientConnection.make(fds, firstIndex: firstIndex, capacity: config.frameLength(config.sizeMax) + 8)
        // io_uring completes an op on an O_NONBLOCK socket with -EAGAIN instead of waiting.
        for fd in fds {
            let flags = fcntl(fd, F_GETFL)
            if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
        }
    }

    @inline(__always)
    private func armSend(_ i: Int) {
        let c = conns + i
        let s = ring.sqe()
        io_uring_prep_send(s, c.pointee.fd, c.pointee.sendBuffer + c.pointee.sent, c.pointee.total - c.pointee.sent, Int32(MSG_NOSIGNAL))
        io_uring_sqe_set_data64(s, RingOp.send.token(i))
    }

    @inline(__always)
    private func armRecv(_ i: Int) {
        let c = conns + i
        let s = ring.sqe()
        io_uring_prep_recv(s, c.pointee.fd, c.pointee.recvBuffer + c.pointee.received, c.pointee.total - c.pointee.received, 0)
        io_uring_sqe_set_data64(s, RingOp.recv.token(i))
    }

    @inline(__always)
    private func issue(_ i: Int) {
        guard issued < quota, conns[i].alive else { return }
        issued += 1
        ClientConnection.prepareRequest(conns + i, config: config, stamp: UInt64(threadIndex) << 48 | UInt64(firstIndex + i) << 32)
        conns[i].startedAt = MonotonicClock.now()
        armSend(i)
    }

    func run(stop: StopSignal) -> TCPQPSResult {
        now = MonotonicClock.now()
        let deadline = config.maxTimeNanoseconds > 0 ? now + config.maxTimeNanoseconds : UInt64.max
        for i in 0..<count { issue(i) }
        var lastSweep = now
        var stopping = false
        while true {
            var busy = false
            for i in 0..<count where conns[i].inFlight { busy = true; break }
            if !busy { break }
            if !stopping && (stop.requested || StopLatch.requested || now >= deadline) {
                // Operations are in flight on our buffers: shut the sockets and let them finish.
                if now >= deadline { result.timedOut = true } else { result.interrupted = true }
                stopping = true
                for i in 0..<count where conns[i].inFlight {
                    conns[i].abandoned = true
                    Glibc.shutdown(conns[i].fd, Int32(SHUT_RDWR))
                }
            }
            ring.submitAndWait(timeoutNs: 10_000_000)
            now = MonotonicClock.now()
            ring.forEachCompletion { data, res, _ in
                let (op, i) = RingOp.decode(data)
                handle(op, i, res, stopping: stopping)
            }
            if !stopping && now - lastSweep >= 10_000_000 {
                lastSweep = now
                for i in 0..<count where conns[i].inFlight && !conns[i].abandoned
                    && now > conns[i].startedAt && now - conns[i].startedAt > config.requestTimeoutNanoseconds {
                    result.timeouts += 1
                    conns[i].abandoned = true
                    Glibc.shutdown(conns[i].fd, Int32(SHUT_RDWR))
                }
            }
        }
        result.notRun += UInt64(quota - issued)
        return result
    }

    @inline(__always)
    private func handle(_ op: RingOp?, _ i: Int, _ res: Int32, stopping: Bool) {
        let c = conns + i
        if c.pointee.abandoned {
            // Timed out (counted) or stopped: the request is over once its operation returns.
            c.pointee.inFlight = false
            if stopping {
                result.inFlightAtEnd += 1  // cut off by a stop or --max-time: neither success nor failure
                replace(i, reconnect: false)
            } else {
                result.failed += 1
                replace(i, reconnect: true)
            }
            return
        }
        switch op {
        case .send:
            if res < 0 { result.connectionErrors += 1; result.failed += 1; c.pointee.inFlight = false; replace(i, reconnect: true); return }
            c.pointee.sent += Int(res)
            if c.pointee.sent < c.pointee.total { armSend(i) } else { armRecv(i) }
        case .recv:
            if res <= 0 { result.connectionErrors += 1; result.failed += 1; c.pointee.inFlight = false; replace(i, reconnect: true); return }
            c.pointee.received += Int(res)
            if c.pointee.received < c.pointee.total { armRecv(i); return }
            c.pointee.inFlight = false
            if memcmp(c.pointee.recvBuffer, c.pointee.sendBuffer, c.pointee.total) != 0 {
                result.corrupt += 1
                result.failed += 1
                replace(i, reconnect: true)
                return
            }
            let done = MonotonicClock.now()
            result.latency.record(done - c.pointee.startedAt)
            result.success += 1
            result.bytes += UInt64(c.pointee.total - (config.raw ? 0 : 4))
            issue(i)
        default:
            break
        }
    }

    /// Only called with nothing in flight on connection `i`.
    private func replace(_ i: Int, reconnect: Bool) {
        let c = conns + i
        Syscalls.close(c.pointee.fd)
        c.pointee.alive = false
        c.pointee.abandoned = false
        guard reconnect, issued < quota else { return }
        let fd = Socket.tcpConnect(config.host, port: UInt16(config.port), nonBlocking: false)
        guard fd >= 0 else { return }
        c.pointee.fd = fd
        c.pointee.alive = true
        result.reconnects += 1
        issue(i)
    }

    func close() {
        ring.exit()
        for i in 0..<count {
            if conns[i].alive { Syscalls.close(conns[i].fd) }
            conns[i].sendBuffer.deallocate()
            conns[i].recvBuffer.deallocate()
        }
        conns.deallocate()
    }
}

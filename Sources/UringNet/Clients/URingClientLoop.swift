import CLiburing
import CSystemShims
import Glibc
import UringCore

/// The io_uring client: per connection one operation at a time, send (the rest after a short
/// send) then recv until the whole echo is in; all connections' SQEs go to the kernel in one
/// io_uring_enter per wake-up. A timed-out request's socket is shut down, and the connection is
/// replaced once its operation has completed (never while the kernel may still use its buffers).
final class URingClientLoop: QPSClientLoop {
    let requests: ClosedLoopRequests
    let ring: IORing
    private var now: UInt64 = 0

    init(config: TCPQPSConfig, fds: [Int32], firstIndex: Int, threadIndex: Int, quota: Int) throws(NetError) {
        ring = try IORing.forNet(entries: UInt32(max(64, min(4096, fds.count * 2))), flagChoices: MultishotEchoLoop.flagChoices,
                        engine: "tcp-qps --client-engine io_uring")
        requests = ClosedLoopRequests(config: config, fds: fds, firstIndex: firstIndex, threadIndex: threadIndex, quota: quota)
        // io_uring completes an op on an O_NONBLOCK socket with -EAGAIN instead of waiting.
        for fd in fds {
            let flags = fcntl(fd, F_GETFL)
            if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
        }
    }

    @inline(__always)
    private func armSend(_ i: Int) {
        let c = requests.conns + i
        let s = ring.sqe()
        io_uring_prep_send(s, c.pointee.fd, c.pointee.sendBuffer + c.pointee.sent, c.pointee.total - c.pointee.sent, Int32(MSG_NOSIGNAL))
        io_uring_sqe_set_data64(s, RingOp.send.token(i))
    }

    @inline(__always)
    private func armRecv(_ i: Int) {
        let c = requests.conns + i
        let s = ring.sqe()
        io_uring_prep_recv(s, c.pointee.fd, c.pointee.recvBuffer + c.pointee.received, c.pointee.total - c.pointee.received, 0)
        io_uring_sqe_set_data64(s, RingOp.recv.token(i))
    }

    @inline(__always)
    private func issue(_ i: Int) {
        if requests.begin(i) { armSend(i) }
    }

    func run(stop: StopSignal) -> TCPQPSResult {
        let conns = requests.conns
        now = MonotonicClock.now()
        let deadline = requests.deadline(from: now)
        for i in 0..<requests.count { issue(i) }
        var lastSweep = now
        var stopping = false
        while true {
            if !requests.anyInFlight { break }
            if !stopping && (stop.requested || StopLatch.requested || now >= deadline) {
                // Operations are in flight on our buffers: shut the sockets and let them finish.
                if now >= deadline { requests.result.timedOut = true } else { requests.result.interrupted = true }
                stopping = true
                for i in 0..<requests.count where conns[i].inFlight {
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
                for i in 0..<requests.count where conns[i].inFlight && !conns[i].abandoned && requests.overdue(i, now: now) {
                    requests.result.timeouts += 1
                    conns[i].abandoned = true
                    Glibc.shutdown(conns[i].fd, Int32(SHUT_RDWR))
                }
            }
        }
        return requests.finish()
    }

    @inline(__always)
    private func handle(_ op: RingOp?, _ i: Int, _ res: Int32, stopping: Bool) {
        let c = requests.conns + i
        if c.pointee.abandoned {
            // Timed out (counted) or stopped: the request is over once its operation returns.
            c.pointee.inFlight = false
            if stopping {
                requests.result.inFlightAtEnd += 1  // cut off by a stop or --max-time: neither success nor failure
                replace(i, reconnect: false)
            } else {
                requests.result.failed += 1
                replace(i, reconnect: true)
            }
            return
        }
        switch op {
        case .send:
            if res < 0 { lose(i); return }
            c.pointee.sent += Int(res)
            if c.pointee.sent < c.pointee.total { armSend(i) } else { armRecv(i) }
        case .recv:
            if res <= 0 { lose(i); return }
            c.pointee.received += Int(res)
            if c.pointee.received < c.pointee.total { armRecv(i); return }
            c.pointee.inFlight = false
            guard requests.echoed(i) != nil else {
                requests.result.failed += 1
                replace(i, reconnect: true)
                return
            }
            issue(i)
        default:
            break
        }
    }

    /// A send or recv failed (or the server closed): the request fails, and the connection is
    /// made again.
    private func lose(_ i: Int) {
        requests.result.connectionErrors += 1
        requests.result.failed += 1
        requests.conns[i].inFlight = false
        replace(i, reconnect: true)
    }

    /// Only called with nothing in flight on connection `i`.
    private func replace(_ i: Int, reconnect: Bool) {
        let c = requests.conns + i
        Syscalls.close(c.pointee.fd)
        c.pointee.alive = false
        c.pointee.abandoned = false
        guard reconnect, let fd = requests.reconnect(nonBlocking: false) else { return }
        c.pointee.fd = fd
        c.pointee.alive = true
        issue(i)
    }

    func close() {
        ring.exit()
        requests.close()
    }
}

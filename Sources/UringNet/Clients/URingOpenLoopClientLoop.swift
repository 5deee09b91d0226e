import CLiburing
import CSystemShims
import Glibc
import UringCore

/// The open-loop client on io_uring, for when the client is the limit: one multishot recv per
/// connection into a provided-buffer ring (armed once, no recv SQE per echo), the frames due on a
/// connection coalesced into one send, and every connection's SQEs submitted with the wait in a
/// single io_uring_enter per wake-up. Schedule, frames and checks are OpenLoopStreams', as in the
/// epoll client (OpenLoopClientLoop), so the two measure the same thing.
///
/// Per connection two buffers take turns: frames due are appended to `staged` while `flight` is
/// with the kernel; when the send completes they swap. A buffer the kernel holds is never moved
/// or grown.
final class URingOpenLoopClientLoop: QPSClientLoop {
    struct Sender {
        var flight: UnsafeMutableRawPointer? = nil      // bytes of the send in flight (kernel's until it completes)
        var flightCapacity = 0
        var flightLength = 0
        var flightOffset = 0                            // bytes of `flight` already sent
        var staged: UnsafeMutableRawPointer? = nil      // frames due, waiting for the send in flight
        var stagedCapacity = 0
        var stagedLength = 0
        var sendInFlight = false
        var recvArmed = false
        var closing = false                             // lost: socket shut down, waiting for its ops to end
    }

    let streams: OpenLoopStreams
    let ring: IORing
    let buffers: ProvidedBuffers
    private let senders: UnsafeMutablePointer<Sender>
    private var starved: [Int] = []                     // connections whose recv ran out of buffers

    init(config: TCPQPSConfig, fds: [Int32], firstIndex: Int, threadIndex: Int, quota: Int, rate: Double) throws(NetError) {
        ring = try IORing.forNet(entries: UInt32(max(64, min(4096, fds.count * 2))), flagChoices: MultishotEchoLoop.flagChoices,
                        engine: "--client-engine io_uring")
        do {
            buffers = try ProvidedBuffers(ring: ring, count: 4096, size: 4096, engine: "--client-engine io_uring")
        } catch {
            ring.exit()
            throw error
        }
        streams = OpenLoopStreams(config: config, fds: fds, firstIndex: firstIndex, threadIndex: threadIndex, quota: quota, rate: rate)
        senders = .allocate(capacity: fds.count)
        senders.initialize(repeating: Sender(), count: fds.count)
        starved.reserveCapacity(fds.count)
        // io_uring completes an op on an O_NONBLOCK socket with -EAGAIN instead of waiting.
        for fd in fds {
            let flags = fcntl(fd, F_GETFL)
            if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
        }
        for i in 0..<fds.count { armRecv(i) }
    }

    @inline(__always)
    private func armRecv(_ i: Int) {
        let s = ring.sqe()
        io_uring_prep_recv_multishot(s, streams.streams[i].fd, nil, 0, 0)
        IORing.selectBuffer(s, group: buffers.group)
        io_uring_sqe_set_data64(s, RingOp.recv.token(i))
        senders[i].recvArmed = true
    }

    @inline(__always)
    private func armSend(_ i: Int) {
        let c = senders + i
        let s = ring.sqe()
        io_uring_prep_send(s, streams.streams[i].fd, c.pointee.flight! + c.pointee.flightOffset,
                           c.pointee.flightLength - c.pointee.flightOffset, Int32(MSG_NOSIGNAL))
        io_uring_sqe_set_data64(s, RingOp.send.token(i))
        c.pointee.sendInFlight = true
    }

    /// Appends connection i's newly due frame to its staged bytes; starts a send if none is in flight.
    @inline(__always)
    private func enqueue(_ i: Int) {
        let c = senders + i
        let frame = streams.frameLength
        if c.pointee.stagedLength + frame > c.pointee.stagedCapacity {
            let capacity = max(4 * frame, 2 * c.pointee.stagedCapacity)
            let grown = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
            if let old = c.pointee.staged {
                grown.copyMemory(from: old, byteCount: c.pointee.stagedLength)
                old.deallocate()
            }
            c.pointee.staged = grown
            c.pointee.stagedCapacity = capacity
        }
        streams.writeNextFrame(connection: i, to: c.pointee.staged! + c.pointee.stagedLength)
        c.pointee.stagedLength += frame
        if !c.pointee.sendInFlight { swapAndSend(i) }
    }

    /// The staged frames become the send in flight (the emptied buffer takes their place).
    @inline(__always)
    private func swapAndSend(_ i: Int) {
        let c = senders + i
        guard c.pointee.stagedLength > 0 else { return }
        swap(&c.pointee.flight, &c.pointee.staged)
        swap(&c.pointee.flightCapacity, &c.pointee.stagedCapacity)
        c.pointee.flightLength = c.pointee.stagedLength
        c.pointee.flightOffset = 0
        c.pointee.stagedLength = 0
        armSend(i)
    }

    func run(stop: StopSignal) -> TCPQPSResult {
        streams.drive(stop: stop, send: { enqueue($0) }, poll: { wait in
            // One io_uring_enter: this pass's sends go in, and it sleeps until an echo or the next
            // due time (with a 0 timeout too, so deferred completions are still run).
            ring.submitAndWait(timeoutNs: Int(wait))
            let now = MonotonicClock.now()
            ring.forEachCompletion { data, res, flags in handle(data, res, flags, now: now) }
            if !starved.isEmpty {
                for i in starved where streams.streams[i].alive && !senders[i].recvArmed { armRecv(i) }
                starved.removeAll(keepingCapacity: true)
            }
            return now
        }, drop: { fail($0) })
    }

    @inline(__always)
    private func handle(_ data: UInt64, _ res: Int32, _ flags: UInt32, now: UInt64) {
        let (op, i) = RingOp.decode(data)
        let c = senders + i
        switch op {
        case .recv:
            let more = flags & CLiburing_IORING_CQE_F_MORE != 0
            if !more { c.pointee.recvArmed = false }
            if res > 0 && flags & CLiburing_IORING_CQE_F_BUFFER != 0 {
                let bid = Int(flags >> CLiburing_IORING_CQE_BUFFER_SHIFT)
                // Checked where it lies, then straight back to the ring.
                let ok = c.pointee.closing || streams.consume(connection: i, buffers.address(bid), count: Int(res), now: now)
                buffers.recycle(bid)
                if !ok { streams.result.corrupt += 1; fail(i); return }
                if !more && !c.pointee.closing { armRecv(i) }
            } else if res == -ENOBUFS {
                streams.result.bufferShortages += 1
                if !more && !c.pointee.closing { starved.append(i) }
            } else if !c.pointee.closing {
                streams.result.connectionErrors += 1     // 0: the server closed; < 0: a socket error
                fail(i)
            }
            if c.pointee.closing { finishIfIdle(i) }
        case .send:
            c.pointee.sendInFlight = false
            if c.pointee.closing { finishIfIdle(i); return }
            if res < 0 { streams.result.connectionErrors += 1; fail(i); return }
            c.pointee.flightOffset += Int(res)
            if c.pointee.flightOffset < c.pointee.flightLength { armSend(i) } else { swapAndSend(i) }
        default:
            break
        }
    }

    /// Connection i is lost: its requests fail now; the socket is shut down so its operations
    /// end, and it is closed once they have.
    private func fail(_ i: Int) {
        guard !senders[i].closing else { return }
        streams.lose(connection: i)
        senders[i].closing = true
        Glibc.shutdown(streams.streams[i].fd, Int32(SHUT_RDWR))
        finishIfIdle(i)
    }

    private func finishIfIdle(_ i: Int) {
        let c = senders[i]
        guard c.closing, !c.sendInFlight, !c.recvArmed, streams.streams[i].fd >= 0 else { return }
        Syscalls.close(streams.streams[i].fd)
        streams.streams[i].fd = -1
    }

    /// Shuts every socket, waits (up to 2 s) for the operations on our buffers to end, then frees.
    func close() {
        for i in 0..<streams.count where streams.streams[i].fd >= 0 {
            senders[i].closing = true
            Glibc.shutdown(streams.streams[i].fd, Int32(SHUT_RDWR))
        }
        let deadline = MonotonicClock.now() + 2_000_000_000
        while (0..<streams.count).contains(where: { senders[$0].sendInFlight || senders[$0].recvArmed }) && MonotonicClock.now() < deadline {
            ring.submitAndWait(timeoutNs: 50_000_000)
            ring.forEachCompletion { data, res, flags in handle(data, res, flags, now: 0) }
        }
        for i in 0..<streams.count where streams.streams[i].fd >= 0 { Syscalls.close(streams.streams[i].fd) }
        buffers.free(from: ring)
        ring.exit()
        for i in 0..<streams.count {
            senders[i].flight?.deallocate()
            senders[i].staged?.deallocate()
        }
        senders.deallocate()
        streams.deallocate()
    }
}

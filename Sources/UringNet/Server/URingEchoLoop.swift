import CLiburing
import CSystemShims
import Glibc
import UringCore

/// The plain proactor: single-shot accept, then per connection exactly one operation in flight,
/// recv → send (→ send the rest after a short send) → recv. No setup flags, no provided buffers:
/// the io_uring server most ports of an epoll server start as.
final class URingEchoLoop: EchoLoop {
    let config: EchoServerConfig
    let ring: IORing
    let table = ConnectionTable()
    var stats = EchoServerStats()
    var ringFlags: [String] { ring.flagNames }
    private var now: UInt64 = 0
    private var stopping = false
    private let maxFrame: UInt32
    private var acceptor: RingAcceptor

    init(config: EchoServerConfig, listener: Int32) throws(NetError) {
        self.config = config
        self.maxFrame = config.maxFrame
        ring = try IORing.forNet(entries: config.ringEntries, flagChoices: [0], engine: "--engine io_uring")
        acceptor = RingAcceptor(listener: listener, multishot: false, ring: ring)
    }

    @inline(__always)
    private func armRecv(_ slot: Int) {
        let c = table.slots + slot
        let s = ring.sqe()
        io_uring_prep_recv(s, c.pointee.fd, c.pointee.buffer, config.bufferSize, 0)
        io_uring_sqe_set_data64(s, RingOp.recv.token(slot))
        c.pointee.recvArmed = true
    }

    @inline(__always)
    private func armSend(_ slot: Int) {
        let c = table.slots + slot
        let s = ring.sqe()
        io_uring_prep_send(s, c.pointee.fd, c.pointee.buffer.map { $0 + Int(c.pointee.pendingOffset) },
                           Int(c.pointee.pendingLength), Int32(MSG_NOSIGNAL))
        io_uring_sqe_set_data64(s, RingOp.send.token(slot))
        c.pointee.sendInFlight = true
    }

    func pollOnce() -> UInt64 {
        now = ring.waitForCompletions()
        drain()
        acceptor.resumeIfPauseEnded(now: now, stopping: stopping)
        return now
    }

    @inline(__always)
    private func drain() {
        ring.forEachCompletion { data, res, _ in handle(data, res) }
    }

    @inline(__always)
    private func handle(_ data: UInt64, _ res: Int32) {
        let (op, slot) = RingOp.decode(data)
        switch op {
        case .accept:
            if let fd = RingAcceptor.connection(res, stopping: stopping) {
                let slot = table.acquire(fd: fd, now: now)
                if table.slots[slot].buffer == nil {
                    table.slots[slot].buffer = .allocate(byteCount: config.bufferSize, alignment: 64)
                }
                stats.accepted += 1
                armRecv(slot)
            }
            acceptor.rearm(after: res, more: false, now: now, stopping: stopping, stats: &stats)
        case .recv:
            let c = table.slots + slot
            c.pointee.recvArmed = false
            if c.pointee.closing || res <= 0 {
                if res < 0 && !c.pointee.closing { stats.resets += 1 }
                finish(slot)
                return
            }
            c.pointee.lastActive = now
            if config.raw {
                stats.frames += 1
            } else if let buffer = c.pointee.buffer {
                let frames = c.pointee.scanner.scan(buffer, count: Int(res), maxFrame: maxFrame)
                if frames == FrameScanner.badFrame {
                    stats.badFrames += 1
                    finish(slot)
                    return
                }
                stats.frames += UInt64(frames)
            }
            c.pointee.pendingOffset = 0
            c.pointee.pendingLength = res
            armSend(slot)
        case .send:
            let c = table.slots + slot
            c.pointee.sendInFlight = false
            if res < 0 { stats.resets += 1; finish(slot); return }
            if c.pointee.closing { finish(slot); return }
            stats.bytes += UInt64(res)
            c.pointee.pendingOffset += res
            c.pointee.pendingLength -= res
            if c.pointee.pendingLength > 0 { armSend(slot) } else { armRecv(slot) }
        case .listenerPoll:
            acceptor.listenerReadable(stopping: stopping)
        case .cancel, nil:
            break
        }
    }

    /// Only called with no operation in flight for `slot`.
    private func finish(_ slot: Int) {
        Syscalls.close(table.slots[slot].fd)
        stats.closed += 1
        table.release(slot)
    }

    /// The outstanding recv (or send) ends once the socket is shut down; `finish` runs then.
    private func beginClose(_ slot: Int) {
        let c = table.slots + slot
        guard !c.pointee.closing else { return }
        c.pointee.closing = true
        Glibc.shutdown(c.pointee.fd, Int32(SHUT_RDWR))
    }

    func sweepIdle() {
        for slot in 0..<table.highWater where table.slots[slot].live && !table.slots[slot].closing {
            if now - table.slots[slot].lastActive > config.idleTimeoutNanoseconds {
                stats.idleClosed += 1
                beginClose(slot)
            }
        }
    }

    func shutdown() {
        stopping = true
        for slot in 0..<table.highWater where table.slots[slot].live { beginClose(slot) }
        ring.awaitClosing(table) { drain() }
        ring.exit()
        acceptor.close()
        for slot in 0..<table.highWater {
            if table.slots[slot].live { Syscalls.close(table.slots[slot].fd) }
            table.slots[slot].buffer?.deallocate()
            table.slots[slot].buffer = nil
        }
    }
}

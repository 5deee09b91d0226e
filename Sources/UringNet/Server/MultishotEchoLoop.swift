import CLiburing
import CSystemShims
import Glibc
import UringCore

/// The io_uring server this kernel makes possible: one multishot accept for the listener, one
/// multishot recv per connection that picks its buffers from a provided-buffer ring (no buffer
/// per idle connection, no re-arm per message), and the ring flags for a single-threaded server.
///
/// A received buffer is queued on its connection and sent from where it lies; it goes back to
/// the ring only when fully sent. One send is in flight per connection, so bytes leave in order.
///
/// Backpressure: a peer that sends but does not read its echoes would otherwise hold every
/// provided buffer (its echoes queue up here) and starve every other connection. When a
/// connection holds `maxQueuedBuffers`, its multishot recv is cancelled; it is re-armed once the
/// queue has drained to half of that. The kernel's socket buffers then push back on the peer.
final class MultishotEchoLoop: EchoLoop {
    let config: EchoServerConfig
    let ring: IORing
    let table = ConnectionTable()
    var stats = EchoServerStats()
    var ringFlags: [String] { ring.flagNames }

    private let buffers: ProvidedBuffers
    private let nextInQueue: UnsafeMutablePointer<Int32>     // per buffer id: the next queued buffer
    private let queuedLength: UnsafeMutablePointer<Int32>    // per buffer id: bytes received into it
    private var freeBuffers: Int
    private let maxQueuedBuffers: Int32
    private var starved: [Int32] = []                        // connections whose recv ran out of buffers
    private var now: UInt64 = 0
    private var stopping = false
    private let maxFrame: UInt32
    private var acceptor: RingAcceptor

    /// Echo bytes one connection may hold before its receiving pauses (capped at a quarter of
    /// the provided buffers, so no single peer can take the pool).
    static let connectionBacklogBytes = 256 * 1024

    /// Best first; each kernel accepts a prefix of this history (6.1+ has the first).
    static let flagChoices: [UInt32] = [
        IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
        IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG,
        0,
    ]

    init(config: EchoServerConfig, listener: Int32) throws(NetError) {
        self.config = config
        self.maxFrame = config.maxFrame
        let choices: [UInt32]
        switch config.ringFlags {
        case .auto: choices = Self.flagChoices
        case .defer_taskrun: choices = [Self.flagChoices[0]]
        case .coop: choices = [Self.flagChoices[1]]
        case .none: choices = [0]
        }
        ring = try IORing.forNet(entries: config.ringEntries, flagChoices: choices, engine: "--engine io_uring_multishot --ring-flags \(config.ringFlags.rawValue)")
        do {
            buffers = try ProvidedBuffers(ring: ring, count: config.ringBuffers, size: config.bufferSize, engine: "--engine io_uring_multishot")
        } catch {
            ring.exit()
            throw error
        }
        nextInQueue = .allocate(capacity: buffers.count)
        queuedLength = .allocate(capacity: buffers.count)
        freeBuffers = buffers.count
        maxQueuedBuffers = Int32(max(1, min(Self.connectionBacklogBytes / buffers.size, buffers.count / 4)))
        starved.reserveCapacity(1024)
        acceptor = RingAcceptor(listener: listener, multishot: true, ring: ring)
    }

    @inline(__always)
    private func armRecv(_ slot: Int) {
        let c = table.slots + slot
        let s = ring.sqe()
        io_uring_prep_recv_multishot(s, c.pointee.fd, nil, 0, 0)
        IORing.selectBuffer(s, group: buffers.group)
        io_uring_sqe_set_data64(s, RingOp.recv.token(slot))
        c.pointee.recvArmed = true
    }

    @inline(__always)
    private func sendHead(_ slot: Int) {
        let c = table.slots + slot
        let bid = Int(c.pointee.queueHead)
        let offset = Int(c.pointee.sendOffset)
        let s = ring.sqe()
        io_uring_prep_send(s, c.pointee.fd, buffers.address(bid) + offset,
                           Int(queuedLength[bid]) - offset, Int32(MSG_NOSIGNAL))
        io_uring_sqe_set_data64(s, RingOp.send.token(slot))
        c.pointee.sendInFlight = true
    }

    @inline(__always)
    private func recycle(_ bid: Int) {
        buffers.recycle(bid)
        freeBuffers += 1
    }

    func pollOnce() -> UInt64 {
        now = ring.waitForCompletions()
        drain()
        acceptor.resumeIfPauseEnded(now: now, stopping: stopping)
        return now
    }

    @inline(__always)
    private func drain() {
        ring.forEachCompletion { data, res, flags in handle(data, res, flags) }
        if !starved.isEmpty && freeBuffers > 0 { rearmStarved() }
    }

    private func rearmStarved() {
        for slot in starved {
            let s = Int(slot)
            if table.slots[s].live && !table.slots[s].closing && !table.slots[s].recvArmed && !table.slots[s].receivePaused { armRecv(s) }
        }
        starved.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    private func handle(_ data: UInt64, _ res: Int32, _ flags: UInt32) {
        let (op, slot) = RingOp.decode(data)
        let more = flags & CLiburing_IORING_CQE_F_MORE != 0
        switch op {
        case .accept: handleAccept(res, more: more)
        case .recv: handleRecv(slot, res, flags, more: more)
        case .send: handleSend(slot, res)
        case .listenerPoll:
            acceptor.listenerReadable(stopping: stopping)
        case .cancel, nil:
            break
        }
    }

    /// A connection from the multishot accept (`more`: the accept stays armed).
    @inline(__always)
    private func handleAccept(_ res: Int32, more: Bool) {
        if let fd = RingAcceptor.connection(res, stopping: stopping) {
            let slot = table.acquire(fd: fd, now: now)
            stats.accepted += 1
            armRecv(slot)
        }
        acceptor.rearm(after: res, more: more, now: now, stopping: stopping, stats: &stats)
    }

    /// Bytes in a provided buffer (queued and sent from there), or the recv's end: our
    /// backpressure cancel, a buffer shortage, the peer's close or an error.
    @inline(__always)
    private func handleRecv(_ slot: Int, _ res: Int32, _ flags: UInt32, more: Bool) {
        let c = table.slots + slot
        if !more { c.pointee.recvArmed = false }
        if res > 0 {
            guard flags & CLiburing_IORING_CQE_F_BUFFER != 0 else { beginClose(slot); return }
            let bid = Int(flags >> CLiburing_IORING_CQE_BUFFER_SHIFT)
            freeBuffers -= 1
            if c.pointee.closing { recycle(bid); maybeFinish(slot); return }
            c.pointee.lastActive = now
            if config.raw {
                stats.frames += 1
            } else {
                let frames = c.pointee.scanner.scan(buffers.address(bid), count: Int(res), maxFrame: maxFrame)
                if frames == FrameScanner.badFrame {
                    stats.badFrames += 1
                    recycle(bid)
                    beginClose(slot)
                    return
                }
                stats.frames += UInt64(frames)
            }
            queuedLength[bid] = res
            nextInQueue[bid] = -1
            if c.pointee.queueTail >= 0 { nextInQueue[Int(c.pointee.queueTail)] = Int32(bid) } else { c.pointee.queueHead = Int32(bid) }
            c.pointee.queueTail = Int32(bid)
            c.pointee.queuedBuffers += 1
            if !c.pointee.sendInFlight { c.pointee.sendOffset = 0; sendHead(slot) }
            if c.pointee.queuedBuffers >= maxQueuedBuffers && !c.pointee.receivePaused { pauseReceive(slot, armed: more) }
            if !more && !c.pointee.closing && !c.pointee.receivePaused { armRecv(slot) }
        } else if res == -ECANCELED && !c.pointee.closing {
            // Our backpressure cancel (or a stale one that hit a reused slot): re-arm unless paused.
            if !more && !c.pointee.receivePaused { armRecv(slot) }
        } else if res == -ENOBUFS {
            stats.bufferShortages += 1
            if c.pointee.closing { maybeFinish(slot) } else if !more { starved.append(Int32(slot)) }
        } else {
            if res < 0 && !c.pointee.closing { stats.resets += 1 }
            beginClose(slot)
            maybeFinish(slot)
        }
    }

    /// A send of the queue's head buffer: the rest of it, the next buffer, or receiving resumed
    /// once the queue has drained to half.
    @inline(__always)
    private func handleSend(_ slot: Int, _ res: Int32) {
        let c = table.slots + slot
        c.pointee.sendInFlight = false
        if res < 0 {
            if !c.pointee.closing { stats.resets += 1 }
            beginClose(slot)
            maybeFinish(slot)
            return
        }
        stats.bytes += UInt64(res)
        let bid = Int(c.pointee.queueHead)
        c.pointee.sendOffset += res
        if c.pointee.sendOffset < queuedLength[bid] && !c.pointee.closing { sendHead(slot); return }
        c.pointee.queueHead = nextInQueue[bid]
        if c.pointee.queueHead < 0 { c.pointee.queueTail = -1 }
        c.pointee.sendOffset = 0
        c.pointee.queuedBuffers -= 1
        recycle(bid)
        if c.pointee.closing { maybeFinish(slot); return }
        if c.pointee.queueHead >= 0 { sendHead(slot) }
        if c.pointee.receivePaused && c.pointee.queuedBuffers <= maxQueuedBuffers / 2 {
            c.pointee.receivePaused = false
            if !c.pointee.recvArmed { armRecv(slot) }
        }
    }

    /// Stops receiving on a connection whose peer is not reading its echoes: the armed multishot
    /// recv is cancelled (its last completion arrives with -ECANCELED, or with data already taken).
    private func pauseReceive(_ slot: Int, armed: Bool) {
        let c = table.slots + slot
        c.pointee.receivePaused = true
        stats.receivePauses += 1
        guard armed && !c.pointee.closing else { return }
        let s = ring.sqe()
        io_uring_prep_cancel64(s, RingOp.recv.token(slot), 0)
        io_uring_sqe_set_data64(s, RingOp.cancel.token(slot))
    }

    /// Marks the connection closing and shuts the socket so an armed multishot recv terminates.
    private func beginClose(_ slot: Int) {
        let c = table.slots + slot
        if !c.pointee.closing {
            c.pointee.closing = true
            if c.pointee.recvArmed { Glibc.shutdown(c.pointee.fd, Int32(SHUT_RDWR)) }
        }
    }

    /// Frees the slot once nothing is in flight: queued buffers go back to the ring.
    private func maybeFinish(_ slot: Int) {
        let c = table.slots + slot
        guard c.pointee.live, c.pointee.closing, !c.pointee.recvArmed, !c.pointee.sendInFlight else { return }
        var bid = c.pointee.queueHead
        while bid >= 0 {
            let next = nextInQueue[Int(bid)]
            recycle(Int(bid))
            bid = next
        }
        c.pointee.queueHead = -1
        c.pointee.queueTail = -1
        c.pointee.queuedBuffers = 0
        Syscalls.close(c.pointee.fd)
        stats.closed += 1
        table.release(slot)
    }

    func sweepIdle() {
        for slot in 0..<table.highWater where table.slots[slot].live && !table.slots[slot].closing {
            if now - table.slots[slot].lastActive > config.idleTimeoutNanoseconds {
                stats.idleClosed += 1
                beginClose(slot)
                maybeFinish(slot)
            }
        }
    }

    func shutdown() {
        stopping = true
        for slot in 0..<table.highWater where table.slots[slot].live {
            beginClose(slot)
            maybeFinish(slot)
        }
        ring.awaitClosing(table) { drain() }
        buffers.free(from: ring)
        ring.exit()
        acceptor.close()
        for slot in 0..<table.highWater where table.slots[slot].live { Syscalls.close(table.slots[slot].fd) }
        nextInQueue.deallocate()
        queuedLength.deallocate()
    }
}

import CLiburing  // MSG_NOSIGNAL comes through liburing.h here (not found through SwiftGlibc alone)
import CSystemShims
import Glibc
import UringCore

/// The reactor: level-triggered epoll. A readable socket gets one recv into its buffer and the
/// bytes go straight back with send; a short send parks the rest and switches the socket's
/// interest to EPOLLOUT (no more reading) until it drains. (This loop never defers a close, so
/// `Connection.closing` means "interest is EPOLLOUT" here.)
final class EpollEchoLoop: EchoLoop {
    let config: EchoServerConfig
    let listener: Int32
    let epfd: Int32
    let table = ConnectionTable()
    var stats = EchoServerStats()
    var ringFlags: [String] { [] }
    private let maxEvents = 256
    private let eventData: UnsafeMutablePointer<UInt64>
    private let eventFlags: UnsafeMutablePointer<UInt32>
    private static let listenerToken = UInt64.max
    private var now: UInt64 = 0
    private let maxFrame: UInt32
    private var shedder = AcceptShedder()

    init(config: EchoServerConfig, listener: Int32) throws(NetError) {
        self.config = config
        self.listener = listener
        self.maxFrame = config.maxFrame
        let fd = CSystemShims_epoll_create()
        guard fd >= 0 else { throw NetError.system(context: "epoll_create1", error: Errno(negated: fd)) }
        epfd = fd
        eventData = .allocate(capacity: maxEvents)
        eventFlags = .allocate(capacity: maxEvents)
        let rc = CSystemShims_epoll_ctl(epfd, CSystemShims_EPOLL_CTL_ADD, listener, CSystemShims_EPOLLIN, Self.listenerToken)
        if rc < 0 { throw NetError.system(context: "epoll_ctl(listener)", error: Errno(negated: rc)) }
    }

    func pollOnce() -> UInt64 {
        let n = CSystemShims_epoll_wait(epfd, eventData, eventFlags, Int32(maxEvents), 100)
        now = MonotonicClock.now()
        if shedder.pauseEnds(at: now) {
            _ = CSystemShims_epoll_ctl(epfd, CSystemShims_EPOLL_CTL_MOD, listener, CSystemShims_EPOLLIN, Self.listenerToken)
        }
        if n < 0 { return now }   // EINTR
        for i in 0..<Int(n) {
            let token = eventData[i]
            if token == Self.listenerToken { acceptAll(); continue }
            let slot = Int(token)
            guard slot < table.highWater, table.slots[slot].live else { continue }
            if table.slots[slot].pendingLength > 0 {
                flush(slot)
            } else {
                echo(slot)
            }
        }
        return now
    }

    private func acceptAll() {
        while true {
            let fd = Socket.acceptNonBlocking(listener)
            if fd < 0 {
                if AcceptShedder.isDescriptorLimit(fd) { shedWaiting() }
                return   // EAGAIN: nothing more waiting
            }
            let slot = table.acquire(fd: fd, now: now)
            if table.slots[slot].buffer == nil {
                table.slots[slot].buffer = .allocate(byteCount: config.bufferSize, alignment: 64)
            }
            stats.accepted += 1
            if CSystemShims_epoll_ctl(epfd, CSystemShims_EPOLL_CTL_ADD, fd, CSystemShims_EPOLLIN, UInt64(slot)) < 0 {
                close(slot, reset: true)
            }
        }
    }

    /// At the open-file limit: refuse what waits, or take the listener out of the interest set
    /// for a while (level-triggered, it would report the waiting connection on every wait).
    private func shedWaiting() {
        if shedder.handleLimit(on: listener, now: now, stats: &stats) {
            _ = CSystemShims_epoll_ctl(epfd, CSystemShims_EPOLL_CTL_MOD, listener, 0, Self.listenerToken)
        }
    }

    @inline(__always)
    private func echo(_ slot: Int) {
        let c = table.slots + slot
        guard let buffer = c.pointee.buffer else { return }
        let n = recv(c.pointee.fd, buffer, config.bufferSize, 0)
        if n < 0 {
            let e = errno
            if e == EAGAIN || e == EINTR { return }
            close(slot, reset: true)
            return
        }
        if n == 0 { close(slot, reset: false); return }
        c.pointee.lastActive = now
        if config.raw {
            stats.frames += 1
        } else {
            let frames = c.pointee.scanner.scan(buffer, count: n, maxFrame: maxFrame)
            if frames == FrameScanner.badFrame {
                stats.badFrames += 1
                close(slot, reset: false)
                return
            }
            stats.frames += UInt64(frames)
        }
        c.pointee.pendingOffset = 0
        c.pointee.pendingLength = Int32(n)
        flush(slot)
    }

    /// Sends the parked bytes; interest is EPOLLOUT while any remain, EPOLLIN otherwise.
    @inline(__always)
    private func flush(_ slot: Int) {
        let c = table.slots + slot
        guard let buffer = c.pointee.buffer else { return }
        let wasBlocked = c.pointee.closing
        while c.pointee.pendingLength > 0 {
            let sent = send(c.pointee.fd, buffer + Int(c.pointee.pendingOffset), Int(c.pointee.pendingLength), Int32(MSG_NOSIGNAL))
            if sent < 0 {
                let e = errno
                if e == EINTR { continue }
                if e == EAGAIN {
                    if !wasBlocked {
                        _ = CSystemShims_epoll_ctl(epfd, CSystemShims_EPOLL_CTL_MOD, c.pointee.fd, CSystemShims_EPOLLOUT, UInt64(slot))
                        c.pointee.closing = true
                    }
                    return
                }
                close(slot, reset: true)
                return
            }
            stats.bytes += UInt64(sent)
            c.pointee.pendingOffset += Int32(sent)
            c.pointee.pendingLength -= Int32(sent)
        }
        c.pointee.pendingOffset = 0
        if wasBlocked {
            c.pointee.closing = false
            _ = CSystemShims_epoll_ctl(epfd, CSystemShims_EPOLL_CTL_MOD, c.pointee.fd, CSystemShims_EPOLLIN, UInt64(slot))
        }
    }

    private func close(_ slot: Int, reset: Bool) {
        let fd = table.slots[slot].fd
        _ = CSystemShims_epoll_ctl(epfd, CSystemShims_EPOLL_CTL_DEL, fd, 0, 0)
        Syscalls.close(fd)
        stats.closed += 1
        if reset { stats.resets += 1 }
        table.slots[slot].pendingLength = 0
        table.release(slot)
    }

    func sweepIdle() {
        for slot in 0..<table.highWater where table.slots[slot].live {
            if now - table.slots[slot].lastActive > config.idleTimeoutNanoseconds {
                stats.idleClosed += 1
                close(slot, reset: false)
            }
        }
    }

    func shutdown() {
        for slot in 0..<table.highWater {
            if table.slots[slot].live { close(slot, reset: false) }
            table.slots[slot].buffer?.deallocate()
            table.slots[slot].buffer = nil
        }
        shedder.close()
        Syscalls.close(epfd)
        eventData.deallocate()
        eventFlags.deallocate()
    }
}

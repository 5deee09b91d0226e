import CSystemShims
import Glibc
import UringCore

/// Open-loop load: requests leave on a fixed schedule whatever the server does, so every engine
/// is offered the same load, and latency is measured from each request's *scheduled* send time.
/// A closed-loop client waits for each echo before it sends again, so a stalled server also
/// stalls the requests that would have queued behind the stall, and their wait is never
/// measured (coordinated omission). Here a connection keeps sending (frames pipeline on the
/// stream; echoes come back in order) and a late echo carries its full wait. The schedule and
/// the checks are OpenLoopStreams'; this is the epoll transport (URingOpenLoopClientLoop is the
/// io_uring one).
final class OpenLoopClientLoop: QPSClientLoop {
    let streams: OpenLoopStreams
    let epfd: Int32
    private let sendOffset: UnsafeMutablePointer<Int>     // per connection: bytes of the frame being written
    private let wantWrite: UnsafeMutablePointer<Bool>     // per connection: EPOLLOUT interest is on
    private let scratch: UnsafeMutableRawPointer
    private let scratchSize = 64 * 1024
    private let eventData: UnsafeMutablePointer<UInt64>
    private let eventFlags: UnsafeMutablePointer<UInt32>

    /// `rate`: this thread's requests per second over its connections.
    init(config: TCPQPSConfig, fds: [Int32], firstIndex: Int, threadIndex: Int, quota: Int, rate: Double) throws(NetError) {
        streams = OpenLoopStreams(config: config, fds: fds, firstIndex: firstIndex, threadIndex: threadIndex, quota: quota, rate: rate)
        sendOffset = .allocate(capacity: fds.count)
        sendOffset.initialize(repeating: 0, count: fds.count)
        wantWrite = .allocate(capacity: fds.count)
        wantWrite.initialize(repeating: false, count: fds.count)
        eventData = .allocate(capacity: 256)
        eventFlags = .allocate(capacity: 256)
        scratch = .allocate(byteCount: scratchSize, alignment: 64)
        let fd = CSystemShims_epoll_create()
        epfd = fd
        guard fd >= 0 else { release(); throw NetError.system(context: "epoll_create1", error: Errno(negated: fd)) }
        for (i, sock) in fds.enumerated() {
            if CSystemShims_epoll_ctl(epfd, CSystemShims_EPOLL_CTL_ADD, sock, CSystemShims_EPOLLIN, UInt64(i)) < 0 {
                let error = Errno.current
                release()
                throw NetError.system(context: "epoll_ctl(client)", error: error)
            }
        }
    }

    func run(stop: StopSignal) -> TCPQPSResult {
        streams.drive(stop: stop, send: { flush($0) }, poll: { wait in
            let n = CSystemShims_epoll_wait_ns(epfd, eventData, eventFlags, 256, wait)
            let now = MonotonicClock.now()
            for e in 0..<max(0, Int(n)) {
                let i = Int(eventData[e])
                guard streams.streams[i].alive else { continue }
                if eventFlags[e] & CSystemShims_EPOLLOUT != 0 && wantWrite[i] { flush(i) }
                if streams.streams[i].alive && eventFlags[e] & ~CSystemShims_EPOLLOUT != 0 { receive(i, now: now) }
            }
            return now
        }, drop: { fail($0) })
    }

    /// Writes every due frame of connection i that the socket takes.
    @inline(__always)
    private func flush(_ i: Int) {
        let st = streams.streams + i
        while st.pointee.sent < st.pointee.due {
            if sendOffset[i] == 0 { streams.stamp(st.pointee.template, connection: i, request: st.pointee.sent) }
            switch SocketSend.push(st.pointee.fd, st.pointee.template, offset: &sendOffset[i], length: streams.frameLength) {
            case .done:
                sendOffset[i] = 0
                st.pointee.sent += 1
            case .wouldBlock:
                SocketSend.watchWritable(epfd, st.pointee.fd, token: UInt64(i), true, current: &wantWrite[i])
                return
            case .failed:
                streams.result.connectionErrors += 1
                fail(i)
                return
            }
        }
        SocketSend.watchWritable(epfd, st.pointee.fd, token: UInt64(i), false, current: &wantWrite[i])
    }

    @inline(__always)
    private func receive(_ i: Int, now: UInt64) {
        let n = recv(streams.streams[i].fd, scratch, scratchSize, 0)
        if n < 0 {
            let e = errno
            if e == EAGAIN || e == EINTR { return }
            streams.result.connectionErrors += 1
            fail(i)
            return
        }
        if n == 0 { streams.result.connectionErrors += 1; fail(i); return }
        // Bytes that differ, or that nobody asked for (an echo of a request not yet due), are corrupt.
        if !streams.consume(connection: i, scratch, count: n, now: now) { streams.result.corrupt += 1; fail(i) }
    }

    /// The connection is closed; its unanswered requests fail.
    private func fail(_ i: Int) {
        streams.lose(connection: i)
        _ = CSystemShims_epoll_ctl(epfd, CSystemShims_EPOLL_CTL_DEL, streams.streams[i].fd, 0, 0)
        Syscalls.close(streams.streams[i].fd)
    }

    func close() {
        for i in 0..<streams.count where streams.streams[i].alive { Syscalls.close(streams.streams[i].fd) }
        release()
    }

    /// Frees the memory (the sockets are closed by `close`, or by the caller when init fails).
    private func release() {
        streams.deallocate()
        sendOffset.deallocate()
        wantWrite.deallocate()
        scratch.deallocate()
        if epfd >= 0 { Syscalls.close(epfd) }
        eventData.deallocate()
        eventFlags.deallocate()
    }
}

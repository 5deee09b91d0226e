import CSystemShims
import Glibc
@testable import UringNet

/// io_uring checked once; tests that need it are disabled with this reason when it is refused.
let ioUringReason: String? = EchoServer.ioUringUnavailableReason()
let ioUringUsable = ioUringReason == nil

/// Blocking loopback socket helpers for hand-made clients (split frames, garbage, RST).
enum Sock {
    static func connect(_ port: Int) -> Int32 {
        let fd = Socket.tcpConnect("127.0.0.1", port: UInt16(port), nonBlocking: false)
        precondition(fd >= 0, "connect failed: \(fd)")
        _ = Socket.setReceiveTimeout(fd, microseconds: 5_000_000)   // a test never waits longer than 5 s
        return fd
    }

    static func send(_ fd: Int32, _ bytes: [UInt8]) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + done, $0.count - done, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            done += n
        }
    }

    /// Reads exactly `count` bytes, or fewer if the peer closes or 5 s pass.
    static func read(_ fd: Int32, _ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = out.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress! + done, count - done, 0) }
            if n <= 0 { break }
            done += n
        }
        return Array(out[0..<done])
    }

    /// recv's result once the server has closed: 0 (EOF) or -1 with ECONNRESET; -2 on timeout.
    static func waitForClose(_ fd: Int32) -> Int {
        var byte: UInt8 = 0
        while true {
            let n = Glibc.recv(fd, &byte, 1, 0)
            if n == 0 { return 0 }
            if n < 0 { return errno == EAGAIN ? -2 : -1 }
        }
    }

    /// Close with SO_LINGER 0: the peer sees an RST, as from a client that crashed.
    static func reset(_ fd: Int32) {
        var l = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
        Glibc.close(fd)
    }
}

func frame(_ payload: [UInt8]) -> [UInt8] { FrameScannerTests.frame(payload) }

func payload(_ count: Int, seed: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ seed &* 17 &+ 3) }
}

/// Engines this machine can run (all of them when io_uring works, which the tests then require).
let testEngines: [EchoEngine] = EchoEngine.allCases

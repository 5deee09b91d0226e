import Foundation
import Glibc
import Testing
import TestSupport

/// The network subcommands end to end: exit codes, one-line errors, no NaN in any output.
@Suite(.waits) struct NetworkCLITests {
    func expectOneLineError(_ r: CLITests.Outcome, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == 1, "exit \(r.status): \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.hasPrefix("uringbench: error: "), "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains(fragment), "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)", sourceLocation: sourceLocation)
    }

    /// A loopback TCP port that completes handshakes (the backlog) but never accepts or answers.
    func silentListener() -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        listen(fd, 64)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return (fd, Int(UInt16(bigEndian: addr.sin_port)))
    }

    /// A free UDP port with nothing bound to it.
    func closedUDPPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        close(fd)
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    @Test func udpQPSAgainstAClosedPortSaysNothingIsListening() throws {
        let port = closedUDPPort()
        let r = try CLITests.run(["udp-qps", "-p", "\(port)", "-n", "50", "--timeout", "100ms"])
        expectOneLineError(r, "nothing is listening on 127.0.0.1:\(port): connection refused (ICMP port unreachable)")
    }

    @Test func tcpQPSWhereEveryRequestFailsExitsOneWithoutNaN() throws {
        let (fd, port) = silentListener()
        defer { close(fd) }
        let r = try CLITests.run(["tcp-qps", "-p", "\(port)", "-c", "2", "-n", "4", "--timeout", "200ms", "--output-format", "json"])
        expectOneLineError(r, "every one of the 4 requests failed (timeout=")
        #expect(!r.stdout.lowercased().contains("nan"), "\(r.stdout)")
        #expect((try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) != nil)
    }

    @Test func echoWithFramesAboveOneMiBMeasuresAndPrintsNoNaN() throws {
        for format in ["normal", "json"] {
            let r = try CLITests.run(["echo", "--engines", "epoll", "--size", "2M", "-n", "20", "--warmup", "0",
                                      "-c", "2", "--rounds", "1", "--output-format", format])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(!r.stdout.lowercased().contains("nan"), "\(r.stdout)")
            #expect(r.stdout.contains("epoll"))
        }
    }
}

extension NetworkCLITests {
    /// `uringbench ARGS` under a shell `ulimit` (the limits are the process's own).
    func runLimited(_ ulimit: String, _ args: [String]) throws -> CLITests.Outcome {
        try CLITests.run(["-c", "\(ulimit) && exec \"$0\" \"$@\"", CLITests.uringbench] + args, executable: "/bin/sh")
    }

    @Test func connectionSweepRaisesTheSoftLimitAndSaysSo() throws {
        let r = try runLimited("ulimit -Sn 256", ["echo", "--engines", "epoll,io_uring_multishot", "-c", "10,400", "-n", "2000",
                                                  "--warmup", "0", "--rounds", "1", "--size", "64"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("open-file limit raised from 256 to 464"), "\(r.stdout)")
        let rows = r.stdout.split(separator: "\n").filter { $0.hasPrefix("epoll ") || $0.hasPrefix("io_uring_multishot ") }
        #expect(rows.count == 4, "\(r.stdout)")
        #expect(rows.contains { $0.contains(" 400 ") } && rows.contains { $0.contains(" 10 ") })
        #expect(!r.stdout.lowercased().contains("nan"))
    }

    @Test func udpSocketSweepRaisesTheSoftLimitAndSaysSo() throws {
        let r = try runLimited("ulimit -Sn 256", ["udp", "--models", "shared,io_uring", "--sockets", "4,400", "-n", "2000",
                                                  "--rounds", "1", "--server-threads", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("open-file limit raised from 256 to 464"), "\(r.stdout)")
        let rows = r.stdout.split(separator: "\n").filter { $0.hasPrefix("shared ") || $0.hasPrefix("io_uring ") }
        #expect(rows.count == 4, "\(r.stdout)")
        #expect(rows.contains { $0.contains(" 400 ") } && rows.contains { $0.contains(" 4 ") })
    }

    @Test func udpSocketCountAboveTheHardLimitIsRefused() throws {
        let r = try runLimited("ulimit -n 300", ["udp", "--sockets", "8,1000", "-n", "100", "--rounds", "1"])
        expectOneLineError(r, "--sockets up to 1000 sockets in all needs 1064 open files, above the hard limit (ulimit -Hn) of 300")
    }

    @Test func connectionCountAboveTheHardLimitIsRefused() throws {
        let r = try runLimited("ulimit -n 300", ["echo", "--engines", "epoll", "-c", "10,1000", "-n", "100", "--rounds", "1"])
        expectOneLineError(r, "-c up to 1000 connections needs 1064 open files, above the hard limit (ulimit -Hn) of 300")
    }
}

extension NetworkCLITests {
    static var chromium: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The README's flow: a real sweep written as JSON, drawn by `plot`, loaded by Chromium with
    /// both charts and a line per engine in its DOM.
    @Test(.enabled(if: chromium != nil, "chromium is not installed (apt-get install -y chromium)"))
    func echoSweepPlotsAndChromiumLoadsIt() throws {
        let json = OutputSafetyTests.path("echo-sweep") + ".json", html = OutputSafetyTests.path("echo-sweep") + ".html"
        let r = try CLITests.run(["echo", "--engines", "epoll,io_uring_multishot", "-c", "4,16", "-n", "500", "--warmup", "0",
                                  "--rounds", "1", "--size", "64", "--output-format", "json", "--output", json])
        #expect(r.status == 0, "\(r.stderr)")
        let p = try CLITests.run(["plot", json, "-o", html])
        #expect(p.status == 0, "\(p.stderr)")
        let profile = OutputSafetyTests.path("chromium-profile")
        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile)"]
        let dom = try CLITests.run(flags + ["--dump-dom", "file://\(html)"], executable: Self.chromium!)
        #expect(dom.status == 0, "\(dom.stderr)")
        for id in ["chart-echo-cpu-connections", "chart-echo-p99-connections"] { #expect(dom.stdout.contains("id=\"\(id)\"")) }
        #expect(dom.stdout.components(separatedBy: "class=\"echo-line\"").count - 1 == 4)
        #expect(dom.stdout.components(separatedBy: "class=\"echo-point\"").count - 1 == 8)
        #expect(dom.stdout.contains("load average"))
        let png = OutputSafetyTests.path("echo-sweep") + ".png"
        let shot = try CLITests.run(flags + ["--window-size=1100,1400", "--screenshot=\(png)", "file://\(html)"], executable: Self.chromium!)
        #expect(shot.status == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    }
}

import ArgumentParser
import CSystemShims
import Foundation
import UringBench
import UringNet
import UringCore

extension UringBenchCommand {
    struct EchoServerCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "echo-server",
            abstract: "A TCP echo server on one I/O model, for tcp-qps (or any echo client) to measure.",
            discussion: """
            Examples: uringbench echo-server --engine epoll --port 2048
                      uringbench echo-server --engine io_uring_multishot --port 9999 --threads 2
            Engines: epoll (level-triggered reactor: epoll_wait, recv, send), io_uring (proactor: \
            single-shot accept/recv/send SQEs, no setup flags), io_uring_multishot (multishot accept \
            and recv into a provided-buffer ring, SINGLE_ISSUER+DEFER_TASKRUN when the kernel has \
            them). Frames are a 4-byte big-endian length then the payload; --raw echoes plain bytes. \
            Ctrl-C stops it and prints what it served.
            """)

        @Option(help: "I/O model: \(EchoEngine.allCases.map(\.rawValue).joined(separator: ", ")).")
        var engine: EchoEngine = .epoll

        @Option(help: "IPv4 address to listen on.")
        var host = "127.0.0.1"

        @Option(help: "TCP port (0 picks a free one and prints it).")
        var port = 9999

        @Option(help: "Server threads, each with its own listener (SO_REUSEPORT) and loop.")
        var threads = 1

        @Option(help: ArgumentHelp("Pin server thread i to the i-th CPU of this list (e.g. 0 or 0,1).", valueName: "cpus"))
        var cpu: CPUListArgument?

        @Option(name: .customLong("max-frame"), help: ArgumentHelp("Longest frame accepted (at most 4G - 1 bytes); a longer header closes that connection.", valueName: "size"))
        var maxFrame = SizeArgument(bytes: 1 << 20)

        @Flag(help: "Echo plain bytes as they come (no frame headers).")
        var raw = false

        @Option(name: .customLong("idle-timeout"), help: ArgumentHelp("Close connections idle this long (0: never).", valueName: "time"))
        var idleTimeout = NetDuration(nanoseconds: 0)

        @Option(name: .customLong("buffer-size"), help: ArgumentHelp("Per-connection echo buffer (epoll, io_uring) or provided-buffer size (multishot).", valueName: "size"))
        var bufferSize = SizeArgument(bytes: 16 * 1024)

        @Option(name: .customLong("ring-buffers"), help: "Provided buffers per thread for io_uring_multishot (a power of two).")
        var ringBuffers = 4096

        @Option(name: .customLong("ring-flags"), help: "io_uring_multishot setup flags: auto (best accepted), defer (SINGLE_ISSUER+DEFER_TASKRUN), coop (COOP_TASKRUN), none.")
        var ringFlags: RingFlagChoice = .auto

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port \(port) is not a port: use 0-65535") }
            try OptionRange.check(threads, 1...OptionRange.maxThreads, "--threads", example: 1)
            // The frame header is a 4-byte length, so 4 GiB itself does not fit.
            guard maxFrame.bytes >= 1 && maxFrame.bytes <= UInt64(UInt32.max) else {
                throw ValidationError("--max-frame must be 1 to 4294967295 bytes (4G - 1, the most a 4-byte length header holds; got \(maxFrame.bytes)); use e.g. --max-frame 1M")
            }
            guard bufferSize.bytes >= 64 && bufferSize.bytes <= 1 << 20 else {
                throw ValidationError("--buffer-size must be 64 B to 1 MiB (got \(bufferSize.bytes)); use e.g. --buffer-size 16k")
            }
            guard ringBuffers >= 1 && ringBuffers <= 32768 && ringBuffers & (ringBuffers - 1) == 0 else {
                throw ValidationError("--ring-buffers must be a power of two from 1 to 32768 (got \(ringBuffers)); use e.g. --ring-buffers 4096")
            }
            try NetTerminal.validCPUs(cpu?.cpus ?? [], option: "--cpu")
        }

        func run() throws {
            var c = EchoServerConfig(engine: engine)
            c.host = host
            c.port = port
            c.threads = threads
            c.cpus = cpu?.cpus ?? []
            c.maxFrame = UInt32(maxFrame.bytes)
            c.raw = raw
            c.idleTimeoutNanoseconds = idleTimeout.nanoseconds
            c.bufferSize = Int(bufferSize.bytes)
            c.ringBuffers = ringBuffers
            c.ringFlags = ringFlags
            try NetTerminal.run {
                let started = MonotonicClock.now()
                let server = try EchoServer.start(c)
                let flags = server.ringFlags.isEmpty ? (engine == .epoll ? "" : ", ring flags none") : ", ring flags \(server.ringFlags.joined(separator: ","))"
                let pin = c.cpus.isEmpty ? "" : ", cpu \(c.cpus.map(String.init).joined(separator: ","))"
                Terminal.write(1, "uringbench echo-server: engine=\(engine.rawValue) listening on \(host):\(server.port) (threads \(threads)\(flags)\(pin), \(raw ? "raw" : "framed, max-frame \(c.maxFrame)"))\n")
                while !StopLatch.requested { usleep(50_000) }
                let s = server.stop()
                let seconds = Double(MonotonicClock.now() - started) / 1e9
                let perFrame = s.frames > 0 ? String(format: "%.2f", Double(s.cpuMicroseconds) / Double(s.frames)) : "-"
                Terminal.write(1, """
                echo-server \(engine.rawValue): \(String(format: "%.1f", seconds)) s, \(s.accepted) connections accepted, \(s.closed) closed \
                (\(s.resets) with errors, \(s.badFrames) for frames above --max-frame, \(s.idleClosed) idle)\(s.refused > 0 ? ", \(s.refused) refused at the open-file limit (EMFILE/ENFILE; ulimit -n \(ResourceLimits.openFiles))" : "")
                  echoed: \(s.frames) \(raw ? "reads" : "frames"), \(s.bytes) bytes; server threads' CPU \(s.cpuMicroseconds / 1000) ms = \(perFrame) us per \(raw ? "read" : "frame")\(s.bufferShortages > 0 ? "; provided buffers ran out \(s.bufferShortages) times" : "")\(s.receivePauses > 0 ? "; receiving paused \(s.receivePauses) times for peers not reading their echoes" : "")

                """)
            }
        }
    }
}

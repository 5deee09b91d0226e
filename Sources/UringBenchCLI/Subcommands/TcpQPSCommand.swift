import ArgumentParser
import Foundation
import UringBench
import UringNet

extension UringBenchCommand {
    struct TcpQPSCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tcp-qps",
            abstract: "Request/echo round trips against a TCP echo server: QPS and round-trip latency.",
            discussion: """
            Example: uringbench tcp-qps -s 127.0.0.1 -p 9999 -t 50 -c 100 -n 1000000 --size 512
            -t threads share -c connections; each connection keeps one request in flight \
            (TCP_NODELAY). Every echoed byte is checked. Prints the seed client's summary line \
            (success, failed, time_used ms, qps), then a fio-style latency block.
            """)

        @Option(name: .customShort("s"), help: "Server IPv4 address.")
        var server = "127.0.0.1"

        @Option(name: .customShort("p"), help: "Server port.")
        var port = 9999

        @Option(name: .customShort("t"), help: "Client threads (they share the connections).")
        var threads = 1

        @Option(name: .customShort("c"), help: "Connections in all, one request in flight each.")
        var connections = 1

        @Option(name: .customShort("n"), help: "Requests in all.")
        var requests = 100_000

        @Option(help: ArgumentHelp("Payload bytes per request: N or MIN-MAX (uniform).", valueName: "size|min-max"))
        var size = SizeRangeArgument(low: 512, high: 512)

        @Flag(help: "Plain bytes, no 4-byte length header (for servers that echo raw bytes).")
        var raw = false

        @Option(help: ArgumentHelp("Per-request timeout; a late request counts as failed.", valueName: "time"))
        var timeout = NetDuration(nanoseconds: 5_000_000_000)

        @Option(name: .customLong("max-time"), help: ArgumentHelp("Stop after this long whatever is left (0: no bound).", valueName: "time"))
        var maxTime = NetDuration(nanoseconds: 0)

        @Option(help: ArgumentHelp("Pin client thread i to the i-th CPU of this list.", valueName: "cpus"))
        var cpu: CPUListArgument?

        @Option(name: .customLong("client-engine"), help: "The client's own I/O model: epoll (send, epoll_wait, recv) or io_uring (all connections' SQEs in one io_uring_enter).")
        var clientEngine: ClientEngine = .epoll

        @Option(help: "Open loop: requests per second in all, on a fixed schedule (frames pipeline on each connection); latency runs from each request's scheduled send time. Default: closed loop.")
        var rate: Double?

        @Option(name: .customLong("output-format"), help: "normal (summary + fio-style block) or json.")
        var outputFormat: OutputFormat = .normal

        @Option(help: "Write the report to this file instead of standard output.")
        var output: String?

        func validate() throws {
            try NetTerminal.validCPUs(cpu?.cpus ?? [], option: "--cpu")
            guard timeout.nanoseconds > 0 else { throw ValidationError("--timeout must be above 0; use e.g. --timeout 5s") }
            try OptionRange.check(port, 1...65535, "-p", example: 9999)
            try OptionRange.check(threads, 1...OptionRange.maxThreads, "-t", example: 1)
            try OptionRange.check(connections, 1...OptionRange.maxConnections, "-c", example: 100)
            try OptionRange.check(requests, 1...OptionRange.maxRequests, "-n", example: 100_000)
            try NetTerminal.checkRate(rate, of: "request")
        }

        func run() throws {
            var c = TCPQPSConfig(host: server, port: port)
            c.threads = threads
            c.connections = connections
            c.requests = requests
            c.sizeMin = size.low
            c.sizeMax = size.high
            c.raw = raw
            c.requestTimeoutNanoseconds = timeout.nanoseconds
            c.maxTimeNanoseconds = maxTime.nanoseconds
            c.cpus = cpu?.cpus ?? []
            c.engine = clientEngine
            c.rate = rate ?? 0
            let out = try Terminal.openOutput(output)
            try NetTerminal.run {
                let r = try TCPQPSClient.run(c)
                let report = QPSReport(config: c, result: r)
                switch outputFormat {
                case .normal: try Terminal.emit(report.renderText(), to: out)
                case .json: try Terminal.emit(try report.renderJSON(), to: out)
                }
                try EchoBench.requireSuccess(r, what: "tcp-qps to \(server):\(port)", raw: raw)
            }
        }
    }
}

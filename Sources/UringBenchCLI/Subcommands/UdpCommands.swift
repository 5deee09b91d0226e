import ArgumentParser
import CSystemShims
import Foundation
import UringBench
import UringNet
import UringCore

extension UDPEngine: ExpressibleByArgument {}
extension UDPModel: ExpressibleByArgument {}

extension UringBenchCommand {
    struct UdpServerCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "udp-server",
            abstract: "A UDP echo server on one model: recvfrom, recvmmsg batches or io_uring.",
            discussion: """
            Example: uringbench udp-server --engine recvmmsg --reuseport --threads 2 --port 9998
            Without --reuseport every thread shares one socket; with it each thread has its own \
            (SO_REUSEPORT) and the kernel spreads clients over them. Ctrl-C prints what was served.
            """)

        @Option(help: "Model: \(UDPEngine.allCases.map(\.rawValue).joined(separator: ", ")).")
        var engine: UDPEngine = .recvfrom
        @Option(help: "IPv4 address to bind.") var host = "127.0.0.1"
        @Option(help: "UDP port (0 picks a free one).") var port = 9998
        @Option(help: "Server threads.") var threads = 1
        @Flag(help: "One socket per thread with SO_REUSEPORT (default: all threads share one socket).") var reuseport = false
        @Option(help: "recvmmsg batch / io_uring recvmsg window per thread.") var batch = 32
        @Option(help: ArgumentHelp("Pin thread i to the i-th CPU of this list.", valueName: "cpus")) var cpu: CPUListArgument?

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port \(port) is not a port: use 0-65535") }
            try NetTerminal.validCPUs(cpu?.cpus ?? [], option: "--cpu")
            try OptionRange.check(threads, 1...OptionRange.maxThreads, "--threads", example: 1)
            try OptionRange.check(batch, 1...1024, "--batch", example: 32)
        }

        func run() throws {
            var c = UDPServerConfig(engine: engine)
            c.host = host; c.port = port; c.threads = threads; c.reusePort = reuseport; c.batch = batch
            c.cpus = cpu?.cpus ?? []
            try NetTerminal.run {
                let server = try UDPServer.start(c)
                Terminal.write(1, "uringbench udp-server: engine=\(engine.rawValue) listening on \(host):\(server.port) (threads \(threads), \(reuseport ? "a socket per thread (SO_REUSEPORT)" : "one shared socket")\(engine == .recvfrom ? "" : ", batch \(batch)"))\n")
                let t0 = MonotonicClock.now()
                while !StopLatch.requested { usleep(50_000) }
                let s = server.stop()
                let secs = Double(MonotonicClock.now() - t0) / 1e9
                Terminal.write(1, String(format: "udp-server %@: %.1f s, %llu datagrams echoed (%llu bytes), %llu send errors; server threads' CPU %llu ms = %@ us per datagram\n",
                                         engine.rawValue, secs, s.datagrams, s.bytes, s.sendErrors, s.cpuMicroseconds / 1000,
                                         s.datagrams > 0 ? String(format: "%.2f", Double(s.cpuMicroseconds) / Double(s.datagrams)) : "-"))
            }
        }
    }

    struct UdpQPSCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "udp-qps",
            abstract: "Request/response datagrams against a UDP echo server, counting losses instead of hanging.",
            discussion: "Example: uringbench udp-qps -s 127.0.0.1 -p 9998 -t 2 --sockets 32 -n 200000 --size 64")

        @Option(name: .customShort("s"), help: "Server IPv4 address.") var server = "127.0.0.1"
        @Option(name: .customShort("p"), help: "Server port.") var port = 9998
        @Option(name: .customShort("t"), help: "Client threads.") var threads = 1
        @Option(help: "Sockets per thread, one request in flight each.") var sockets = 8
        @Option(name: .customShort("n"), help: "Requests in all.") var requests = 100_000
        @Option(help: ArgumentHelp("Datagram bytes (8-65000).", valueName: "bytes")) var size = 64
        @Option(help: ArgumentHelp("A reply later than this counts as lost.", valueName: "time")) var timeout = NetDuration(nanoseconds: 200_000_000)
        @Option(name: .customLong("max-time"), help: ArgumentHelp("Stop after this long (0: no bound).", valueName: "time")) var maxTime = NetDuration(nanoseconds: 0)
        @Option(help: ArgumentHelp("Pin client thread i to the i-th CPU of this list.", valueName: "cpus")) var cpu: CPUListArgument?
        @Option(help: "Open loop: datagrams per second in all, on a fixed schedule; latency runs from each request's scheduled time (default: closed loop, one request in flight per socket).")
        var rate: Double?

        func validate() throws {
            try NetTerminal.validCPUs(cpu?.cpus ?? [], option: "--cpu")
            try NetTerminal.checkRate(rate, of: "datagram")
            try OptionRange.check(port, 1...65535, "-p", example: 9998)
            try OptionRange.check(threads, 1...OptionRange.maxThreads, "-t", example: 1)
            try OptionRange.check(sockets, 1...OptionRange.maxConnections, "--sockets", example: 8)
            try OptionRange.check(requests, 1...OptionRange.maxRequests, "-n", example: 100_000)
            try OptionRange.check(size, 8...65000, "--size", example: 64)
            guard timeout.nanoseconds > 0 else { throw ValidationError("--timeout must be above 0; use e.g. --timeout 200ms") }
        }

        func run() throws {
            var c = UDPQPSConfig(host: server, port: port)
            c.threads = threads; c.socketsPerThread = sockets; c.requests = requests; c.size = size
            c.timeoutNanoseconds = timeout.nanoseconds; c.maxTimeNanoseconds = maxTime.nanoseconds
            c.cpus = cpu?.cpus ?? []
            c.rate = rate ?? 0
            try NetTerminal.run {
                let r = try UDPQPSClient.run(c)
                var out = "success: \(r.success), failed: \(r.lost + r.corrupt), time_used: \(r.elapsedNanoseconds / 1_000_000), qps: \(Int(r.qps.rounded()))\n"
                out += "udp-qps: \(threads) threads x \(sockets) sockets, \(size) B datagrams, \(rate.map { String(format: "open loop at %.0f/s (latency from each scheduled send time)", $0) } ?? "closed loop"), every reply byte checked\n"
                if !r.latency.isEmpty {
                    out += FioText.latencyLine(" lat", r.latency)
                    out += FioText.percentileBlock("lat", r.latency)
                }
                out += String(format: "  datagrams    : lost=%llu (%.2f%%, no reply within %@), corrupt=%llu, stale=%llu, send_errors=%llu%@%@\n",
                              r.lost, r.lossPercent, timeout.defaultValueDescription, r.corrupt, r.stale, r.sendErrors,
                              r.refused > 0 ? ", refused=\(r.refused) (ICMP port unreachable)" : "",
                              (r.notSent > 0 ? ", not_sent=\(r.notSent)" : "") + (r.overloaded > 0 ? ", overloaded=\(r.overloaded) (given up: \(UDPQPSConfig.openLoopWindow) unanswered on the socket)" : ""))
                if r.interrupted { out += "  note         : stopped early (\(StopCause.phrase) or --max-time): figures cover what was measured\n" }
                Terminal.write(1, out)
                if r.success == 0 {
                    throw NetError.allRequestsFailed(what: "udp-qps to \(server):\(port)", failed: r.lost + r.corrupt,
                                                     breakdown: "lost=\(r.lost), corrupt=\(r.corrupt), send_errors=\(r.sendErrors)",
                                                     hint: "no reply within --timeout \(timeout.defaultValueDescription): is a UDP echo server running there (uringbench udp-server --port \(port))?")
                }
            }
        }
    }

    struct UdpCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "udp",
            abstract: "The UDP models side by side: shared socket, SO_REUSEPORT, recvmmsg, io_uring.",
            discussion: """
            Example: uringbench udp --server-threads 2 -n 100000 --size 64
            Servers run in this process on --server-cpu, the client on --client-cpu; models are \
            interleaved over rounds; medians with min-max, loss, server CPU per request.
            """)

        @Option(help: "Comma-separated models: \(UDPModel.allCases.map(\.rawValue).joined(separator: ", ")).")
        var models = UDPModel.allCases.map(\.rawValue).joined(separator: ",")
        @Option(help: ArgumentHelp("Datagram bytes (8-65000).", valueName: "bytes")) var size = 64
        @Option(name: .customShort("n"), help: "Measured requests per model and round.") var requests = 100_000
        @Option(help: "Rounds.") var rounds = 5
        @Option(name: .customLong("server-threads"), help: "Server threads.") var serverThreads = 2
        @Option(name: .customShort("t"), help: "Client threads.") var threads = 1
        @Option(help: "Client sockets per thread; a comma-separated list is a sweep, interleaved per round (e.g. 8,64,512).") var sockets = "32"
        @Option(help: "Open loop: datagrams per second in all, on a fixed schedule; latency runs from each request's scheduled time (default: closed loop).")
        var rate: Double?
        @Option(help: "recvmmsg batch / io_uring window.") var batch = 32
        @Option(name: .customLong("server-cpu"), help: ArgumentHelp("Server CPUs.", valueName: "cpus")) var serverCPU = CPUListArgument(argument: "0")!
        @Option(name: .customLong("client-cpu"), help: ArgumentHelp("Client CPUs.", valueName: "cpus")) var clientCPU = CPUListArgument(argument: "1")!

        func validate() throws {
            try NetTerminal.validCPUs(serverCPU.cpus, option: "--server-cpu")
            try NetTerminal.validCPUs(clientCPU.cpus, option: "--client-cpu")
            try OptionRange.check(size, 8...65000, "--size", example: 64)
            try OptionRange.check(requests, 1...OptionRange.maxRequests, "-n", example: 100_000)
            try OptionRange.check(rounds, 1...OptionRange.maxRounds, "--rounds", example: 5)
            try OptionRange.check(serverThreads, 1...OptionRange.maxThreads, "--server-threads", example: 2)
            try OptionRange.check(threads, 1...OptionRange.maxThreads, "-t", example: 1)
            _ = try socketCounts()
            try NetTerminal.checkRate(rate, of: "datagram")
            try OptionRange.check(batch, 1...1024, "--batch", example: 32)
            for m in models.split(separator: ",") where UDPModel(rawValue: String(m)) == nil {
                throw ValidationError("unknown model '\(m)': use \(UDPModel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func socketCounts() throws -> [Int] {
            try sockets.split(separator: ",", omittingEmptySubsequences: false).map { s in
                guard let v = Int(s.trimmingCharacters(in: .whitespaces)), v >= 1, v <= OptionRange.maxConnections else {
                    throw ValidationError("--sockets '\(s)' is not a socket count: use 1-\(OptionRange.maxConnections), or a list such as 8,64,512")
                }
                return v
            }
        }

        func run() throws {
            var plan = UDPBenchPlan()
            plan.socketCounts = try socketCounts()
            plan.rate = rate
            plan.models = models.split(separator: ",").compactMap { UDPModel(rawValue: String($0)) }
            plan.size = size; plan.requests = requests; plan.rounds = rounds
            plan.serverThreads = serverThreads; plan.clientThreads = threads
            plan.batch = batch; plan.serverCPUs = serverCPU.cpus; plan.clientCPUs = clientCPU.cpus
            try NetTerminal.run {
                let limit = try UDPBench.raiseDescriptorLimit(for: plan)
                let loadBefore = EchoBench.loadAverage()
                let cells = try UDPBench.run(plan) { c, done, total in
                    Terminal.write(2, String(format: "[%d/%d] round %d %@ %d sockets: %.0f QPS, loss %.2f%%\n", done, total, c.round + 1, c.model, c.sockets, c.qps, c.lossPercent))
                }
                var out = UDPTable(cells: cells, models: plan.models).render()
                let loop = rate.map { String(format: "open loop at %.0f datagrams/s", $0) } ?? "closed loop (one request in flight per socket)"
                out += "\n\(cells.count / max(1, plan.models.count * plan.socketCounts.count)) of \(rounds) rounds x \(requests) requests, \(size) B datagrams, \(loop); \(threads) client thread(s) x \(plan.socketCounts.map(String.init).joined(separator: ",")) sockets on CPU \(clientCPU.cpus.map(String.init).joined(separator: ",")); \(serverThreads) server thread(s) on CPU \(serverCPU.cpus.map(String.init).joined(separator: ",")); batch \(batch); \(limit.summary)\n"
                out += "  CPU us/req = server threads' user+sys CPU (RUSAGE_THREAD) per datagram served, warm-up included; cli us/req = the client threads' per reply. QPS/shared, CPU/shared and p99/shared are per-round paired ratios to the shared-socket model at the same socket count (median, and min-max over rounds).\n"
                if rate != nil { out += "  open loop: each datagram is due at a fixed time; latency runs from that time, so a server that falls behind is charged for the wait.\n" }
                out += "  load average (1 min) before \(loadBefore), after \(EchoBench.loadAverage()): other work on this machine shares the cores.\n"
                Terminal.write(1, out)
            }
        }
    }
}

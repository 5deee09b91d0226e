import ArgumentParser
import CSystemShims
import Foundation
import UringBench
import UringNet

extension UringBenchCommand {
    struct EchoCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "echo",
            abstract: "Echo server engines side by side: QPS, round trip and server CPU per request, interleaved over rounds.",
            discussion: """
            Example: uringbench echo --engines epoll,io_uring,io_uring_multishot --size 64,512 -n 200000
            Each engine runs as its own server process on a free loopback port, pinned to \
            --server-cpu; the client runs here pinned to --client-cpu. Round r starts with engine \
            r mod count, so slow drift on a shared machine hits every engine alike. The table gives \
            medians with min-max over rounds and each median's ratio to epoll's. Engine nio is \
            SwiftNIO's echo pipeline (build it with `make nio-echo`).
            """)

        @Option(help: "Comma-separated engines: \((EchoEngine.allCases.map(\.rawValue) + ["nio"]).joined(separator: ", ")).")
        var engines = "epoll,io_uring,io_uring_multishot"

        @Option(help: "Comma-separated payload sizes in bytes.")
        var size = "64,512"

        @Option(name: .customShort("n"), help: "Measured requests per engine, size and round.")
        var requests = 200_000

        @Option(help: "Unmeasured requests before each measurement.")
        var warmup = 10_000

        @Option(name: .customShort("c"), help: "Client connections (one request in flight each).")
        var connections = 100

        @Option(name: .customShort("t"), help: "Client threads.")
        var threads = 1

        @Option(name: .customLong("server-threads"), help: "Server threads (one listener each, SO_REUSEPORT).")
        var serverThreads = 1

        @Option(help: "Rounds; engines are interleaved within each.")
        var rounds = 5

        @Option(name: .customLong("server-cpu"), help: "CPU for the server process (-1: not pinned).")
        var serverCPU = 0

        @Option(name: .customLong("client-cpu"), help: "CPU for the client threads (-1: not pinned).")
        var clientCPU = 1

        @Option(name: .customLong("client-engine"), help: "The client's own I/O model: epoll or io_uring (cheaper per request, so the server is more likely the limit).")
        var clientEngine: ClientEngine = .epoll

        @Flag(help: "Raw byte echo instead of length-prefixed frames.")
        var raw = false

        @Option(name: .customLong("nio-binary"), help: "The SwiftNIO baseline server binary.")
        var nioBinary = "nio-echo/.build/release/nio-echo"

        @Option(name: .customLong("output-format"), help: "normal (table) or json (table rows and every cell).")
        var outputFormat: OutputFormat = .normal

        @Option(help: "Write the report to this file instead of standard output.")
        var output: String?

        func validate() throws {
            try OptionRange.check(requests, 1...OptionRange.maxRequests, "-n", example: 200_000)
            try OptionRange.check(warmup, 0...OptionRange.maxRequests, "--warmup", example: 10_000)
            try OptionRange.check(connections, 1...OptionRange.maxConnections, "-c", example: 100)
            try OptionRange.check(threads, 1...OptionRange.maxThreads, "-t", example: 1)
            try OptionRange.check(serverThreads, 1...OptionRange.maxThreads, "--server-threads", example: 1)
            try OptionRange.check(rounds, 1...OptionRange.maxRounds, "--rounds", example: 5)
            try OptionRange.cpu(serverCPU, "--server-cpu", allowUnpinned: true)
            try OptionRange.cpu(clientCPU, "--client-cpu", allowUnpinned: true)
        }

        func run() throws {
            let engineList = engines.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            var sizes: [Int] = []
            for s in size.split(separator: ",") {
                guard let v = Units.parseSize(String(s)), v <= 16 << 20 else {
                    throw ValidationError("--size '\(s)' is not a size: use bytes such as 64,512 or 4k (up to 16M)")
                }
                sizes.append(Int(v))
            }
            let selfPath = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
            var plan = EchoBenchPlan(engines: engineList, sizes: sizes, uringbenchPath: selfPath, nioPath: nioBinary)
            plan.rounds = rounds
            plan.requests = requests
            plan.warmupRequests = warmup
            plan.connections = connections
            plan.clientThreads = threads
            plan.serverThreads = serverThreads
            plan.serverCPU = serverCPU >= 0 ? serverCPU : nil
            plan.clientCPU = clientCPU >= 0 ? clientCPU : nil
            plan.raw = raw
            plan.clientEngine = clientEngine
            let out = try Terminal.openOutput(output)
            try NetTerminal.run {
                let loadBefore = EchoBench.loadAverage()
                let cells = try EchoBench.run(plan) { cell, done, total in
                    let failed = cell.failed > 0 ? ", \(cell.failed) FAILED" : ""
                    Terminal.write(2, String(format: "[%d/%d] round %d %@ %d B: %.0f QPS, %@ us CPU/req%@\n",
                                             done, total, cell.round + 1, cell.engine, cell.size, cell.qps,
                                             EchoTable.fixed(cell.serverCPUMicrosecondsPerRequest), failed))
                }
                let table = EchoTable(cells: cells, engines: engineList, sizes: sizes)
                switch outputFormat {
                case .json:
                    try Terminal.emit(try table.renderJSON(), to: out)
                case .normal:
                    var text = table.render()
                    let completeRounds = cells.count / max(1, engineList.count * sizes.count)
                    text += "\n\(completeRounds < rounds ? "interrupted (Ctrl-C) after \(cells.count) measurements; " : "")\(rounds) rounds x \(requests) requests (+\(warmup) warm-up), \(connections) connections on \(threads) \(clientEngine.rawValue) client thread(s), \(raw ? "raw" : "framed") payloads; server pinned to CPU \(plan.serverCPU.map(String.init) ?? "none"), client to CPU \(plan.clientCPU.map(String.init) ?? "none")\n"
                    var seen = Set<String>()
                    for c in cells where !seen.contains(c.engine) {
                        seen.insert(c.engine)
                        text += "  \(c.engine): \(c.serverSetup) [server Cpus_allowed_list \(c.serverCPUs)]\n"
                    }
                    text += "  CPU us/req = server process user+sys CPU (/proc/<pid>/stat, 10 ms ticks) over the measured requests; QPS/epoll and CPU/epoll are ratios of medians; paired = median over rounds of the QPS ratio to epoll within the same round.\n"
                    text += "  busy srv/cli = CPU per request x QPS for the server process and the client threads (RUSAGE_THREAD): near 100% = that core was the limit.\n"
                    text += "  load average (1 min) before \(loadBefore), after \(EchoBench.loadAverage()): other work on this machine shares the cores.\n"
                    try Terminal.emit(text, to: out)
                }
            }
        }
    }
}

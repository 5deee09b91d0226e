import ArgumentParser
import CSystemShims
import Foundation
import UringBench
import UringNet
import UringCore

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

        @Option(help: "Comma-separated engines: \((EchoEngine.allCases.map(\.rawValue) + ["nio"]).joined(separator: ", ")) (default: the first three, and nio when its binary is built).")
        var engines: String?

        @Option(help: "Comma-separated payload sizes in bytes.")
        var size = "64,512"

        @Option(name: .customShort("n"), help: "Measured requests per engine, size and round.")
        var requests = 200_000

        @Option(help: "Unmeasured requests before each measurement.")
        var warmup = 10_000

        @Option(name: [.customShort("c"), .customLong("connections")], help: "Client connections; a comma-separated list is a sweep, interleaved per round (e.g. 10,100,1000,10000). The open-file limit is raised to fit, within the hard limit.")
        var connections = "100"

        @Option(help: "Open loop: requests per second across all connections, on a fixed schedule; latency is measured from each request's scheduled send time (default: closed loop, one request in flight per connection).")
        var rate: Double?

        @Option(help: "Open loop at these percentages of epoll's closed-loop peak, measured first in the same run (e.g. 25,50,75,90).")
        var load: String?

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

        @Option(name: .customLong("client-engine"), help: "The client's own I/O model: epoll or io_uring (cheaper per request, so the server is more likely the limit; open loop: one multishot recv per connection, coalesced sends, one io_uring_enter per wake-up).")
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
            try OptionRange.check(threads, 1...OptionRange.maxThreads, "-t", example: 1)
            try OptionRange.check(serverThreads, 1...OptionRange.maxThreads, "--server-threads", example: 1)
            try OptionRange.check(rounds, 1...OptionRange.maxRounds, "--rounds", example: 5)
            try OptionRange.cpu(serverCPU, "--server-cpu", allowUnpinned: true)
            try OptionRange.cpu(clientCPU, "--client-cpu", allowUnpinned: true)
        }

        /// The longest an open-loop measurement runs (EchoBench cuts a cell off there) and the
        /// longest a whole echo plan may take before it is refused by name.
        static let maxMeasurementSeconds = 300.0
        static let maxPlanSeconds = 3600.0

        /// Refuses, before any work, an open-loop plan whose fixed rate cannot get through -n in
        /// a measurement's time, or whose measurements add up to more than an hour.
        static func checkDuration(rate: Double?, requests: Int, measurements: Int) throws {
            guard let rate else { return }
            let each = Double(requests) / rate
            let fix = "raise --rate or lower -n (or --rounds, -c, --engines)"
            if each > maxMeasurementSeconds {
                throw ValidationError(String(format: "--rate %g with -n %d takes %.0f s per measurement, longer than the %.0f s a measurement may run: %@", rate, requests, each, maxMeasurementSeconds, fix))
            }
            let total = each * Double(measurements)
            if total > maxPlanSeconds {
                throw ValidationError(String(format: "--rate %g with -n %d takes %.0f s per measurement, and %d measurements take %.0f min, more than the %.0f min an echo run may take: %@", rate, requests, each, measurements, total / 60, maxPlanSeconds / 60, fix))
            }
        }

        func run() throws {
            // nio is a nested package (it fetches SwiftNIO), so it is in the default list only once built.
            let nioBuilt = access(nioBinary, X_OK) == 0
            let engineList = engines.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
                ?? EchoEngine.allCases.map(\.rawValue) + (nioBuilt ? ["nio"] : [])
            let sizes = try parsedSizes()
            let counts = try parsedConnectionCounts()
            let loads = try parsedLoads()
            if let rate, !(rate >= 1 && rate <= 10_000_000) {
                throw ValidationError("--rate \(rate) is not a request rate: use 1 to 10000000 requests per second")
            }
            let plan = makePlan(engines: engineList, sizes: sizes, connectionCounts: counts, loads: loads)
            let measurements = engineList.count * sizes.count * counts.count * max(1, loads.count) * rounds
            try Self.checkDuration(rate: rate, requests: requests, measurements: measurements)
            let out = try Terminal.openOutput(output)
            try NetTerminal.run {
                try EchoBench.validate(plan)
                let limit = try EchoBench.raiseDescriptorLimit(for: plan)
                Terminal.error("echo: \(measurements) measurement\(measurements == 1 ? "" : "s") (\(engineList.count) engines × \(sizes.count) sizes × \(counts.count) connection counts\(loads.isEmpty ? "" : " × \(loads.count) loads") × \(rounds) rounds)" + (rate.map { String(format: ", open loop at %g requests/s: about %.0f s each after its warm-up, %.0f min in all", $0, Double(requests) / $0, Double(measurements) * Double(requests) / $0 / 60) } ?? ""))
                let loadBefore = EchoBench.loadAverage()
                let startedAt = Date().timeIntervalSince1970
                let cells = try EchoBench.run(plan) { cell, done, total in
                    let failed = cell.failed > 0 ? ", \(cell.failed) FAILED" : ""
                    Terminal.write(2, String(format: "[%d/%d] round %d %@ %d B %d conns%@: %.0f QPS, %@ us CPU/req%@\n",
                                             done, total, cell.round + 1, cell.engine, cell.size, cell.connections,
                                             cell.offeredRate.map { String(format: " at %.0f/s", $0) } ?? "", cell.qps,
                                             EchoTable.fixed(cell.serverCPUMicrosecondsPerRequest), failed))
                }
                let table = EchoTable(cells: cells, engines: engineList, sizes: sizes)
                let loadAfter = EchoBench.loadAverage()
                let perRound = engineList.count * sizes.count * counts.count * max(1, loads.count)
                let completeRounds = cells.count / max(1, perRound)
                let loadText = !loads.isEmpty ? "open loop at \(loads.map { "\($0)%" }.joined(separator: ",")) of epoll's closed-loop peak (measured first)"
                    : rate.map { String(format: "open loop at %.0f requests/s", $0) } ?? "closed loop"
                let setup = "\(completeRounds < rounds ? "interrupted (\(StopCause.phrase)) after \(cells.count) measurements; " : "")\(rounds) rounds x \(requests) requests (+\(warmup) warm-up), \(loadText), \(counts.map(String.init).joined(separator: ",")) connections on \(threads) \(clientEngine.rawValue) client thread(s), \(raw ? "raw" : "framed") payloads; server pinned to CPU \(plan.serverCPU.map(String.init) ?? "none"), client to CPU \(plan.clientCPU.map(String.init) ?? "none"); \(limit.summary)"
                switch outputFormat {
                case .json:
                    let results = EchoResults(table: table, command: CommandLine.arguments.joined(separator: " "), machine: .current(),
                                              startedAt: startedAt, loadAverageBefore: loadBefore, loadAverageAfter: loadAfter, setup: setup)
                    try Terminal.emit(try results.encoded(), to: out)
                case .normal:
                    let text = textReport(table, cells: cells, setup: setup, nioBuilt: nioBuilt, loads: loads,
                                          loadBefore: loadBefore, loadAfter: loadAfter)
                    try Terminal.emit(text, to: out)
                }
            }
        }

        /// --size as a list of byte counts.
        private func parsedSizes() throws -> [Int] {
            var sizes: [Int] = []
            for s in size.split(separator: ",") {
                guard let v = Units.parseSize(String(s)), v <= 16 << 20 else {
                    throw ValidationError("--size '\(s)' is not a size: use bytes such as 64,512 or 4k (up to 16M)")
                }
                sizes.append(Int(v))
            }
            return sizes
        }

        /// -c as a list of connection counts.
        private func parsedConnectionCounts() throws -> [Int] {
            var counts: [Int] = []
            for c in connections.split(separator: ",", omittingEmptySubsequences: false) {
                guard let v = Int(c.trimmingCharacters(in: .whitespaces)), v >= 1, v <= OptionRange.maxConnections else {
                    throw ValidationError("-c '\(c)' is not a connection count: use 1-\(OptionRange.maxConnections), or a list such as 10,100,1000")
                }
                counts.append(v)
            }
            return counts
        }

        /// --load as a list of percentages of epoll's peak (empty without --load).
        private func parsedLoads() throws -> [Int] {
            var loads: [Int] = []
            for l in (load ?? "").split(separator: ",", omittingEmptySubsequences: false) where load != nil {
                guard let v = Int(l.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "%", with: "")), (1...100).contains(v) else {
                    throw ValidationError("--load '\(l)' is not a percentage of epoll's peak: use 1-100, such as 25,50,75,90")
                }
                loads.append(v)
            }
            return loads
        }

        /// The plan for these engines and lists, with this command's other options.
        private func makePlan(engines engineList: [String], sizes: [Int], connectionCounts counts: [Int], loads: [Int]) -> EchoBenchPlan {
            let selfPath = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
            var plan = EchoBenchPlan(engines: engineList, sizes: sizes, uringbenchPath: selfPath, nioPath: nioBinary)
            plan.rounds = rounds
            plan.requests = requests
            plan.warmupRequests = warmup
            plan.connectionCounts = counts
            plan.rate = rate
            plan.loads = loads
            plan.clientThreads = threads
            plan.serverThreads = serverThreads
            plan.serverCPU = serverCPU >= 0 ? serverCPU : nil
            plan.clientCPU = clientCPU >= 0 ? clientCPU : nil
            plan.raw = raw
            plan.clientEngine = clientEngine
            return plan
        }

        /// The text report: the table, the setup line and what the columns mean.
        private func textReport(_ table: EchoTable, cells: [EchoCell], setup: String, nioBuilt: Bool, loads: [Int],
                                loadBefore: String, loadAfter: String) -> String {
            var text = table.render()
            text += "\n\(setup)\n"
            if engines == nil && !nioBuilt {
                text += "  nio (the SwiftNIO baseline) is left out: '\(nioBinary)' is not built; `make nio-echo` builds it (fetches SwiftNIO), then it joins the default engines.\n"
            }
            var seen = Set<String>()
            for c in cells where !seen.contains(c.engine) {
                seen.insert(c.engine)
                text += "  \(c.engine): \(c.serverSetup) [server Cpus_allowed_list \(c.serverCPUs)]\n"
            }
            if let note = EchoTable.tickNote(cells) { text += "  \(note)\n" }
            text += "  CPU us/req = server process user+sys CPU (/proc/<pid>/stat, 10 ms ticks) over the measured requests. QPS/epoll, CPU/epoll and p99/epoll are per-round paired ratios to epoll at the same size, connections and load (median, and min-max over rounds).\n"
            if rate != nil || !loads.isEmpty { text += "  open loop: each request is due at a fixed time; latency runs from that time, so a server that falls behind is charged for the wait (no coordinated omission).\n" }
            text += "  busy srv/cli = CPU per request x QPS for the server process and the client threads (RUSAGE_THREAD): near 100% = that core was the limit.\n"
            text += "  load average (1 min) before \(loadBefore), after \(loadAfter): other work on this machine shares the cores.\n"
            return text
        }
    }
}

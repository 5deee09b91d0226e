import Foundation
import Glibc
import Testing
import TestSupport

/// Every numeric option of every command against values that do not fit: negative, 2^32, 2^63,
/// 2^64, NaN, infinity, absurd durations. Each must be refused before any work with one line
/// naming the option and exit 1 (a job's rule) or 64 (a flag's rule) — never a Swift trap
/// (SIGILL) or a hang. Not `.waits`: its ~800 launches are CPU-bound argument parsing, and a
/// launch rate above the pool's two threads made a library write run elsewhere in this process
/// meet a child between fork and exec, still holding the run's descriptor ("file in use").
@Suite struct HostileValueTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var command: [String]
        var option: String
        var values: [String]
        var testDescription: String { "\(command.first ?? "") \(option)" }
    }

    /// Whole numbers that no option takes (every whole-number option has an upper bound).
    static let wholeNumbers = ["-1", "4294967296", "9223372036854775807", "9223372036854775808",
                               "18446744073709551616", "99999999999999999999", "nan", "inf", "1e400"]
    /// (No "0x10": sizes are read as fio reads them, and fio reads it as 16.)
    static let sizes = ["-1", "9223372036854775808", "18446744073709551616", "16777216T", "99999999999999999999k",
                        "nan", "inf", "1e400", "0x", "1.5k"]
    static let durations = ["-1", "nan", "inf", "1e400", "366d", "99999999999999999999", "18446744073709551616ns", "1e3"]

    static let dataFile = CLITests.dataDirectory + "/hostile.dat"
    static let randread = ["randread", "--filename", dataFile, "--size", "1M", "--direct", "0", "--runtime", "100ms"]
    static let sqpoll = randread + ["--engine", "io_uring_sqpoll"]
    static let compare = ["compare", "--engines", "io_uring_sqpoll", "--filename", dataFile, "--size", "1M", "--direct", "0",
                          "--runtime", "100ms", "--rounds", "1"]

    static let cases: [Case] = [
        Case(command: randread, option: "--iodepth", values: wholeNumbers + ["0", "65537"]),
        Case(command: randread, option: "--bs", values: sizes + ["0", "65M", "4294967296"]),
        Case(command: randread, option: "--numjobs", values: wholeNumbers + ["0", "1025"]),
        Case(command: randread, option: "--cpus-allowed", values: ["-1", "0-", "1-0", "4096", "99999999999999999999", "0,,1", "nan"]),
        Case(command: randread, option: "--size", values: sizes),
        Case(command: randread, option: "--runtime", values: durations + ["0"]),
        Case(command: randread, option: "--ramp-time", values: durations),
        Case(command: randread, option: "--io-size", values: sizes + ["0"]),
        Case(command: randread, option: "--number-ios", values: ["-1", "9223372036854775808", "18446744073709551616", "99999999999999999999", "nan", "inf", "1e400", "0"]),
        Case(command: randread, option: "--loops", values: wholeNumbers + ["0", "2147483648"]),
        Case(command: sqpoll, option: "--sqpoll-cpu", values: wholeNumbers + ["4096"]),
        Case(command: sqpoll, option: "--sqthread-idle", values: ["-1", "4294967296", "18446744073709551616", "nan"]),
        Case(command: randread + ["--iodepth", "8"], option: "--iodepth-batch-submit", values: wholeNumbers + ["0", "9"]),
        Case(command: randread + ["--iodepth", "8"], option: "--iodepth-batch-complete-min", values: wholeNumbers + ["0", "9"]),
        Case(command: randread + ["--iodepth", "8"], option: "--iodepth-batch-complete-max", values: wholeNumbers + ["0", "9"]),
        Case(command: randread, option: "--rate-iops", values: ["-1", "1000000001", "18446744073709551615", "18446744073709551616", "nan"]),
        Case(command: randread, option: "--offset", values: sizes + ["100%", "-5%", "nan%", "1000"]),
        Case(command: randread + ["--numjobs", "4"], option: "--offset-increment", values: sizes + ["4611686018427387904", "10%"]),
        Case(command: randread, option: "--rate", values: sizes + ["1M,x", "1,2,3", "2P"]),
        Case(command: randread, option: "--thinktime", values: durations),
        Case(command: randread + ["--thinktime", "1ms"], option: "--thinktime-spin", values: durations + ["2ms"]),
        Case(command: randread, option: "--thinktime-blocks", values: wholeNumbers + ["0"]),
        Case(command: randread, option: "--randseed", values: ["-1", "18446744073709551616", "nan", "1e400"]),
        Case(command: randread, option: "--direct", values: ["-1", "2", "4294967297"]),
        Case(command: randread, option: "--random-distribution",
             values: ["zipf:nan", "zipf:inf", "zipf:1e400", "zipf:-1", "zipf:1", "pareto:0", "pareto:1", "pareto:-1e308", "normal:100",
                      "normal:-1", "normal:1e400", "zipf:1.2:2", "zipf:1.2:-0.1", "zipf:1.2:nan", "zipf:18446744073709551616x",
                      "zoned:60/10:30/20:8/70", "zoned:18446744073709551616/10", "zoned:50/-1:50/", "zoned_abs:50/1e400:50/1G", "zoned_abs:100/2G"]),
        Case(command: randread, option: "--fadvise-hint", values: ["-1", "2", "4294967296", "nan"]),
        Case(command: randread, option: "--random-generator", values: ["-1", "0", "mt"]),
        Case(command: randread + ["--write-lat-log", "hostile"], option: "--log-avg-msec", values: wholeNumbers + ["86400001"]),
        Case(command: randread + ["--write-hist-log", "hostile"], option: "--log-hist-msec", values: wholeNumbers + ["86400001"]),
        Case(command: randread + ["--write-lat-log", "hostile"], option: "--per-job-logs", values: ["-1", "2", "4294967297"]),
        Case(command: compare, option: "--random-distribution", values: ["zipf:nan", "normal:100", "pareto:2"]),
        Case(command: compare, option: "--iodepth", values: wholeNumbers + ["0", "65537"]),
        Case(command: compare, option: "--bs", values: sizes + ["0"]),
        Case(command: compare, option: "--numjobs", values: wholeNumbers + ["0", "1025", "1,,2"]),
        Case(command: compare, option: "--concurrency", values: wholeNumbers + ["0", "1025", "4,,8"]),
        Case(command: compare, option: "--rounds", values: wholeNumbers + ["0", "1001"]),
        Case(command: compare, option: "--runtime", values: durations + ["0"]),
        Case(command: compare, option: "--ramp-time", values: durations),
        Case(command: compare, option: "--sqpoll-cpu", values: wholeNumbers),
        Case(command: compare, option: "--max-iops-drop", values: ["-1", "nan", "inf", "1e400", "x%"]),
        Case(command: ["run", "missing.fio"], option: "--runtime", values: durations),
        Case(command: ["echo-server"], option: "--port", values: wholeNumbers),
        Case(command: ["echo-server"], option: "--threads", values: wholeNumbers + ["0", "1025"]),
        Case(command: ["echo-server"], option: "--max-frame", values: sizes + ["0", "4G", "4294967296"]),
        Case(command: ["echo-server"], option: "--buffer-size", values: sizes + ["0", "2M"]),
        Case(command: ["echo-server"], option: "--ring-buffers", values: wholeNumbers + ["0", "3", "65536"]),
        Case(command: ["echo-server"], option: "--idle-timeout", values: durations),
        Case(command: ["echo-server"], option: "--cpu", values: wholeNumbers + ["0,4294967296"]),
        Case(command: ["tcp-qps"], option: "-p", values: wholeNumbers + ["0", "65536"]),
        Case(command: ["tcp-qps"], option: "-t", values: wholeNumbers + ["0"]),
        Case(command: ["tcp-qps"], option: "-c", values: wholeNumbers + ["0"]),
        Case(command: ["tcp-qps"], option: "-n", values: wholeNumbers + ["0"]),
        Case(command: ["tcp-qps"], option: "--size", values: sizes + ["5-", "4294967296-1"]),
        Case(command: ["tcp-qps"], option: "--timeout", values: durations + ["0"]),
        Case(command: ["tcp-qps"], option: "--max-time", values: durations),
        Case(command: ["tcp-qps"], option: "--cpu", values: wholeNumbers),
        Case(command: ["udp-server"], option: "--port", values: wholeNumbers),
        Case(command: ["udp-server"], option: "--threads", values: wholeNumbers + ["0"]),
        Case(command: ["udp-server"], option: "--batch", values: wholeNumbers + ["0", "1025"]),
        Case(command: ["udp-server"], option: "--cpu", values: wholeNumbers),
        Case(command: ["udp-qps"], option: "-p", values: wholeNumbers + ["0"]),
        Case(command: ["udp-qps"], option: "-t", values: wholeNumbers + ["0"]),
        Case(command: ["udp-qps"], option: "--sockets", values: wholeNumbers + ["0"]),
        Case(command: ["udp-qps"], option: "-n", values: wholeNumbers + ["0"]),
        Case(command: ["udp-qps"], option: "--size", values: wholeNumbers + ["7", "65001"]),
        Case(command: ["udp-qps"], option: "--timeout", values: durations + ["0"]),
        Case(command: ["udp-qps"], option: "--max-time", values: durations),
        Case(command: ["udp"], option: "--size", values: wholeNumbers + ["7", "65001"]),
        Case(command: ["udp"], option: "-n", values: wholeNumbers + ["0"]),
        Case(command: ["udp"], option: "--rounds", values: wholeNumbers + ["0"]),
        Case(command: ["udp"], option: "--server-threads", values: wholeNumbers + ["0"]),
        Case(command: ["udp"], option: "--sockets", values: wholeNumbers + ["0", "8,0", "8,x"]),
        Case(command: ["udp"], option: "--rate", values: wholeNumbers + ["0"]),
        Case(command: ["udp-qps"], option: "--rate", values: wholeNumbers + ["0"]),
        Case(command: ["tcp-qps"], option: "--rate", values: wholeNumbers + ["0"]),
        Case(command: ["udp"], option: "--batch", values: wholeNumbers + ["0"]),
        Case(command: ["udp"], option: "--server-cpu", values: wholeNumbers),
        Case(command: ["udp"], option: "--client-cpu", values: wholeNumbers),
        Case(command: ["echo"], option: "-n", values: wholeNumbers + ["0"]),
        Case(command: ["echo"], option: "--warmup", values: wholeNumbers),
        Case(command: ["echo"], option: "-c", values: wholeNumbers + ["0"]),
        Case(command: ["echo"], option: "-t", values: wholeNumbers + ["0"]),
        Case(command: ["echo"], option: "--server-threads", values: wholeNumbers + ["0"]),
        Case(command: ["echo"], option: "--rounds", values: wholeNumbers + ["0"]),
        Case(command: ["echo"], option: "--server-cpu", values: wholeNumbers.filter { $0 != "-1" } + ["-2"]),  // -1: not pinned
        Case(command: ["echo"], option: "--client-cpu", values: wholeNumbers.filter { $0 != "-1" } + ["-2"]),  // -1: not pinned
        Case(command: ["echo"], option: "--size", values: sizes + ["17M"]),
        Case(command: ["echo"], option: "--rate", values: wholeNumbers + ["0"]),
        Case(command: ["echo"], option: "--load", values: wholeNumbers + ["0", "101", "50,x"]),
    ]

    @Test(arguments: cases)
    func refusedByNameWithoutATrap(_ c: Case) throws {
        for value in c.values {
            // `--opt=value` so that "-1" is read as the value, not as a flag.
            let arguments = c.option.hasPrefix("--") ? c.command + ["\(c.option)=\(value)"] : c.command + [c.option, value]
            let r = try Self.run(arguments)
            let what = "\(arguments.joined(separator: " ")) → \(r.signal.map { "signal \($0)" } ?? "exit \(r.status)"): \(r.stderr)"
            #expect(r.signal == nil, "\(what)")
            #expect(r.status == 1 || r.status == 64, "\(what)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(what)")
            #expect(r.stderr.hasPrefix("uringbench: error: "), "\(what)")
            #expect(r.stderr.contains(c.option), "\(what)")
        }
    }

    /// The value that makes a `Case` legal must still run: the bounds are not off by one.
    @Test func largestLegalValuesAreAccepted() throws {
        let ok = try Self.run(Self.randread + ["--rate-iops=1000000000", "--iodepth=65536", "--engine=psync",
                                               "--randseed=18446744073709551615", "--ramp-time=0"])
        #expect(ok.status == 0 && ok.signal == nil, "\(ok.stderr)")
    }

    /// The edges of the distribution parameters that fio accepts run, on a random job.
    @Test func distributionEdgesRun() throws {
        for d in ["zipf:0", "zipf:0.999", "zipf:40", "pareto:0.0001", "pareto:0.9999", "normal:0", "normal:99.9", "zipf:1.2:0", "zipf:1.2:1", "normal:5:1"] {
            let r = try Self.run(Self.randread + ["--random-distribution=\(d)", "--runtime=50ms"])
            #expect(r.status == 0 && r.signal == nil, "\(d): \(r.stderr)")
        }
    }

    /// `--max-frame`: the largest length a 4-byte header holds is accepted, one more is refused
    /// with a message that states that bound.
    @Test func maxFrameEdges() throws {
        let top = try CLITests.run(["echo-server", "--port", "0", "--max-frame", "4294967295"], interruptAfter: 1.5)
        #expect(top.status == 0, "\(top.stderr)")
        #expect(top.stdout.contains("max-frame 4294967295"), "\(top.stdout)")
        let over = try Self.run(["echo-server", "--port", "0", "--max-frame", "4G"])
        #expect(over.status == 64 && over.signal == nil)
        #expect(over.stderr.contains("--max-frame must be 1 to 4294967295 bytes"), "\(over.stderr)")
        #expect(over.stderr.split(separator: "\n").count == 1, "\(over.stderr)")
        let zero = try Self.run(["echo-server", "--port", "0", "--max-frame", "0"])
        #expect(zero.status == 64 && zero.stderr.contains("--max-frame must be 1 to 4294967295 bytes"), "\(zero.stderr)")
    }

    struct Outcome { var status: Int32; var signal: Int32?; var stderr: String }

    /// Runs the binary with a hang guard: a value that slips through must not stall the suite.
    static func run(_ args: [String], timeout: Double = 30) throws -> Outcome {
        let r = try SpawnedRun.run(executable: CLITests.uringbench, args, in: CLITests.dataDirectory, timeout: timeout)
        return Outcome(status: r.signal == nil ? r.status : 0, signal: r.signal, stderr: r.stderr)
    }
}

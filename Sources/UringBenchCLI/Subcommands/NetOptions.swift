import ArgumentParser
import CSystemShims
import Foundation
import UringBench
import UringNet
import UringCore

extension EchoEngine: ExpressibleByArgument {}
extension RingFlagChoice: ExpressibleByArgument {}
extension ClientEngine: ExpressibleByArgument {}

/// `512` or `128-512` (fio size suffixes allowed): the payload size range of a request.
struct SizeRangeArgument: ExpressibleByArgument {
    let low: Int, high: Int
    init(low: Int, high: Int) { self.low = low; self.high = high }
    init?(argument: String) {
        let parts = argument.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2,
              let a = Units.parseSize(String(parts[0])), let b = Units.parseSize(String(parts.last ?? "")) else { return nil }
        low = Int(a); high = Int(b)
    }
    var defaultValueDescription: String { low == high ? "\(low)" : "\(low)-\(high)" }
}

/// A comma-separated list of CPU numbers (`0` or `0,1`).
struct CPUListArgument: ExpressibleByArgument {
    let cpus: [Int]
    init?(argument: String) {
        let v = argument.split(separator: ",").compactMap { Int($0) }
        guard !v.isEmpty, v.count == argument.split(separator: ",").count, v.allSatisfy({ $0 >= 0 }) else { return nil }
        cpus = v
    }
}

/// A duration with fio's suffixes where 0 is allowed (`0` = off).
struct NetDuration: ExpressibleByArgument {
    let nanoseconds: UInt64
    init(nanoseconds: UInt64) { self.nanoseconds = nanoseconds }
    init?(argument: String) {
        if argument == "0" { nanoseconds = 0; return }
        guard let v = Units.parseDuration(argument) else { return nil }
        nanoseconds = v
    }
    var defaultValueDescription: String {
        nanoseconds == 0 ? "0" : nanoseconds % 1_000_000_000 == 0 ? "\(nanoseconds / 1_000_000_000)s" : "\(nanoseconds / 1_000_000)ms"
    }
}

enum NetTerminal {
    /// Runs a network command: Ctrl-C latched, a `NetError` becomes one line and exit 1.
    static func run(_ body: () throws -> Void) throws {
        try? StopHandler.install()
        do {
            try body()
        } catch let error as NetError {
            Terminal.error("uringbench: error: \(error)")
            throw ExitCode(1)
        }
    }

    /// `--rate`: 1 to 10,000,000 per second, or absent (closed loop); NaN, infinity and 0 refused.
    static func checkRate(_ rate: Double?, of what: String) throws {
        if let rate, !(rate >= 1 && rate <= 10_000_000) {
            throw ValidationError("--rate \(rate) is not a \(what) rate: use 1 to 10000000 per second")
        }
    }

    static func validCPUs(_ list: [Int], option: String) throws {
        for cpu in list { try OptionRange.cpu(cpu, option) }
    }
}

import Foundation
import Glibc
import Testing
import TestSupport

/// Results files are input: a crafted compare, fleet, echo or load-curve file is refused by
/// field in one line (exit 1), never drawn with impossible figures and never a trap (SIGILL);
/// what one command writes, the others read. Every test runs the built binary.
@Suite(.serialized, .waits) struct CraftedResultsTests {
    static let directory: String = {
        let dir = CLITests.dataDirectory + "/crafted"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()

    /// Two hosts' real randwrite comparisons, made once.
    static let hosts: [String] = {
        let job = ["compare", "--engines", "psync", "--rw", "randwrite", "--runtime", "100ms", "--rounds", "1", "--size", "16M"]
        return ["host-a", "host-b"].map { host in
            let path = "\(directory)/\(host).json"
            _ = try? CLITests.run(job + ["--filename", "\(directory)/\(host).dat", "--output", path])
            return path
        }
    }()

    static func object(_ path: String) throws -> [String: Any] {
        let data = try #require(FileManager.default.contents(atPath: path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func write(_ object: Any, _ name: String) throws -> String {
        let path = "\(directory)/\(name)-\(UUID().uuidString.prefix(8)).json"
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func expectRefused(_ r: CLITests.Outcome, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == 1, "exit \(r.status): \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.hasPrefix("uringbench: error: "), "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains(fragment), "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stdout.isEmpty, sourceLocation: sourceLocation)
    }

    @Test func fleetNamesTheModesAndRefusesCraftedRuntimes() throws {
        let merged = try CLITests.run(["fleet"] + Self.hosts)
        try #require(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout.hasPrefix("fleet of 2 hosts (host-a, host-b): randwrite O_DIRECT"), "\(merged.stdout.prefix(120))")
        for runtime in [0, 1] {
            var top = try Self.object(Self.hosts[1])
            var jobs = try #require(top["jobs"] as? [[String: Any]])
            var run = try #require(jobs[0]["uringbench"] as? [String: Any])
            run["runtimeNanoseconds"] = runtime
            jobs[0]["uringbench"] = run
            top["jobs"] = jobs
            let crafted = try Self.write(top, "runtime-\(runtime)")
            Self.expectRefused(try CLITests.run(["fleet", Self.hosts[0], crafted]), "jobs[0].uringbench.runtimeNanoseconds is \(runtime)")
            Self.expectRefused(try CLITests.run(["compare", "--from", crafted]), "runtimeNanoseconds is \(runtime)")
        }
    }

    @Test func craftedFleetFilesAreRefusedByField() throws {
        let fleet = "\(Self.directory)/fleet.json"
        try #require(try CLITests.run(["fleet"] + Self.hosts + ["--output", fleet]).status == 0)
        #expect(try CLITests.run(["plot", fleet, "--format", "svg"]).status == 0)
        let top = try Self.object(fleet)
        var negative = top
        var cases = try #require(top["cases"] as? [[String: Any]])
        var rows = try #require(cases[0]["rows"] as? [[String: Any]])
        var figures = try #require(rows[0]["figures"] as? [String: Any])
        figures["iops"] = -5
        rows[0]["figures"] = figures
        cases[0]["rows"] = rows
        negative["cases"] = cases
        Self.expectRefused(try CLITests.run(["plot", try Self.write(negative, "negative")]), "cases[0].rows[0].figures.iops is -5")
        var huge = negative
        figures["iops"] = 1e30
        rows[0]["figures"] = figures
        cases[0]["rows"] = rows
        huge["cases"] = cases
        Self.expectRefused(try CLITests.run(["plot", try Self.write(huge, "huge")]), "cases[0].rows[0].figures.iops is 1e+30")
        var rounds = top
        rounds["rounds"] = -3
        Self.expectRefused(try CLITests.run(["plot", try Self.write(rounds, "rounds")]), "rounds is -3")
        rounds["rounds"] = 0
        Self.expectRefused(try CLITests.run(["plot", try Self.write(rounds, "rounds0")]), "rounds is 0, outside 1-1000")
    }

    static func echoFile(qps: Double, range: Double? = nil) -> [String: Any] {
        ["format": "uringbench_echo", "cells": [] as [Any],
         "rows": [["engine": "epoll", "size": 64, "connections": 10, "rounds": 1, "qpsMedian": qps, "qpsMin": range ?? qps, "qpsMax": range ?? qps,
                   "p50Us": 10.0, "p99Us": 20.0, "p999Us": 30.0, "failed": 0] as [String: Any]]]
    }

    /// plot of an echo file with qpsMedian 1e30 died with SIGILL in EchoTable.
    @Test func craftedEchoFilesAreRefusedNotTrapped() throws {
        let r = try CLITests.run(["plot", try Self.write(Self.echoFile(qps: 1e30, range: 1000), "echo-huge")])
        Self.expectRefused(r, "rows[0].qpsMedian is 1e+30")
        Self.expectRefused(try CLITests.run(["plot", try Self.write(Self.echoFile(qps: -1, range: 1000), "echo-negative")]), "rows[0].qpsMedian is -1")
        var zero = Self.echoFile(qps: 10)
        var rows = try #require(zero["rows"] as? [[String: Any]])
        rows[0]["rounds"] = 0
        zero["rows"] = rows
        Self.expectRefused(try CLITests.run(["plot", try Self.write(zero, "echo-rounds")]), "rows[0].rounds is 0")
        // The largest figure believed is drawn, in fio's prefixes.
        let big = try CLITests.run(["plot", try Self.write(Self.echoFile(qps: 1e15), "echo-big")])
        #expect(big.status == 0, "\(big.stderr)")
        #expect(big.stdout.contains("1000T"), "\(big.stdout.count) bytes")
    }

    /// --max-rounds above what a results file may hold was accepted, and compare --from and plot
    /// then called the file it wrote corrupt.
    @Test func maxRoundsIsHeldToWhatTheReadersAccept() throws {
        let r = try CLITests.run(["compare", "--engines", "psync,io_uring", "--until-confident", "2%", "--max-rounds", "1005",
                                  "--filename", "\(Self.directory)/never.dat", "--size", "16M", "--runtime", "100ms"])
        Self.expectRefused(r, "--max-rounds 1005 is above 1000")
        #expect(!FileManager.default.fileExists(atPath: "\(Self.directory)/never.dat"), "measured before refusing")
    }
}

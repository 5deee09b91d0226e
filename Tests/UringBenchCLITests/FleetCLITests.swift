import Foundation
import Testing
import TestSupport

/// `uringbench fleet` and `--version` as a user meets them: real compare runs merged, bad input
/// refused in one line.
extension CLITests {
    @Test func versionCarriesTheCommit() throws {
        let r = try Self.run(["--version"])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("uringbench 0.1.0+git.") == true)
        #expect(lines.count > 1 && lines[1].hasPrefix("commit "))
    }

    /// Built from this checkout, by `make` or a plain `swift build`: the commit is one of the
    /// checkout's (HEAD when built, or an ancestor of HEAD if commits came after the build),
    /// never "unknown".
    @Test func versionNamesACommitOfTheCheckout() throws {
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        let r = try Self.run(["--version"])
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let commit = try #require(lines.count > 1 ? lines[1].split(separator: " ").dropFirst().first.map(String.init) : nil)
        #expect(commit.count == 40 && commit.allSatisfy(\.isHexDigit), "commit line: \(lines.count > 1 ? lines[1] : "")")
        #expect(lines.first?.hasPrefix("uringbench 0.1.0+git.\(commit.prefix(12))") == true)
        let git = try SpawnedRun.run(executable: "/usr/bin/env", ["git", "-C", package, "merge-base", "--is-ancestor", commit, "HEAD"])
        #expect(git.status == 0, "\(commit) is not HEAD or an ancestor of HEAD in \(package)")
    }

    @Test func fleetMergesRealCompareRunsAndRefusesADifferentJob() throws {
        let dir = Self.dataDirectory + "/fleet"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let job = ["compare", "--engines", "psync,io_uring", "--iodepth", "4", "--runtime", "100ms", "--rounds", "1", "--size", "16M"]
        for host in ["host-a", "host-b"] {
            let r = try Self.run(job + ["--filename", "\(dir)/\(host).dat", "--output", "\(dir)/\(host).json"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let merged = try Self.run(["fleet", "\(dir)/host-a.json", "\(dir)/host-b.json", "--output", "\(dir)/fleet.json"])
        #expect(merged.status == 0, "\(merged.stderr)")
        let rows = merged.stdout.split(separator: "\n").map(String.init)
        for engine in ["psync QD1 4k", "io_uring QD4 4k"] {
            for host in ["host-a", "host-b", "fleet median"] {
                #expect(rows.contains { $0.hasPrefix(engine) && $0.contains(host) }, "no \(host) row for \(engine)")
            }
        }
        let data = try #require(FileManager.default.contents(atPath: "\(dir)/fleet.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["format"] as? String == "uringbench-fleet")
        let cases = try #require(json["cases"] as? [[String: Any]])
        #expect(cases.count == 2)
        let plot = try Self.run(["plot", "\(dir)/fleet.json", "--format", "svg"])
        #expect(plot.status == 0 && plot.stdout.contains("id=\"fleet-iops\""))

        // Another seed is another job: refused, naming it, in one line.
        var other = job
        other += ["--randseed", "7", "--filename", "\(dir)/host-c.dat", "--output", "\(dir)/host-c.json"]
        #expect(try Self.run(other).status == 0)
        let refused = try Self.run(["fleet", "\(dir)/host-a.json", "\(dir)/host-c.json"])
        #expect(refused.status == 1)
        #expect(refused.stderr.split(separator: "\n").count == 1)
        #expect(refused.stderr.contains("randseed 1592594192 in host-a vs 7 in host-c"))
        #expect(refused.stdout.isEmpty)
    }

    @Test func fleetOfSomethingElseIsOneLineAndExitOne() throws {
        let path = Self.dataDirectory + "/not-results.json"
        try "{\"hello\": 1}".write(toFile: path, atomically: false, encoding: .utf8)
        let r = try Self.run(["fleet", path, path])
        #expect(r.status == 1)
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(r.stderr.contains("is not a uringbench compare results file"))
    }
}

import Foundation
import Glibc
import Testing
import TestSupport

/// A regular-file report replaces its old self only when complete: on a full file system the
/// old report, a baseline, a log and a plot stay byte for byte, and no temporary is left behind;
/// a replacement keeps the old file's mode and owner. Runs the built binary on a small tmpfs.
@Suite(.serialized, .waits) struct ReportReplacementTests {
    /// A 512 KiB tmpfs for one test, unmounted by `unmount()`.
    struct SmallFilesystem {
        let path: String
        init() throws {
            path = CLITests.dataDirectory + "/small-fs-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            _ = try LoopDevice.shell("/bin/mount", ["-t", "tmpfs", "-o", "size=512k", "tmpfs", path])
        }
        /// Fills what is left, so the next write fails with ENOSPC.
        func fill() { _ = try? LoopDevice.shell("/bin/sh", ["-c", "dd if=/dev/zero of='\(path)/fill' bs=4k 2>/dev/null; true"]) }
        func free() { unlink(path + "/fill") }
        func unmount() { _ = try? LoopDevice.shell("/bin/umount", ["-l", path]); rmdir(path) }
        var entries: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }
    }

    static func sha256(_ path: String) -> String? {
        guard access(path, R_OK) == 0 else { return nil }
        return (try? LoopDevice.shell("/usr/bin/sha256sum", [path])).map { String($0.prefix(64)) }
    }

    static let dataFile = CLITests.dataDirectory + "/replacement.dat"
    static let run = ["--engine", "psync", "--filename", dataFile, "--size", "16M", "--runtime", "100ms"]

    @Test(.enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
    func aFailedWriteLeavesEveryReportAsItWas() throws {
        let fs = try SmallFilesystem()
        defer { fs.unmount() }
        let report = fs.path + "/report.json", baseline = fs.path + "/bl.json", log = fs.path + "/rr"
        let plot = fs.path + "/plot.html"
        // Old reports, each a real one.
        let made = [try CLITests.run(["randread"] + Self.run + ["--output-format", "json", "--output", report, "--write-lat-log", log]),
                    try CLITests.run(["compare", "--engines", "psync", "--rounds", "4"] + Self.run.dropFirst(2) + ["--output", baseline])]
        for r in made { try #require(r.status == 0, "\(r.stderr)") }
        try #require(try CLITests.run(["plot", baseline, "-o", plot]).status == 0)
        let files = [report, baseline, plot] + ["lat", "clat", "slat"].map { log + "_\($0).1.log" }
        let before = files.map(Self.sha256)
        #expect(before.allSatisfy { $0 != nil })
        let entries = fs.entries
        fs.fill()
        let attempts: [([String], String)] = [
            (["randread"] + Self.run + ["--output", report], "--output"),
            (["randread"] + Self.run + ["--output", fs.path + "/new.txt"], "--output"),
            (["randread"] + Self.run + ["--write-lat-log", log], "write_lat_log"),
            (["compare", "--engines", "psync", "--rounds", "4"] + Self.run.dropFirst(2)
                + ["--against", baseline, "--output", baseline, "--update-baseline", "--max-iops-drop", "99%", "--max-p99-rise", "100000%"], "--output"),
            (["plot", baseline, "-o", plot], "--output"),
        ]
        for (args, option) in attempts {
            let r = try CLITests.run(args)
            #expect(r.status != 0, "\(args) succeeded on a full file system")
            let last = r.stderr.split(separator: "\n").last.map(String.init) ?? ""
            #expect(last.contains("ENOSPC") && last.contains(option) && last.contains("unchanged"), "\(args): \(r.stderr)")
        }
        #expect(files.map(Self.sha256) == before, "a report changed on a failed write")
        // No temporary left, and no new report half-written.
        #expect(fs.entries == (entries + ["fill"]).sorted())
    }

    @Test(.enabled(if: getuid() == 0, "giving a file to another owner needs root"))
    func aReplacementKeepsModeAndOwner() throws {
        let fs = try SmallFilesystem()
        defer { fs.unmount() }
        let report = fs.path + "/report.txt"
        try "the old report\n".write(toFile: report, atomically: false, encoding: .utf8)
        #expect(chmod(report, 0o640) == 0 && chown(report, 1234, 4321) == 0)
        let link = fs.path + "/link.txt"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "report.txt")
        let r = try CLITests.run(["randread"] + Self.run + ["--output", link])
        try #require(r.status == 0, "\(r.stderr)")
        var st = stat()
        #expect(stat(report, &st) == 0)
        #expect(st.st_mode & 0o7777 == 0o640 && st.st_uid == 1234 && st.st_gid == 4321)
        #expect(try String(contentsOfFile: report, encoding: .utf8).contains("read: IOPS="))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "report.txt")
        #expect(fs.entries == ["link.txt", "report.txt"])
    }
}

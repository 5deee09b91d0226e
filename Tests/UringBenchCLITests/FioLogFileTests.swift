import Foundation
import Glibc
import Testing
import TestSupport

/// fio's log files from the command line and from job files: fio's names and line formats,
/// checked line by line against the same run's JSON, and read by fio's own tools.
@Suite(.serialized, .waits) struct FioLogFileTests {
    static let directory: String = {
        let dir = CLITests.dataDirectory + "/fio-logs"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()
    static let dataFile = directory + "/logs.dat"

    static func fresh(_ name: String) throws -> String {
        let dir = directory + "/\(name)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func json(_ path: String) throws -> [[String: Any]] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        return try #require((object as? [String: Any])?["jobs"] as? [[String: Any]])
    }

    static func stats(_ job: [String: Any], _ direction: String, _ key: String) throws -> [String: Any] {
        try #require((job[direction] as? [String: Any])?[key] as? [String: Any])
    }

    /// Each line's fields as integers.
    static func lines(_ path: String) throws -> [[UInt64]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
            try line.split(separator: ",").map { field in
                try #require(UInt64(field.trimmingCharacters(in: .whitespaces)), "'\(field)' in \(path)")
            }
        }
    }

    /// Runs `command` in `directory`; throws when it fails.
    static func shell(_ command: String, in directory: String) throws -> String {
        try LoopDevice.shell("/bin/sh", ["-c", "cd '\(directory)' && \(command)"])
    }

    /// randrw on the command line: in each direction, every IO has its lat, clat and slat line,
    /// and their count, min, max and mean are the JSON's N, min, max and mean.
    @Test func commandLineLogsAgreeWithTheJSON() throws {
        let dir = try Self.fresh("cli")
        let name = dir + "/randrw-iodepth-4-numjobs-1"
        let r = try CLITests.run(["randrw", "--engine", "io_uring", "--iodepth", "4", "--runtime", "500ms",
                                  "--filename", Self.dataFile, "--size", "16M",
                                  "--write-lat-log", name, "--write-bw-log", name, "--write-iops-log", name,
                                  "--output-format", "json", "--output", dir + "/r.json"])
        try #require(r.status == 0, "\(r.stderr)")
        let job = try #require(try Self.json(dir + "/r.json").first)
        for suffix in ["lat", "clat", "slat"] {
            let lines = try Self.lines(name + "_\(suffix).1.log")
            #expect(lines.allSatisfy { $0.count == 5 && $0[2] <= 1 && $0[3] == 4096 && $0[4] == 0 }, "\(suffix): fio's five fields")
            for (d, direction) in ["read", "write"].enumerated() {
                let s = try Self.stats(job, direction, suffix + "_ns")
                let values = lines.filter { $0[2] == UInt64(d) }.map { $0[1] }
                #expect(values.count == s["N"] as? Int, "\(suffix) \(direction): \(values.count) lines, N \(s["N"] ?? "?")")
                #expect(values.min().map(Int.init) == s["min"] as? Int && values.max().map(Int.init) == s["max"] as? Int)
                let mean = Double(values.reduce(0, +)) / Double(max(1, values.count))
                let theirs = try #require(s["mean"] as? Double)
                #expect(abs(mean - theirs) <= theirs * 1e-6, "\(suffix) \(direction): log mean \(mean), JSON \(theirs)")
            }
        }
        let clat = try Self.lines(name + "_clat.1.log"), bw = try Self.lines(name + "_bw.1.log"), iops = try Self.lines(name + "_iops.1.log")
        #expect(bw.count == clat.count && iops.count == clat.count)
        #expect(zip(bw, clat).allSatisfy { $0[1] == 4096 * 1_000_000 / $1[1] && $0[2] == $1[2] }, "bw = bytes·10⁶/clat, as fio's add_bw_sample")
        #expect(iops.allSatisfy { $0[1] == 1 })
    }

    /// A job file: fio's spelling, and fio's thread numbers over the whole file (job a's two
    /// numjobs threads are 1 and 2, job b is 3), each file holding its thread's IOs.
    @Test func jobFileNumbersThreadsAsFio() throws {
        let dir = try Self.fresh("jobfile")
        let path = dir + "/two.fio"
        try """
        [global]
        ioengine=io_uring
        iodepth=2
        direct=1
        size=16M
        runtime=300ms
        time_based
        filename=\(Self.dataFile)
        write_lat_log=\(dir)/lat
        [a]
        rw=randread
        numjobs=2
        [b]
        stonewall
        rw=randread
        write_iops_log=\(dir)/b
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let r = try CLITests.run(["run", path, "--output-format", "json", "--output", dir + "/r.json"])
        try #require(r.status == 0, "\(r.stderr)")
        let jobs = try Self.json(dir + "/r.json")
        let n = try jobs.map { try #require(try Self.stats($0, "read", "clat_ns")["N"] as? Int) }
        #expect(jobs.map { $0["jobname"] as? String } == ["a", "a", "b"])
        let counts = try (1...3).map { try Self.lines(dir + "/lat_clat.\($0).log").count }
        #expect(counts[0] + counts[1] == n[0] + n[1], "job a: \(counts) lines, N \(n)")
        #expect(counts[2] == n[2])
        let iops = try Self.lines(dir + "/b_iops.3.log")
        #expect(iops.count == n[2] && iops.allSatisfy { $0[1] == 1 }, "job b's own option")
        #expect(!FileManager.default.fileExists(atPath: dir + "/b_iops.1.log"))
    }

    static let histParser: String? = {
        let gz = "/usr/share/doc/fio/fiologparser_hist.py.gz"
        guard FileManager.default.fileExists(atPath: gz) else { return nil }
        return (try? shell("python3 -c 'import pandas, numpy'", in: "/")) != nil ? gz : nil
    }()

    /// fio's fiologparser_hist.py reads the histogram log (`--noweight`: each line in the
    /// interval it ends in; by default it also weighs a line into the interval before). Its
    /// samples per second add up to the IOs the log's lines count, and over one interval holding
    /// the whole run its median and mean are those of the same IOs' own clat lines.
    @Test(.enabled(if: histParser != nil, "fio's fiologparser_hist.py (Debian package fio) with python3, pandas and numpy"))
    func fiosHistogramParserReadsTheLog() throws {
        let dir = try Self.fresh("hist")
        let r = try CLITests.run(["randread", "--engine", "io_uring", "--iodepth", "4", "--runtime", "1200ms",
                                  "--filename", Self.dataFile, "--size", "16M", "--write-hist-log", dir + "/h", "--log-hist-msec", "200",
                                  "--write-lat-log", dir + "/h"])
        try #require(r.status == 0, "\(r.stderr)")
        let log = dir + "/h_clat_hist.1.log"
        _ = try Self.shell("zcat \(try #require(Self.histParser)) > fiologparser_hist.py", in: dir)
        func parse(_ arguments: String) throws -> [[Double]] {
            let rows = try Self.shell("python3 fiologparser_hist.py \(arguments) '\(log)'", in: dir).split(separator: "\n")
            #expect(rows.first == "end-time, samples, min, avg, median, 90%, 95%, 99%, max")
            return try rows.dropFirst().map { row in
                try row.split(separator: ",").map { try #require(Double($0.trimmingCharacters(in: .whitespaces))) }
            }
        }
        let counted = try Self.lines(log).reduce(UInt64(0)) { $0 + $1.dropFirst(3).reduce(0, +) }
        let seconds = try parse("--noweight")
        #expect(!seconds.isEmpty && seconds.map { $0[1] }.reduce(0, +) == Double(counted), "parser \(seconds), log \(counted)")
        let whole = try #require(try parse("--noweight -i 10000").first)
        #expect(whole[1] == Double(counted))
        let clat = try Self.lines(dir + "/h_clat.1.log").map { $0[1] }.prefix(Int(counted)).sorted()
        let median = Double(clat[clat.count / 2]), mean = Double(clat.reduce(0, +)) / Double(clat.count)
        #expect(abs(whole[4] - median) <= median * 0.05, "parser median \(whole[4]), clat log median \(median)")
        #expect(abs(whole[3] - mean) <= mean * 0.05, "parser mean \(whole[3]), clat log mean \(mean)")
    }

    /// fio's fio2gnuplot reads the iops log: it counts the lines after time 0 and averages them.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/fio2gnuplot"), "fio2gnuplot (Debian package fio)"))
    func fio2gnuplotReadsTheIOPSLog() throws {
        let dir = try Self.fresh("gnuplot")
        let r = try CLITests.run(["randread", "--engine", "io_uring", "--iodepth", "4", "--runtime", "700ms",
                                  "--filename", Self.dataFile, "--size", "16M", "--write-iops-log", dir + "/g", "--log-avg-msec", "100"])
        try #require(r.status == 0, "\(r.stderr)")
        let run = try Self.shell("fio2gnuplot -i -d out -k", in: dir)
        #expect(run.contains("g_iops.1.log"), "\(run)")
        let global = try String(contentsOfFile: dir + "/out/result.global", encoding: .utf8)
        let lines = try Self.lines(dir + "/g_iops.1.log").filter { $0[0] > 0 }
        let mean = Double(lines.reduce(0) { $0 + $1[1] }) / Double(max(1, lines.count))
        #expect(global.contains("values_count=\(lines.count)\n") && global.contains(String(format: "avg=%.2f\n", mean)), "\(global)")
    }

    @Test func optionsThatCannotActAreRefusedByName() throws {
        let common = ["randread", "--engine", "psync", "--runtime", "5s", "--filename", Self.dataFile, "--size", "16M"]
        let noInterval = try CLITests.run(common + ["--write-hist-log", Self.directory + "/h"])
        #expect(noInterval.status != 0 && noInterval.stderr.contains("--write-hist-log needs --log-hist-msec"), "\(noInterval.stderr)")
        let averageAlone = try CLITests.run(common + ["--log-avg-msec", "100"])
        #expect(averageAlone.status != 0 && averageAlone.stderr.contains("--log-avg-msec averages"), "\(averageAlone.stderr)")
        // A log whose name is the data file: refused before measuring, the file untouched.
        let victim = Self.directory + "/victim_lat.1.log"
        try Data(count: 16 << 20).write(to: URL(fileURLWithPath: victim))
        let before = FileManager.default.contents(atPath: victim)
        let clash = try CLITests.run(["randread", "--engine", "psync", "--runtime", "5s", "--filename", victim, "--size", "16M",
                                      "--direct", "0", "--write-lat-log", Self.directory + "/victim"])
        #expect(clash.status == 1 && clash.stderr.contains("data file") && clash.stdout.isEmpty, "\(clash.stderr)")
        #expect(FileManager.default.contents(atPath: victim) == before)
        // The report and a log: one file, refused.
        let same = try CLITests.run(common + ["--write-lat-log", Self.directory + "/same", "--output", Self.directory + "/same_clat.1.log"])
        #expect(same.status == 1 && same.stderr.contains("also the log file"), "\(same.stderr)")
        // A job file: fio's names in the message; compare refuses log options by name.
        let job = Self.directory + "/hist.fio"
        try "[h]\nrw=randread\nsize=16M\nruntime=1s\ntime_based\nfilename=\(Self.dataFile)\nwrite_hist_log=h\n".write(toFile: job, atomically: true, encoding: .utf8)
        let file = try CLITests.run(["run", job])
        #expect(file.status == 1 && file.stderr.contains("write_hist_log needs log_hist_msec"), "\(file.stderr)")
        // Numbers a job file cannot hold: refused with the option's fio name.
        for (option, value) in [("log_avg_msec", "-1"), ("log_avg_msec", "18446744073709551616"), ("log_hist_msec", "86400001"),
                                ("log_hist_msec", "nan"), ("per_job_logs", "2")] {
            let bad = Self.directory + "/bad.fio"
            try "[b]\nrw=randread\nsize=16M\nruntime=1s\ntime_based\nfilename=\(Self.dataFile)\nwrite_hist_log=b\nlog_hist_msec=100\n\(option)=\(value)\n"
                .write(toFile: bad, atomically: true, encoding: .utf8)
            let refused = try CLITests.run(["run", bad])
            #expect(refused.status == 1 && refused.stderr.contains(option) && refused.stderr.split(separator: "\n").count == 1, "\(option)=\(value): \(refused.stderr)")
        }
        let compareJob = Self.directory + "/compare.fio"
        try "[c]\nrw=randread\nsize=16M\nruntime=1s\ntime_based\nfilename=\(Self.dataFile)\nwrite_bw_log=c\n".write(toFile: compareJob, atomically: true, encoding: .utf8)
        let compare = try CLITests.run(["compare", "--job-file", compareJob, "--rounds", "1"])
        #expect(compare.status != 0 && compare.stderr.contains("sets write_bw_log, which compare does not write"), "\(compare.stderr)")
    }
}

import Foundation
import Testing
import TestSupport
@testable import UringBench
@testable import UringCore

/// fio's log files from real runs: every IO's line, checked against the run's own figures, the
/// averaging and histogram rules of fio's stat.c, and fio's names for numjobs threads.
@Suite(.serialized, .waits) struct FioLogTests {
    static let size: UInt64 = 32 << 20

    /// A log's lines as integers (fio writes "time, value, ddir, bs, prio").
    static func lines(_ path: String) throws -> [[UInt64]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
            try line.split(separator: ",").map { field in
                try #require(UInt64(field.trimmingCharacters(in: .whitespaces)), "'\(field)' in \(path)")
            }
        }
    }

    static func job(depth: Int = 4, milliseconds: UInt64 = 150) throws -> JobSpec {
        var job = TestFiles.job(.io_uring, file: try TestFiles.laidOut(size: size), size: size, depth: depth, milliseconds: milliseconds)
        job.verify = false
        return job
    }

    /// Runs `job` with `options`, prefix in a fresh directory; returns the result and the prefix.
    static func run(_ job: JobSpec, _ options: FioLogOptions) throws -> (result: JobGroupResult, prefix: String) {
        let dir = TestFiles.path("logs")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var o = options
        let prefix = dir + "/job"
        for keyPath in [\FioLogOptions.latency, \.bandwidth, \.iops, \.histogram] where o[keyPath: keyPath] != nil { o[keyPath: keyPath] = prefix }
        let set = try #require(try FioLogFileSet(options: o, jobName: job.name, firstThreadNumber: 1, numjobs: job.numjobs))
        let group = try Runner.runGroup(job, logs: set)
        try set.writeRecorded()
        return (group, prefix)
    }

    static func check(_ values: [UInt64], against h: LatencyHistogram, _ what: String) {
        #expect(UInt64(values.count) == h.count, "\(what): \(values.count) lines, \(h.count) IOs")
        #expect(values.min() == h.observedMin && values.max() == h.max, "\(what): \(values.min() ?? 0)–\(values.max() ?? 0) vs \(h.observedMin)–\(h.max)")
        let mean = Double(values.reduce(0, +)) / Double(max(1, values.count))
        #expect(abs(mean - h.mean) <= h.mean * 1e-9, "\(what): mean \(mean) vs \(h.mean)")
    }

    @Test func namesAreFiosForEveryThread() {
        var o = FioLogOptions()
        o.latency = "a"; o.bandwidth = "b"; o.histogram = ""; o.histogramMilliseconds = 10
        #expect(o.files(jobName: "seq", threadNumber: 3).map(\.path) == ["a_lat.3.log", "a_slat.3.log", "a_clat.3.log", "seq_clat_hist.3.log", "b_bw.3.log"])
        o.perJobLogs = false
        #expect(o.files(jobName: "seq", threadNumber: 3).map(\.path) == ["a_lat.log", "a_slat.log", "a_clat.log", "seq_clat_hist.log", "b_bw.log"])
        #expect(o.problem() == nil)
    }

    @Test func optionsThatCannotActAreNamed() {
        var hist = FioLogOptions(); hist.histogram = "h"
        #expect(hist.problem()?.hasPrefix("write_hist_log needs log_hist_msec") == true)
        var interval = FioLogOptions(); interval.histogramMilliseconds = 100
        #expect(interval.problem()?.hasPrefix("log_hist_msec sets the interval") == true)
        var average = FioLogOptions(); average.averageMilliseconds = 100
        #expect(average.problem()?.hasPrefix("log_avg_msec averages") == true)
        var names = FioLogOptions(); names.perJobLogs = false
        #expect(names.problem()?.hasPrefix("per_job_logs=0 names") == true)
        var long = FioLogOptions(); long.latency = "l"; long.averageMilliseconds = FioLogOptions.maxMilliseconds + 1
        #expect(long.problem()?.hasPrefix("log_avg_msec must be at most") == true)
    }

    /// Every IO has its lat, clat and slat line, with the same count, min, max and mean as the
    /// run's histograms; bw is the IO's bytes·10⁶/clat and iops 1, line for line.
    @Test func perIOLogsHoldEveryIO() throws {
        var o = FioLogOptions()
        o.latency = ""; o.bandwidth = ""; o.iops = ""
        let job = try Self.job()
        let (group, prefix) = try Self.run(job, o)
        let r = group.merged
        #expect(r.totalIOs > 100)
        let clat = try Self.lines(prefix + "_clat.1.log")
        for (suffix, h) in [("lat", r.lat), ("clat", r.clat), ("slat", try #require(r.slat))] {
            let lines = try Self.lines(prefix + "_\(suffix).1.log")
            #expect(lines.allSatisfy { $0.count == 5 && $0[2] == 0 && $0[3] == 4096 && $0[4] == 0 }, "\(suffix): fio's five fields")
            #expect(zip(lines, lines.dropFirst()).allSatisfy { $0[0] <= $1[0] }, "\(suffix): times in order")
            #expect((lines.last?[0] ?? .max) <= r.runtimeNanoseconds / 1_000_000, "\(suffix): ms since measuring began")
            Self.check(lines.map { $0[1] }, against: h, suffix)
        }
        let bw = try Self.lines(prefix + "_bw.1.log")
        #expect(bw.count == clat.count)
        #expect(zip(bw, clat).allSatisfy { b, c in b[0] == c[0] && b[1] == 4096 * 1_000_000 / c[1] && b[3] == 4096 }, "bw = bytes·10⁶/clat")
        let iops = try Self.lines(prefix + "_iops.1.log")
        #expect(iops.count == clat.count && iops.allSatisfy { $0[1] == 1 && $0[3] == 4096 })
    }

    /// fio's window rule, on samples whose times are set here (avg 100 ms): a window closes at
    /// the first sample 100 ms or more past the last multiple of 100 that closed one, and that
    /// sample counts in it.
    @Test func averagingFollowsFiosWindows() {
        var o = FioLogOptions()
        o.latency = "l"; o.iops = "i"; o.averageMilliseconds = 100
        var r = FioLogRecorder(options: o, blockSize: 4096, start: 0)
        for (ms, v) in [(10, 100), (50, 300), (100, 500), (150, 10), (260, 20), (280, 7)] as [(UInt64, UInt64)] {
            let copy = r.completed(.read, clat: v, lat: v, bytes: 4096, at: ms * 1_000_000)
            #expect(!copy, "no histogram log, no copy")
        }
        r.finish(at: 330_000_000)
        var clat: [[UInt64]] = [], iops: [[UInt64]] = []
        r.averaged[.clat]?.forEach { clat.append([$0.milliseconds, $0.value]) }
        r.averaged[.iops]?.forEach { iops.append([$0.milliseconds, $0.value]) }
        // [0,100]: 100, 300, 500 → 300 at 100; (100, 260]: 10, 20 → 15 at 260; 280 → 7 at the end.
        #expect(clat == [[100, 300], [260, 15], [330, 7]])
        // IOs per whole 100 ms interval, as IO/s, logged at its end; the last (300–330) is not whole.
        #expect(iops == [[100, 20], [200, 20], [300, 20]])
    }

    /// log_avg_msec on a real run: a line per direction and window, block size 0, each value
    /// within the run's range; the iops lines count the IOs of whole windows.
    @Test func averagedLogsOfARun() throws {
        var o = FioLogOptions()
        o.latency = ""; o.bandwidth = ""; o.iops = ""; o.averageMilliseconds = 100
        let (group, prefix) = try Self.run(try Self.job(milliseconds: 600), o)
        let r = group.merged
        for (suffix, h) in [("lat", r.lat), ("clat", r.clat), ("slat", try #require(r.slat))] {
            let lines = try Self.lines(prefix + "_\(suffix).1.log")
            #expect(lines.count >= 5 && lines.count <= 8, "\(suffix): \(lines.count) lines for 600 ms at 100 ms")
            #expect(lines.allSatisfy { $0.count == 5 && $0[3] == 0 && $0[1] >= h.observedMin && $0[1] <= h.max })
        }
        let iops = try Self.lines(prefix + "_iops.1.log"), bw = try Self.lines(prefix + "_bw.1.log")
        #expect(iops.count >= 5 && iops.count == bw.count)
        #expect(iops.map { $0[0] } == (1...UInt64(iops.count)).map { $0 * 100 }, "one line at the end of each whole window")
        let counted = iops.reduce(UInt64(0)) { $0 + $1[1] / 10 }          // IO/s over 100 ms
        #expect(counted <= r.totalIOs && counted * 10 >= r.totalIOs * 7, "\(counted) of \(r.totalIOs) IOs in whole windows")
        #expect(zip(bw, iops).allSatisfy { $0[1] == $1[1] / 10 * 4096 * 10 / 1024 }, "bw = the same IOs in KiB/s")
    }

    /// The histogram lines hold exactly the IOs completed up to the last one: their buckets add
    /// up to the first N lines of the clat log put in fio's buckets.
    @Test func histogramLinesAddUpToTheIOs() throws {
        var o = FioLogOptions()
        o.latency = ""; o.histogram = ""; o.histogramMilliseconds = 100
        let (group, prefix) = try Self.run(try Self.job(milliseconds: 600), o)
        let hist = try Self.lines(prefix + "_clat_hist.1.log")
        let n = LatencyHistogram.fioBucketCount
        #expect(hist.count >= 4 && hist.allSatisfy { $0.count == 3 + n && $0[1] == 0 && $0[2] == 4096 })
        #expect(hist.enumerated().allSatisfy { k, line in line[0] >= 100 * UInt64(k + 1) }, "\(hist.map { $0[0] })")
        var sums = [UInt64](repeating: 0, count: n)
        for line in hist { for i in 0..<n { sums[i] += line[3 + i] } }
        let logged = Int(sums.reduce(0, +))
        let clat = try Self.lines(prefix + "_clat.1.log").map { $0[1] }
        #expect(logged > 0 && logged <= clat.count && UInt64(clat.count) == group.merged.clat.count)
        var expected = [UInt64](repeating: 0, count: n)
        for v in clat.prefix(logged) { expected[min(LatencyHistogram.bucketIndex(v), n - 1)] += 1 }
        #expect(sums == expected)
    }

    /// numjobs=2: a file set per thread, numbered 1 and 2, each with its own job's IOs; with
    /// per_job_logs=0 one file, added to after what it held.
    @Test func eachThreadHasItsFiles() throws {
        var job = try Self.job()
        job.numjobs = 2
        var o = FioLogOptions()
        o.latency = ""
        let (group, prefix) = try Self.run(job, o)
        #expect(group.jobs.count == 2)
        let counts = try (1...2).map { try Self.lines(prefix + "_clat.\($0).log").count }
        #expect(Set(counts) == Set(group.jobs.map { Int($0.clat.count) }), "\(counts)")
        #expect(counts.reduce(0, +) == Int(group.merged.clat.count))

        let dir = TestFiles.path("shared-log")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "kept\n".write(toFile: dir + "/s_clat.log", atomically: false, encoding: .utf8)
        o.latency = dir + "/s"; o.perJobLogs = false
        let set = try #require(try FioLogFileSet(options: o, jobName: job.name, firstThreadNumber: 1, numjobs: 2))
        let shared = try Runner.runGroup(job, logs: set)
        try set.writeRecorded()
        let text = try String(contentsOfFile: dir + "/s_clat.log", encoding: .utf8)
        #expect(text.hasPrefix("kept\n"), "fio appends with per_job_logs=0")
        #expect(text.split(separator: "\n").count == 1 + Int(shared.merged.clat.count))
        #expect(!FileManager.default.fileExists(atPath: dir + "/s_clat.1.log"))
    }
}

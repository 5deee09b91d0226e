import Foundation
import Testing
@testable import UringBench
@testable import UringCore
import TestSupport

/// The report from known histograms: units, percentiles, buckets and fio's JSON keys (against
/// fio's own JSON: ReportFioTests).
@Suite struct ReportTests {
    @Test func latencyUnitSwitchingFollowsFio() {
        // usec: min > 2000 ns, max > 99999 ns and stdev > 1000 ns
        #expect(FioText.latencyLine("clat", ReportFixtures.histogram([124_000, 362_000, 4_452_000])).hasPrefix("    clat (usec): min=124, max=4452,"))
        // stdev below 1000 ns keeps nsec, however large the values
        #expect(FioText.latencyLine("clat", ReportFixtures.histogram([500_000, 500_100])).hasPrefix("    clat (nsec): min=500000, max=500100,"))
        // msec: min > 2 ms, max > 99.99 ms, stdev > 1 ms
        #expect(FioText.latencyLine(" lat", ReportFixtures.histogram([107_000_000, 2_106_000_000])).hasPrefix("     lat (msec): min=107, max=2106,"))
        #expect(FioText.latencyLine("slat", ReportFixtures.histogram([30, 61271])).contains("(nsec): min=30, max=61271, avg=30650.50"))
    }

    @Test func percentileBlockLayout() {
        let values = (0..<1000).map { UInt64(318_000 + $0 * 100) }   // 318 us ... 417.9 us
        let block = FioText.percentileBlock("clat", ReportFixtures.histogram(values))
        let lines = block.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "    clat percentiles (usec):")
        #expect(lines[1].hasPrefix("     |  1.00th=[  "))
        #expect(lines.count == 7)   // title, 5 rows of 4/4/4/4/1, trailing empty
        #expect(lines[5] == "     | 99.99th=[  418]")
        // Values are rounded up to whole usec like fio, and never exceed the observed max.
        let p50 = ReportFixtures.histogram(values).valueAt(percentile: 50)
        #expect(abs(Double(p50) - 368_000) / 368_000 < 0.01)
    }

    @Test func latencyBucketsCountClatAndSkipEmptyOnes() {
        var values = [UInt64](repeating: 300_000, count: 990)
        values += [UInt64](repeating: 3_000_000, count: 10)
        let text = FioTextReport.latencyBuckets(ReportFixtures.histogram(values))
        #expect(text == "  lat (usec)   : 500=99.00%\n  lat (msec)   : 4=1.00%\n")
    }

    @Test func depthDistributionRoundsTinySharesUpLikeFio() {
        let text = FioTextReport.distribution([3, 41669, 0, 0, 0, 0, 0], labels: DepthDistributions.depthLabels, total: 41672)
        #expect(text == "1=0.1%, 2=100.0%, 4=0.0%, 8=0.0%, 16=0.0%, 32=0.0%, >=64=0.0%")
    }

    /// fio numbers a job's group in its header line, one more per stonewall: fio 3.33 here on a
    /// file of two jobs, the second with stonewall, printed "a: (g=0): rw=read, …" and
    /// "b: (g=1): rw=read, …" (before, uringbench printed g=0 for both).
    @Test func headerLinesNumberTheGroups() {
        var second = ReportFixtures.result(clat: [124_000])
        second.job.name = "u"
        let text = FioTextReport(results: [ReportFixtures.result(clat: [124_000]), second]).render()
        #expect(text.contains("t: (g=0): rw=randread") && text.contains("u: (g=1): rw=randread"))
        #expect(text.contains("u: (groupid=1, jobs=1)"))
    }

    @Test func textReportHasFioLines() {
        let text = FioTextReport(results: [ReportFixtures.result(clat: [124_000, 340_000, 345_000, 4_452_000])]).render()
        #expect(text.contains("t: (g=0): rw=randread, bs=(R) 4096B-4096B, (W) 4096B-4096B, (T) 4096B-4096B, ioengine=io_uring, iodepth=32\n"))
        #expect(text.contains("  read: IOPS=87.3k, BW=341MiB/s (358MB/s)(682MiB/2001msec)\n"))
        #expect(text.contains("   bw (  KiB/s): min=349592, max=355472, per=100.00%, avg=352136.00, stdev=3018.95, samples=3\n"))
        #expect(text.contains("   iops        : min=87398, max=88868, avg=88034.00, stdev=754.74, samples=3\n"))
        #expect(text.contains("  IO depths    : 1=0.0%, 2=0.0%, 4=0.0%, 8=0.0%, 16=0.0%, 32=100.0%, >=64=0.0%\n"))
        #expect(text.contains("     issued rwts: total=174689,0,0,0 short=0,0,0,0 dropped=0,0,0,0\n"))
        #expect(text.contains("   READ: bw=341MiB/s (358MB/s), 341MiB/s-341MiB/s (358MB/s-358MB/s), io=682MiB (716MB), run=2001-2001msec\n"))
        #expect(text.contains("  cpu          : usr=5.00%, sys=39.98%, ctx=5468, majf=0, minf=43\n"))
        #expect(text.contains("  setup        : io_uring: test;"))
        // psync: no slat line, as in fio
        let sync = FioTextReport(results: [ReportFixtures.result(clat: [50_000, 60_000], engine: .psync)]).render()
        #expect(!sync.contains("slat"))
    }

    @Test func jsonCarriesTheKeysFioToolsRead() throws {
        let r = ReportFixtures.result(clat: (0..<2000).map { UInt64(300_000 + $0 * 37) } + [8_290_147])
        let json = try FioJSONReport(results: [r]).render()
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect((doc["fio version"] as? String)?.contains("fio-3.33") == true)
        #expect(doc["timestamp"] as? Int == 1_795_750_073)
        // fio writes "global options" only for a job file's [global], none for a command-line run.
        #expect(doc["global options"] == nil)
        var fromFile = FioJSONReport(results: [r])
        fromFile.globalOptions = [("rw", "read"), ("runtime", "1")]
        let withGlobals = try fromFile.render()
        #expect(withGlobals.contains("\"global options\" : {\n    \"rw\" : \"read\",\n    \"runtime\" : \"1\"\n  },"), "\(withGlobals.prefix(300))")
        let job = try #require((doc["jobs"] as? [[String: Any]])?.first)
        let options = try #require(job["job options"] as? [String: String])
        // fio-plot needs these four
        #expect(options["iodepth"] == "32" && options["numjobs"] == "1" && options["bs"] == "4k" && options["rw"] == "randread")
        #expect(job["error"] as? Int == 0)  // KDiskMark
        let read = try #require(job["read"] as? [String: Any])
        #expect(read["total_ios"] as? Int == 174_689)
        #expect(read["bw"] as? Int == 349_203)  // KiB/s = 174689*4096*1000/2001/1024, integer as in fio
        #expect(read["iops_stddev"] is Double && read["iops"] is Double)
        let lat = try #require(read["lat_ns"] as? [String: Any])
        #expect(lat["mean"] is Double && lat["N"] as? Int == 2001)
        let clat = try #require(read["clat_ns"] as? [String: Any])
        let pct = try #require(clat["percentile"] as? [String: Int])
        #expect(pct.count == 17)
        let p99 = try #require(pct["99.000000"])
        #expect(p99 > 300_000 && p99 <= 8_290_147)
        #expect(pct["99.990000"] == 8_290_147, "never above the observed max (fio #1984)")
        for key in ["latency_ns", "latency_us", "latency_ms", "iodepth_level", "iodepth_submit", "iodepth_complete"] {
            #expect(job[key] is [String: Double], "\(key)")
        }
        #expect((job["latency_ms"] as? [String: Double])?[">=2000"] == 0)
        #expect(job["write"] is [String: Any] && job["trim"] is [String: Any] && job["sync"] is [String: Any])
        // Our extras live under one key, and round-trip.
        let extras = try #require(job["uringbench"] as? [String: Any])
        #expect(extras["cpu"] is [String: Any])
        let decoded = try JSONDecoder().decode(FioJSON.Document.self, from: Data(json.utf8))
        #expect(decoded.jobs[0].uringbench?.clat == r.clat)
    }

    /// disk_util covers the whole run: a disk's counters summed over the jobs, util its busy
    /// time over their measured time together (fio's figure), not the first job's.
    @Test func diskUtilCoversEveryJob() throws {
        var a = ReportFixtures.result(clat: [1000], runtimeMs: 1000)
        var b = ReportFixtures.result(clat: [1000], runtimeMs: 3000)
        a.disk = DiskUtilization(device: "vda", counters: DiskCounters(readIOs: 100, readTicks: 40, ioTicks: 900, inQueue: 50), utilPercent: 90)
        b.disk = DiskUtilization(device: "vda", counters: DiskCounters(readIOs: 300, writeIOs: 7, ioTicks: 600, inQueue: 20), utilPercent: 20)
        let disks = FioJSONReport(results: [a, b]).document().diskUtil
        #expect(disks.count == 1)
        let d = try #require(disks.first)
        #expect(d.readIos == 400 && d.writeIos == 7 && d.readTicks == 40 && d.inQueue == 70)
        #expect(abs(d.util - 37.5) < 1e-9, "1500 ms busy of 4000 ms")
    }

    /// Whole numbers fio writes as floats stay floats (`100.000000`), keys keep fio's order.
    @Test func floatsAreWrittenAsFioWritesThem() throws {
        let json = try FioJSONReport(results: [ReportFixtures.result(clat: [1000, 2000])]).render()
        #expect(json.contains("\"bw_agg\" : 100.000000,\n"))
        #expect(json.contains("\"latency_percentile\" : 100.000000,\n"))
        #expect(json.contains("\"iops_samples\" : 3\n"))
        let order = ["\"fio version\"", "\"timestamp\"", "\"timestamp_ms\"", "\"time\"", "\"jobs\"", "\"jobname\"", "\"read\"",
                     "\"write\"", "\"trim\"", "\"sync\"", "\"job_runtime\"", "\"latency_window\"", "\"uringbench\""]
        let positions = order.map { json.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        // uringbench's own block keeps its floats exact (read back by compare and plot).
        let decoded = try JSONDecoder().decode(FioJSON.Document.self, from: Data(json.utf8))
        #expect(decoded.jobs[0].uringbench?.cpu == ReportFixtures.result(clat: [1000, 2000]).cpu)
    }
}

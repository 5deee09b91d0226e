import Testing
@testable import UringBench

/// Throughput against time: the per-second series compare records from fio's iops log, and the
/// thirds the reports give.
struct IOPSTimeSeriesTests {
    static let ms: UInt64 = 1_000_000

    /// One thread's recording of reads completing at `times` (ms), finished at `end` (ms).
    static func thread(_ times: [UInt64], end: UInt64, number: Int = 1) -> FioLogFiles {
        let files = FioLogFiles(recordingOnly: IOPSTimeSeries.compareLogOptions, threadNumber: number)
        var recorder = FioLogRecorder(options: files.options, blockSize: 4096, start: 0)
        for t in times { _ = recorder.completed(.read, clat: 1000, lat: 1000, bytes: 4096, at: t * ms) }
        recorder.finish(at: end * ms)
        files.recorded = recorder
        return files
    }

    @Test func oneWholeSecondPerPointAndTheTailApart() throws {
        // Two IOs in second 1, one in second 2, none in second 3, one after 3 s.
        let set = FioLogFileSet(recordingOnly: IOPSTimeSeries.compareLogOptions, numjobs: 1)
        set.threads[0].recorded = Self.thread([100, 200, 1500, 3200], end: 3500).recorded
        let series = try #require(IOPSTimeSeries(recorded: set))
        #expect(series.iops == [2, 1, 0])
        #expect(series.iosAfterLastInterval == 1)
        #expect(series.loggedIOs + Double(series.iosAfterLastInterval) == 4)
    }

    @Test func aGroupSumsItsThreadsOverTheSecondsEveryThreadHas() throws {
        let set = FioLogFileSet(recordingOnly: IOPSTimeSeries.compareLogOptions, numjobs: 2)
        set.threads[0].recorded = Self.thread([10, 1010, 2010, 2020], end: 3000).recorded
        set.threads[1].recorded = Self.thread([20, 30, 1020, 2500], end: 2900, number: 2).recorded
        let series = try #require(IOPSTimeSeries(recorded: set))
        // Thread 2's third second is not whole: the series ends after two, the rest is the tail.
        #expect(series.iops == [3, 2])
        #expect(series.iosAfterLastInterval == 3)
    }

    @Test func nothingRecordedIsNoSeries() {
        let set = FioLogFileSet(recordingOnly: IOPSTimeSeries.compareLogOptions, numjobs: 1)
        #expect(IOPSTimeSeries(recorded: set) == nil)
    }

    @Test func thirdsAreTheMeansOfTheFirstAndLastThirdOfThePoints() throws {
        let thirds = try #require(IOPSThirds(points: [10, 10, 7, 7, 5, 5, 4], intervalMilliseconds: 1000))
        #expect(thirds.pointsPerThird == 2)
        #expect(thirds.first == 10)
        #expect(thirds.last == 4.5)
        #expect(thirds.lastToFirst == 0.45)
        #expect(IOPSThirds(points: [1, 2], intervalMilliseconds: 1000) == nil)
        #expect(IOPSThirds(points: [0, 0, 3], intervalMilliseconds: 1000)?.lastToFirst == nil)
    }
}

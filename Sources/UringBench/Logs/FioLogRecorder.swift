import UringCore

/// What the IO loop keeps for fio's log files while it measures, in memory until the run ends
/// (`FioLogFiles` writes it then), as fio's stat.c keeps its log samples:
///
/// - per IO (`log_avg_msec=0`): one small record per completion and, for the lat log, per
///   submission, in chunks that are never copied;
/// - averaged (`log_avg_msec=N`): lat, clat and slat as fio's add_log_sample averages them (a
///   window from the last multiple of N ms closes at the first sample N ms or more after it,
///   which goes in, and is logged at that sample's time); bw and iops as fio's helper thread
///   samples them: the IOs of each whole N ms interval, as KiB/s and IO/s;
/// - `log_hist_msec=N`: a copy of the direction's clat histogram at the first completion N ms
///   or more after the previous copy (fio's add_clat_sample, the next interval shortened by the
///   overshoot).
///
/// Times are milliseconds since measuring began (fio resets its epoch after ramp_time). Syncs
/// are not logged (fio logs reads, writes and trims).
struct FioLogRecorder {
    /// One completed IO: its lat, clat, bw and iops lines.
    struct Completion: BitwiseCopyable {
        var clat: UInt64
        var lat: UInt64
        var milliseconds: UInt32
        var sized: SizedDirection
        var direction: UInt8 { sized.direction }
    }

    /// One submitted IO: its slat line, stamped when it was submitted.
    struct Submission: BitwiseCopyable {
        var slat: UInt64
        var milliseconds: UInt32
        var sized: SizedDirection
        var direction: UInt8 { sized.direction }
    }

    /// A logged IO's direction (0 read, 1 write) and length in one word, so that a record
    /// stays 24 (16) bytes: lengths are at most `JobSpec.maxBlockSize`, far below 2^31.
    struct SizedDirection: BitwiseCopyable {
        private let word: UInt32

        init(_ direction: UInt8, length: Int) {
            word = UInt32(truncatingIfNeeded: length) & 0x7FFF_FFFF | UInt32(direction & 1) << 31
        }

        var direction: UInt8 { UInt8(truncatingIfNeeded: word >> 31) }
        var length: UInt64 { UInt64(word & 0x7FFF_FFFF) }
    }

    /// One averaged line (fio writes block size 0 on them).
    struct Line: BitwiseCopyable {
        var milliseconds: UInt64
        var value: UInt64
        var direction: UInt8
    }

    /// A histogram copy; its counts are the mark's `LatencyHistogram.fioBucketCount` values in
    /// `histogramCounts` (the n-th mark's from n × that count on).
    struct HistogramMark: BitwiseCopyable {
        var milliseconds: UInt64
        var direction: UInt8
    }

    /// A log_avg_msec window of the lat, clat or slat log in one direction (fio's avg_window,
    /// avg_last).
    struct AverageWindow {
        var last: UInt64 = 0
        var sum: Double = 0
        var count: UInt64 = 0
    }

    let options: FioLogOptions
    let blockSize: UInt64
    private(set) var start: UInt64
    private let logsLatency: Bool
    private let logsRates: Bool
    private let averaging: UInt64
    private let histogramInterval: UInt64

    private(set) var completions: ChunkedSamples<Completion>? = nil
    private(set) var submissions: ChunkedSamples<Submission>? = nil
    /// log_avg_msec: the lines of each averaged log, by `FioLogKind`.
    private(set) var averaged: [FioLogKind: ChunkedSamples<Line>] = [:]
    private var windows: [AverageWindow]            // lat, clat, slat × read, write
    private var rateWindow: UInt64 = 0              // index of the bw/iops interval being counted
    private var rateIOs: (read: UInt64, write: UInt64) = (0, 0)
    private var rateBytes: (read: UInt64, write: UInt64) = (0, 0)
    /// Set by `finish`: the bw/iops intervals that had ended, and the IOs after the last of
    /// them, which no line counts (fio logs no partial interval either).
    private(set) var wholeRateIntervals: UInt64 = 0
    private(set) var iosAfterLastInterval: UInt64 = 0
    private(set) var histogramMarks: ChunkedSamples<HistogramMark>? = nil
    private(set) var histogramCounts: ChunkedSamples<UInt64>? = nil
    private var histogramLast: (read: UInt64, write: UInt64) = (0, 0)

    init(options: FioLogOptions, blockSize: Int, start: UInt64) {
        self.options = options
        self.blockSize = UInt64(blockSize)
        self.start = start
        logsLatency = options.latency != nil
        logsRates = options.bandwidth != nil || options.iops != nil
        averaging = options.averageMilliseconds
        histogramInterval = options.histogram != nil ? options.histogramMilliseconds : 0
        windows = Array(repeating: AverageWindow(), count: 6)
        if averaging == 0 {
            if logsLatency || logsRates { completions = ChunkedSamples() }
            if logsLatency { submissions = ChunkedSamples() }
        } else {
            if logsLatency { for kind in [FioLogKind.lat, .clat, .slat] { averaged[kind] = ChunkedSamples() } }
            if options.bandwidth != nil { averaged[.bw] = ChunkedSamples() }
            if options.iops != nil { averaged[.iops] = ChunkedSamples() }
        }
        if histogramInterval > 0 {
            histogramMarks = ChunkedSamples()
            histogramCounts = ChunkedSamples()
        }
    }

    /// Measuring (re)starts at `t` (the ramp ended): what the ramp logged is forgotten.
    mutating func restart(at t: UInt64) {
        self = FioLogRecorder(options: options, blockSize: Int(blockSize), start: t)
    }

    @inline(__always)
    private func milliseconds(_ t: UInt64) -> UInt64 { t >= start ? (t &- start) / 1_000_000 : 0 }

    // Out of line: the loop calls these only when a log is written, and stays small when not.
    mutating func submitted(_ direction: IODirection, slat: UInt64, bytes: Int, at t: UInt64) {
        guard logsLatency, direction.isData else { return }
        let ms = milliseconds(t)
        if averaging == 0 {
            submissions?.append(Submission(slat: slat, milliseconds: UInt32(clamping: ms), sized: SizedDirection(direction.rawValue, length: bytes)))
        } else {
            average(.slat, 2, slat, direction.rawValue, ms)
        }
    }

    /// Records a completion; true when the direction's clat histogram is due for its copy
    /// (`copyHistogram`), so the loop hands the histogram over only then.
    mutating func completed(_ direction: IODirection, clat: UInt64, lat: UInt64, bytes: Int, at t: UInt64) -> Bool {
        guard direction.isData else { return false }
        let d = direction.rawValue
        let ms = milliseconds(t)
        if averaging == 0 {
            completions?.append(Completion(clat: clat, lat: lat, milliseconds: UInt32(clamping: ms), sized: SizedDirection(d, length: bytes)))
        } else {
            if logsLatency {
                average(.lat, 0, lat, d, ms)
                average(.clat, 1, clat, d, ms)
            }
            if logsRates { countRate(d, UInt64(truncatingIfNeeded: bytes), ms) }
        }
        return histogramInterval > 0 && histogramDue(d, ms)
    }

    /// fio's add_log_sample under log_avg_msec, for the lat, clat and slat logs.
    private mutating func average(_ kind: FioLogKind, _ slot: Int, _ value: UInt64, _ d: UInt8, _ ms: UInt64) {
        let i = slot * 2 + Int(d)
        windows[i].sum += Double(value)
        windows[i].count &+= 1
        let last = windows[i].last
        guard ms >= last, ms - last >= averaging else { return }
        emitAverage(kind, i, d, ms)
        windows[i].last = ms - ms % averaging
    }

    /// fio's __add_stat_to_log: the window's mean rounded half up, a line only for a window
    /// that has samples.
    private mutating func emitAverage(_ kind: FioLogKind, _ i: Int, _ d: UInt8, _ ms: UInt64) {
        let w = windows[i]
        guard w.count > 0 else { return }
        let mean = w.sum / Double(w.count) + 0.5
        averaged[kind]?.append(Line(milliseconds: ms, value: mean < 1.8e19 ? UInt64(mean) : UInt64.max, direction: d))
        windows[i].sum = 0
        windows[i].count = 0
    }

    /// Counts an IO into the bw/iops interval it completed in; the first IO of a later interval
    /// logs the one before.
    private mutating func countRate(_ d: UInt8, _ bytes: UInt64, _ ms: UInt64) {
        let window = ms / averaging
        if window != rateWindow {
            emitRates()
            rateWindow = window
        }
        if d == 0 {
            rateIOs.read &+= 1; rateBytes.read &+= bytes
        } else {
            rateIOs.write &+= 1; rateBytes.write &+= bytes
        }
    }

    /// fio's __add_samples at the end of an interval: per direction that moved data, KiB/s
    /// (bytes·1000/ms/1024) and IO/s, logged at the interval's end.
    private mutating func emitRates() {
        let ms = (rateWindow &+ 1) &* averaging
        for (d, ios, bytes) in [(UInt8(0), rateIOs.read, rateBytes.read), (UInt8(1), rateIOs.write, rateBytes.write)] where ios > 0 {
            averaged[.bw]?.append(Line(milliseconds: ms, value: bytes &* 1000 / averaging / 1024, direction: d))
            averaged[.iops]?.append(Line(milliseconds: ms, value: ios &* 1000 / averaging, direction: d))
        }
        rateIOs = (0, 0)
        rateBytes = (0, 0)
    }

    /// fio's add_clat_sample with log_hist_msec: the first completion starts the interval, and
    /// the first one `log_hist_msec` or more after its start takes a copy.
    private mutating func histogramDue(_ d: UInt8, _ ms: UInt64) -> Bool {
        var last = d == 0 ? histogramLast.read : histogramLast.write
        if last == 0 {
            last = ms
            if d == 0 { histogramLast.read = ms } else { histogramLast.write = ms }
        }
        return ms >= last && ms - last >= histogramInterval
    }

    /// The copy `completed` asked for, of `histogram` (the direction's clat histogram, this IO
    /// in it); the next interval starts `log_hist_msec` after this one did (shortened by the
    /// overshoot, as fio's).
    mutating func copyHistogram(_ direction: IODirection, at t: UInt64, histogram: LatencyHistogram) {
        let d = direction.rawValue
        let ms = milliseconds(t)
        let last = d == 0 ? histogramLast.read : histogramLast.write
        histogramMarks?.append(HistogramMark(milliseconds: ms, direction: d))
        // fio's buckets: uringbench's up to fio's last, which takes every larger value.
        let n = LatencyHistogram.fioBucketCount
        histogram.counts.withUnsafeBufferPointer { counts in
            for i in 0..<(n - 1) { histogramCounts?.append(counts[i]) }
            var rest: UInt64 = 0
            for i in (n - 1)..<counts.count { rest &+= counts[i] }
            histogramCounts?.append(rest)
        }
        let next = ms - ((ms - last) - histogramInterval)
        if d == 0 { histogramLast.read = next } else { histogramLast.write = next }
    }

    /// The run ended at `t`: the open lat, clat and slat windows become their last lines (fio's
    /// finalize_logs), and the bw/iops interval too if it was whole.
    mutating func finish(at t: UInt64) {
        guard averaging > 0 else { return }
        let ms = milliseconds(t)
        if logsLatency {
            for (slot, kind) in [FioLogKind.lat, .clat, .slat].enumerated() {
                for d in 0..<2 { emitAverage(kind, slot * 2 + d, UInt8(d), ms) }
            }
        }
        if logsRates && ms >= (rateWindow &+ 1) &* averaging { emitRates() }
        wholeRateIntervals = ms / averaging
        iosAfterLastInterval = rateIOs.read &+ rateIOs.write
    }
}

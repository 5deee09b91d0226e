import UringCore

/// One job thread's fio log files, opened like every output before anything is measured
/// (permissions apply; the caller refuses one that is a file the command reads), and
/// written once the run has ended in fio 3.33's line formats (iolog.c flush_samples,
/// flush_hist_samples):
///
///     lat, clat, slat, bw, iops:  time (ms), value, direction (0 read, 1 write), block size, 0
///     clat_hist:                  time (ms), direction, block size, 1856 bucket counts
///
/// lat, clat and slat are ns; a per-IO bw value is the IO's bytes·10⁶ over its clat in ns (fio's
/// add_bw_sample), an averaged one KiB/s; iops is 1 per IO, or IO/s averaged; averaged lines
/// carry block size 0, as fio's do. The last field is fio's realtime-priority flag, 0 here
/// (uringbench sets no IO priority). A histogram line counts the IOs completed since the
/// direction's previous line, in fio's buckets.
public final class FioLogFiles: @unchecked Sendable {
    public let options: FioLogOptions
    public let threadNumber: Int
    private let files: [(kind: FioLogKind, file: OutputFile)]
    /// What the run recorded, set by the job's thread when its loop ends (read after the join).
    var recorded: FioLogRecorder? = nil

    /// Opens the files of thread `threadNumber` of job `jobName`.
    public init(options: FioLogOptions, jobName: String, threadNumber: Int) throws(OutputError) {
        self.options = options
        self.threadNumber = threadNumber
        var files: [(kind: FioLogKind, file: OutputFile)] = []
        for (kind, path) in options.files(jobName: jobName, threadNumber: threadNumber) {
            files.append((kind, try OutputFile(path: path, option: kind.option)))
        }
        self.files = files
    }

    /// Records without writing: `compare` reads what thread `threadNumber` recorded itself
    /// (`IOPSTimeSeries`).
    init(recordingOnly options: FioLogOptions, threadNumber: Int) {
        self.options = options
        self.threadNumber = threadNumber
        files = []
    }

    public var outputs: [OutputFile] { files.map { $0.file } }

    /// Writes what the run recorded; nothing when it measured nothing (files it created are then
    /// removed, as every unwritten output is).
    public func writeRecorded() throws(OutputError) {
        guard let recorded else { return }
        for (kind, file) in files {
            var out = try LogLineWriter(file: file, appending: !options.perJobLogs)
            try Self.render(kind, recorded, &out)
            try out.finish()
        }
    }

    static func render(_ kind: FioLogKind, _ r: FioLogRecorder, _ out: inout LogLineWriter) throws(OutputError) {
        let bs = r.blockSize
        if kind == .clatHistogram {
            guard let marks = r.histogramMarks, let counts = r.histogramCounts else { return }
            let n = LatencyHistogram.fioBucketCount
            var previous = [[UInt64]](repeating: [UInt64](repeating: 0, count: n), count: 2)
            var index = 0
            try marks.forEach { (mark) throws(OutputError) in
                let d = Int(mark.direction)
                out.number(mark.milliseconds); out.comma()
                out.number(UInt64(mark.direction)); out.comma()
                out.number(bs)
                var bucket = 0
                try counts.forEach(from: index * n, length: n) { (c) throws(OutputError) in
                    out.comma()
                    out.number(c &- previous[d][bucket])
                    previous[d][bucket] = c
                    bucket += 1
                }
                try out.endLine()
                index += 1
            }
            return
        }
        if let lines = r.averaged[kind] {
            try lines.forEach { (l) throws(OutputError) in try out.line(l.milliseconds, l.value, l.direction, 0) }
            return
        }
        switch kind {
        case .slat:
            try r.submissions?.forEach { (s) throws(OutputError) in try out.line(UInt64(s.milliseconds), s.slat, s.direction, s.sized.length) }
        case .lat:
            try r.completions?.forEach { (c) throws(OutputError) in try out.line(UInt64(c.milliseconds), c.lat, c.direction, c.sized.length) }
        case .clat:
            try r.completions?.forEach { (c) throws(OutputError) in try out.line(UInt64(c.milliseconds), c.clat, c.direction, c.sized.length) }
        case .bw:
            try r.completions?.forEach { (c) throws(OutputError) in
                try out.line(UInt64(c.milliseconds), c.clat > 0 ? c.sized.length &* 1_000_000 / c.clat : 0, c.direction, c.sized.length)
            }
        case .iops:
            try r.completions?.forEach { (c) throws(OutputError) in try out.line(UInt64(c.milliseconds), 1, c.direction, c.sized.length) }
        case .clatHistogram:
            break
        }
    }
}

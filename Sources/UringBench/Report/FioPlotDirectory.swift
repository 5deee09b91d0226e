import Glibc
import UringCore

/// `compare --fio-plot-dir DIR`: one fio JSON per case in the layout bench-fio writes and
/// fio-plot reads — `DIR/<engine>/<bs>/<rw>-<iodepth>-<numjobs>.json` (mixed modes:
/// `DIR/<engine>/<rw><rwmixread>/<bs>/…`), the engine standing where bench-fio puts the target's
/// name, so `fio-plot -i DIR/io_uring/4k DIR/libaio/4k` compares engines.
///
/// Each file holds one job, because fio-plot adds up the jobs of a file as numjobs: the round
/// whose IOPS is the case's median (the lower one of the middle two for an even count), a real
/// run's figures, not an average. Files are opened like `--output` before anything is measured.
public final class FioPlotDirectory {
    public let directory: String
    private var files: [CaseKey: OutputFile] = [:]

    /// Opens every case's file; `job` gives the case's job (its rwmixread for mixed modes).
    public init(directory: String, cases: [CaseKey], job: (CaseKey) -> JobSpec) throws(OutputError) {
        let option = "--fio-plot-dir"
        guard !directory.isEmpty else { throw .emptyPath(option: option) }
        switch (try? Syscalls.fileStatus(directory)).map({ $0.st_mode & S_IFMT }) {
        case nil: throw .directoryMissing(path: directory, option: option, directory: directory)
        case S_IFDIR?: break
        default: throw .cannotOpen(path: directory, option: option, error: Errno(rawValue: ENOTDIR))
        }
        self.directory = directory
        for key in cases {
            var path = directory
            let parts = Self.relativePath(key, rwMixRead: job(key).rwMixRead).split(separator: "/")
            for folder in parts.dropLast() {
                path += "/" + folder
                if mkdir(path, 0o755) != 0 && errno != EEXIST { throw .cannotOpen(path: path, option: option, error: .current) }
            }
            files[key] = try OutputFile(path: path + "/" + (parts.last ?? ""), option: option)
        }
    }

    /// `io_uring/4k/randread-32-1.json`, `psync/randrw70/4k/randrw-1-1.json`; a case of several
    /// jobs (`--concurrency`) gets its numjobs, as bench-fio names it, and its own file.
    static func relativePath(_ key: CaseKey, rwMixRead: Int) -> String {
        let bs = formatBytesFlag(UInt64(key.blockSize))
        let mode = key.rw.isMixed ? "\(key.rw.rawValue)\(rwMixRead)/" : ""
        return "\(key.engine.rawValue)/\(mode)\(bs)/\(key.rw.rawValue)-\(key.iodepth)-\(key.numjobs).json"
    }

    /// The paths, for the refusal of an output that is an input.
    public var outputs: [OutputFile] { Array(files.values) }

    /// Writes each case's median round; a case with no finished run (Ctrl-C) gets no file.
    /// Returns how many files were written.
    @discardableResult
    public func write(_ results: ComparisonResults, plus: Bool = false) throws -> Int {
        var written = 0
        for (key, file) in files.sorted(by: { $0.key < $1.key }) {
            guard let run = Self.medianRun(results.runs(of: key)) else { continue }
            try file.write(FioJSONReport(results: [run], plus: plus).render())
            written += 1
        }
        return written
    }

    /// The run with the median IOPS (the lower middle one for an even count), by the IOPS its
    /// file will print: over whole milliseconds, two close rounds can order the other way.
    static func medianRun(_ runs: [RunResult]) -> RunResult? {
        guard !runs.isEmpty else { return nil }
        let sorted = runs.sorted { ($0.reportedIOPS, $0.iops) < ($1.reportedIOPS, $1.iops) }
        return sorted[(sorted.count - 1) / 2]
    }
}

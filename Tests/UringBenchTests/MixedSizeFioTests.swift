import Foundation
import Testing
@testable import UringBench

/// Jobs of several sizes (fio's bssplit, bsrange) against fio 3.33 on the same job file,
/// size-bound: where a pass ends with the random map or the sequential walk, the bytes issued
/// are fio's to the byte (the map cuts an IO at a block already used, so a pass is exactly the
/// region); the IO counts follow each tool's own draws, so only number_ios makes them equal.
/// (A pass cut short by io_size, or rw's two walks, end after a drawn IO, so their bytes differ
/// by the last IO's size: not compared here.)
/// Each tool's sizes come from its log of every IO (write_bw_log with log_avg_msec=0 carries
/// the IO's length). `make test` installs fio.
@Suite(.serialized)
struct MixedSizeFioTests {
    static let size: UInt64 = 4 << 20

    struct Case: CustomStringConvertible, Sendable {
        var rw: RWMode
        var engine: EngineKind = .psync
        var sizes = "bssplit=4k/50:8k/30:64k/20"
        var depth = 1
        var ioSize: UInt64? = nil
        var numberIOs: UInt64 = 0
        var randomMap = true
        var description: String {
            "\(rw.rawValue) \(engine.rawValue) \(sizes) iodepth=\(depth) io_size=\(ioSize.map(String.init) ?? "-") number_ios=\(numberIOs)\(randomMap ? "" : " norandommap")"
        }

        func jobFile(file: String, log: String) -> String {
            var lines = ["[mixed]", "filename=\(file)", "size=\(MixedSizeFioTests.size)", "rw=\(rw.rawValue)",
                         "ioengine=\(engine.fioEngine)", "iodepth=\(depth)", "direct=1", sizes,
                         "write_bw_log=\(log)", "log_avg_msec=0"]
            if let ioSize { lines.append("io_size=\(ioSize)") }
            if numberIOs > 0 { lines.append("number_ios=\(numberIOs)") }
            if !randomMap { lines.append("norandommap") }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    static let cases: [Case] = [
        Case(rw: .randread),
        Case(rw: .read),
        Case(rw: .randread, engine: .io_uring, depth: 8),
        Case(rw: .randwrite, engine: .libaio, sizes: "bsrange=4k-32k", depth: 4),
        Case(rw: .randrw, engine: .io_uring, depth: 4, ioSize: 8 << 20),    // two passes of the map
        Case(rw: .write, engine: .pvsync),
        Case(rw: .randread, numberIOs: 100),
        Case(rw: .randread, randomMap: false),
    ]

    /// The length of each IO in a per-IO log (its fourth field).
    static func lengths(_ path: String) throws -> [UInt64] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
            let fields = line.split(separator: ",")
            return try #require(fields.count > 3 ? UInt64(fields[3].trimmingCharacters(in: .whitespaces)) : nil, "\(line)")
        }
    }

    @Test(arguments: cases)
    func issuesWhatFioIssues(_ c: Case) throws {
        _ = try #require(FioProcess.path, "fio is not installed; make test installs it")
        let dir = TestFiles.path("mixed-sizes")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let theirs = try Self.fio(c.jobFile(file: dir + "/fio.dat", log: dir + "/fio"), in: dir)
        // Each tool on a file of its own: uringbench lays out its own and writes only to it.
        let job = try JobFile.parse(c.jobFile(file: dir + "/ours.dat", log: dir + "/ours"), path: "mixed.fio").jobs[0]
        let logs = try #require(try FioLogFileSet(options: job.logs, jobName: job.spec.name, firstThreadNumber: 1, numjobs: 1))
        let r = try Runner.run(job.spec, logs: logs)
        try logs.writeRecorded()
        let ours = try Self.lengths(dir + "/ours_bw.1.log")
        #expect(UInt64(ours.count) == r.totalIOs && ours.reduce(0, +) == r.bytes, "the log and the report count each IO's length")
        if c.randomMap && c.rw.isRandom {
            // The map cuts an IO to the free blocks it starts on.
            #expect(ours.allSatisfy { $0 % 4096 == 0 && $0 <= 65536 })
        } else {
            let allowed: Set<UInt64> = c.sizes.hasPrefix("bsrange") ? Set(stride(from: 4096, through: 32768, by: 4096)) : [4096, 8192, 65536]
            #expect(Set(ours).isSubset(of: allowed), "\(Set(ours).sorted())")
        }
        #expect(Set(ours).count > 2, "several sizes were issued")
        if c.numberIOs > 0 {
            #expect(ours.count == theirs.count && UInt64(ours.count) == c.numberIOs, "\(c)")
        } else if c.randomMap || !c.rw.isRandom {
            #expect(ours.reduce(0, +) == theirs.reduce(0, +), "\(c): bytes")
        } else {
            // norandommap: both issue until the bytes reach size; the last IO may go past it.
            for bytes in [ours.reduce(0, +), theirs.reduce(0, +)] {
                #expect(bytes >= Self.size && bytes < Self.size + 65536, "\(c): \(bytes) bytes")
            }
        }
    }

    /// Runs fio on the job file `text` and returns the length of every IO it logged.
    static func fio(_ text: String, in dir: String) throws -> [UInt64] {
        let path = dir + "/fio.fio"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        _ = try #require(try FioProcess.json([path]))
        return try lengths(dir + "/fio_bw.1.log")
    }
}

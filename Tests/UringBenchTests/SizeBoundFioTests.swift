import Foundation
import Testing
import TestSupport
@testable import UringBench

/// Size-bound jobs (no time_based) against fio 3.33 on the same job: the IOs and bytes issued
/// must be fio's, for each direction a job issues only one of, and in all for a mix (the
/// direction of each mixed IO is drawn by uringbench's own generator). `make test` installs fio.
@Suite(.serialized, .waits)
struct SizeBoundFioTests {
    static let fileSize: UInt64 = 8 << 20

    struct Case: CustomStringConvertible, Sendable {
        var rw: RWMode
        var engine: EngineKind = .psync
        var size: UInt64 = 1 << 20
        var ioSize: UInt64? = nil
        var numberIOs: UInt64 = 0
        var loops = 1
        var depth = 1
        var randomMap = true
        var description: String {
            "\(rw.rawValue) \(engine.rawValue) size=\(size) io_size=\(ioSize.map(String.init) ?? "-") number_ios=\(numberIOs) loops=\(loops) iodepth=\(depth)\(randomMap ? "" : " norandommap")"
        }

        var fioArguments: [String] {
            var a = ["--name=sb", "--rw=\(rw.rawValue)", "--ioengine=\(engine.fioEngine)", "--bs=4k", "--size=\(size)",
                     "--iodepth=\(depth)", "--direct=1", "--loops=\(loops)"]
            if let ioSize { a.append("--io_size=\(ioSize)") }
            if numberIOs > 0 { a.append("--number_ios=\(numberIOs)") }
            if !randomMap { a.append("--norandommap") }
            return a
        }

        func job(file: String) -> JobSpec {
            var job = TestFiles.job(engine, file: file, size: size, depth: depth)
            job.verify = false
            job.rw = rw
            job.timeBased = false
            job.runtimeNanoseconds = 0
            job.ioSize = ioSize
            job.numberIOs = numberIOs
            job.loops = loops
            job.randomMap = randomMap
            return job
        }
    }

    static let cases: [Case] = {
        var all: [Case] = []
        for rw in RWMode.allCases {
            all.append(Case(rw: rw))
            all.append(Case(rw: rw, engine: .io_uring, size: 2 << 20, depth: 16))
        }
        return all + [
            Case(rw: .read, size: 10 << 10),                                   // one more block per pass
            Case(rw: .randread, size: 10 << 10),
            Case(rw: .read, ioSize: 2600 << 10),                               // wraps mid-pass
            Case(rw: .randread, engine: .io_uring, ioSize: 3 << 20, depth: 8),
            Case(rw: .randread, loops: 3),                                     // each block once per loop
            Case(rw: .read, ioSize: 4 << 20, loops: 3),
            Case(rw: .randwrite, ioSize: 512 << 10, loops: 3),
            Case(rw: .randread, ioSize: 4 << 20, loops: 3, randomMap: false),
            Case(rw: .randread, engine: .io_uring, ioSize: 4 << 20, loops: 3, depth: 4, randomMap: false),
            Case(rw: .randread, numberIOs: 1),
            Case(rw: .randread, engine: .io_uring, numberIOs: 3, depth: 16),   // depth above the IOs
            Case(rw: .read, numberIOs: 10, loops: 3),
            Case(rw: .randrw, engine: .io_uring, ioSize: 3 << 20, depth: 4),
        ]
    }()

    /// fio's issued IOs and bytes, read and write.
    static func fio(_ c: Case, file: String) throws -> (reads: (Int, Int), writes: (Int, Int)) {
        let fio = try #require(FioProcess.path, "fio is not installed; make test installs it")
        _ = fio
        let json = try #require(try FioProcess.json(c.fioArguments + ["--filename=\(file)"]))
        let job = try #require((json["jobs"] as? [[String: Any]])?.first)
        func direction(_ key: String) throws -> (Int, Int) {
            let d = try #require(job[key] as? [String: Any])
            return (try #require(d["total_ios"] as? Int), try #require(d["io_bytes"] as? Int))
        }
        return (try direction("read"), try direction("write"))
    }

    @Test(arguments: cases)
    func issuesWhatFioIssues(_ c: Case) throws {
        // Writes go to a file of their own each, fio's (uringbench then overwrites it).
        let file = c.rw.writes ? TestFiles.path("size-bound") : try TestFiles.laidOut(size: Self.fileSize)
        defer { if c.rw.writes { try? FileManager.default.removeItem(atPath: file) } }
        let theirs = try Self.fio(c, file: file)
        var job = c.job(file: file)
        job.allowOverwrite = c.rw.writes
        let r = try Runner.run(job)
        #expect(r.ending == .ioLimit)
        if c.rw.isMixed {
            let mixed = try #require(r.mixed)
            #expect(Int(mixed.read.ios + mixed.write.ios) == theirs.reads.0 + theirs.writes.0, "\(c)")
            #expect(Int(mixed.read.bytes + mixed.write.bytes) == theirs.reads.1 + theirs.writes.1, "\(c)")
        } else {
            let fio = c.rw.reads ? theirs.reads : theirs.writes
            #expect(Int(r.totalIOs) == fio.0, "\(c)")
            #expect(Int(r.bytes) == fio.1, "\(c)")
        }
    }
}

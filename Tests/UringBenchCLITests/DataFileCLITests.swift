import Foundation
import Glibc
import Testing
import TestSupport

/// The data file as the built binary meets it: targets it must refuse before writing anything,
/// block devices it must read and never write, and layouts cut short by signals.
@Suite(.waits) struct DataFileCLITests {
    /// A fresh directory of the test's own, on the disk-backed filesystem under .build.
    static func freshDirectory(_ name: String) throws -> String {
        let dir = CLITests.dataDirectory + "/\(name)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Every entry (hidden ones too) with its type and size: what "nothing changed" compares.
    static func listing(_ dir: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.sorted().map { name in
            var st = stat()
            lstat(dir + "/" + name, &st)
            return "\(name) mode=\(String(st.st_mode, radix: 8)) size=\(st.st_size)"
        }
    }

    static func layoutTemporaries(_ dir: String, of name: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasPrefix(".\(name).uringbench-layout-") }
    }

    /// fio's null engine is diskless: with filename= or its own file names it creates and opens
    /// nothing (fio 3.33 on zipf.fio leaves no file), and neither does uringbench, while the IOs
    /// are issued all the same.
    @Test func theNullEngineLaysOutNoFile() throws {
        let dir = try Self.freshDirectory("null")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = dir + "/../null-\(UUID().uuidString.prefix(8)).json"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let cli = try CLITests.run(["randread", "--engine", "null", "--filename", dir + "/none.dat", "--size", "1280M",
                                    "--runtime", "200ms", "--output-format", "json", "--output", out])
        #expect(cli.status == 0, "stderr: \(cli.stderr)")
        let doc = try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any]
        let jobs = doc?["jobs"] as? [[String: Any]]
        #expect((jobs?.first?["read"] as? [String: Any])?["total_ios"] as? Int ?? 0 > 0)
        let job = dir + "/zipf.fio"
        try "[job]\nioengine=null\ndirectory=\(dir)\nrw=randwrite\nnumjobs=2\nsize=1280m\ntime_based\nruntime=200ms\n"
            .write(toFile: job, atomically: true, encoding: .utf8)
        let file = try CLITests.run(["run", job])
        #expect(file.status == 0, "stderr: \(file.stderr)")
        #expect(file.stdout.contains("  write: IOPS="))
        #expect(Self.listing(dir).map { $0.components(separatedBy: " ")[0] } == ["zipf.fio"])
    }

    // MARK: refused before any layout

    /// A directory with one of every kind of target that is not a data file.
    static func targetsDirectory() throws -> String {
        let dir = try freshDirectory("targets")
        try FileManager.default.createSymbolicLink(atPath: dir + "/dangling", withDestinationPath: "missing/target.dat")
        try FileManager.default.createDirectory(atPath: dir + "/adir", withIntermediateDirectories: false)
        #expect(mkfifo(dir + "/fifo", 0o644) == 0)
        #expect(mknod(dir + "/sock", S_IFSOCK | 0o644, 0) == 0)
        return dir
    }

    @Test(arguments: [
        ("", "the data file name is empty"),
        ("dangling", "'dangling' is a symbolic link to 'missing/target.dat', which does not exist"),
        ("adir", "'adir' is a directory"),
        ("fifo", "'fifo' is a FIFO (named pipe)"),
        ("sock", "'sock' is a socket"),
        ("/dev/null", "'/dev/null' is a character device"),
        ("nodir/new.dat", "directory 'nodir' does not exist"),
        ("/dev/uringbench-no-such-device", "does not lay out data files in /dev"),
    ])
    func refusedTargetsLeaveNothingBehind(_ filename: String, _ message: String) throws {
        let dir = try Self.targetsDirectory()
        let before = Self.listing(dir)
        let r = try SpawnedRun.run(["randread", "--filename", filename, "--size", "16M", "--runtime", "100ms"], in: dir)
        #expect(r.status == 1)
        #expect(r.stderr.split(separator: "\n").count == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.contains(message), "stderr: \(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(Self.listing(dir) == before, "the refused run changed \(dir)")
        #expect(access("/dev/uringbench-no-such-device", F_OK) != 0)
    }

    @Test func layoutThatWouldNotFitIsRefusedWithBothSizes() throws {
        let dir = try Self.freshDirectory("nospace")
        let r = try SpawnedRun.run(["randread", "--filename", "huge.dat", "--size", "1000T", "--runtime", "100ms", "--norandommap"], in: dir)
        #expect(r.status == 1)
        #expect(r.stderr.split(separator: "\n").count == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("laying out 'huge.dat' needs 1000 TiB and 15.62 TiB to spare, but the file system of '.' has "), "stderr: \(r.stderr)")
        #expect(r.stderr.contains(" free; use a smaller --size"))
        #expect(Self.listing(dir).isEmpty)
    }

    /// An 8 MiB tmpfs holds a 4 MiB layout, and not an 8 MiB one (no room to spare): refused
    /// before a byte is written, the file system as it was, no temporary left.
    @Test(.enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
    func layoutOnAFileSystemTooSmallIsRefusedBeforeWriting() throws {
        let mountPoint = try Self.freshDirectory("small-fs")
        _ = try LoopDevice.shell("/bin/mount", ["-t", "tmpfs", "-o", "size=8m", "tmpfs", mountPoint])
        defer { _ = try? LoopDevice.shell("/bin/umount", ["-l", mountPoint]); rmdir(mountPoint) }
        func freeBytes() -> UInt64 {
            var fs = statvfs()
            return statvfs(mountPoint, &fs) == 0 ? UInt64(fs.f_bavail) * UInt64(fs.f_frsize) : 0
        }
        let freeBefore = freeBytes()
        #expect(freeBefore == 8 << 20)
        for size in ["8M", "64M"] {
            let r = try SpawnedRun.run(["randread", "--engine", "psync", "--direct", "0", "--filename", "big.dat", "--size", size,
                                        "--runtime", "100ms"], in: mountPoint)
            #expect(r.status == 1)
            #expect(r.stderr.split(separator: "\n").count == 1, "stderr: \(r.stderr)")
            #expect(r.stderr.contains("laying out 'big.dat' needs \(size.dropLast()) MiB and "), "stderr: \(r.stderr)")
            #expect(r.stderr.contains("the file system of '.' has 8 MiB free"), "stderr: \(r.stderr)")
            #expect(Self.listing(mountPoint).isEmpty, "left behind: \(Self.listing(mountPoint))")
            #expect(freeBytes() == freeBefore)
        }
        let fits = try SpawnedRun.run(["randread", "--engine", "psync", "--direct", "0", "--filename", "fits.dat", "--size", "4M",
                                       "--runtime", "100ms"], in: mountPoint)
        #expect(fits.status == 0, "stderr: \(fits.stderr)")
        var st = stat()
        #expect(stat(mountPoint + "/fits.dat", &st) == 0 && st.st_size == 4 << 20)
    }

    /// A layout that takes more than a second prints a progress line with its rate and time
    /// left, on stderr even when it is not a terminal; stdout keeps the JSON report alone.
    @Test func aSlowLayoutPrintsProgressWithRateAndTimeLeft() throws {
        let dir = try Self.freshDirectory("progress")
        let run = try DataSafetyCLITests.paused(["randread", "--engine", "psync", "--filename", "slow.dat", "--size", "16M",
                                                 "--runtime", "100ms", "--output-format", "json"], in: dir, at: "layout-chunk")
        usleep(1_100_000)   // the layout's first progress line is due a second after it starts
        let r = DataSafetyCLITests.resume(run, in: dir, at: "layout-chunk")
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let progress = r.stderr.split(separator: "\n").filter { $0.hasPrefix("slow.dat: laid out 1 MiB of 16 MiB (6%), ") }
        #expect(progress.count == 1, "stderr: \(r.stderr)")
        #expect(progress.first?.contains("/s, ETA ") == true, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("slow.dat: laid out 16 MiB, pattern seed"))
        let report = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(report?["jobs"] != nil, "stdout: \(r.stdout.prefix(200))")
    }

    @Test func directIOOnTmpfsIsRefusedBeforeLayout() throws {
        let name = "uringbench-cli-\(getpid())-\(UUID().uuidString.prefix(8)).dat"
        let path = "/dev/shm/" + name
        defer { unlink(path) }
        let r = try SpawnedRun.run(["randread", "--filename", path, "--size", "16M", "--runtime", "100ms"], in: CLITests.dataDirectory)
        #expect(r.status == 1)
        #expect(r.stderr.contains("'\(path)' is in memory (tmpfs)"), "stderr: \(r.stderr)")
        #expect(!r.stderr.contains("Laying out"))
        #expect(access(path, F_OK) != 0, "the refused run laid out \(path)")
        #expect(Self.layoutTemporaries("/dev/shm", of: name).isEmpty)
    }

    // MARK: block devices

    /// Lays out a file with uringbench's pattern, so reads through a loop device over it verify.
    static func laidOutBackingFile(in dir: String, size: String) throws -> String {
        let r = try SpawnedRun.run(["randread", "--engine", "psync", "--filename", "backing.dat", "--size", size, "--runtime", "100ms"], in: dir)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        return dir + "/backing.dat"
    }

    @Test(.enabled(if: LoopDevice.unavailableReason == nil, "no loop device: \(LoopDevice.unavailableReason ?? "")"))
    func loopDeviceIsReadVerifiedAndNeverWritten() throws {
        let dir = try Self.freshDirectory("loop")
        let backing = try Self.laidOutBackingFile(in: dir, size: "32M")
        let bytesBefore = try Data(contentsOf: URL(fileURLWithPath: backing))
        let loop = try LoopDevice.attach(backing)
        defer { loop.detach() }
        let writesBefore = loop.writeIOs
        let jobFile = dir + "/loop.fio"
        try """
        [global]
        filename=\(loop.path)
        direct=1
        size=32M
        rw=randread
        runtime=500ms
        time_based
        ioengine=io_uring
        iodepth=8

        [loop]
        """.write(toFile: jobFile, atomically: true, encoding: .utf8)
        let listingBefore = Self.listing(dir)

        // O_DIRECT through the device, every byte checked against the backing file's pattern.
        let direct = try SpawnedRun.run(["randread", "--filename", loop.path, "--size", "32M", "--engine", "io_uring",
                                         "--iodepth", "8", "--runtime", "500ms", "--verify"], in: dir)
        #expect(direct.status == 0, "stderr: \(direct.stderr)")
        #expect(direct.stdout.contains("checked byte for byte against the file pattern, 0 mismatches"), "stdout: \(direct.stdout)")
        #expect(direct.stdout.contains("\(loop.name): ios="), "Disk stats should name the loop device")
        #expect(!direct.stderr.contains("Laying out"))
        // Buffered, with another engine.
        let buffered = try SpawnedRun.run(["randread", "--filename", loop.path, "--size", "32M", "--engine", "psync",
                                           "--direct", "0", "--runtime", "300ms", "--verify"], in: dir)
        #expect(buffered.status == 0, "stderr: \(buffered.stderr)")
        #expect(buffered.stdout.contains("0 mismatches"))
        // The job file fio would run.
        let job = try SpawnedRun.run(["run", jobFile], in: dir)
        #expect(job.status == 0, "stderr: \(job.stderr)")
        #expect(job.stdout.contains("read: IOPS="))
        // More than the device holds: refused by its size (BLKGETSIZE64).
        let tooBig = try SpawnedRun.run(["randread", "--filename", loop.path, "--size", "64M", "--runtime", "100ms"], in: dir)
        #expect(tooBig.status == 1)
        #expect(tooBig.stderr.contains("'\(loop.path)' is a 32 MiB block device but --size needs 64 MiB; pass --size 32M or less"),
                "stderr: \(tooBig.stderr)")

        // Nothing was written to the device or laid out beside it.
        #expect(loop.writeIOs == writesBefore, "writes reached \(loop.path)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: backing)) == bytesBefore, "the backing file changed")
        #expect(Self.listing(dir) == listingBefore)
    }

    @Test(.enabled(if: LoopDevice.unavailableReason == nil, "no loop device: \(LoopDevice.unavailableReason ?? "")"))
    func loopDeviceOverTmpfsIsMemory() throws {
        let backing = "/dev/shm/uringbench-cli-loop-\(getpid())-\(UUID().uuidString.prefix(8)).img"
        defer { unlink(backing) }
        #expect(FileManager.default.createFile(atPath: backing, contents: Data(repeating: 0, count: 8 << 20)))
        let loop = try LoopDevice.attach(backing)
        defer { loop.detach() }
        let refused = try SpawnedRun.run(["randread", "--filename", loop.path, "--size", "8M", "--runtime", "100ms"], in: CLITests.dataDirectory)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("is in memory (\(loop.name) over '\(backing)' on tmpfs)"), "stderr: \(refused.stderr)")
        // Buffered reads are a page-cache test wherever the bytes are: allowed.
        let buffered = try SpawnedRun.run(["randread", "--filename", loop.path, "--size", "8M", "--direct", "0", "--runtime", "100ms"],
                                          in: CLITests.dataDirectory)
        #expect(buffered.status == 0, "stderr: \(buffered.stderr)")
    }

    @Test(.enabled(if: geteuid() == 0 && access("/sys/class/zram-control/hot_add", F_OK) == 0,
                   "zram needs root and the zram module (/sys/class/zram-control)"))
    func zramIsMemory() throws {
        let number = try String(contentsOfFile: "/sys/class/zram-control/hot_add", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        defer { try? number.write(toFile: "/sys/class/zram-control/hot_remove", atomically: false, encoding: .utf8) }
        try "16M".write(toFile: "/sys/block/zram\(number)/disksize", atomically: false, encoding: .utf8)
        let r = try SpawnedRun.run(["randread", "--filename", "/dev/zram\(number)", "--size", "8M", "--runtime", "100ms"],
                                   in: CLITests.dataDirectory)
        #expect(r.status == 1)
        #expect(r.stderr.contains("is in memory (zram device zram\(number))"), "stderr: \(r.stderr)")
    }

    // MARK: layouts cut short

    /// Starts laying out a file far larger than the test lets it finish and waits until its
    /// temporary holds the first chunk (the header that marks it as uringbench's).
    static func startLongLayout(in dir: String) throws -> (run: SpawnedRun, temporary: String) {
        let run = try SpawnedRun(["randread", "--engine", "psync", "--filename", "big.dat", "--size", "8G", "--runtime", "100ms"], in: dir)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let name = layoutTemporaries(dir, of: "big.dat").first {
                var st = stat()
                if stat(dir + "/" + name, &st) == 0 && st.st_size >= 1 << 20 { return (run, dir + "/" + name) }
            }
            usleep(20_000)
        }
        Issue.record("no layout temporary appeared in \(dir) within 60 s")
        throw CocoaError(.fileNoSuchFile)
    }

    @Test func staleTemporaryOfAKilledLayoutIsRemovedByTheNextRun() throws {
        let dir = try Self.freshDirectory("stale")
        let (layout, temporary) = try Self.startLongLayout(in: dir)
        layout.signal(SIGKILL)
        #expect(layout.finish().status == 128 + SIGKILL)
        #expect(access(temporary, F_OK) == 0, "SIGKILL cannot be handled: the temporary must still be there")
        // Look-alikes that are not stale temporaries of ours stay: one without the header, one
        // whose writer (this test process) is alive.
        let foreign = dir + "/.notes.txt.uringbench-layout-999999999-abc"
        #expect(FileManager.default.createFile(atPath: foreign, contents: Data("the user's own bytes".utf8)))
        let alive = dir + "/.live.dat.uringbench-layout-\(getpid())-abc"
        #expect(copyfile(from: temporary, to: alive, bytes: 4096))

        let next = try SpawnedRun.run(["randread", "--engine", "psync", "--filename", "small.dat", "--size", "16M", "--runtime", "100ms"], in: dir)
        #expect(next.status == 0, "stderr: \(next.stderr)")
        let name = URL(fileURLWithPath: temporary).lastPathComponent
        #expect(next.stderr.contains("removed stale layout temporary './\(name)'"), "stderr: \(next.stderr)")
        #expect(next.stderr.contains("left by process \(layout.pid), which is gone"))
        #expect(access(temporary, F_OK) != 0, "the stale temporary is still there")
        #expect(access(foreign, F_OK) == 0 && access(alive, F_OK) == 0, "a file that is not a stale temporary was removed")
        #expect(!next.stderr.contains(".notes.txt") && !next.stderr.contains(".live.dat"))
    }

    /// The first `bytes` of one file into a new one.
    func copyfile(from: String, to: String, bytes: Int) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: from) else { return false }
        defer { try? handle.close() }
        let data = handle.readData(ofLength: bytes)
        return data.count == bytes && FileManager.default.createFile(atPath: to, contents: data)
    }

    @Test(arguments: [SIGINT, SIGHUP, SIGTERM])
    func stopSignalDuringLayoutRemovesTheTemporary(_ signal: Int32) throws {
        let dir = try Self.freshDirectory("signal")
        let (layout, temporary) = try Self.startLongLayout(in: dir)
        layout.signal(signal)
        let r = layout.finish()
        #expect(r.status == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("uringbench: error: interrupted during file layout (the partial file was removed); nothing was measured"),
                "stderr: \(r.stderr)")
        #expect(access(temporary, F_OK) != 0)
        #expect(Self.listing(dir).isEmpty, "left behind: \(Self.listing(dir))")
    }

    @Test func hangupDuringMeasurementPrintsWhatWasMeasured() throws {
        let dir = try Self.freshDirectory("hup")
        _ = try Self.laidOutBackingFile(in: dir, size: "16M")
        let run = try SpawnedRun(["randread", "--engine", "psync", "--filename", "backing.dat", "--size", "16M", "--runtime", "60s"], in: dir)
        Thread.sleep(forTimeInterval: 1.5)
        run.signal(SIGHUP)
        let r = run.finish()
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("  read: IOPS="))
        #expect(r.stdout.contains("interrupted"))
    }
}

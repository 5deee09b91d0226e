import Foundation
import Glibc
import Testing
import TestSupport

/// What the kernel or device cannot do is refused by the built binary before any figure, with
/// the reason read from the system.
@Suite(.waits) struct EngineRefusalCLITests {
    /// The whole disk holding `path` and its queue/io_poll, as sysfs has them.
    static func pollSetting(_ path: String) throws -> (disk: String, ioPoll: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { throw CocoaError(.fileNoSuchFile) }
        let dev = (st.st_mode & S_IFMT) == S_IFBLK ? st.st_rdev : st.st_dev
        let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & 0xFFFF_F000), minor = (dev & 0xff) | ((dev >> 12) & 0xFFFF_FF00)
        var sys = URL(fileURLWithPath: "/sys/dev/block/\(major):\(minor)").resolvingSymlinksInPath()
        if FileManager.default.fileExists(atPath: sys.path + "/partition") { sys = sys.deletingLastPathComponent() }
        let ioPoll = try String(contentsOfFile: sys.path + "/queue/io_poll", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return (sys.lastPathComponent, ioPoll)
    }

    static func expectIOPollAnswer(_ r: CLITests.Outcome, disk: String, ioPoll: String) {
        if ioPoll == "1" {
            #expect(r.status == 0, "stderr: \(r.stderr)")
            #expect(r.stdout.contains("flags=IOPOLL"))
        } else {
            #expect(r.status == 1)
            #expect(r.stdout.isEmpty, "nothing measured: \(r.stdout)")
            #expect(r.stderr == "uringbench: error: io_uring --hipri (IORING_SETUP_IOPOLL): \(disk) queue/io_poll=\(ioPoll) (no poll queues): every IO would fail with EOPNOTSUPP; use a disk with poll queues (nvme.poll_queues=N) or drop --hipri\n")
        }
    }

    @Test func ioPollIsAnsweredByTheFilesDisk() throws {
        let lay = try CLITests.run(["randread", "--engine", "psync", "--runtime", "100ms"] + CLITests.small)
        #expect(lay.status == 0, "stderr: \(lay.stderr)")
        let (disk, ioPoll) = try Self.pollSetting(CLITests.dataFile)
        let before = try Data(contentsOf: URL(fileURLWithPath: CLITests.dataFile))
        for engine in ["io_uring", "io_uring_sqpoll"] {
            let r = try CLITests.run(["randread", "--engine", engine, "--hipri", "--runtime", "200ms", "--iodepth", "4"] + CLITests.small)
            Self.expectIOPollAnswer(r, disk: disk, ioPoll: ioPoll)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: CLITests.dataFile)) == before)
    }

    /// A loop device has no poll queues: IOPOLL on it is refused with its own sysfs setting.
    @Test(.enabled(if: LoopDevice.unavailableReason == nil, "no loop device: \(LoopDevice.unavailableReason ?? "")"))
    func ioPollOnALoopDeviceIsRefused() throws {
        let dir = try DataFileCLITests.freshDirectory("iopoll-loop")
        let backing = try DataFileCLITests.laidOutBackingFile(in: dir, size: "16M")
        let before = try Data(contentsOf: URL(fileURLWithPath: backing))
        let loop = try LoopDevice.attach(backing)
        defer { loop.detach() }
        let (disk, ioPoll) = try Self.pollSetting(loop.path)
        #expect(disk == loop.name)
        let r = try SpawnedRun.run(["randread", "--filename", loop.path, "--size", "16M", "--engine", "io_uring", "--hipri", "--runtime", "200ms"], in: dir)
        Self.expectIOPollAnswer(r, disk: disk, ioPoll: ioPoll)
        #expect(try Data(contentsOf: URL(fileURLWithPath: backing)) == before)
    }

    /// Buffered reads of a file just dropped from the page cache block: RWF_NOWAIT answers
    /// EAGAIN, and the run is refused with that errno before measuring.
    /// A flag the job itself contradicts is refused before a file is laid out, not after.
    @Test(arguments: [["--engine", "pvsync2", "--uncached", "--direct", "1"],
                      ["--engine", "io_uring", "--uncached", "--direct", "1"],
                      ["--engine", "io_uring", "--hipri", "--direct", "0"]])
    func contradictoryFlagsAreRefusedBeforeTheLayout(_ flags: [String]) throws {
        let path = CLITests.dataDirectory + "/never-laid-out-\(flags[1])-\(flags[2]).dat"
        unlink(path)
        let r = try CLITests.run(["randread", "--filename", path, "--size", "16M", "--runtime", "200ms"] + flags)
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty, "nothing laid out or measured: \(r.stdout)")
        #expect(r.stderr.hasPrefix("uringbench: error: --"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: path), "no file laid out for a job that cannot run")
    }

    @Test func nowaitThatWouldFailWithEAGAINIsRefused() throws {
        let lay = try CLITests.run(["randread", "--engine", "psync", "--runtime", "100ms"] + CLITests.small)
        #expect(lay.status == 0, "stderr: \(lay.stderr)")
        let r = try CLITests.run(["randread", "--engine", "pvsync2", "--nowait", "--direct", "0", "--runtime", "200ms"] + CLITests.small)
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.hasPrefix("uringbench: error: --nowait: a preadv2 of the first block with RWF_NOWAIT returned EAGAIN"), "stderr: \(r.stderr)")
    }

    /// `uringbench engines` lists the new engines and each disk's queue/io_poll as sysfs has it.
    @Test func enginesShowsPollQueuesAndUncached() throws {
        let r = try CLITests.run(["engines"])
        #expect(r.status == 0)
        for engine in ["sync", "pvsync", "pvsync2", "mmap"] {
            #expect(r.stdout.contains("\n\(engine.padding(toLength: 16, withPad: " ", startingAt: 0)) available"), "\(engine): \(r.stdout)")
        }
        let (disk, ioPoll) = try Self.pollSetting(CLITests.dataDirectory)
        #expect(r.stdout.contains(" \(disk)=\(ioPoll)"))
        #expect(r.stdout.contains("pvsync2 --uncached: RWF_DONTCACHE"))
    }
}

import CSystemShims
import Foundation
import Glibc
import Testing
import TestSupport
@testable import UringBench
@testable import UringCore

/// Each bad input stops with a `BenchError` whose one-line text names the cause and the fix.
@Suite(.waits) struct BadInputTests {
    static func failure(_ job: JobSpec) -> BenchError? {
        do { _ = try Runner.run(job); return nil } catch { return error }
    }

    @Test func fileTooSmallIsRefusedAndLeftAlone() throws {
        let path = TestFiles.path("small")
        #expect(FileManager.default.createFile(atPath: path, contents: Data(repeating: 7, count: 8192)))
        var job = TestFiles.job(.psync, file: path, size: 1 << 20)
        job.verify = false
        let error = Self.failure(job)
        #expect(error == .fileTooSmall(path: path, size: 8192, needed: 1 << 20))
        #expect(error?.description.contains("--size 8k") == true)
        // The user's file was not grown or rewritten.
        let data = FileManager.default.contents(atPath: path)
        #expect(data == Data(repeating: 7, count: 8192))
    }

    @Test func existingForeignFileIsReadButNotVerified() throws {
        let path = TestFiles.path("foreign")
        #expect(FileManager.default.createFile(atPath: path, contents: Data(repeating: 1, count: 1 << 20)))
        var job = TestFiles.job(.psync, file: path, size: 1 << 20, milliseconds: 100)
        #expect(Self.failure(job) == .notLaidOutByUringbench(path: path))
        job.verify = false
        let r = try Runner.run(job)
        #expect(r.totalIOs > 0)
        #expect(FileManager.default.contents(atPath: path) == Data(repeating: 1, count: 1 << 20))
    }

    @Test func missingDirectory() {
        let job = TestFiles.job(.psync, file: TestFiles.directory + "/no/such/dir/file.dat", size: 1 << 20)
        let error = Self.failure(job)
        #expect(error == .directoryMissing(directory: TestFiles.directory + "/no/such/dir"))
        #expect(error?.description.contains("mkdir -p") == true)
    }

    @Test func directoryOnSysfsIsRefusedAsAKernelInterface() {
        // Named for what it is before its permissions are looked at: no file is laid out there.
        let job = TestFiles.job(.psync, file: "/sys/uringbench-test.dat", size: 1 << 20)
        let error = Self.failure(job)
        #expect(error == .pseudoFile(path: "/sys", filesystem: "sysfs"), "got \(String(describing: error))")
    }

    @Test func directIOOnTmpfsIsRefused() throws {
        guard let type = try? Syscalls.filesystemType("/dev/shm"), type == Syscalls.tmpfsMagic else {
            // Debian mounts /dev/shm as tmpfs; without it there is no tmpfs to test against.
            Issue.record("/dev/shm is not tmpfs on this machine")
            return
        }
        let path = "/dev/shm/uringbench-test-\(getpid()).dat"
        defer { unlink(path) }
        var job = TestFiles.job(.psync, file: path, size: 1 << 20, milliseconds: 100)
        let error = Self.failure(job)
        #expect(error == .memoryWithDirectIO(path: path, backing: "tmpfs"))
        #expect(error?.description.contains("--direct 0") == true)
        // Refused before the layout: nothing was written to tmpfs.
        #expect(access(path, F_OK) != 0, "the refused run laid out '\(path)'")
        job.allowTmpfs = true
        _ = try Runner.run(job)   // explicitly allowed: runs (and measures memory)
        job.allowTmpfs = false
        job.direct = false
        _ = try Runner.run(job)   // buffered on tmpfs is a page-cache test, allowed
    }

    @Test func blockSizeNotMultipleOfSector() {
        var job = TestFiles.job(.psync, file: TestFiles.path("bs"), size: 1 << 20)
        job.blockSize = 1000
        let error = Self.failure(job)
        guard case .invalidOption(let text) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(text.contains("--bs 1000") && text.contains("512") && text.contains("--direct 0"))
    }

    @Test func iodepthZeroAndSizeBelowBlock() {
        var job = TestFiles.job(.libaio, file: TestFiles.path("d0"), size: 1 << 20)
        job.iodepth = 0
        guard case .invalidOption(let a) = Self.failure(job) else { Issue.record("iodepth 0 accepted"); return }
        #expect(a.contains("--iodepth"))
        job.iodepth = 1
        job.size = 2048
        guard case .invalidOption(let b) = Self.failure(job) else { Issue.record("size < bs accepted"); return }
        #expect(b.contains("smaller than --bs"))
    }

    @Test(.enabled(if: ioUringAvailability.available, "io_uring unavailable: \(ioUringAvailability.reason ?? "")"))
    func ringLargerThanTheKernelAllows() throws {
        let file = try TestFiles.laidOut(size: EngineTests.size)
        var job = TestFiles.job(.io_uring, file: file, size: EngineTests.size)
        job.iodepth = 40_000
        let error = Self.failure(job)
        #expect(error == .ringTooLarge(entries: 40_000))
        #expect(error?.description.contains("32768") == true)
    }

    @Test func optionsOfOtherEngines() {
        var job = TestFiles.job(.libaio, file: TestFiles.path("opt"), size: 1 << 20)
        job.engineOptions[IORingEngine.fixedBuffersOption] = 1
        guard case .invalidOption(let m1) = Self.failure(job) else { Issue.record("--fixedbufs accepted for libaio"); return }
        #expect(m1 == "--fixedbufs is an option of io_uring or io_uring_sqpoll, not of libaio; use --engine io_uring or io_uring_sqpoll or drop --fixedbufs")
        job.engineOptions[IORingEngine.fixedBuffersOption] = nil
        job.engine = .io_uring
        job.engineOptions[IORingEngine.sqPollCPUOption] = 1
        guard case .invalidOption(let m2) = Self.failure(job) else { Issue.record("--sqpoll-cpu accepted without SQPOLL"); return }
        #expect(m2.hasPrefix("--sqpoll-cpu is an option of io_uring_sqpoll, not of io_uring"))
        job.engine = .io_uring_sqpoll
        job.engineOptions[IORingEngine.sqPollCPUOption] = 5000
        guard case .invalidOption(let m3) = Self.failure(job) else { Issue.record("--sqpoll-cpu 5000 accepted"); return }
        #expect(m3 == "--sqpoll-cpu 5000 is out of range; use a value from 0 to 4095")
    }

    @Test func everyMessageIsOneLine() {
        let samples: [BenchError] = [
            .fileTooSmall(path: "a", size: 1, needed: 2), .memoryWithDirectIO(path: "b", backing: "tmpfs"),
            .ioUringUnavailable(reason: IORingProbe.permissionReason()), .ringTooLarge(entries: 40000),
            .memlockTooLow(bytes: 131072, limit: 65536), .directIOUnsupported(path: "c"),
            .blockSizeMisaligned(blockSize: 512, alignment: 4096, path: "d"),
        ]
        for e in samples {
            #expect(!e.description.contains("\n"))
            #expect(e.description.count > 20)
        }
        #expect(BenchError.memlockTooLow(bytes: 131072, limit: 65536).description.contains("ulimit -l"))
        #expect(BenchError.blockSizeMisaligned(blockSize: 512, alignment: 4096, path: "d").description.contains("--bs 4096"))
    }

    @Test func layoutNeverReplacesAFileThatAppears() throws {
        // The layout goes to a temporary name and is renamed with RENAME_NOREPLACE.
        let path = TestFiles.path("race")
        let temp = TestFiles.path("race-temp")
        #expect(FileManager.default.createFile(atPath: temp, contents: Data([1, 2, 3])))
        #expect(FileManager.default.createFile(atPath: path, contents: Data([9])))
        #expect(throws: Errno(rawValue: EEXIST)) { try Syscalls.renameNoReplace(temp, path) }
        #expect(FileManager.default.contents(atPath: path) == Data([9]))
    }
}

extension BadInputTests {
    @Test func permissionDeniedNamesTheSysctlOrTheSandbox() {
        #expect(IORingProbe.permissionReason(sysctl: "2").contains("sysctl -w kernel.io_uring_disabled=0"))
        #expect(IORingProbe.permissionReason(sysctl: "1").contains("io_uring_group"))
        let sandbox = IORingProbe.permissionReason(sysctl: "0")
        #expect(sandbox.contains("seccomp") && sandbox.contains("--engine libaio"))
    }
}

extension BadInputTests {
    @Test func concurrentLayoutsOfOneFileBothSucceed() throws {
        // Two runs racing to create the same file: one layout wins the rename, the other uses it.
        let path = TestFiles.path("race-layout")
        var spec = TestFiles.job(.psync, file: path, size: 8 << 20, milliseconds: 100)
        spec.verify = true
        let job = spec
        final class Outcomes: @unchecked Sendable {   // guarded by `lock`
            let lock = NSLock()
            var all: [Result<RunResult, BenchError>] = []
        }
        let box = Outcomes()
        let group = DispatchGroup()
        for _ in 0..<2 {
            group.enter()
            Thread.detachNewThread {
                let r = Result<RunResult, BenchError> { () throws(BenchError) in try Runner.run(job) }
                box.lock.lock(); box.all.append(r); box.lock.unlock()
                group.leave()
            }
        }
        group.wait()
        let outcomes = box.all
        #expect(outcomes.count == 2)
        for o in outcomes {
            guard case .success(let r) = o else { Issue.record("\(o)"); continue }
            #expect(r.verify.checkedIOs == r.totalIOs && r.totalIOs > 0)
        }
        // Only this test's temporaries: other tests may be laying out their own files right now.
        let name = URL(fileURLWithPath: path).lastPathComponent
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: TestFiles.directory)
            .filter { $0.hasPrefix(".\(name).uringbench-layout") }
        #expect(leftovers.isEmpty, "temporary layout files left behind: \(leftovers)")
    }
}

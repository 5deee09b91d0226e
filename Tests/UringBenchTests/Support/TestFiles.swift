import CSystemShims
import Foundation
import Glibc
@testable import UringBench
@testable import UringCore

/// Scratch files for tests, in a directory where O_DIRECT really reaches a disk: the system
/// temporary directory unless it is tmpfs, else a folder inside the package's .build.
enum TestFiles {
    static let directory: String = {
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["URINGBENCH_TEST_DIR"] { candidates.append(env) }
        candidates.append(NSTemporaryDirectory())
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        candidates.append(packageRoot + "/.build/uringbench-test-data")
        for base in candidates {
            let dir = base.hasSuffix("/") ? String(base.dropLast()) : base
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            guard let type = try? Syscalls.filesystemType(dir),
                  type != Syscalls.tmpfsMagic, type != Syscalls.ramfsMagic else { continue }
            let sub = dir + "/uringbench-tests-\(getpid())"
            try? FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
            // Leave nothing behind: the laid-out files are tens of MiB.
            atexit { try? FileManager.default.removeItem(atPath: TestFiles.directory) }
            return sub
        }
        fatalError("no directory that supports O_DIRECT among \(candidates)")
    }()

    /// A fresh path (the file does not exist yet).
    static func path(_ name: String) -> String {
        "\(directory)/\(name)-\(UUID().uuidString.prefix(8))"
    }

    /// One shared laid-out file per size, so the engine tests don't each write their own.
    static let sharedLock = NSLock()
    nonisolated(unsafe) static var shared: [UInt64: String] = [:]

    static func laidOut(size: UInt64, seed: UInt64 = 0x5EED_0F10) throws -> String {
        sharedLock.lock()
        defer { sharedLock.unlock() }
        if let p = shared[size] { return p }
        let p = path("laid-out-\(size)")
        var job = JobSpec()
        job.filename = p
        job.size = size
        job.randSeed = seed
        _ = try DataFile(job: job)
        shared[size] = p
        return p
    }

    static func job(_ engine: EngineKind, file: String, size: UInt64, depth: Int = 8, milliseconds: UInt64 = 100) -> JobSpec {
        var job = JobSpec()
        job.engine = engine
        job.filename = file
        job.size = size
        job.iodepth = depth
        job.runtimeNanoseconds = milliseconds * 1_000_000
        job.verify = true
        return job
    }
}

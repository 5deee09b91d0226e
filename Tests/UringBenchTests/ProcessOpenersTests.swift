import Glibc
import Testing
@testable import UringBench
import TestSupport

/// The "file in use" check (fuser's way, /proc/PID/fd) leaves out this process's own children
/// that have not yet run their program: between fork and exec they hold copies of the run's
/// descriptors. Any other process with the file open is still named.
@Suite(.waits) struct ProcessOpenersTests {
    static func scratch() throws -> (path: String, fd: Int32, st: stat) {
        let path = "/tmp/uringbench-openers-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        try #require(fd >= 0)
        var st = stat()
        try #require(fstat(fd, &st) == 0)
        return (path, fd, st)
    }

    @Test func aChildBetweenForkAndExecIsNotAnOpener() throws {
        let (path, fd, st) = try Self.scratch()
        defer { close(fd); unlink(path) }
        let child = fork()
        if child == 0 {
            // Only async-signal-safe calls here: wait to be killed.
            while true { pause() }
        }
        try #require(child > 0)
        defer { kill(child, SIGKILL); var status: Int32 = 0; waitpid(child, &status, 0) }
        // The child holds the descriptor (it has not exec'd, so O_CLOEXEC has not closed it).
        var held = stat()
        try #require(stat("/proc/\(child)/fd/\(fd)", &held) == 0)
        #expect(ProcessOpeners.of(st).isEmpty, "\(ProcessOpeners.of(st))")
    }

    @Test func anotherProgramWithTheFileOpenIsNamed() throws {
        let (path, fd, st) = try Self.scratch()
        defer { close(fd); unlink(path) }
        // A child that has exec'd (sh) and opened the file itself is an opener.
        var pid: pid_t = 0
        let args = ["/bin/sh", "-c", "exec 3<\(path); sleep 30"]
        var argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        try #require(posix_spawn(&pid, "/bin/sh", nil, nil, &argv, environ) == 0)
        defer { kill(pid, SIGKILL); var status: Int32 = 0; waitpid(pid, &status, 0) }
        var found: [String] = []
        for _ in 0..<200 where found.isEmpty {
            found = ProcessOpeners.of(st)
            if found.isEmpty { usleep(10_000) }
        }
        // sh and the sleep it forked (which inherits descriptor 3) both hold it.
        #expect(found.contains("open in process \(pid) (sh)"), "\(found)")
    }
}

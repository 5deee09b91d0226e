import Foundation
import Glibc
import Testing
import TestSupport

/// What a write job reaches besides the file it was given, each attack run against the built
/// binary with the victim's SHA-256 taken before and after: a file that appears at --filename
/// during the layout, a link swapped after the checks, devices and images in use in ways a
/// mount table does not show, an output that is the image under the data file, a copied
/// header, kernel pseudo-files, a read-only loop device, and one O_EXCL claim per group.
// Serialized: loop devices, mounts and namespaces of its own (see OverwriteCLITests).
@Suite(.serialized, .waits) struct DataSafetyCLITests {
    static let loopReason = LoopDevice.unavailableReason.map { "no loop device: \($0)" }

    static func sha256(_ path: String) throws -> String {
        String(try LoopDevice.shell("/usr/bin/sha256sum", [path]).prefix(64))
    }

    /// A run paused at `point` (see TestPause in the library): returns once it is there.
    static func paused(_ args: [String], in dir: String, at point: String) throws -> SpawnedRun {
        let run = try SpawnedRun(args, in: dir, environment: ["URINGBENCH_TEST_PAUSE": "\(point):\(dir)"])
        // A bound against a hang only: a debug build reaches the point in well under a second.
        for _ in 0..<6000 where access("\(dir)/\(point).reached", F_OK) != 0 && run.process.isRunning { usleep(10_000) }
        guard access("\(dir)/\(point).reached", F_OK) == 0 else {
            let r = run.finish()
            Issue.record("the run never paused at \(point): status \(r.status), stderr: \(r.stderr)")
            throw CocoaError(.fileNoSuchFile)
        }
        return run
    }

    static func resume(_ run: SpawnedRun, in dir: String, at point: String) -> CLITests.Outcome {
        FileManager.default.createFile(atPath: "\(dir)/\(point).go", contents: nil)
        return run.finish()
    }

    // MARK: 1: a file appearing during the layout

    @Test(arguments: ["hard link", "symlink"])
    func fileAppearingDuringTheLayoutIsNotWritten(_ kind: String) throws {
        let dir = try DataFileCLITests.freshDirectory("appear")
        try OverwriteCLITests.usersFile(dir + "/users.dat", size: 4 << 20)
        let before = try Self.sha256(dir + "/users.dat")
        let run = try Self.paused(["randwrite", "--engine", "psync", "--filename", "new.dat", "--size", "4M", "--runtime", "200ms"],
                                  in: dir, at: "layout-rename")
        if kind == "hard link" { #expect(link(dir + "/users.dat", dir + "/new.dat") == 0) }
        else { #expect(symlink("users.dat", dir + "/new.dat") == 0) }
        let r = Self.resume(run, in: dir, at: "layout-rename")
        #expect(try Self.sha256(dir + "/users.dat") == before, "\(kind): the user's file was written")
        #expect(r.status == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("'new.dat' was not laid out by uringbench") || r.stderr.contains("a write job would overwrite 'new.dat'"),
                "stderr: \(r.stderr)")
        #expect(DataFileCLITests.layoutTemporaries(dir, of: "new.dat").isEmpty, "the layout temporary was left behind")
    }

    // MARK: 2: checked, then opened by path

    @Test func linkSwappedAfterTheChecksDoesNotRedirectTheWrites() throws {
        let dir = try DataFileCLITests.freshDirectory("swap")
        _ = try DataFileCLITests.laidOutBackingFile(in: dir, size: "4M")
        try OverwriteCLITests.usersFile(dir + "/users.dat", size: 4 << 20)
        let before = try Self.sha256(dir + "/users.dat")
        let ours = try Self.sha256(dir + "/backing.dat")
        #expect(symlink("backing.dat", dir + "/target") == 0)
        let run = try Self.paused(["randwrite", "--engine", "psync", "--filename", "target", "--size", "4M", "--runtime", "200ms"],
                                  in: dir, at: "data-file-open")
        #expect(symlink("users.dat", dir + "/target.new") == 0 && rename(dir + "/target.new", dir + "/target") == 0)
        let r = Self.resume(run, in: dir, at: "data-file-open")
        #expect(try Self.sha256(dir + "/users.dat") == before, "the user's file was written through the swapped link")
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(try Self.sha256(dir + "/backing.dat") != ours, "the file that was checked was not the one written")
    }

    // MARK: 3: in use, everywhere

    /// An image with ext4 on a loop device over a loop device over it, mounted read-only (so
    /// its bytes stay put while the test looks at them).
    struct StackedLoops {
        let image: String
        let lower: LoopDevice
        let upper: LoopDevice
        let mountPoint: String

        static func make(in dir: String, image name: String = "fs.img") throws -> StackedLoops {
            let image = dir + "/" + name
            try Data(count: 32 << 20).write(to: URL(fileURLWithPath: image))
            let lower = try LoopDevice.attach(image)
            let upper: LoopDevice
            do { upper = try LoopDevice.attach(lower.path) } catch { lower.detach(); throw error }
            let stack = StackedLoops(image: image, lower: lower, upper: upper, mountPoint: dir + "/mnt")
            do {
                try LoopDevice.shell("/usr/sbin/mkfs.ext4", ["-q", "-F", "-E", "lazy_itable_init=0,lazy_journal_init=0", upper.path])
                try FileManager.default.createDirectory(atPath: stack.mountPoint, withIntermediateDirectories: true)
                try LoopDevice.shell("/usr/bin/mount", ["-o", "ro", upper.path, stack.mountPoint])
            } catch {
                stack.remove()
                throw error
            }
            return stack
        }

        func remove() {
            _ = try? LoopDevice.shell("/usr/bin/umount", [mountPoint])
            upper.detach()
            lower.detach()
        }
    }

    @Test(.enabled(if: loopReason == nil, "\(loopReason ?? "")"))
    func loopChainUnderAMountIsInUse() throws {
        let dir = try DataFileCLITests.freshDirectory("chain")
        let stack = try StackedLoops.make(in: dir)
        defer { stack.remove() }
        let before = try Self.sha256(stack.image)
        for target in [stack.lower.path, stack.image] {
            let r = try SpawnedRun.run(["randwrite", "--engine", "psync", "--filename", target, "--size", "8M", "--runtime", "200ms",
                                        "--allow-overwrite"], in: dir)
            #expect(r.status == 1 && r.stderr.contains("is in use ("), "\(target): stderr: \(r.stderr)")
            #expect(r.stderr.contains("\(stack.upper.name) is mounted at \(stack.mountPoint)"), "\(target): stderr: \(r.stderr)")
        }
        #expect(try Self.sha256(stack.image) == before, "the image under a mounted file system was written")
    }

    static let unshare = ["/usr/bin/unshare", "/bin/unshare"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: loopReason == nil && unshare != nil, "\(loopReason ?? "unshare is not installed (Debian package util-linux)")"))
    func loopDeviceMountedInAnotherNamespaceIsInUse() throws {
        let dir = try DataFileCLITests.freshDirectory("netns")
        let image = dir + "/fs.img"
        try Data(count: 32 << 20).write(to: URL(fileURLWithPath: image))
        let loop = try LoopDevice.attach(image)
        defer { loop.detach() }
        try LoopDevice.shell("/usr/sbin/mkfs.ext4", ["-q", "-F", "-E", "lazy_itable_init=0,lazy_journal_init=0", loop.path])
        try FileManager.default.createDirectory(atPath: dir + "/mnt", withIntermediateDirectories: true)
        // The mount is the test's setup, not what it checks: under a loaded parallel run it has
        // failed once at once (the holder exited within 0.2 s), so it gets three tries.
        var holder: SpawnedRun? = nil
        defer { holder?.signal(SIGKILL); _ = holder?.finish() }
        for _ in 0..<3 where access(dir + "/mounted", F_OK) != 0 {
            if let old = holder { old.signal(SIGKILL); _ = old.finish() }
            let h = try SpawnedRun(["-m", "--propagation", "private", "/bin/sh", "-c",
                                    "mount -o ro \(loop.path) \(dir)/mnt && touch \(dir)/mounted && exec sleep 600"],
                                   in: dir, executable: Self.unshare ?? "")
            holder = h
            for _ in 0..<3000 where access(dir + "/mounted", F_OK) != 0 && h.process.isRunning { usleep(10_000) }
        }
        try #require(access(dir + "/mounted", F_OK) == 0, "the other namespace never mounted \(loop.path)")
        #expect(!(try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)).contains(dir + "/mnt"))
        let before = try Self.sha256(image)
        for target in [image, loop.path] {
            let r = try SpawnedRun.run(["randwrite", "--engine", "psync", "--filename", target, "--size", "8M", "--runtime", "200ms",
                                        "--allow-overwrite"], in: dir)
            #expect(r.status == 1 && r.stderr.contains("is in use ("), "\(target): stderr: \(r.stderr)")
            #expect(r.stderr.contains("\(loop.name) is claimed (mounted in another mount namespace, or held open exclusively)"),
                    "\(target): stderr: \(r.stderr)")
        }
        #expect(try Self.sha256(image) == before, "the image of a file system mounted elsewhere was written")
    }

    @Test(.enabled(if: loopReason == nil, "\(loopReason ?? "")"))
    func deviceOrFileHeldOpenByAnotherProcessIsInUse() throws {
        let dir = try DataFileCLITests.freshDirectory("opener")
        let image = try DataFileCLITests.laidOutBackingFile(in: dir, size: "16M")
        try OverwriteCLITests.usersFile(dir + "/users.dat", size: 16 << 20)
        let loop = try LoopDevice.attach(image)
        defer { loop.detach() }
        for target in [loop.path, dir + "/users.dat"] {
            let holder = try SpawnedRun(["-c", "exec 3<>\(target); touch \(dir)/open; exec sleep 600"], in: dir, executable: "/bin/sh")
            defer { holder.signal(SIGKILL); _ = holder.finish(); unlink(dir + "/open") }
            for _ in 0..<3000 where access(dir + "/open", F_OK) != 0 && holder.process.isRunning { usleep(10_000) }
            try #require(access(dir + "/open", F_OK) == 0)
            let victim = target == loop.path ? image : target
            let before = try Self.sha256(victim)
            let r = try SpawnedRun.run(["randwrite", "--engine", "psync", "--filename", target, "--size", "8M", "--runtime", "200ms",
                                        "--allow-overwrite"], in: dir)
            #expect(r.status == 1 && r.stderr.contains("is in use (") && r.stderr.contains("open in process \(holder.pid) (sleep)"),
                    "\(target): stderr: \(r.stderr)")
            #expect(try Self.sha256(victim) == before, "\(target), open in another process, was written")
        }
    }

    // MARK: 5: an output under the input

    @Test(.enabled(if: loopReason == nil, "\(loopReason ?? "")"))
    func outputThatBacksTheDataFilesDeviceIsRefused() throws {
        let dir = try DataFileCLITests.freshDirectory("outimg")
        // Named as --write-lat-log fs names its first log.
        let stack = try StackedLoops.make(in: dir, image: "fs_lat.1.log")
        defer { stack.remove() }
        // The data file on the stacked file system: laid out read-write, then the mount goes
        // back to read-only so the image's bytes stay put.
        try LoopDevice.shell("/usr/bin/mount", ["-o", "remount,rw", stack.mountPoint])
        let laid = try SpawnedRun.run(["randread", "--engine", "psync", "--direct", "0", "--filename", "mnt/d.dat", "--size", "4M", "--runtime", "100ms"], in: dir)
        #expect(laid.status == 0, "stderr: \(laid.stderr)")
        try LoopDevice.shell("/usr/bin/mount", ["-o", "remount,ro", stack.mountPoint])
        let before = try Self.sha256(stack.image)
        let read = ["randread", "--engine", "psync", "--direct", "0", "--filename", "mnt/d.dat", "--size", "4M", "--runtime", "100ms"]
        for args in [read + ["--output", "fs_lat.1.log"], read + ["--write-lat-log", "fs"]] {
            let r = try SpawnedRun.run(args, in: dir)
            #expect(r.status == 1 && r.stdout.isEmpty, "\(args): stderr: \(r.stderr)")
            #expect(r.stderr.contains("fs_lat.1.log") && r.stderr.contains("backs"), "\(args): stderr: \(r.stderr)")
        }
        #expect(try Self.sha256(stack.image) == before, "an output was written over the image under the data file")
    }

    // MARK: 6: a copied sector 0

    @Test func copiedFirstSectorDoesNotMakeAFileUringbenchs() throws {
        let dir = try DataFileCLITests.freshDirectory("forged")
        let laid = try DataFileCLITests.laidOutBackingFile(in: dir, size: "4M")
        var users = Data((0..<(4 << 20)).map { UInt8(truncatingIfNeeded: ($0 &* 131) ^ ($0 >> 9)) })
        let header = try #require(FileHandle(forReadingAtPath: laid)?.readData(ofLength: 512))
        users.replaceSubrange(0..<512, with: header)
        try users.write(to: URL(fileURLWithPath: dir + "/users.dat"))
        let before = try Self.sha256(dir + "/users.dat")
        let r = try SpawnedRun.run(["randwrite", "--engine", "psync", "--filename", "users.dat", "--size", "4M", "--runtime", "200ms"], in: dir)
        #expect(r.status == 1 && r.stderr.contains("a write job would overwrite 'users.dat'"), "stderr: \(r.stderr)")
        #expect(try Self.sha256(dir + "/users.dat") == before, "a file with a copied first sector was written")
        // The file uringbench laid out is still its own: written, and it verifies.
        let own = try SpawnedRun.run(["randwrite", "--engine", "psync", "--filename", "backing.dat", "--size", "4M", "--runtime", "200ms"], in: dir)
        #expect(own.status == 0, "stderr: \(own.stderr)")
        let check = try SpawnedRun.run(["read", "--engine", "psync", "--filename", "backing.dat", "--size", "4M", "--bs", "1M", "--verify",
                                        "--runtime", "200ms"], in: dir)
        #expect(check.status == 0 && check.stdout.contains("0 mismatches"), "stderr: \(check.stderr)")
    }

    // MARK: 7: kernel pseudo-files

    @Test(.enabled(if: loopReason == nil, "\(loopReason ?? "")"))
    func sysfsAttributeIsNeverWritten() throws {
        let dir = try DataFileCLITests.freshDirectory("sysfs")
        try Data(count: 8 << 20).write(to: URL(fileURLWithPath: dir + "/img"))
        let loop = try LoopDevice.attach(dir + "/img")
        defer { loop.detach() }
        let attribute = "/sys/block/\(loop.name)/queue/read_ahead_kb"
        let before = try String(contentsOfFile: attribute, encoding: .utf8)
        for args in [["randwrite", "--allow-overwrite"], ["randread"]] {
            let r = try SpawnedRun.run(args + ["--engine", "psync", "--direct", "0", "--filename", attribute, "--size", "4k", "--bs", "4k", "--runtime", "100ms"], in: dir)
            #expect(r.status == 1 && r.stderr.contains("'\(attribute)' is on sysfs, a kernel interface"), "\(args): stderr: \(r.stderr)")
        }
        #expect(try String(contentsOfFile: attribute, encoding: .utf8) == before)
        let new = try SpawnedRun.run(["randwrite", "--filename", "/sys/kernel/uringbench.dat", "--size", "4k", "--bs", "4k", "--runtime", "100ms"], in: dir)
        #expect(new.status == 1 && new.stderr.contains("'/sys/kernel' is on sysfs, a kernel interface"), "stderr: \(new.stderr)")
    }

    // MARK: 15: one claim per group

    @Test(.enabled(if: loopReason == nil, "\(loopReason ?? "")"))
    func groupWritesABlockDeviceUnderOneClaim() throws {
        let dir = try DataFileCLITests.freshDirectory("group")
        let image = try DataFileCLITests.laidOutBackingFile(in: dir, size: "16M")
        let before = try Self.sha256(image)
        let loop = try LoopDevice.attach(image)
        defer { loop.detach() }
        let r = try SpawnedRun.run(["randwrite", "--engine", "psync", "--filename", loop.path, "--size", "16M", "--numjobs", "2",
                                    "--runtime", "300ms", "--allow-overwrite"], in: dir)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        loop.detach()
        #expect(try Self.sha256(image) != before, "the group wrote nothing")
        let check = try SpawnedRun.run(["read", "--engine", "psync", "--filename", image, "--size", "16M", "--bs", "1M", "--verify",
                                        "--runtime", "300ms"], in: dir)
        #expect(check.status == 0 && check.stdout.contains("0 mismatches"), "stderr: \(check.stderr)")
    }

    // MARK: 17: a read-only loop device

    @Test(.enabled(if: loopReason == nil, "\(loopReason ?? "")"))
    func readOnlyLoopDeviceIsRefusedForWritesAndRead() throws {
        let dir = try DataFileCLITests.freshDirectory("roloop")
        let image = try DataFileCLITests.laidOutBackingFile(in: dir, size: "16M")
        let before = try Self.sha256(image)
        guard let losetup = LoopDevice.losetup else { return }
        let path = try LoopDevice.shell(losetup, ["-r", "-f", "--show", image]).trimmingCharacters(in: .whitespacesAndNewlines)
        let loop = LoopDevice(path: path)
        defer { loop.detach() }
        let w = try SpawnedRun.run(["randwrite", "--engine", "psync", "--filename", loop.path, "--size", "16M", "--runtime", "200ms",
                                    "--allow-overwrite"], in: dir)
        #expect(w.status == 1 && w.stderr.split(separator: "\n").count == 1, "stderr: \(w.stderr)")
        #expect(w.stderr.contains("'\(loop.path)' is read-only (losetup -r, blockdev --setro or a write-protected disk)"), "stderr: \(w.stderr)")
        let r = try SpawnedRun.run(["randread", "--engine", "psync", "--filename", loop.path, "--size", "16M", "--runtime", "200ms", "--verify"], in: dir)
        #expect(r.status == 0 && r.stdout.contains("0 mismatches"), "stderr: \(r.stderr)")
        #expect(try Self.sha256(image) == before)
    }
}

import Foundation
import Glibc
import Testing
import TestSupport

/// Write jobs against targets that are not uringbench's: a user's file and a block device are
/// refused (and unchanged, by their SHA-1) unless --allow-overwrite, which the report then
/// shouts; a device that is mounted, has a mounted partition, is swap or is held by
/// device-mapper is refused even with it, and its filesystem stays clean.
// Serialized: its tests attach loop devices, make file systems and partitions on them and
// mount them; run side by side (the suite's cases in parallel) a full-suite run once saw e2fsck
// report the partitioned test's file system damaged, which never happened alone (3 of 3 clean).
@Suite(.serialized, .waits) struct OverwriteCLITests {
    static let writeModes = ["randwrite", "write", "randrw", "rw"]
    /// A pure write and a mix: where a refusal comes before anything that depends on the mode.
    static let writeModeSample = ["randwrite", "rw"]

    static func sha1(_ path: String) throws -> String {
        String(try LoopDevice.shell("/usr/bin/sha1sum", [path]).prefix(40))
    }

    /// A file of the user's: bytes uringbench never wrote.
    static func usersFile(_ path: String, size: Int) throws {
        let bytes = Data((0..<size).map { UInt8(truncatingIfNeeded: ($0 &* 131) ^ ($0 >> 9)) })
        try bytes.write(to: URL(fileURLWithPath: path))
    }

    static func oneLine(_ r: CLITests.Outcome) -> Bool { r.stderr.split(separator: "\n").count == 1 && r.stdout.isEmpty }

    /// A file an earlier uringbench laid out (sector 0 starts "URBENCH2") is refused for writes
    /// and for --verify with a line that says so and how to lay it out anew, and stays as it was.
    @Test func earlierFormatFileIsNamedAsSuch() throws {
        let dir = try DataFileCLITests.freshDirectory("earlier")
        var bytes = Data((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        bytes.replaceSubrange(0..<8, with: Array("URBENCH2".utf8))
        try bytes.write(to: URL(fileURLWithPath: dir + "/old.dat"))
        let before = try Self.sha1(dir + "/old.dat")
        for args in [["randwrite"], ["randread", "--verify"]] {
            let r = try SpawnedRun.run(args + ["--filename", "old.dat", "--size", "1M", "--engine", "psync", "--runtime", "100ms"], in: dir)
            #expect(r.status == 1)
            #expect(Self.oneLine(r), "\(args): stderr: \(r.stderr)")
            #expect(r.stderr.contains("'old.dat' was laid out by an earlier uringbench") && r.stderr.contains("delete it and run again"),
                    "\(args): stderr: \(r.stderr)")
        }
        #expect(try Self.sha1(dir + "/old.dat") == before, "a refused run changed the file")
    }

    @Test func usersFileIsRefusedUnlessOverwriteIsAllowed() throws {
        let dir = try DataFileCLITests.freshDirectory("users")
        try Self.usersFile(dir + "/users.dat", size: 4 << 20)
        let before = try Self.sha1(dir + "/users.dat")
        for mode in Self.writeModes {
            let r = try SpawnedRun.run([mode, "--filename", "users.dat", "--size", "4M", "--engine", "psync", "--runtime", "100ms"], in: dir)
            #expect(r.status == 1)
            #expect(Self.oneLine(r), "\(mode): stderr: \(r.stderr)")
            #expect(r.stderr.contains("a write job would overwrite 'users.dat', and it was not laid out by uringbench"), "stderr: \(r.stderr)")
            #expect(r.stderr.contains("or --allow-overwrite to overwrite it"))
        }
        try """
        [w]
        filename=users.dat
        size=4M
        rw=randwrite
        runtime=100ms
        time_based
        """.write(toFile: dir + "/w.fio", atomically: true, encoding: .utf8)
        let job = try SpawnedRun.run(["run", "w.fio"], in: dir)
        #expect(job.status == 1 && job.stderr.contains("was not laid out by uringbench"), "stderr: \(job.stderr)")
        #expect(try Self.sha1(dir + "/users.dat") == before, "a refused run changed the user's file")

        // Allowed: written, and said so in the text report, on stderr and in the JSON.
        let text = try SpawnedRun.run(["randwrite", "--filename", "users.dat", "--size", "4M", "--engine", "psync",
                                       "--runtime", "200ms", "--allow-overwrite"], in: dir)
        #expect(text.status == 0, "stderr: \(text.stderr)")
        #expect(text.stdout.contains("OVERWRITTEN  : this run wrote over 'users.dat', a file uringbench did not lay out (--allow-overwrite)"), "stdout: \(text.stdout)")
        #expect(text.stderr.contains("--allow-overwrite: this run writes over 'users.dat'"))
        #expect(try Self.sha1(dir + "/users.dat") != before, "--allow-overwrite wrote nothing")
        // Still not uringbench's, though the run above may have written its sector 0: every
        // sector written over it carries the overwrite flag. So the job file is refused, and
        // runs with the permission, reported again.
        let again = try SpawnedRun.run(["run", "w.fio"], in: dir)
        #expect(again.status == 1 && again.stderr.contains("was not laid out by uringbench"), "stderr: \(again.stderr)")
        let json = try SpawnedRun.run(["run", "w.fio", "--allow-overwrite", "--output-format", "json"], in: dir)
        #expect(json.status == 0, "stderr: \(json.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let lines = try #require(doc["uringbench_overwritten"] as? [String])
        #expect(lines == ["w: wrote over 'users.dat', a file uringbench did not lay out (--allow-overwrite)"])
        let jobs = try #require(doc["jobs"] as? [[String: Any]])
        let own = try #require(jobs.first?["uringbench"] as? [String: Any])
        #expect(own["overwritten"] as? String == "'users.dat', a file uringbench did not lay out")
    }

    @Test(.enabled(if: LoopDevice.unavailableReason == nil, "no loop device: \(LoopDevice.unavailableReason ?? "")"))
    func unmountedLoopDeviceIsWrittenOnlyWithAllowOverwrite() throws {
        let dir = try DataFileCLITests.freshDirectory("loopw")
        let backing = try DataFileCLITests.laidOutBackingFile(in: dir, size: "32M")
        let before = try Self.sha1(backing)
        let loop = try LoopDevice.attach(backing)
        defer { loop.detach() }
        let writesBefore = loop.writeIOs
        for mode in Self.writeModes {
            let r = try SpawnedRun.run([mode, "--filename", loop.path, "--size", "32M", "--runtime", "100ms"], in: dir)
            #expect(r.status == 1 && Self.oneLine(r), "stderr: \(r.stderr)")
            #expect(r.stderr.contains("a write job would overwrite '\(loop.path)', and it is a block device"), "stderr: \(r.stderr)")
        }
        #expect(loop.writeIOs == writesBefore, "a refused run wrote to \(loop.path)")
        #expect(try Self.sha1(backing) == before)

        // Allowed: written through the device, every read verified, and the report says so.
        let r = try SpawnedRun.run(["randrw", "--filename", loop.path, "--size", "32M", "--engine", "io_uring", "--iodepth", "8",
                                    "--runtime", "200ms", "--allow-overwrite", "--verify"], in: dir)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("OVERWRITTEN  : this run wrote over '\(loop.path)', a block device (--allow-overwrite)"), "stdout: \(r.stdout)")
        #expect(r.stdout.contains("0 mismatches"))
        #expect((loop.writeIOs ?? 0) > (writesBefore ?? 0), "no write reached \(loop.path)")
        // Every block written through the device is read back and checked after the run.
        for engine in ["psync", "libaio", "io_uring"] {
            let w = try SpawnedRun.run(["randwrite", "--filename", loop.path, "--size", "32M", "--engine", engine, "--iodepth", "8",
                                        "--runtime", "150ms", "--allow-overwrite", "--verify"], in: dir)
            #expect(w.status == 0, "\(engine): stderr: \(w.stderr)")
            #expect(w.stdout.contains("OVERWRITTEN  : this run wrote over '\(loop.path)', a block device"), "stdout: \(w.stdout)")
            #expect(w.stdout.contains("written blocks read back after the run and checked, 0 mismatches"), "stdout: \(w.stdout)")
            #expect(!w.stdout.contains("checked byte for byte against the file pattern"), "a write-only job reports reads: \(w.stdout)")
        }
        // What was written is uringbench's pattern: the backing file still verifies throughout.
        loop.detach()
        let check = try SpawnedRun.run(["read", "--filename", backing, "--size", "32M", "--engine", "psync", "--bs", "1M",
                                        "--runtime", "300ms", "--verify"], in: dir)
        #expect(check.status == 0 && check.stdout.contains("0 mismatches"), "stderr: \(check.stderr)")
    }

    /// A loop device with an ext4 filesystem on it (or on its partition 1), mounted for the test.
    struct MountedLoop {
        let loop: LoopDevice
        let filesystem: String      // the device holding the filesystem
        let mountPoint: String

        static func make(in dir: String, partitioned: Bool) throws -> MountedLoop {
            let backing = dir + "/fs.img"
            let size = 64 << 20
            var image = Data(count: size)
            if partitioned {
                // One Linux partition (type 0x83) from sector 2048 to the end, in an MBR.
                let start: UInt32 = 2048, sectors = UInt32(size / 512) - 2048
                image[446 + 4] = 0x83
                for i in 0..<4 {
                    image[446 + 8 + i] = UInt8(truncatingIfNeeded: start >> (8 * UInt32(i)))
                    image[446 + 12 + i] = UInt8(truncatingIfNeeded: sectors >> (8 * UInt32(i)))
                }
                image[510] = 0x55
                image[511] = 0xAA
            }
            try image.write(to: URL(fileURLWithPath: backing))
            let loop = try LoopDevice.attach(backing, partitions: partitioned)
            let filesystem = partitioned ? loop.path + "p1" : loop.path
            let mountPoint = dir + "/mnt"
            let mounted = MountedLoop(loop: loop, filesystem: filesystem, mountPoint: mountPoint)
            do {
                if partitioned && access(filesystem, F_OK) != 0 {
                    // A kernel without partition-table parsers (CONFIG_MSDOS_PARTITION unset)
                    // finds none: partx reads the table in user space and adds it (BLKPG).
                    try LoopDevice.shell("/usr/bin/partx", ["-a", loop.path])
                }
                for _ in 0..<50 where access(filesystem, F_OK) != 0 { usleep(20_000) }
                // No lazy initialisation: ext4lazyinit would write to the device behind the test's back.
                try LoopDevice.shell("/usr/sbin/mkfs.ext4", ["-q", "-F", "-E", "lazy_itable_init=0,lazy_journal_init=0", filesystem])
                try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
                try LoopDevice.shell("/usr/bin/mount", [filesystem, mountPoint])
                try Data("the user's data\n".utf8).write(to: URL(fileURLWithPath: mountPoint + "/keep.txt"))
                try LoopDevice.shell("/usr/bin/sync", ["-f", mountPoint + "/keep.txt"])
            } catch {
                mounted.remove()
                throw error
            }
            return mounted
        }

        /// Unmounts (if still mounted) and detaches; safe to call twice.
        func remove() {
            _ = try? LoopDevice.shell("/usr/bin/umount", [mountPoint])
            loop.detach()
        }

        /// Unmounts, then checks the filesystem read-only: nil when e2fsck finds it clean, else
        /// what e2fsck said (its exit status and output).
        func unmountAndCheck() throws -> String? {
            try LoopDevice.shell("/usr/bin/umount", [mountPoint])
            let r = try SpawnedRun.run(executable: "/usr/sbin/e2fsck", ["-f", "-n", filesystem])
            return r.status == 0 ? nil : "e2fsck exit \(r.status): \(r.stdout) \(r.stderr)"
        }
    }

    @Test(.enabled(if: LoopDevice.unavailableReason == nil, "no loop device: \(LoopDevice.unavailableReason ?? "")"),
          arguments: [false, true])
    func mountedDeviceIsRefusedEvenWithAllowOverwrite(partitioned: Bool) throws {
        let dir = try DataFileCLITests.freshDirectory(partitioned ? "mountedp" : "mounted")
        let fs = try MountedLoop.make(in: dir, partitioned: partitioned)
        defer { fs.remove() }
        let use = partitioned ? "partition \(fs.loop.name)p1 is mounted at \(fs.mountPoint)" : "\(fs.loop.name) is mounted at \(fs.mountPoint)"
        let writesBefore = fs.loop.writeIOs
        for extra in [[], ["--allow-overwrite"]] {
            for mode in Self.writeModeSample {
                let r = try SpawnedRun.run([mode, "--filename", fs.loop.path, "--size", "16M", "--runtime", "100ms"] + extra, in: dir)
                #expect(r.status == 1 && Self.oneLine(r), "stderr: \(r.stderr)")
                #expect(r.stderr.contains("'\(fs.loop.path)' is in use (\(use)); uringbench never writes a device or file in use, not even with --allow-overwrite"), "stderr: \(r.stderr)")
            }
        }
        try """
        [w]
        filename=\(fs.loop.path)
        size=16M
        rw=randwrite
        allow_mounted_write=0
        runtime=100ms
        time_based
        """.write(toFile: dir + "/w.fio", atomically: true, encoding: .utf8)
        let job = try SpawnedRun.run(["run", "w.fio", "--allow-overwrite"], in: dir)
        #expect(job.status == 1 && job.stderr.contains("is in use (\(use))"), "stderr: \(job.stderr)")
        // The image file under the loop device is the same filesystem: refused too.
        let image = try SpawnedRun.run(["randwrite", "--filename", "fs.img", "--size", "16M", "--runtime", "100ms", "--allow-overwrite"], in: dir)
        #expect(image.status == 1 && image.stderr.contains("'fs.img' is in use (it backs \(fs.loop.name), and \(use))"), "stderr: \(image.stderr)")
        #expect(fs.loop.writeIOs == writesBefore, "a refused run wrote to \(fs.loop.path)")
        #expect(try String(contentsOfFile: fs.mountPoint + "/keep.txt", encoding: .utf8) == "the user's data\n")
        let check = try fs.unmountAndCheck()
        #expect(check == nil, "\(fs.filesystem) after the refused runs: \(check ?? "")")
    }

    @Test(.enabled(if: LoopDevice.unavailableReason == nil, "no loop device: \(LoopDevice.unavailableReason ?? "")"))
    func swapDeviceIsRefused() throws {
        let dir = try DataFileCLITests.freshDirectory("swap")
        let backing = dir + "/swap.img"
        try Data(count: 32 << 20).write(to: URL(fileURLWithPath: backing))
        let loop = try LoopDevice.attach(backing)
        defer { loop.detach() }
        try LoopDevice.shell("/usr/sbin/mkswap", [loop.path])
        try LoopDevice.shell("/usr/sbin/swapon", [loop.path])
        defer { _ = try? LoopDevice.shell("/usr/sbin/swapoff", [loop.path]) }
        let before = try Self.sha1(loop.path)
        let r = try SpawnedRun.run(["randwrite", "--filename", loop.path, "--size", "16M", "--runtime", "100ms", "--allow-overwrite"], in: dir)
        #expect(r.status == 1 && Self.oneLine(r), "stderr: \(r.stderr)")
        #expect(r.stderr.contains("'\(loop.path)' is in use (\(loop.name) is used as swap)"), "stderr: \(r.stderr)")
        #expect(try Self.sha1(loop.path) == before)
    }

    /// The device-mapper driver is in the kernel when /proc/misc lists it.
    static let deviceMapperReason: String? = {
        guard LoopDevice.unavailableReason == nil else { return "no loop device: \(LoopDevice.unavailableReason ?? "")" }
        let misc = (try? String(contentsOfFile: "/proc/misc", encoding: .utf8)) ?? ""
        guard misc.contains("device-mapper") else { return "this kernel has no device-mapper driver (/proc/misc lists none)" }
        return FileManager.default.isExecutableFile(atPath: "/usr/sbin/dmsetup") ? nil : "dmsetup is not installed (Debian package dmsetup)"
    }()

    @Test(.enabled(if: deviceMapperReason == nil, "\(deviceMapperReason ?? "")"))
    func deviceHeldByDeviceMapperIsRefused() throws {
        let dir = try DataFileCLITests.freshDirectory("held")
        let backing = dir + "/held.img"
        try Data(count: 32 << 20).write(to: URL(fileURLWithPath: backing))
        let loop = try LoopDevice.attach(backing)
        defer { loop.detach() }
        let name = "uringbench-test-\(getpid())-\(UUID().uuidString.prefix(6))"
        try LoopDevice.shell("/usr/sbin/dmsetup", ["create", name, "--table", "0 \((32 << 20) / 512) linear \(loop.path) 0"])
        defer { _ = try? LoopDevice.shell("/usr/sbin/dmsetup", ["remove", name]) }
        let r = try SpawnedRun.run(["randwrite", "--filename", loop.path, "--size", "16M", "--runtime", "100ms", "--allow-overwrite"], in: dir)
        #expect(r.status == 1 && r.stderr.contains("is in use (\(loop.name) is held by dm-"), "stderr: \(r.stderr)")
    }

    @Test func jobFileSafetyKeys() throws {
        let dir = try DataFileCLITests.freshDirectory("keys")
        func jobFile(_ extra: String, file: String = "new.dat") throws -> CLITests.Outcome {
            try """
            [w]
            filename=\(file)
            size=1M
            rw=randwrite
            runtime=100ms
            time_based
            \(extra)
            """.write(toFile: dir + "/k.fio", atomically: true, encoding: .utf8)
            return try SpawnedRun.run(["run", "k.fio"], in: dir)
        }
        let mounted = try jobFile("allow_mounted_write=1")
        #expect(mounted.status == 1 && mounted.stderr.contains("allow_mounted_write=1 lets fio write a mounted device; uringbench never writes"), "stderr: \(mounted.stderr)")
        let noCreate = try jobFile("allow_file_create=0")
        #expect(noCreate.status == 1 && noCreate.stderr.contains("'new.dat' does not exist and allow_file_create=0 forbids creating it"), "stderr: \(noCreate.stderr)")
        #expect(access(dir + "/new.dat", F_OK) != 0, "allow_file_create=0 created the file")
        let create = try jobFile("allow_file_create=1\nallow_mounted_write=0")
        #expect(create.status == 0, "stderr: \(create.stderr)")
        #expect(access(dir + "/new.dat", F_OK) == 0)
        // An existing file of uringbench's is written with allow_file_create=0, as fio would.
        let existing = try jobFile("allow_file_create=0")
        #expect(existing.status == 0, "stderr: \(existing.stderr)")
    }
}

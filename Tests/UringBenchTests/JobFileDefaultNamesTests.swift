import Foundation
import Glibc
import Testing
import TestSupport
@testable import UringBench

/// A job file without filename= runs on fio's own files: one per job of a numjobs group, named
/// and sized as fio 3.33 lays them out for the same job file.
@Suite(.waits) struct JobFileDefaultNamesTests {
    static func jobFile(directory: String) -> String {
        """
        [global]
        size=64k
        bs=4k
        rw=read
        numjobs=2
        time_based
        runtime=100ms
        directory=\(directory)
        [f1]
        name=renamed
        [f2]
        stonewall
        filename_format=$JOBNAME-$jobnum.$filenum.$clientuid
        [f3]
        stonewall
        numjobs=1
        size=32k
        """
    }

    /// Name → size of every file in `directory`.
    static func listing(_ directory: String) throws -> [String: UInt64] {
        var out: [String: UInt64] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/" + name)
            out[name] = (attributes[.size] as? NSNumber)?.uint64Value
        }
        return out
    }

    @Test func everyJobOfAGroupLaysOutAndReadsItsOwnFileAsFioDoes() throws {
        let ours = TestFiles.path("default-names")
        try FileManager.default.createDirectory(atPath: ours, withIntermediateDirectories: true)
        let file = try JobFile.parse(Self.jobFile(directory: ours), path: "t.fio")
        for job in file.jobs {
            let group = try Runner.runGroup(job.spec)
            // Each job read its own file: all of its blocks, none short.
            #expect(group.jobs.count == job.spec.numjobs)
            for r in group.jobs { #expect(r.totalIOs > 0 && r.bytes == r.totalIOs * 4096) }
        }
        let expected: [String: UInt64] = ["f1.0.0": 65536, "f1.1.0": 65536, "f2-0.0.": 65536, "f2-1.0.": 65536, "f3.0.0": 32768]
        #expect(try Self.listing(ours) == expected)

        let theirs = TestFiles.path("default-names-fio")
        try FileManager.default.createDirectory(atPath: theirs, withIntermediateDirectories: true)
        let jobPath = theirs + ".fio"
        try Self.jobFile(directory: theirs).write(toFile: jobPath, atomically: true, encoding: .utf8)
        guard try FioProcess.json([jobPath]) != nil else { return }     // fio absent: the names above are fio 3.33's
        #expect(try Self.listing(theirs) == expected)
    }

    @Test func aFormatWithoutJobNumberInAGroupIsRefused() {
        let text = "[global]\nsize=64k\ntime_based\nruntime=1s\n[j]\nnumjobs=2\nfilename_format=shared.$filenum\n"
        #expect(throws: JobFileError.self) { try JobFile.parse(text, path: "t.fio") }
        do { _ = try JobFile.parse(text, path: "t.fio") } catch {
            #expect(error.description.contains("filename_format=shared.$filenum has no $jobnum"))
        }
    }

    /// fio's add_job: when something named after the job exists and is not a regular file (a
    /// device, a directory), it is the file of every job of the group, not `$jobname.0.0`.
    @Test func aNonRegularFileNamedAfterTheJobIsItsFile() throws {
        let dir = TestFiles.path("named-like-the-job")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let spec = try #require(try JobFile.parse("[\(dir)]\nsize=64k\nnumjobs=2\ntime_based\nruntime=1s\n", path: "t.fio").jobs.first?.spec)
        #expect(spec.jobFiles == nil && spec.filenames == [dir])
    }

    @Test func aGivenFilenameIsSharedAndFormatIgnored() throws {
        let text = "[global]\nsize=64k\ntime_based\nruntime=1s\n[j]\nnumjobs=2\nfilename=one.dat\nfilename_format=x.$jobnum\n"
        let spec = try #require(try JobFile.parse(text, path: "t.fio").jobs.first?.spec)
        #expect(spec.jobFiles == nil && spec.filenames == ["one.dat"])
    }
}

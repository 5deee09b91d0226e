import Testing
@testable import UringBench

/// fio's file names for a job without filename= (init.c make_filename), as fio 3.33 laid them
/// out: `[f1]` with numjobs=2 gave f1.0.0 and f1.1.0; filename_format=$JOBNAME-$jobnum.$filenum.$clientuid
/// in `[f2]` gave f2-0.0. and f2-1.0.; directory=sub gave sub/f3.0.0.
@Suite struct FioJobFilesTests {
    @Test func defaultNamesAreJobNameJobNumberFileNumber() {
        let files = FioJobFiles(jobName: "f1", format: nil, directory: nil)
        #expect((0..<3).map(files.path(forJob:)) == ["f1.0.0", "f1.1.0", "f1.2.0"])
        // The default is written out, not a format: a job named like a keyword stays as it is.
        #expect(FioJobFiles(jobName: "$jobnum", format: nil, directory: "d").path(forJob: 1) == "d/$jobnum.1.0")
    }

    @Test func formatKeywordsInAnyCaseEveryOccurrence() {
        let files = FioJobFiles(jobName: "f2", format: "$JOBNAME-$jobnum-$JobNum.$filenum.$clientuid", directory: "sub")
        #expect(files.path(forJob: 0) == "sub/f2-0-0.0.")
        #expect(files.path(forJob: 7) == "sub/f2-7-7.0.")
        #expect(FioJobFiles(jobName: "j", format: "plain", directory: nil).path(forJob: 3) == "plain")
    }

    @Test func aFormatWithoutJobNumberDoesNotSeparateAGroup() {
        #expect(FioJobFiles(jobName: "j", format: "shared.$filenum", directory: nil).separatesJobs(2) == false)
        #expect(FioJobFiles(jobName: "j", format: "shared.$filenum", directory: nil).separatesJobs(1))
        #expect(FioJobFiles(jobName: "j", format: "$jobnum", directory: nil).separatesJobs(4))
        #expect(FioJobFiles(jobName: "j", format: nil, directory: nil).separatesJobs(4))
    }

    @Test func aSpecReadsJobZerosFileAndListsEveryJobs() {
        var job = JobSpec()
        job.numjobs = 3
        #expect(job.filenames == ["uringbench.dat"])
        job.jobFiles = FioJobFiles(jobName: "t", format: nil, directory: "/data")
        #expect(job.filenames == ["/data/t.0.0", "/data/t.1.0", "/data/t.2.0"])
        #expect(job.forJob(2).filename == "/data/t.2.0")
    }
}

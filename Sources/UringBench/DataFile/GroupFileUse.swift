import Foundation

/// How the jobs of one group (jobs that run at the same time) use their files: which job opens
/// each file for the others, and what uringbench refuses when two jobs share one.
enum GroupFileUse {
    /// Two names of one file, as far as the path says before the file exists.
    static func key(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }

    /// The job that opens each file, in the order the files first appear: the first job that
    /// writes it (so the file's write check is that job's), else the first job on it.
    static func openers(_ jobs: [JobSpec]) -> [Int] {
        var order: [String] = []
        var opener: [String: Int] = [:]
        for (i, job) in jobs.enumerated() {
            let k = key(job.filename)
            if let o = opener[k] {
                if !jobs[o].rw.writes && job.rw.writes { opener[k] = i }
            } else {
                order.append(k)
                opener[k] = i
            }
        }
        return order.compactMap { opener[$0] }
    }

    /// A job sharing another's open of a file reads within the file as that job laid it out.
    static func checkFits(_ job: JobSpec, in file: DataFile) throws(BenchError) {
        guard !file.isBlockDevice, job.size > file.fileSize else { return }
        throw .invalidOption("job '\(job.name)' has size=\(job.size) but '\(job.filename)', which it shares with another job of its group, is \(file.fileSize) bytes; give the jobs on one file the same size")
    }

    /// Jobs that run at the same time on one file under --verify/verify: a job that checks
    /// what it reads or reads back cannot beside another job writing that file, which changes
    /// blocks under it (each job's generations are its own, and a read beside a buffered write
    /// may see a sector half written). Refused by name.
    static func check(_ jobs: [JobSpec]) throws(BenchError) {
        for (i, checker) in jobs.enumerated() where checker.verify {
            for (j, writer) in jobs.enumerated() where j != i && writer.rw.writes && key(writer.filename) == key(checker.filename) {
                throw .invalidOption("job '\(checker.name)' verifies '\(checker.filename)' while job '\(writer.name)' writes it in the same group, so its checks would see the other job's writes; turn verify off for '\(checker.name)' or put stonewall before one of the two")
            }
        }
    }
}

import Foundation

/// The files fio gives a job whose job file names none (init.c `add_job` and `make_filename`):
/// one per job of a numjobs group, `$jobname.$jobnum.$filenum` by default (the section's name,
/// the job's index in its group, the file's index: 0, one file per job), or `filename_format`
/// with those keywords put in, under `directory=` when given. Checked with fio 3.33: numjobs=2
/// in `[f1]` lays out `f1.0.0` and `f1.1.0`, each of `size` bytes.
public struct FioJobFiles: Codable, Sendable, Equatable {
    /// The job's section name (fio names files after it, not after `name=`).
    public var jobName: String
    /// fio's `filename_format`; nil: fio's default, `$jobname.$jobnum.$filenum`.
    public var format: String?
    /// fio's `directory=`, prefixed with a `/`.
    public var directory: String?

    public init(jobName: String, format: String?, directory: String?) {
        self.jobName = jobName
        self.format = format
        self.directory = directory
    }

    /// fio's keywords in the order `make_filename` puts them in; `$clientuid` is the client's
    /// address under `fio --client`, empty in a local run.
    static let keywords = ["$jobname", "$jobnum", "$filenum", "$clientuid"]

    /// The path of the file of job `index` of the group.
    public func path(forJob index: Int) -> String {
        let name: String
        if let format {
            var text = format
            for keyword in Self.keywords {
                let value = switch keyword {
                case "$jobname": jobName
                case "$jobnum": String(index)
                case "$filenum": "0"
                default: ""
                }
                text = Self.replacing(keyword, in: text, with: value)
            }
            name = text
        } else {
            name = "\(jobName).\(index).0"
        }
        return directory.map { $0 + "/" + name } ?? name
    }

    /// Every occurrence of `keyword`, in any case (fio uses strcasestr), replaced by `value`.
    static func replacing(_ keyword: String, in text: String, with value: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let found = rest.range(of: keyword, options: .caseInsensitive) {
            out += rest[..<found.lowerBound] + value
            rest = rest[found.upperBound...]
        }
        return out + rest
    }

    /// Whether the jobs of a group of `jobs` get files of their own: a `filename_format`
    /// without `$jobnum` gives them one name, and fio then runs only the first (its copies find
    /// the name taken and get no file: 0 IOs in fio 3.33).
    func separatesJobs(_ jobs: Int) -> Bool {
        jobs <= 1 || path(forJob: 0) != path(forJob: 1)
    }
}

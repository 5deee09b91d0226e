/// One job option, declared once, as fio's options.c declares each in a `struct fio_option`: its
/// names, what its value is, its limits, its help and how it sets a `JobSpec`. The job-file reader
/// (`JobState`), the command line (help text and checks), `JobSpec.validate` and the list of
/// accepted job-file keys all read the table (`JobOption.all`), so a limit or a message exists
/// once. Engine options are declared by their engines (`EngineOption`), not here.
public struct JobOption: Sendable {
    /// What the value is and how it sets the job (fio's `type` and `off1`).
    public enum Value: Sendable {
        /// A whole number in `range` (FIO_OPT_INT with minval/maxval); job files read it with
        /// fio's suffixes under kb_base. `example` is a value that works, for the refusal.
        case integer(ClosedRange<Int>, example: Int, set: @Sendable (inout JobSpec, Int) -> Void)
        /// A size in bytes in `range` (FIO_OPT_STR_VAL): fio's suffixes under kb_base in job
        /// files, uringbench's (Units) on the command line.
        case bytes(ClosedRange<UInt64>, example: String, set: @Sendable (inout JobSpec, UInt64) -> Void)
        /// 0 or 1; a bare key in a job file is 1 (FIO_OPT_BOOL, FIO_OPT_STR_SET).
        case flag(set: @Sendable (inout JobSpec, Bool) -> Void)
        /// A time; a bare number is seconds (fio's `is_seconds`).
        case duration(set: @Sendable (inout JobSpec, UInt64) -> Void)
        /// Text taken as written.
        case text(set: @Sendable (inout JobSpec, String) -> Void)
        /// Read by code of its own (rw's direction list, bssplit, filename lists, cpus_allowed,
        /// log files…): the row still names the option and says what it does.
        case special
    }

    /// fio's job-file key (options.c `name`); nil: a uringbench option fio has no key for, or one
    /// job files do not take.
    public let fioName: String?
    /// Other keys fio accepts for it (options.c `alias`).
    let aliases: [String]
    /// The command line's long name without the dashes; nil: job files only.
    let cliName: String?
    /// The help text (options.c `help`), shown by `--help`.
    public let help: String
    /// The placeholder `--help` shows for the value (`<size>`); nil: argument-parser's default.
    public let valueName: String?
    public let value: Value
    /// Why the bounds are what they are, added to a refusal (": no engine queues more …").
    let boundsReason: String
    /// The value fio's JSON lists for a job under "job options"; nil: not listed for this job
    /// (`FioJSON.jobOptions` says in which order).
    public let echo: (@Sendable (JobSpec) -> String?)?

    public init(fio fioName: String?, aliases: [String] = [], cli cliName: String? = nil, help: String,
                valueName: String? = nil, _ value: Value, boundsReason: String = "",
                echo: (@Sendable (JobSpec) -> String?)? = nil) {
        self.fioName = fioName
        self.aliases = aliases
        self.cliName = cliName
        self.help = help
        self.valueName = valueName
        self.value = value
        self.boundsReason = boundsReason
        self.echo = echo
    }

    /// The command line's spelling, `--iodepth` (also the one `JobSpec.validate` names).
    public var flag: String { "--" + (cliName ?? fioName ?? "") }

    /// The key fio's JSON lists it under: fio's name, else the command line's.
    var echoName: String { fioName ?? cliName ?? "" }

    /// The whole numbers the option takes, nil when it is not a whole number.
    public var range: ClosedRange<Int>? {
        if case .integer(let range, _, _) = value { return range }
        return nil
    }

    /// The rule a whole number breaks, the same on the command line and in job files.
    var rangeRule: String {
        switch value {
        case .integer(let range, _, _): return Self.wholeNumberRule(range)
        case .bytes(let range, _, _):
            let lower = range.lowerBound == 1 ? "1 byte" : formatBytesFlag(range.lowerBound)
            return "must be from \(lower) to \(formatBytesFlag(range.upperBound))"
        default: return ""
        }
    }

    static func wholeNumberRule(_ range: ClosedRange<Int>) -> String {
        "must be a whole number from \(range.lowerBound) to \(range.upperBound)"
    }

    private var example: String {
        switch value {
        case .integer(_, let example, _): return "\(example)"
        case .bytes(_, let example, _): return example
        default: return ""
        }
    }

    /// nil when `got` is in range, else the refusal spelled for the command line:
    /// `--numjobs must be a whole number from 1 to 1024 (got 0): each job is a thread with its own
    /// engine; use e.g. --numjobs 4`.
    public func problem(_ got: Int) -> String? {
        guard let range, !range.contains(got) else { return nil }
        return refusal(got: "\(got)")
    }

    /// nil when `got` bytes are in range, else the command line's refusal.
    public func problem(bytes got: UInt64) -> String? {
        guard case .bytes(let range, _, _) = value, !range.contains(got) else { return nil }
        return refusal(got: "\(got)")
    }

    /// The refusal of a value outside the bounds, spelled for the command line.
    public func refusal(got: String) -> String {
        "\(flag) \(rangeRule) (got \(got))\(boundsReason); use e.g. \(flag) \(example)"
    }

    /// The same refusal spelled for a job file, with the value as written:
    /// `'numjobs=0' must be a whole number from 1 to 1024: each job is …; use e.g. numjobs=4`.
    func jobFileProblem(key: String, written: String) -> String {
        "'\(key)=\(written)' \(rangeRule)\(boundsReason); use e.g. \(key)=\(example)"
    }

    /// Sets a whole number, checked against the range (the command line's path).
    public func set(_ n: Int, on spec: inout JobSpec) {
        if case .integer(_, _, let set) = value { set(&spec, n) }
    }

    /// Sets a size in bytes (the command line's path).
    public func set(bytes: UInt64, on spec: inout JobSpec) {
        if case .bytes(_, _, let set) = value { set(&spec, bytes) }
    }

    /// Sets a flag (the command line's path).
    public func set(_ b: Bool, on spec: inout JobSpec) {
        if case .flag(let set) = value { set(&spec, b) }
    }

    /// Sets a duration (the command line's path).
    public func set(nanoseconds: UInt64, on spec: inout JobSpec) {
        if case .duration(let set) = value { set(&spec, nanoseconds) }
    }

    /// The row a job-file key names, aliases resolved.
    static func withFioName(_ key: String) -> JobOption? { byFioName[key] }

    private static let byFioName: [String: JobOption] = {
        var rows: [String: JobOption] = [:]
        for row in all { if let name = row.fioName { rows[name] = row } }
        return rows
    }()

    /// The job-file keys, in the table's order (what a refusal of an unknown key lists).
    static var fioNames: [String] { all.compactMap(\.fioName) }

    /// Each alias with the key it stands for.
    static let fioAliases: [String: String] = {
        var aliases: [String: String] = [:]
        for row in all { if let name = row.fioName { for a in row.aliases { aliases[a] = name } } }
        return aliases
    }()
}

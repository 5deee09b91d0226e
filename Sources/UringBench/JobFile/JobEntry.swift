/// One `key=value` line of a job section, read as fio reads it (FioValue, under the job's
/// kb_base); every refusal names the key as written, the file and the line.
struct JobEntry {
    /// The key as written (an alias stays an alias in messages).
    let written: String
    /// The key, aliases resolved.
    let key: String
    /// The value with fio's keywords put in; nil for a bare key.
    let value: String?
    let path: String
    let line: Int
    let kbBase: Int

    init(_ entry: JobFileSyntax.Entry, path: String, kbBase: Int) throws(JobFileError) {
        let expanded = try JobState.withKeywordsExpanded(entry, path: path)
        written = entry.key
        key = JobFile.aliases[entry.key] ?? entry.key
        value = expanded.value
        self.path = path
        line = entry.line
        self.kbBase = kbBase
    }

    func fail(_ message: String) -> JobFileError { JobFileError(path: path, line: line, message) }

    func required() throws(JobFileError) -> String {
        guard let v = value else { throw fail("option '\(written)' needs a value: \(written)=...") }
        return v
    }

    func flag() throws(JobFileError) -> Bool {
        guard let v = value else { return true }      // bare `time_based` sets it
        switch v {
        case "1": return true
        case "0": return false
        default: throw fail("'\(written)=\(v)' must be 0 or 1")
        }
    }

    /// A whole number in `range`, refused with the table's rule when it is a row's.
    func integer(_ range: ClosedRange<Int>, row: JobOption? = nil) throws(JobFileError) -> Int {
        let v = try required()
        let n: UInt64
        do { n = try FioValue.integer(v, kbBase: kbBase) } catch { throw fail("'\(written)=\(v)' \(error.reason)") }
        guard n <= UInt64(range.upperBound), range.contains(Int(n)) else {
            throw fail(row?.jobFileProblem(key: written, written: v) ?? "'\(written)=\(v)' \(JobOption.wholeNumberRule(range))")
        }
        return Int(n)
    }

    /// A size in bytes, more than zero.
    func size() throws(JobFileError) -> UInt64 {
        let v = try required()
        switch try sizeOrPercent() {
        case .percent:
            throw fail("'\(written)=\(v)' is a share of the file's size, which uringbench does not take; give bytes, e.g. 1G")
        case .bytes(let n):
            guard n > 0 else { throw fail("'\(written)=\(v)' is zero; give a size, e.g. 4k, 512M, 1G") }
            return n
        }
    }

    func sizeOrPercent() throws(JobFileError) -> FioValue.Size {
        let v = try required()
        do { return try FioValue.size(v, kbBase: kbBase) } catch { throw fail("'\(written)=\(v)' \(error.reason)") }
    }

    func duration() throws(JobFileError) -> UInt64 {
        let v = try required()
        do { return try FioValue.time(v) } catch { throw fail("'\(written)=\(v)' \(error.reason)") }
    }

    /// fio's thinktime values: a bare number is microseconds.
    func microseconds() throws(JobFileError) -> UInt64 {
        let v = try required()
        do { return try FioValue.time(v, bareUnitNanoseconds: 1_000) } catch { throw fail("'\(written)=\(v)' \(error.reason)") }
    }

    /// The one path of a filename= or directory= value; a list is refused by name.
    func onePath(_ what: String) throws(JobFileError) -> String {
        let v = try required()
        let names = JobState.fioFileNames(v)
        guard names.count == 1 else {
            throw fail("\(written)=\(v) lists \(names.count) \(what) (':' separates them); uringbench reads one file per job: give one, and write a ':' in a name as '\\:'")
        }
        return names[0]
    }

    /// Sets `spec` from a row the table reads generically; false for a `.special` row.
    func apply(_ row: JobOption, to spec: inout JobSpec) throws(JobFileError) -> Bool {
        switch row.value {
        case .integer(let range, _, let set): set(&spec, try integer(range, row: row))
        case .bytes(let range, _, let set):
            let n = try size()
            guard range.contains(n) else { throw fail(row.jobFileProblem(key: written, written: value ?? "")) }
            set(&spec, n)
        case .flag(let set): set(&spec, try flag())
        case .duration(let set): set(&spec, try duration())
        case .text(let set): set(&spec, try required())
        case .special: return false
        }
        return true
    }
}

/// The IO pattern: direction and order, the random stream and the readahead advice.
extension JobState {
    mutating func applyRW(_ e: JobEntry) throws(JobFileError) {
        let written = try e.required()
        let (v, skip) = try rwModifier(written, e)
        guard let mode = RWMode(fioName: v) else {
            throw e.fail("rw=\(v) is not supported: uringbench runs \(RWMode.allCases.map(\.rawValue).joined(separator: ", ")) (and readwrite); use one of them")
        }
        if mode.isRandom && skip != nil {
            throw e.fail("rw=\(written): fio reads ':N' after a random mode as N sequential IOs before each random one (ddir_seq_nr), which uringbench does not do; drop ':N' or run the file with fio")
        }
        spec.rw = mode
        spec.sequentialSkip = skip ?? 0
    }

    /// `read:-8k` → ("read", -8192), as fio's str_rw_cb reads the part after ':' (a size, signed).
    func rwModifier(_ text: String, _ e: JobEntry) throws(JobFileError) -> (String, Int64?) {
        guard let colon = text.firstIndex(of: ":") else { return (text, nil) }
        var number = String(text[text.index(after: colon)...])
        let negative = number.hasPrefix("-")
        if negative || number.hasPrefix("+") { number.removeFirst() }
        let parsed: FioValue.Size
        do { parsed = try FioValue.size(number, kbBase: kbBase) } catch { throw e.fail("'rw=\(text)': the offset modifier \(error.reason)") }
        guard case .bytes(let n) = parsed, n > 0 else { throw e.fail("'rw=\(text)': the offset modifier must be a nonzero size, e.g. rw=read:-8k") }
        let step = Int64(n)    // FioValue sizes are below 2^63
        return (String(text[..<colon]), negative ? -step : step)
    }

    mutating func applyRandSeed(_ e: JobEntry) throws(JobFileError) {
        let v = try e.required()
        do { spec.randSeed = try FioValue.integer(v, kbBase: kbBase) } catch { throw e.fail("'randseed=\(v)' \(error.reason)") }
        randSeedGiven = true
    }

    mutating func applyNoRandomMap(_ e: JobEntry) throws(JobFileError) {
        // fio reads any whole number here: nonzero sets it, 0 keeps the map (the default).
        guard let v = e.value else { spec.randomMap = false; return }
        guard let n = Int(v) else { throw e.fail("'norandommap=\(v)' must be 0 or 1 (or bare norandommap)") }
        spec.randomMap = n == 0
    }

    mutating func applyRandomGenerator(_ e: JobEntry) throws(JobFileError) {
        let v = try e.required()
        guard let g = RandomGenerator(rawValue: v) else {
            throw e.fail("'random_generator=\(v)' is not one of fio's: tausworthe, lfsr, tausworthe64")
        }
        spec.randomGenerator = g
        tauswortheAsked = g == .tausworthe
    }

    mutating func applyRandomDistribution(_ e: JobEntry) throws(JobFileError) {
        let v = try e.required()
        do { spec.randomDistribution = try RandomDistribution(fioSpelling: v) } catch {
            throw e.fail(error.description)
        }
    }

    mutating func applyFadviseHint(_ e: JobEntry) throws(JobFileError) {
        let v = try e.required()
        guard let hint = FadviseHint(rawValue: v), hint != .normal else {
            throw e.fail("'fadvise_hint=\(v)' is not one of fio's: 0, 1, random, sequential" + (v == "normal" ? " (fio has no normal; 0 gives no advice, which leaves the kernel's normal readahead)" : ""))
        }
        spec.fadviseHint = hint
    }
}

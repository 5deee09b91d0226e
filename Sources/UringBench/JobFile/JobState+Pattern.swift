/// The IO pattern: direction and order, the random stream and the readahead advice.
extension JobState {
    mutating func applyRW(_ e: JobEntry) throws(JobFileError) {
        let v = try e.required()
        guard let mode = RWMode(fioName: v) else {
            throw e.fail("rw=\(v) is not supported: uringbench runs \(RWMode.allCases.map(\.rawValue).joined(separator: ", ")) (and readwrite); use one of them")
        }
        spec.rw = mode
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

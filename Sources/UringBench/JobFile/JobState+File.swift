/// The file, its size and the block size: the job-file options fio reads with callbacks of their
/// own (options.c `str_filename_cb`, `str_bssplit_cb`, …).
extension JobState {
    mutating func applyKBBase(_ e: JobEntry) throws(JobFileError) {
        let v = try e.required()
        guard let base = Int(v), FioValue.validKBBases.contains(base) else {
            throw e.fail("'kb_base=\(v)' must be 1024 (fio's default: k is 1024, KiB 1000) or 1000 (k is 1000, KiB 1024)")
        }
        kbBase = base
    }

    mutating func applyFilename(_ e: JobEntry) throws(JobFileError) {
        let name = try e.onePath("files")
        // fio adds each filename= to the files the job already has (str_filename_cb), so a
        // job's own filename= under a [global] one gives the job two files.
        guard !hasFilename else {
            throw e.fail("filename=\(e.value ?? "") adds a second file to the job (fio keeps the one named earlier, in [global] or this section, and uses both); uringbench reads one file per job: name the file once, in [global] or in each job")
        }
        // fio's add_file: directory, '/', then the name (even an absolute one).
        spec.filename = directory.map { $0 + "/" + name } ?? name; hasFilename = true
    }

    mutating func applyDirectory(_ e: JobEntry) throws(JobFileError) {
        let name = try e.onePath("directories")
        // fio resolves a file name when it reads it; a later directory= does not move it.
        guard !hasFilename else {
            throw e.fail("directory= comes after the filename= of an earlier section, and fio does not apply it to that file; put directory= with filename= or before it")
        }
        directory = name
    }

    mutating func applySize(_ e: JobEntry) throws(JobFileError) {
        spec.size = try e.size(); hasSize = true
    }

    mutating func applyFilesize(_ e: JobEntry) throws(JobFileError) {
        // The file's size; each job's region then runs from its offset to its end (fio's
        // setup_files), and size= only bounds a job that is not time_based.
        spec.fileSize = try e.size()
        if !hasSize { spec.size = spec.fileSize ?? spec.size }
        hasSize = true
    }

    /// offset (bytes, or a share of the file) and offset_increment: where each job's region starts.
    mutating func applyOffset(_ e: JobEntry) throws(JobFileError) {
        let given = e.value ?? ""
        switch (e.key, try e.sizeOrPercent()) {
        case ("offset", .bytes(let n)): spec.offset = n; spec.offsetPercent = 0
        case ("offset", .percent(let p)):
            guard p < 100 else { throw e.fail("'offset=\(given)' starts the job at the file's end; give a share below 100%, e.g. offset=50%") }
            spec.offset = 0; spec.offsetPercent = Int(p)
        case (_, .bytes(let n)): spec.offsetIncrement = n
        case (_, .percent):
            throw e.fail("'offset_increment=\(given)' is a share of the file, which uringbench does not take for offset_increment; give bytes, e.g. offset_increment=1G")
        }
    }

    /// bsrange=min-max (or r-range,w-range): every size from min to max, in steps of min.
    mutating func applyBlockSizeRange(_ e: JobEntry) throws(JobFileError) {
        let v = try e.required()
        var choices: [BlockSizes.Choice?] = []
        for list in v.split(separator: ",", omittingEmptySubsequences: false).prefix(2).map(String.init) {
            if list.isEmpty { choices.append(nil); continue }
            let ends = list.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            let sizes = ends.count == 2 ? ends.compactMap { try? FioValue.integer($0, kbBase: kbBase) } : []
            guard sizes.count == 2, let low = sizes.min(), let high = sizes.max(), low > 0, high <= UInt64(JobSpec.maxBlockSize) else {
                throw e.fail("bsrange=\(v): '\(list)' is not a range of block sizes from 1 to \(formatBytesFlag(UInt64(JobSpec.maxBlockSize))); give min-max, e.g. bsrange=4k-64k (or reads,writes: 4k-16k,8k-64k)")
            }
            choices.append(BlockSizes.Choice(smallest: low, largest: high))
        }
        givenSizes = Self.perDirection(choices)
    }

    /// bssplit=size/percent:size/percent… (or r-list,w-list): fio's options.c `bssplit_ddir`.
    /// A size with no percentage (or 0) shares what the others leave; percentages above 100
    /// count as 100; the sizes are walked in order of their percentages.
    mutating func applyBlockSizeSplit(_ e: JobEntry) throws(JobFileError) {
        let v = try e.required()
        var choices: [BlockSizes.Choice?] = []
        for list in v.split(separator: ",", omittingEmptySubsequences: false).prefix(2).map(String.init) {
            choices.append(try splitSizes(list, entry: e))
        }
        givenSizes = Self.perDirection(choices)
    }

    /// One direction's list of a bssplit; nil when it is empty (that direction keeps bs=).
    private func splitSizes(_ list: String, entry e: JobEntry) throws(JobFileError) -> BlockSizes.Choice? {
        let v = e.value ?? ""
        var shares: [BlockSizes.Share] = []
        var missing = 0
        // fio's strsep on ':' stops at the first empty entry.
        for item in list.split(separator: ":", omittingEmptySubsequences: false).prefix(while: { !$0.isEmpty }) {
            let parts = item.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let size = try? FioValue.integer(parts[0], kbBase: kbBase)
            let percentText = parts.count == 2 ? parts[1] : ""
            let percent = percentText.isEmpty ? 0 : UInt64(percentText)
            guard let size, size > 0, size <= UInt64(JobSpec.maxBlockSize), let percent else {
                throw e.fail("bssplit=\(v): '\(item)' is not a block size (1 to \(formatBytesFlag(UInt64(JobSpec.maxBlockSize)))) with a whole percentage; give size/percent entries, e.g. bssplit=4k/50:64k/50")
            }
            if percent == 0 { missing += 1 }
            shares.append(BlockSizes.Share(size: size, percent: min(percent, 100)))
        }
        guard !shares.isEmpty else { return nil }
        let given = shares.reduce(0) { $0 + $1.percent }
        // Shares above 100 with every percentage given act as fio's draw reads them (the running
        // total passes 100 and the later sizes are never drawn); with sizes left to share the
        // rest, fio refuses (or, with one, gives it a wrapped-around share).
        guard given <= 100 || missing == 0 else {
            throw e.fail("bssplit=\(v): the percentages add up to \(given), more than 100, and sizes without one are left to share the rest (fio: \"bssplit percentages add to more than 100%\"); make them add up to 100 at most")
        }
        if missing > 0 {
            let each = shares.count == 1 ? 100 : (100 - given) / UInt64(missing)
            for i in shares.indices where shares[i].percent == 0 { shares[i].percent = each }
        }
        // fio's qsort by percentage; equal ones keep their order here (fio's order among them is
        // its qsort's, and only decides which of equal shares a near-end IO tries first).
        let sorted = shares.enumerated().sorted { ($0.element.percent, $0.offset) < ($1.element.percent, $1.offset) }.map(\.element)
        return BlockSizes.Choice(shares: sorted)
    }

    /// fio's str_split_parse: one list for every direction, or reads' then writes'.
    private static func perDirection(_ choices: [BlockSizes.Choice?]) -> (read: BlockSizes.Choice?, write: BlockSizes.Choice?) {
        choices.count == 1 ? (choices[0], choices[0]) : (choices[0], choices[1])
    }

    /// The sizes bssplit= or bsrange= gave, once the job's direction and bs= are known: a
    /// direction without a list keeps bs=, a job's one direction decides, and a job of one
    /// size keeps it as bs=. Returns bs= and the sizes (nil: one size); nil when neither was given.
    func blockSizes(of spec: JobSpec, fail: (String) -> JobFileError) throws(JobFileError) -> (bs: Int, sizes: BlockSizes?)? {
        guard let givenSizes else { return nil }
        let bs = BlockSizes.Choice(smallest: UInt64(spec.blockSize), largest: UInt64(spec.blockSize))
        var read = givenSizes.read ?? bs, write = givenSizes.write ?? bs
        if !spec.rw.writes { write = read }
        if !spec.rw.reads { read = write }
        guard read.smallest == write.smallest else {
            throw fail("bssplit/bsrange: the smallest read size (\(formatBytesFlag(read.smallest))) and the smallest write size (\(formatBytesFlag(write.smallest))) differ, which uringbench does not do (its offsets and random map count in one block size); give both lists the same smallest size")
        }
        let one = read.isSingle && write.isSingle && read.largest == write.largest
        return (Int(clamping: read.smallest), one ? nil : BlockSizes(read: read, write: write))
    }
}

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

    mutating func applyBlockSizeRange(_ e: JobEntry) throws(JobFileError) {
        let v = try e.required()
        let ends = v.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        let sizes = ends.count == 2 ? ends.compactMap { try? FioValue.integer($0, kbBase: kbBase) } : []
        guard sizes.count == 2, sizes[0] == sizes[1], sizes[0] > 0, sizes[0] <= UInt64(JobSpec.maxBlockSize) else {
            throw e.fail("bsrange=\(v) mixes block sizes, which uringbench does not do (every IO of a job is one size); give one size, as bs= or bsrange=4k-4k")
        }
        rangeBlockSize = Int(sizes[0])
    }

    mutating func applyBlockSizeSplit(_ e: JobEntry) throws(JobFileError) {
        let v = try e.required()
        let parts = v.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let size = parts.count == 2 && parts[1] == "100" ? try? FioValue.integer(parts[0], kbBase: kbBase) : nil
        guard let size, size > 0, size <= UInt64(JobSpec.maxBlockSize) else {
            throw e.fail("bssplit=\(v) mixes block sizes, which uringbench does not do (every IO of a job is one size); give one size, as bs= or bssplit=4k/100")
        }
        rangeBlockSize = Int(size)
    }
}

/// The rules for where a job's IOs go (offset, offset_increment, filesize) and how they are
/// paced (rate, rate_process, thinktime): one message each, naming the option and a value that
/// works.
extension JobSpec {
    /// The most bytes one job's region spans (every job's is at most this): `size`, or with
    /// filesize= the file from the job's offset on.
    var regionSpan: UInt64 {
        guard let fileSize else { return size }
        return fileSize > offset ? fileSize - offset : 0
    }

    /// The largest byte rate: beyond it a per-IO gap would be below a nanosecond for 512-byte IOs.
    static let maxRateBytes: UInt64 = 1 << 50

    func validateRegion() throws(BenchError) {
        let sector = UInt64(DataPattern.sectorSize)
        if offset % sector != 0 || offsetIncrement % sector != 0 {
            throw .invalidOption("--offset \(offset) and --offset-increment \(offsetIncrement) must be multiples of 512: uringbench reads and writes whole sectors, each with its offset in its header; use e.g. --offset \(offset / sector * sector)")
        }
        if offsetPercent < 0 || offsetPercent > 99 {
            throw .invalidOption("--offset \(offsetPercent)% must be a share of the file from 0% to 99%; use e.g. --offset 50%")
        }
        let jobs = UInt64(max(1, numjobs) - 1)
        let steps = offsetIncrement.multipliedReportingOverflow(by: jobs)
        let lastStart = offset.addingReportingOverflow(steps.partialValue)
        let end = lastStart.partialValue.addingReportingOverflow(fileSize == nil ? size : 0)
        if steps.overflow || lastStart.overflow || end.overflow || end.partialValue > Units.maxSize {
            throw .invalidOption("--offset \(offset) + \(jobs) × --offset-increment \(offsetIncrement) + --size \(size) is beyond 2^63 bytes, more than a file holds; use smaller values")
        }
        if let fileSize {
            if fileSize > Units.maxSize { throw .invalidOption("--filesize must be below 2^63 bytes (got \(fileSize)); use e.g. --filesize 1G") }
            if offsetPercent == 0 && (fileSize < lastStart.partialValue || fileSize - lastStart.partialValue < UInt64(blockSize)) {
                throw .invalidOption("--filesize \(fileSize) leaves no whole --bs \(blockSize) block after the last job's offset (\(lastStart.partialValue)), so that job has nothing to do (fio: 'offset larger than length'); use a larger --filesize or a smaller --offset")
            }
        }
    }

    func validatePacing() throws(BenchError) {
        if thinktimeNanoseconds > Units.maxDurationNanoseconds {
            throw .invalidOption("--thinktime must be at most \(Units.maxDurationText); use e.g. --thinktime 1ms")
        }
        if thinktimeSpinNanoseconds > thinktimeNanoseconds {
            throw .invalidOption("--thinktime-spin \(thinktimeSpinNanoseconds / 1000)us is longer than --thinktime \(thinktimeNanoseconds / 1000)us, of which it is the spinning part; give a --thinktime-spin no longer than --thinktime")
        }
        if thinktimeBlocks < 1 || thinktimeBlocks > Int(Int32.max) {
            throw .invalidOption("--thinktime-blocks must be from 1 to \(Int32.max) (got \(thinktimeBlocks)); use e.g. --thinktime-blocks 1")
        }
        if rateBytes > Self.maxRateBytes || writeRateBytes ?? 0 > Self.maxRateBytes {
            throw .invalidOption("--rate must be at most 1P a second (got \(max(rateBytes, writeRateBytes ?? 0))); use 0 for no cap")
        }
        if (rateBytes > 0 || writeRateBytes ?? 0 > 0) && (rateIOPS > 0 || writeRateIOPS ?? 0 > 0) {
            throw .invalidOption("--rate and --rate-iops both cap the job, and fio refuses the pair ('rate and rate_iops are mutually exclusive'); keep one")
        }
        if ratePoisson {
            let bs = UInt64(max(1, blockSize))
            let read = rateBytes > 0 ? rateBytes : rateIOPS &* bs
            let write = (writeRateBytes ?? rateBytes) > 0 ? writeRateBytes ?? rateBytes : (writeRateIOPS ?? rateIOPS) &* bs
            if read == 0 && write == 0 {
                throw .invalidOption("--rate-process poisson spaces rate-limited IOs, and the job has no --rate or --rate-iops; add one, or drop --rate-process")
            }
            if (read > 0 && read < bs) || (write > 0 && write < bs) {
                throw .invalidOption("--rate-process poisson draws gaps around one IO's share of the rate, and a rate of \(min(read == 0 ? .max : read, write == 0 ? .max : write)) B/s is less than one --bs \(bs) IO a second (fio divides by zero there); give at least --rate \(bs)")
            }
        }
    }
}

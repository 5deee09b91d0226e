/// The part of the file one job's IOs go to (fio's `file_offset` and `io_size`): from `start`,
/// `length` bytes. fio's rules (filesetup.c `get_start_offset`, `setup_files`): job N of a
/// numjobs group starts at offset + N × offset_increment; offset=P% is P% of the file's size as
/// found before the run (0 for a file not there yet, which fio then lays out from 0), rounded up
/// to a whole block; the region is `size` bytes long, or with filesize= runs to the end of a
/// file of that size.
public struct JobRegion: Sendable, Equatable {
    public var start: UInt64
    public var length: UInt64

    public init(start: UInt64, length: UInt64) {
        self.start = start
        self.length = length
    }

    /// Where the region ends: the file must hold this many bytes.
    public var end: UInt64 { start &+ length }

    /// Job `jobIndex`'s region; `foundSize`: the file's size before the run (nil: not there yet).
    public static func of(_ job: JobSpec, jobIndex: Int, foundSize: UInt64?) -> JobRegion {
        let step = UInt64(max(0, jobIndex)).multipliedReportingOverflow(by: job.offsetIncrement)
        let shift = step.overflow ? UInt64.max : step.partialValue
        var start: UInt64
        if job.offsetPercent > 0 {
            let bs = UInt64(max(1, job.blockSize))
            let raw = (foundSize ?? 0).multipliedFullWidth(by: UInt64(job.offsetPercent))
            let share = raw.high == 0 ? raw.low / 100 : UInt64.max / 100
            start = share.addingReportingOverflow(shift).overflow ? .max : share &+ shift
            // fio rounds a share up to the next whole block.
            if start % bs != 0 { start = start / bs &* bs &+ bs }
        } else {
            start = job.offset.addingReportingOverflow(shift).overflow ? .max : job.offset &+ shift
        }
        if let fileSize = job.fileSize { return JobRegion(start: start, length: fileSize > start ? fileSize - start : 0) }
        return JobRegion(start: start, length: job.size)
    }

    /// The bytes the file must hold for every job of `job`'s group.
    static func extent(_ job: JobSpec, foundSize: UInt64?) -> UInt64 {
        let last = of(job, jobIndex: max(0, job.numjobs - 1), foundSize: foundSize)
        return max(last.end, job.fileSize ?? 0)
    }

    /// The refusal for a target of `size` bytes that does not hold the group's regions: the
    /// usual one when the job reads from 0, else one that names the offsets.
    static func tooSmall(_ job: JobSpec, path: String, size: UInt64, needed: UInt64, isDevice: Bool) -> BenchError {
        guard job.offset > 0 || job.offsetPercent > 0 || job.offsetIncrement > 0 || job.fileSize != nil else {
            return isDevice ? .deviceTooSmall(path: path, size: size, needed: needed) : .fileTooSmall(path: path, size: size, needed: needed)
        }
        return .invalidOption("'\(path)' is \(formatBytes(size)), and the job's regions (--offset, --offset-increment and --size, or --filesize) reach \(formatBytes(needed)); uringbench never grows an existing file or writes past a device's end: use a smaller --offset or --size, or a new --filename")
    }
}

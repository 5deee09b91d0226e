/// How many data IOs a size-bound job (not time_based) issues, fio's rules (backend.c, fio
/// 3.33): `do_io` issues while the bytes issued stay below io_size × loops (io_size defaults to
/// size; reads and writes count together) and, with number_ios, while the IOs stay below
/// number_ios × loops; a pass over the file also ends where the file (or the random map) does.
/// `keep_running` starts the first `loops` passes regardless, then more while at least a block
/// of io_size is left. So io_size above size wraps over the file, and a pass cut short by the
/// issue limit ends the job. Checked against fio 3.33's total_ios: size=1m io_size=2600k → 650
/// IOs of 4k; loops=3 io_size=4m → 1024 (three passes, then one more); loops=3 io_size=512k → 384.
/// Syncs are not counted, as fio counts only reads and writes in io_issue_bytes.
///
/// A pass of an engine that queues (io_uring, libaio, posixaio) also ends once it has issued
/// `size` bytes: do_io's bytes_issued grows only for queued IOs (FIO_Q_QUEUED), never for IOs a
/// synchronous engine completes inside queue. So norandommap with loops=3 io_size=4m size=1m
/// issues 1024 IOs on io_uring and 3072 on psync (fio 3.33).
///
/// A job of several sizes (bssplit, bsrange) counts in blocks of its smallest size (`bs`), as
/// fio's byte counts do: an IO of n blocks uses n of `dataIOs`, and a pass covers the region's
/// blocks once (the random map marks each block an IO covers, and cuts an IO at a used one).
/// number_ios then counts IOs apart (`numberIOs`).
struct IssueLimit {
    /// Data IOs to issue in all (blocks of `bs` for a job of several sizes); `.max` for a
    /// time-based job.
    let dataIOs: UInt64
    /// A job of several sizes: the IOs number_ios × loops allows (`.max`: no such limit).
    let numberIOs: UInt64

    /// The IOs of one pass of `job` over `stream`'s file, as fio ends it; nil: a pass never ends.
    static func passLength(of stream: IOStream, job: JobSpec) -> UInt64? {
        if let blocks = stream.passLength { return blocks }
        if job.engine.isSynchronous { return nil }
        let bs = UInt64(max(1, job.blockSize))
        return job.size / bs + (job.size % bs == 0 ? 0 : 1)
    }

    /// `passLength`: the IOs of one pass over the file (a sequential walk, the random map or the
    /// LFSR's period); nil when a pass never ends (norandommap, skewed distributions).
    init(job: JobSpec, passLength: UInt64?) {
        guard !job.timeBased else { dataIOs = .max; numberIOs = .max; return }
        var job = job
        numberIOs = job.blockSizes == nil || job.numberIOs == 0 ? .max
            : job.numberIOs.multipliedReportingOverflow(by: UInt64(max(1, job.loops))).overflow ? .max : job.numberIOs &* UInt64(max(1, job.loops))
        if job.blockSizes != nil { job.numberIOs = 0 }
        let bs = UInt64(max(1, job.blockSize))
        let perLoop = job.ioSize ?? job.size
        let loops = UInt64(max(1, job.loops))
        // do_io: issue until the bytes reach io_size × loops, a whole IO at a time.
        let (bytes, over) = perLoop.multipliedReportingOverflow(by: loops)
        var cap = over ? UInt64.max / bs : bytes / bs + (bytes % bs == 0 ? 0 : 1)
        if job.numberIOs > 0 {
            let (ios, over) = job.numberIOs.multipliedReportingOverflow(by: loops)
            cap = min(cap, over ? .max : ios)
        }
        guard let pass = passLength, pass > 0 else { dataIOs = cap; return }
        // The first `loops` passes run whatever is left; each stops at the cap.
        let (looped, loopedOver) = pass.multipliedReportingOverflow(by: loops)
        let first = loopedOver ? cap : min(looped, cap)
        // keep_running: another pass while a whole block of io_size is still to do.
        let blocks = perLoop / bs
        guard first < cap && first < blocks else { dataIOs = first; return }
        let passes = (blocks - first) / pass + ((blocks - first) % pass == 0 ? 0 : 1)
        let (more, moreOver) = passes.multipliedReportingOverflow(by: pass)
        dataIOs = moreOver ? cap : min(cap, first + more)
    }
}

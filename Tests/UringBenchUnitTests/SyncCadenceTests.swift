import Testing
@testable import UringBench

/// fsync=N / fdatasync=N as fio 3.33 issues them (io_u.c get_rw_ddir, fio.h should_fsync): a sync
/// is next whenever the writes issued are a nonzero multiple of N and the IO that completed last
/// was not a sync. Measured with fio 3.33 here (`fio sync.fio`, psync, bs=4k, 16 MiB file,
/// time_based, runtime=2): rw=randwrite fsync=8 syncs every 8.0 writes; rw=randrw fsync=8 every
/// 4.05 writes (1304 reads, 1368 writes, 338 syncs); libaio iodepth=4 randwrite every 8.0;
/// io_uring iodepth=4 randwrite every 2.47 (fio issues syncs until the first completes).
struct SyncCadenceTests {
    static func job(_ rw: RWMode, fsync: Int = 8, mix: Int = 50) -> JobSpec {
        var job = JobSpec()
        job.rw = rw
        job.size = 1 << 20
        job.rwMixRead = mix
        job.fsyncEvery = fsync
        return job
    }

    /// The directions of `count` IOs, each completing before the next is asked for (depth 1).
    static func sequence(_ job: JobSpec, count: Int) -> [IODirection] {
        var stream = IOStream(job: job)
        return (0..<count).map { _ in stream.next().direction }
    }

    @Test func aWriteJobSyncsOncePerNWrites() {
        let s = Self.sequence(Self.job(.randwrite), count: 90)
        let expected = (0..<10).flatMap { _ in Array(repeating: IODirection.write, count: 8) + [.sync] }
        #expect(s == expected)
    }

    /// Before, a mixed job synced once per 8 writes; fio syncs again after every read that
    /// completes before the next write, so at 50/50 about every 4 writes.
    @Test func aMixedJobSyncsAgainAfterEachReadUntilTheNextWrite() {
        let s = Self.sequence(Self.job(.randrw), count: 200_000)
        var writes = 0
        for (i, d) in s.enumerated() {
            if d == .write { writes += 1 }
            guard d == .sync else { continue }
            // Due only at a multiple of 8 writes, and never right after another sync.
            #expect(writes > 0 && writes % 8 == 0 && i > 0 && s[i - 1] != .sync)
        }
        // After a sync: a write (no sync until 8 more) or a read (another sync follows it).
        for i in s.indices.dropLast(2) where s[i] == .sync && s[i + 1] == .read {
            #expect(s[i + 2] == .sync)
        }
        let syncs = s.filter { $0 == .sync }.count
        let perSync = Double(writes) / Double(syncs)
        #expect(perSync > 3.8 && perSync < 4.2, "a sync every \(perSync) writes")
        // rwmixread=70: 1 + 0.7/0.3 syncs per 8 writes, a sync every 2.4 writes.
        let seventy = Self.sequence(Self.job(.rw, mix: 70), count: 200_000)
        let ratio = Double(seventy.filter { $0 == .write }.count) / Double(seventy.filter { $0 == .sync }.count)
        #expect(ratio > 2.2 && ratio < 2.6, "a sync every \(ratio) writes")
    }

    /// An engine that queues syncs (io_uring) gets more while the first is in flight, as in fio;
    /// one that completes them inside queue (psync, libaio) one per N writes.
    @Test func syncsRepeatUntilOneCompletes() {
        var job = Self.job(.randwrite, fsync: 2)
        job.fdatasyncEvery = 2
        job.fsyncEvery = 0
        var stream = IOStream(job: job)
        var rate = IssueRate(readIOPS: 0, writeIOPS: 0, start: 0)
        var issued: [IODirection] = []
        for _ in 0..<5 { if let io = stream.next(at: 0, rate: &rate) { issued.append(io.direction) } }
        #expect(issued == [.write, .write, .datasync, .datasync, .datasync])
        stream.completed(.write)
        #expect(stream.next(at: 0, rate: &rate)?.direction == .datasync)
        stream.completed(.datasync)
        #expect(stream.next(at: 0, rate: &rate)?.direction == .write)
    }
}

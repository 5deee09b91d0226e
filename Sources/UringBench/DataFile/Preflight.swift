import Glibc
import UringCore

/// What can be known about a list of jobs without any IO, checked for every job before the
/// first one starts: a job that cannot run must not cost the jobs before it their run time,
/// nor a laid-out file. (The same checks run again when each job opens its file; this is only
/// the early answer.)
public enum Preflight {
    public static func check(_ jobs: [JobSpec]) throws(BenchError) {
        // Files an earlier job will lay out, with the size it lays out.
        var planned: [String: UInt64] = [:]
        var probed = Set<EngineKind>()
        for job in jobs {
            try job.validate()
            try ReadWriteFlags.refuseByJob(job)
            if probed.insert(job.engine).inserted { try EngineProbe.require(job.engine) }
            // A group on fio's own files (FioJobFiles) reads one file per job.
            // A diskless engine (null) neither creates nor opens its file (DataFile.opened).
            guard job.engine.descriptor.transfersData else { continue }
            for index in 0..<(job.jobFiles == nil ? 1 : max(1, job.numjobs)) { try checkFile(job.forJob(index), planned: &planned) }
        }
    }

    static func checkFile(_ job: JobSpec, planned: inout [String: UInt64]) throws(BenchError) {
        let path = job.filename
        if let size = planned[path], (try? Syscalls.fileStatus(path)) == nil {
            let needed = JobRegion.extent(job, foundSize: nil)
            if needed > size { throw JobRegion.tooSmall(job, path: path, size: size, needed: needed, isDevice: false) }
            return
        }
        switch try DataFileTarget.inspect(job) {
        case .existing(let target):
            try checkWrite(job, target: target)
        case .newFile(let directory):
            let extent = JobRegion.extent(job, foundSize: nil)
            try DataFileTarget.checkSpace(path: path, directory: directory, size: extent)
            planned[path] = extent
        }
    }

    /// A write job's checks, through a read-only descriptor on the target (O_EXCL on a device,
    /// as the run's own open will be, so a claim from another mount namespace shows here too).
    static func checkWrite(_ job: JobSpec, target: TargetDescriptor) throws(BenchError) {
        guard job.rw.writes else { return }
        let isDevice = target.type == S_IFBLK
        let reader: Int32
        do { reader = try target.reopen(flags: O_RDONLY | O_CLOEXEC | O_NONBLOCK | (isDevice ? O_EXCL : 0)) } catch {
            if error.rawValue == EBUSY { throw DataFileTarget.claimed(target) }
            return      // the run's own open says why
        }
        defer { Syscalls.close(reader) }
        let size = isDevice ? DataFileTarget.deviceSize(UInt64(target.status.st_rdev)) ?? 0 : UInt64(max(0, target.status.st_size))
        _ = try DataFileTarget.checkWrite(job, target: target, reader: reader, size: size)
    }

    /// The machine as the results of `job` will describe it (filesystem and disk of its data
    /// file, or of the directory it will be laid out in), for refusing a baseline from another
    /// machine before measuring.
    public static func machine(for job: JobSpec) -> MachineInfo {
        let existing = try? Syscalls.fileStatus(job.filename)
        let target = existing == nil ? DataFile.directory(of: job.filename) : job.filename
        guard let st = existing ?? (try? Syscalls.fileStatus(target)) else { return MachineInfo.current() }
        let isBlockDevice = st.st_mode & S_IFMT == S_IFBLK
        return DataFile.machine(filesystemType: isBlockDevice ? nil : try? Syscalls.filesystemType(target),
                                device: BlockDevice.holding(st, isBlockDevice: isBlockDevice), isBlockDevice: isBlockDevice)
    }
}

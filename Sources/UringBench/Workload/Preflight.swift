import CSystemShims
import Glibc

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
            if probed.insert(job.engine).inserted { try EngineProbe.require(job.engine) }
            try checkFile(job, planned: &planned)
        }
    }

    static func checkFile(_ job: JobSpec, planned: inout [String: UInt64]) throws(BenchError) {
        let path = job.filename
        let found: stat?
        do { found = try Syscalls.fileStatus(path) } catch { throw .system(context: "cannot stat '\(path)'", error: error) }
        guard let st = found else {
            if let size = planned[path] {
                if job.size > size { throw .fileTooSmall(path: path, size: size, needed: job.size) }
                return
            }
            let directory = DataFile.directory(of: path)
            guard let dir = try? Syscalls.fileStatus(directory), dir.st_mode & S_IFMT == S_IFDIR else {
                throw .directoryMissing(directory: directory)
            }
            guard access(directory, W_OK) == 0 else { throw .directoryNotWritable(directory: directory) }
            try refuseTmpfs(job, statfsPath: directory)
            planned[path] = job.size
            return
        }
        let type = st.st_mode & S_IFMT
        guard type == S_IFREG || type == S_IFBLK else { throw .notAFile(path: path) }
        if type == S_IFREG {
            if UInt64(st.st_size) < job.size { throw .fileTooSmall(path: path, size: UInt64(st.st_size), needed: job.size) }
            // A block device's own backing is decided when it is opened, not by /dev's filesystem.
            try refuseTmpfs(job, statfsPath: path)
        }
    }

    static func refuseTmpfs(_ job: JobSpec, statfsPath: String) throws(BenchError) {
        guard job.direct && !job.allowTmpfs, let type = try? Syscalls.filesystemType(statfsPath) else { return }
        if type == CSystemShims_TMPFS_MAGIC || type == CSystemShims_RAMFS_MAGIC { throw .tmpfsWithDirectIO(path: job.filename) }
    }

    /// The machine as the results of `job` will describe it (filesystem and disk of its data
    /// file, or of the directory it will be laid out in), for refusing a baseline from another
    /// machine before measuring.
    public static func machine(for job: JobSpec) -> MachineInfo {
        let existing = try? Syscalls.fileStatus(job.filename)
        let target = existing == nil ? DataFile.directory(of: job.filename) : job.filename
        guard let st = existing ?? (try? Syscalls.fileStatus(target)) else { return MachineInfo.current() }
        let isBlockDevice = st.st_mode & S_IFMT == S_IFBLK
        return MachineInfo.current(filesystemType: try? Syscalls.filesystemType(target),
                                   device: BlockDevice.holding(st, isBlockDevice: isBlockDevice)?.name)
    }
}

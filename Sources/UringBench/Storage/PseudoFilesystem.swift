import Glibc
import UringCore

/// Kernel interfaces that look like files: writing one changes the kernel's state (a sysfs
/// attribute, a cgroup's limits, a tracer, an EFI variable), and reading one measures no storage.
/// Recognised by statfs's f_type on the opened descriptor, never by where the path points.
enum PseudoFilesystem {
    /// f_type → name, from linux/magic.h.
    static let names: [Int: String] = [
        0x9fa0: "procfs",                 // PROC_SUPER_MAGIC
        0x6265_6572: "sysfs",             // SYSFS_MAGIC
        0x6462_6720: "debugfs",           // DEBUGFS_MAGIC
        0x7472_6163: "tracefs",           // TRACEFS_MAGIC
        0x6265_6570: "configfs",          // CONFIGFS_MAGIC
        0x0027_e0eb: "cgroup",            // CGROUP_SUPER_MAGIC
        0x6367_7270: "cgroup2",           // CGROUP2_SUPER_MAGIC
        0x7363_6673: "securityfs",        // SECURITYFS_MAGIC
        0xcafe_4a11: "bpffs",             // BPF_FS_MAGIC
        0xde5e_81e4: "efivarfs",          // EFIVARFS_MAGIC
        0x6165_676c: "pstore",            // PSTORE_MAGIC
        0x4249_4e4d: "binfmt_misc",       // BINFMTFS_MAGIC
        0xf97c_ff8c: "selinuxfs",         // SELINUX_MAGIC
        0x4341_5d53: "smackfs",           // SMACK_MAGIC
        0x6573_5543: "fusectl",           // FUSE_CTL_SUPER_MAGIC
        0x6e73_6673: "nsfs",              // NSFS_MAGIC
    ]

    /// The pseudo filesystem holding the open file `fd`, or nil for any other filesystem.
    /// (statfs of the descriptor's /proc/self/fd link: the file it is open on, whatever its path.)
    static func name(of fd: Int32) -> String? {
        guard let type = try? Syscalls.filesystemType("/proc/self/fd/\(fd)") else { return nil }
        return names[type & 0xffff_ffff]
    }
}

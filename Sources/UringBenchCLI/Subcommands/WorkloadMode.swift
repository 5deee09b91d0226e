import UringBench

/// What distinguishes one job subcommand from another: fio's rw, and its help text.
protocol WorkloadMode {
    static var rw: RWMode { get }
    static var abstract: String { get }
    static var example: String { get }
}

enum RandReadMode: WorkloadMode {
    static let rw = RWMode.randread
    static let abstract = "Random reads on one file with one engine at a set depth, reported like fio."
    static let example = "--engine io_uring --iodepth 32"
}

enum RandWriteMode: WorkloadMode {
    static let rw = RWMode.randwrite
    static let abstract = "Random writes to a file uringbench laid out, reported like fio."
    static let example = "--engine io_uring --iodepth 32"
}

enum ReadMode: WorkloadMode {
    static let rw = RWMode.read
    static let abstract = "Sequential reads from offset 0, wrapping at --size, reported like fio."
    static let example = "--engine libaio --bs 128k --iodepth 8"
}

enum WriteMode: WorkloadMode {
    static let rw = RWMode.write
    static let abstract = "Sequential writes from offset 0 to a file uringbench laid out, wrapping at --size."
    static let example = "--engine psync --fdatasync 1"
}

enum RandRWMode: WorkloadMode {
    static let rw = RWMode.randrw
    static let abstract = "Random reads and writes mixed by --rwmixread (default 50), reported like fio."
    static let example = "--rwmixread 70 --engine libaio --iodepth 16"
}

enum ReadWriteMode: WorkloadMode {
    static let rw = RWMode.rw
    static let abstract = "Sequential reads and writes mixed by --rwmixread (default 50), reported like fio."
    static let example = "--rwmixread 70 --engine io_uring --bs 128k --iodepth 8"
}

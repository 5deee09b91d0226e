/// fio options uringbench takes only at fio's default, where the default is what uringbench
/// always does: `unlink=0` (the file is kept), `nrfiles=1`. Written out in real job files
/// to be explicit; any other value is refused by name with what it would change.
struct FioDefaultOption {
    let name: String
    /// fio's default, as written (options.c `.def`).
    let fioDefault: String
    /// What another value would ask for, which uringbench does not do.
    let otherwise: String

    static let all: [FioDefaultOption] = [
        .init(name: "unlink", fioDefault: "0", otherwise: "deletes the file after the job"),
        .init(name: "unlink_each_loop", fioDefault: "0", otherwise: "deletes the file after each pass"),
        .init(name: "nrfiles", fioDefault: "1", otherwise: "spreads the job over several files"),
        .init(name: "fsync_on_close", fioDefault: "0", otherwise: "syncs the file when the job closes it"),
        .init(name: "pre_read", fioDefault: "0", otherwise: "reads the file into memory before the job"),
    ]

    static func named(_ key: String) -> FioDefaultOption? { all.first { $0.name == key } }

    /// nil when `value` is fio's default (a bare flag counts as 1, and a zero time as 0).
    func problem(_ value: String?) -> String? {
        let given = value ?? "1"
        if given.lowercased() == fioDefault { return nil }
        if fioDefault == "0", (try? FioValue.time(given)) == 0 { return nil }
        if let n = try? FioValue.integer(given, kbBase: 1024), String(n) == fioDefault { return nil }
        return "\(name)=\(given) \(otherwise), which uringbench does not do; remove the line (fio's default is \(name)=\(fioDefault)) or run the file with fio"
    }
}

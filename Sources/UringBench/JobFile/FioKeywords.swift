import Foundation
import Glibc
import UringCore

/// fio's reserved keywords (options.c `fio_keywords`, HOWTO "Reserved keywords"): `$pagesize`,
/// `$mb_memory` and `$ncpus` in any value are replaced by this machine's page size, megabytes of
/// memory and configured CPUs, and a value that then holds + - * / is computed as fio's `bc` does
/// (`size=8*$mb_memory`).
enum FioKeywords {
    /// The keywords with their values here, as fio_keywords_init reads them.
    static var values: [(word: String, value: UInt64)] {
        let page = UInt64(max(1, sysconf(Int32(_SC_PAGESIZE))))
        let pages = UInt64(max(0, sysconf(Int32(_SC_PHYS_PAGES))))
        return [("$pagesize", page),
                ("$mb_memory", pages.multipliedReportingOverflow(by: page).partialValue / (1 << 20)),   // os_phys_mem() / 1 MiB
                ("$ncpus", UInt64(Syscalls.configuredCPUs))]                                           // cpus_configured()
    }

    /// `value` with the keywords replaced (and computed, when they were and it has arithmetic);
    /// unchanged when it names none.
    static func expand(_ value: String) throws(FioValue.Refusal) -> String {
        var out = value
        var replaced = false
        for (word, n) in values where out.contains(word) {
            out = out.replacingOccurrences(of: word, with: String(n))
            replaced = true
        }
        guard replaced, out.contains(where: { "+-*/".contains($0) }) else { return out }
        return String(try FioArithmetic.evaluate(out))
    }
}

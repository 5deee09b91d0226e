import CSystemShims

/// What CPUID says about this CPU, read once: the C shim only issues the instruction.
package enum CPUFeatures {
    /// The four registers CPUID returns for `leaf` (and `subleaf`); nil when the CPU does not
    /// have that leaf (or is not x86-64).
    package static func cpuid(leaf: UInt32, subleaf: UInt32 = 0) -> (eax: UInt32, ebx: UInt32, ecx: UInt32, edx: UInt32)? {
        var registers: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
        let rc = withUnsafeMutableBytes(of: &registers) { raw in
            CSystemShims_cpuid(leaf, subleaf, raw.baseAddress!.assumingMemoryBound(to: UInt32.self))
        }
        return rc == 0 ? registers : nil
    }

    /// SSE4.2's crc32 instruction: leaf 1, ECX bit 20 (what `__builtin_cpu_supports("sse4.2")` reads).
    package static let crc32: Bool = {
        guard let leaf1 = cpuid(leaf: 1) else { return false }
        return (leaf1.ecx >> 20) & 1 == 1
    }()

    /// The TSC runs at a constant rate in every P-, C- and T-state: leaf 0x8000_0007, EDX bit 8.
    package static let invariantTSC: Bool = {
        guard let power = cpuid(leaf: 0x8000_0007) else { return false }
        return (power.edx >> 8) & 1 == 1
    }()
}

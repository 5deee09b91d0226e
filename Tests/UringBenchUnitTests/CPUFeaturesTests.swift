import Foundation
import Testing
@testable import UringBench
import UringCore

/// CPUID's bits read in Swift against the kernel's reading of the same CPU.
struct CPUFeaturesTests {
    @Test func crc32AgreesWithTheKernelsSSE42Flag() throws {
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") }.map { Set($0.split(separator: " ").map(String.init)) } ?? []
        #expect(CPUFeatures.crc32 == flags.contains("sse4_2"), "CPUID leaf 1 ECX bit 20 against /proc/cpuinfo's sse4_2")
    }

    @Test func theInstructionPathGivesTheCheckValue() {
        guard CPUFeatures.crc32 else { return }
        let check = Array("123456789".utf8)
        #expect(check.withUnsafeBytes { ~CRC32C.hardware(0xFFFF_FFFF, $0.baseAddress!, length: 9) } == 0xE306_9283)
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<4099).map { _ in UInt8.random(in: 0...255, using: &rng) }
        bytes.withUnsafeBytes { raw in
            for start in 0..<8 {
                for length in [0, 1, 7, 8, 9, 508, 4091] {
                    let p = raw.baseAddress! + start
                    #expect(CRC32C.hardware(0xFFFF_FFFF, p, length: length) == CRC32C.software(0xFFFF_FFFF, p, length: length), "start \(start) length \(length)")
                }
            }
        }
    }
}

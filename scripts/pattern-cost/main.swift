// Cost of preparing and checking one block of the data pattern, in ns per block, built with
// -O from the library's own sources (scripts/pattern-cost.sh). Best of 7 rounds of 100k blocks,
// timed in thread CPU time so that other processes on the machine do not inflate it.
import Foundation
import Glibc

let bs = Int(CommandLine.arguments.dropFirst().first ?? "4096") ?? 4096
let blocks = 100_000
let rounds = 7
let buffer = UnsafeMutableRawPointer.allocate(byteCount: bs, alignment: 4096)
var sink: UInt64 = 0

func now() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)   // CPU time: the machine may be shared
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

func measureLine(_ name: String, _ body: (Int) -> Void) {
    var best = Double.infinity
    for _ in 0..<rounds {
        let t0 = now()
        for i in 0..<blocks { body(i) }
        best = min(best, Double(now() - t0) / Double(blocks))
    }
    let padded = name + String(repeating: " ", count: max(1, 60 - name.count))
    print(padded + String(format: "%8.1f ns/block", best))
}

print("bs=\(bs), crc32c: \(CRC32C.usesHardware ? "SSE4.2 crc32 instruction" : "table (no SSE4.2)")")
let sectors = bs / DataPattern.sectorSize
measureLine("write: pattern + generation + crc32c (DataPattern.fill)") { i in
    DataPattern.fill(buffer, length: bs, fileOffset: UInt64(i % 4096) * UInt64(bs), seed: 7, generation: UInt64(i))
}
measureLine("  of which the pattern alone (no checksum)") { i in
    for k in 0..<sectors {
        DataPattern.fillBody(sector: buffer + k * DataPattern.sectorSize, sectorOffset: UInt64(i % 4096) * UInt64(bs) + UInt64(k * 512),
                             seed: 7, generation: UInt64(i), flags: 0)
    }
}
if CRC32C.usesHardware && sectors >= 4 {
    measureLine("  crc32c, instruction, 4 sectors side by side") { _ in
        var k = 0
        while k + 4 <= sectors {
            let s = UnsafeRawPointer(buffer + k * 512)
            let c = CRC32C.checksums((s, s + 512, s + 1024, s + 1536), length: 508)
            sink &+= UInt64(c.0 ^ c.1 ^ c.2 ^ c.3)
            k += 4
        }
    }
}
if CRC32C.usesHardware {
    measureLine("  crc32c, instruction, one sector at a time") { _ in
        for k in 0..<sectors { sink &+= UInt64(CRC32C.checksum(buffer + k * 512, length: 508)) }
    }
}
measureLine("  crc32c, slicing-by-8 table, one sector at a time") { _ in
    for k in 0..<sectors { sink &+= UInt64(CRC32C.software(0xFFFF_FFFF, buffer + k * 512, length: 508)) }
}
DataPattern.fill(buffer, length: bs, fileOffset: 0, seed: 7, generation: 3)
measureLine("read: verify a block (DataPattern.verify)") { _ in
    if DataPattern.verify(buffer, length: bs, fileOffset: 0, seed: 7) != nil { sink &+= 1 }
}
if sink == 42 { print("") }

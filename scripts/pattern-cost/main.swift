// Cost of preparing and checking one block of the data pattern, in ns per block, built with
// -O from the library's own sources (scripts/pattern-cost.sh). Best of 7 rounds of `blocks`
// blocks, timed in thread CPU time so that other processes on the machine do not inflate it.
import Foundation
import Glibc

let bs = Int(CommandLine.arguments.dropFirst().first ?? "4096") ?? 4096
let blocks = max(1000, 400_000_000 / max(bs, 512))   // about 400 MB of blocks a round
let rounds = 7
let buffer = UnsafeMutableRawPointer.allocate(byteCount: bs, alignment: 4096)
var sink: UInt64 = 0

func now() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)   // CPU time: the machine may be shared
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

func measureLine(_ name: String, count: Int = blocks, unit: String = "block", _ body: (Int) -> Void) {
    var best = Double.infinity
    for _ in 0..<rounds {
        let t0 = now()
        for i in 0..<count { body(i) }
        best = min(best, Double(now() - t0) / Double(count))
    }
    let padded = name + String(repeating: " ", count: max(1, 66 - name.count))
    print(padded + String(format: "%10.1f ns/%@", best, unit))
}

print("bs=\(bs), \(blocks) blocks a round; crc32c: \(CRC32C.usesHardware ? "SSE4.2 crc32 instruction" : "table (no SSE4.2)")")
let sectors = bs / DataPattern.sectorSize
let pattern = SectorPattern(seed: 7, flags: 0)
// Offsets of one variant phase (multiples of 128 KiB): the payloads stay in place.
let span = UInt64(max(bs, 128 << 10))
measureLine("write, payloads in place (header + checksum of each sector)") { i in
    pattern.fill(buffer, length: bs, fileOffset: UInt64(i % 4096) &* span, generation: UInt64(i), payloadInPlace: true)
}
measureLine("write, payloads copied in (after a read, or another variant)") { i in
    pattern.fill(buffer, length: bs, fileOffset: UInt64(i % 4096) &* UInt64(bs), generation: UInt64(i), payloadInPlace: false)
}
measureLine("  DataPattern.fill (makes a SectorPattern per call: tests, tools)", count: max(100, blocks / 100)) { i in
    DataPattern.fill(buffer, length: bs, fileOffset: UInt64(i % 4096) &* UInt64(bs), seed: 7, generation: UInt64(i))
}
if CRC32C.usesHardware {
    measureLine("  for scale: crc32c of every sector's 508 bytes, instruction") { _ in
        for k in 0..<sectors { sink &+= UInt64(CRC32C.checksum(buffer + k * 512, length: 508)) }
    }
}
measureLine("  for scale: crc32c of every sector's 508 bytes, slicing-by-8 table") { _ in
    for k in 0..<sectors { sink &+= UInt64(CRC32C.software(0xFFFF_FFFF, buffer + k * 512, length: 508)) }
}
pattern.fill(buffer, length: bs, fileOffset: 0, generation: 3, payloadInPlace: false)
measureLine("read: verify a block (SectorPattern.verify)") { _ in
    if pattern.verify(buffer, length: bs, fileOffset: 0, generations: .any) != nil { sink &+= 1 }
}
measureLine("once per job: make the SectorPattern (256 payloads)", count: 200, unit: "job") { i in
    let p = SectorPattern(seed: UInt64(i), flags: 0)
    sink &+= UInt64(p.seed)
    p.deallocate()
}
pattern.deallocate()
if sink == 42 { print("") }

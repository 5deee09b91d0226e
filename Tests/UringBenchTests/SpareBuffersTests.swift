import Glibc
import Testing
import TestSupport
@testable import UringBench

/// Writes take spare buffers that already hold their payloads (SparesByVariant): every buffer
/// a write leaves must still be the exact pattern of its offset and generation, no two slots
/// may ever share a buffer, and the spares must really be used.
@Suite struct SpareBuffersTests {
    @Test func spareCountFollowsTheVariantsOffsetsStartOn() {
        var job = JobSpec()
        job.rw = .randwrite
        job.blockSize = 4096
        #expect(PatternHook.spareBuffers(for: job) == 128)         // 32 variants × 4
        job.blockSize = 512
        #expect(PatternHook.spareBuffers(for: job) == 1024)        // 256 × 4, 512 KiB
        job.blockSize = 65536
        #expect(PatternHook.spareBuffers(for: job) == 8)           // 2 × 4
        job.blockSize = 128 << 10
        #expect(PatternHook.spareBuffers(for: job) == 0)           // every block starts on variant 0
        job.blockSize = 4096
        job.rw = .randread
        #expect(PatternHook.spareBuffers(for: job) == 0)
    }

    /// --fixedbufs registers every buffer and the kernel takes at most 16384: at a depth where
    /// depth + spares would pass that, the spares shrink to fit and the run still registers.
    @Test(.enabled(if: ioUringAvailability.available, "io_uring unavailable: \(ioUringAvailability.reason ?? "")"))
    func registeredSparesFitTheKernelsLimit() throws {
        var job = TestFiles.job(.io_uring, file: TestFiles.path("fixed-limit"), size: 4 << 20, depth: 16300, milliseconds: 100)
        job.rw = .randwrite
        job.engineOptions[IORingEngine.fixedBuffersOption] = 1
        #expect(16300 + PatternHook.spareBuffers(for: job) > 1 << 14)
        #expect(IORingEngine.registeredBufferLimit(job) == 1 << 14)
        let r = try Runner.run(job)
        #expect((r.figures(.write)?.ios ?? 0) > 0)
    }

    @Test func writesLeaveThePatternAndSlotsNeverShareABuffer() throws {
        var job = JobSpec()
        job.rw = .randwrite
        job.blockSize = 4096
        let depth = 8
        let spare = PatternHook.spareBuffers(for: job)
        let buffers = try AlignedBuffers(count: depth, size: 4096, spare: spare)
        let seed: UInt64 = 0x5eed
        var hook = PatternHook(pattern: SectorPattern(seed: seed, flags: 0), buffers: buffers, blockSize: 4096, depth: depth,
                               kind: .io_uring, checksReads: false, tracker: nil, generationBase: 100)
        defer { hook.deallocate() }
        var generator = Xoshiro256StarStar(seed: 0x5eed)   // the same offsets every run
        var sparesUsed = Set<Int32>()
        var (writes, copies) = (0, 0)
        for n in 0..<6000 {
            let slot = n % depth
            let direction: IODirection = n < 2000 && n % 7 == 3 ? .read : .write   // reads leave no payload
            let io: StreamIO = (direction: direction, offset: UInt64(Int.random(in: 0..<4096, using: &generator)) * 4096, length: 4096)
            let copied = hook.prepare(slot: slot, io)
            if direction == .write && n >= 3000 { writes += 1; copies += copied ? 1 : 0 }
            hook.queued(io)
            let indices = (0..<depth).map { buffers.index($0) }
            #expect(Set(indices).count == depth, "two slots share a buffer: \(indices)")
            if buffers.index(slot) >= Int32(depth) { sparesUsed.insert(buffers.index(slot)) }
            guard direction == .write else {
                memset(buffers.buffer(slot), 0xA5, 4096)    // what a read leaves
                continue
            }
            let pattern = SectorPattern(seed: seed, flags: 0)
            defer { pattern.deallocate() }
            let window = GenerationWindow(before: 0, lowest: hook.generation, highest: hook.generation)
            if let bad = pattern.verify(buffers.buffer(slot), length: 4096, fileOffset: io.offset, generations: window) {
                Issue.record("write \(n) at \(io.offset): \(bad)")
                return
            }
        }
        #expect(sparesUsed.count > spare / 4, "only \(sparesUsed.count) of \(spare) spares were ever used")
        // Without spares a slot's buffer holds the variant of a random 4 KiB write 1 time in 32.
        #expect(copies * 10 < writes, "\(copies) of \(writes) writes copied their payloads")
    }
}

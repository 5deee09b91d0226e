import CSystemShims
import UringCore

/// fio's do_verify for a job that wrote: after the measured run, every block the run wrote is
/// read back through the same engine, at the same depth, in fio's order (BlockGenerations:
/// first-write order with the random map, else ascending offsets), and checked against the
/// generations it may hold. Nothing here is timed into a figure; the time it took is reported apart.
enum ReadBack {
    /// Called (by tests) after the measured run with the offsets of the blocks written, in
    /// read-back order, before they are read back.
    typealias Hook = ([UInt64]) -> Void

    struct Outcome {
        var blocks: UInt64
        var nanoseconds: UInt64
        /// False when Ctrl-C stopped the read-back before every written block was checked.
        var complete: Bool
    }

    static func run<E: IOEngine>(_ engine: E, tracker: BlockGenerations, slots: inout SlotTable, buffers: AlignedBuffers,
                                 blockSize bs: Int, depth: Int, pattern: SectorPattern, kind: EngineKind) throws(BenchError) -> Outcome {
        let start = MonotonicClock.now()
        var pending = tracker.nextToReadBack(from: 0)     // the next block to read, and where the one after it is
        var inFlight = 0
        var verified: UInt64 = 0
        var stopped = false

        func check(slot: Int) throws(BenchError) {
            let offset = slots.offsets[slot]
            let block = Int(offset / UInt64(bs))
            let window = tracker.window(block: block, floor: tracker.floor(block: block))
            if let bad = pattern.verify(buffers.buffer(slot), length: bs, fileOffset: offset, generations: window) {
                throw .verifyFailed(engine: kind.rawValue, offset: offset, length: bs, detail: "read back after the run: \(bad)")
            }
            verified += 1
            slots.release(slot)
        }

        while true {
            if !stopped && CSystemShims_stop_requested() != 0 { stopped = true }
            fill: while !stopped && inFlight + slots.queued < depth {
                guard let (block, after) = pending else { break fill }
                let slot = slots.take()
                let offset = UInt64(block) * UInt64(bs)
                slots.offsets[slot] = offset
                slots.directions[slot] = .read
                let status: QueueResult
                do { status = try engine.queue(slot: slot, offset: offset, direction: .read) } catch {
                    throw .ioFailed(engine: kind.rawValue, direction: .read, offset: offset, error: error)
                }
                switch status {
                case .queued:
                    slots.markQueued(slot)
                    pending = tracker.nextToReadBack(from: after)
                case .busy:
                    slots.release(slot)
                    break fill
                case .completed(let n):
                    if n != bs { throw .shortIO(engine: kind.rawValue, direction: .read, offset: offset, got: n, expected: bs) }
                    try check(slot: slot)
                    pending = tracker.nextToReadBack(from: after)
                }
            }
            if slots.queued > 0 {
                let submitted: Int
                do { submitted = try engine.commit() } catch { throw .system(context: "\(kind.rawValue) submit", error: error) }
                slots.submitted(submitted)
                inFlight += submitted
            }
            if inFlight == 0 {
                if stopped || pending == nil { break }
                if slots.queued > 0 { throw .system(context: "\(kind.rawValue) accepted no IO with nothing in flight", error: .tryAgain) }
                continue
            }
            let reaped: Int
            do { reaped = try engine.reap(minimum: 1, maximum: inFlight) } catch {
                if error == .interrupted { continue }
                throw .system(context: "\(kind.rawValue) reap", error: error)
            }
            for i in 0..<reaped {
                let c = engine.completion(at: i)
                guard c.slot >= 0 && Int(c.slot) < depth else {
                    throw .system(context: "\(kind.rawValue) completed an IO uringbench did not queue (slot \(c.slot))", error: Errno(rawValue: EIO))
                }
                let slot = Int(c.slot)
                try Runner.check(c, slot: slot, offsets: slots.offsets, directions: slots.directions, blockSize: bs, engine: kind)
                try check(slot: slot)
            }
            inFlight -= reaped
        }
        return Outcome(blocks: verified, nanoseconds: MonotonicClock.now() - start, complete: !stopped)
    }
}

import Glibc

import Glibc

/// One server connection's state: plain values only, so the per-request path never retains,
/// releases or allocates.
struct Connection {
    var fd: Int32 = -1
    var live = false
    var closing = false                      // close requested; waits for in-flight operations
    var buffer: UnsafeMutableRawPointer? = nil   // epoll / io_uring: the echo buffer
    var pendingOffset: Int32 = 0             // bytes of `buffer` not yet sent: [offset, offset+length)
    var pendingLength: Int32 = 0
    var scanner = FrameScanner()
    var lastActive: UInt64 = 0               // loop time of the last received byte
    var recvArmed = false                    // io_uring: a recv (or multishot recv) is outstanding
    var sendInFlight = false                 // io_uring: a send is outstanding
    var queueHead: Int32 = -1                // multishot: ring buffers waiting to be sent, in order
    var queueTail: Int32 = -1
    var sendOffset: Int32 = 0                // multishot: bytes of the head buffer already sent
    var queuedBuffers: Int32 = 0             // multishot: ring buffers held in the send queue
    var receivePaused = false                // multishot: recv stopped until the queue drains (backpressure)
}

/// Slots for connections, indexed by the number carried in epoll data / io_uring user_data.
/// Grows (doubling) only when a new connection finds it full: allocation happens per
/// connection, never per request.
final class ConnectionTable {
    private(set) var slots: UnsafeMutablePointer<Connection>
    private(set) var capacity: Int
    private var free: UnsafeMutablePointer<Int32>
    private var freeCount = 0
    private(set) var highWater = 0           // slots [0, highWater) have been used at least once
    private(set) var liveCount = 0

    init(capacity: Int = 256) {
        self.capacity = capacity
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Connection(), count: capacity)
        free = .allocate(capacity: capacity)
    }

    deinit {
        slots.deinitialize(count: capacity)
        slots.deallocate()
        free.deallocate()
    }

    func acquire(fd: Int32, now: UInt64) -> Int {
        let slot: Int
        if freeCount > 0 {
            freeCount -= 1
            slot = Int(free[freeCount])
        } else {
            if highWater == capacity { grow() }
            slot = highWater
            highWater += 1
        }
        let buffer = slots[slot].buffer       // kept across reuse: allocated once per slot
        slots[slot] = Connection()
        slots[slot].buffer = buffer
        slots[slot].fd = fd
        slots[slot].live = true
        slots[slot].lastActive = now
        liveCount += 1
        return slot
    }

    func release(_ slot: Int) {
        slots[slot].live = false
        slots[slot].fd = -1
        free[freeCount] = Int32(slot)
        freeCount += 1
        liveCount -= 1
    }

    private func grow() {
        let newCapacity = capacity * 2
        let newSlots = UnsafeMutablePointer<Connection>.allocate(capacity: newCapacity)
        newSlots.moveInitialize(from: slots, count: capacity)
        (newSlots + capacity).initialize(repeating: Connection(), count: newCapacity - capacity)
        slots.deallocate()
        slots = newSlots
        let newFree = UnsafeMutablePointer<Int32>.allocate(capacity: newCapacity)
        newFree.moveInitialize(from: free, count: freeCount)
        free.deallocate()
        free = newFree
        capacity = newCapacity
    }
}

import CLiburing
import CSystemShims
import Glibc
import Synchronization
import UringCore

/// A running echo server: `start` binds every listener and sets up every loop before it returns
/// (so a port in use or a refused ring is an error here, not a silent thread death), then each
/// thread serves until `stop()`.
public final class EchoServer: Sendable {
    public let config: EchoServerConfig
    public let port: Int
    /// Ring setup flags the io_uring engines actually got, e.g. ["SINGLE_ISSUER", "DEFER_TASKRUN"].
    public var ringFlags: [String] { flags.withLock { $0 } }

    let stopSignal = StopSignal()
    private let flags = Mutex<[String]>([])
    private let threads: Mutex<[NetThread]>
    private let results = Mutex<EchoServerStats>(EchoServerStats())

    private init(config: EchoServerConfig, port: Int) {
        self.config = config
        self.port = port
        self.threads = Mutex([])
    }

    public static func start(_ config: EchoServerConfig) throws(NetError) -> EchoServer {
        guard config.threads >= 1 else { throw NetError.invalidOption("--threads must be at least 1") }
        guard config.engine != .io_uring_multishot || (config.ringBuffers > 0 && config.ringBuffers & (config.ringBuffers - 1) == 0 && config.ringBuffers <= 32768) else {
            throw NetError.invalidOption("--ring-buffers must be a power of two up to 32768")
        }
        Net.ignoreSIGPIPE()
        // SO_REUSEPORT would let a second uringbench share a busy port silently: probe it first
        // with a plain bind, which fails with EADDRINUSE while anyone listens there.
        if config.port != 0 {
            let (probe, _) = try Net.listen(host: config.host, port: config.port, reusePort: false, nonBlocking: false)
            Syscalls.close(probe)
        }
        // Bind every listener first, on the caller's thread: errors surface here.
        var listeners: [Int32] = []
        var port = config.port
        do {
            for _ in 0..<config.threads {
                let (fd, bound) = try Net.listen(host: config.host, port: port, reusePort: true,
                                                 nonBlocking: config.engine == .epoll)
                listeners.append(fd)
                port = bound
            }
        } catch {
            for fd in listeners { Syscalls.close(fd) }
            throw error
        }
        // Each loop is created on its own thread (SINGLE_ISSUER ties a ring to its creator);
        // setup errors come back through `ready`.
        let ready = Mutex<(count: Int, error: NetError?, flags: [String])>((0, nil, []))
        let box = StartBox()
        let server = EchoServer(config: config, port: port)
        var spawned: [NetThread] = []
        for (index, listener) in listeners.enumerated() {
            let cpu = config.cpus.isEmpty ? nil : config.cpus[index % config.cpus.count]
            let thread = NetThread.spawn { [server] in
                var stats = EchoServerStats()
                do {
                    try Net.pin(cpu)
                    let cpuStart = Net.threadCPUMicroseconds()
                    let loop: any EchoLoop
                    switch config.engine {
                    case .epoll: loop = try EpollEchoLoop(config: config, listener: listener)
                    case .io_uring: loop = try URingEchoLoop(config: config, listener: listener)
                    case .io_uring_multishot: loop = try MultishotEchoLoop(config: config, listener: listener)
                    }
                    let flags = loop.ringFlags
                    ready.withLock { $0.count += 1; $0.flags = flags }
                    box.signal()
                    loop.run(stop: server.stopSignal)
                    loop.shutdown()
                    stats = loop.stats
                    stats.cpuMicroseconds = Net.threadCPUMicroseconds() - cpuStart
                } catch let error as NetError {
                    ready.withLock { $0.count += 1; if $0.error == nil { $0.error = error } }
                    box.signal()
                } catch {
                    ready.withLock { $0.count += 1; if $0.error == nil { $0.error = .invalidOption("\(error)") } }
                    box.signal()
                }
                Syscalls.close(listener)
                server.results.withLock { $0.add(stats) }
            }
            guard let thread else {
                server.stopSignal.request()
                for t in spawned { t.join() }
                throw NetError.system(context: "cannot start a server thread (pthread_create)", error: Errno.current)
            }
            spawned.append(thread)
        }
        box.wait(count: listeners.count)
        server.threads.withLock { $0 = spawned }
        let state = ready.withLock { $0 }
        if let error = state.error {
            server.stop()
            throw error
        }
        server.flags.withLock { $0 = state.flags }
        return server
    }

    /// Asks every loop to stop (each notices within 100 ms), joins them, returns the counters.
    @discardableResult
    public func stop() -> EchoServerStats {
        stopSignal.request()
        let ts = threads.withLock { t -> [NetThread] in let copy = t; t = []; return copy }
        for t in ts { t.join() }
        return results.withLock { $0 }
    }

    public var isStopping: Bool { stopSignal.requested }
}

extension EchoServer {
    /// nil when io_uring rings can be created here, else why not (tests skip with this reason).
    public static func ioUringUnavailableReason() -> String? {
        do {
            let ring = try IORing.forNet(entries: 8, flagChoices: [0], engine: "io_uring probe")
            ring.exit()
            return nil
        } catch {
            return error.description
        }
    }
}

/// A counting semaphore for "all loops are set up".
final class StartBox: Sendable {
    private let count = Mutex(0)

    func signal() { count.withLock { $0 += 1 } }

    func wait(count target: Int) {
        while count.withLock({ $0 }) < target { usleep(200) }
    }
}

/// A stop request that loops poll between waits (each wait is at most 100 ms).
public final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public func request() { flag.store(true, ordering: .relaxed) }
    public var requested: Bool { flag.load(ordering: .relaxed) }
}

/// One server thread's event loop, created and run on that thread.
protocol EchoLoop: AnyObject {
    var config: EchoServerConfig { get }
    var stats: EchoServerStats { get }
    var ringFlags: [String] { get }
    /// Waits up to about 100 ms for events, handles every one that arrived, and returns the
    /// time it read after the wait (the engine's own clock for idle accounting).
    func pollOnce() -> UInt64
    /// Closes connections idle for longer than --idle-timeout.
    func sweepIdle()
    /// Closes every connection and frees the loop's resources.
    func shutdown()
}

extension EchoLoop {
    /// The outer loop every engine shares: poll, then now and then close idle connections.
    func run(stop: StopSignal) {
        var lastSweep = MonotonicClock.now()
        while !stop.requested {
            let now = pollOnce()
            if config.idleTimeoutNanoseconds > 0 && now - lastSweep > 100_000_000 {
                lastSweep = now
                sweepIdle()
            }
        }
    }
}

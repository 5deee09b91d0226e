import UringCore

/// What one QPS run measured. `latency` is the request→echo round trip of successful requests.
public struct TCPQPSResult: Sendable, Codable {
    public var success: UInt64 = 0
    public var failed: UInt64 = 0                 // timeouts + corrupt + connection errors
    public var timeouts: UInt64 = 0
    public var corrupt: UInt64 = 0                // echo differed from what was sent
    public var connectionErrors: UInt64 = 0       // reset, EOF or send error mid-request
    public var reconnects: UInt64 = 0
    public var overloaded: UInt64 = 0             // open loop: due while the connection had too many unanswered (counted failed)
    public var bufferShortages: UInt64 = 0        // io_uring open-loop client: a multishot recv found no provided buffer (re-armed)
    public var notRun: UInt64 = 0                 // never sent: stopped, out of time, or no live connection
    public var inFlightAtEnd: UInt64 = 0          // sent, unanswered when the run ended (stopped, --max-time): neither success nor failure
    public var bytes: UInt64 = 0                  // payload bytes echoed and checked
    public var elapsedNanoseconds: UInt64 = 0
    public var interrupted = false
    public var timedOut = false                   // --max-time ended the run
    public var latency = LatencyHistogram()
    public var startedAt: Double = 0              // seconds since 1970
    public var clientCPUMicroseconds: UInt64 = 0  // client threads' user+sys CPU while measuring

    public init() {}

    public var qps: Double {
        elapsedNanoseconds == 0 ? 0 : Double(success) * 1e9 / Double(elapsedNanoseconds)
    }

    public var timeUsedMilliseconds: UInt64 { elapsedNanoseconds / 1_000_000 }

    /// Failed requests beyond the overloaded ones: those lost with a dropped connection (a
    /// timeout, a corrupt echo or a connection error drops the connection and every request
    /// unanswered on it).
    public var lostWithConnections: UInt64 { failed >= overloaded ? failed - overloaded : 0 }

    /// Every request is in exactly one category; this is their sum (the -n of the run).
    public var accountedRequests: UInt64 { success &+ failed &+ inFlightAtEnd &+ notRun }

    mutating func add(_ o: TCPQPSResult) {
        success += o.success; failed += o.failed; timeouts += o.timeouts; corrupt += o.corrupt
        connectionErrors += o.connectionErrors; reconnects += o.reconnects; notRun += o.notRun; inFlightAtEnd += o.inFlightAtEnd
        overloaded += o.overloaded; bufferShortages += o.bufferShortages
        bytes += o.bytes; interrupted = interrupted || o.interrupted; timedOut = timedOut || o.timedOut
        latency.merge(o.latency)
        clientCPUMicroseconds += o.clientCPUMicroseconds
    }
}

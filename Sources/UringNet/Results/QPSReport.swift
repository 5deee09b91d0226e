import Foundation
import UringCore

/// tcp-qps output: the seed client's summary line, then a fio-style latency block for the
/// request→echo round trip, or (JSON) a document in the disk report's family: fio's top-level
/// keys and `lat_ns` with fio's percentile keys.
public struct QPSReport {
    public let config: TCPQPSConfig
    public let result: TCPQPSResult

    public init(config: TCPQPSConfig, result: TCPQPSResult) {
        self.config = config
        self.result = result
    }

    public var summaryLine: String {
        "success: \(result.success), failed: \(result.failed), time_used: \(result.timeUsedMilliseconds), qps: \(Int(saturating: result.qps.rounded()))"
    }

    var sizeText: String { config.sizeMin == config.sizeMax ? "\(config.sizeMin)" : "\(config.sizeMin)-\(config.sizeMax)" }

    public func renderText() -> String {
        let r = result
        var out = summaryLine + "\n"
        out += "tcp-qps: (groupid=0, jobs=\(min(config.threads, config.connections))): err= 0: pid=\(getpid()): \(FioText.ctime(r.startedAt))\n"
        let qps = FioNumber.string(UInt64(saturating: r.qps), maxLength: 4, base: 1000, unit: .none)
        let bw = r.elapsedNanoseconds == 0 ? 0 : UInt64(Double(r.bytes) * 1e9 / Double(r.elapsedNanoseconds))
        out += "  echo: QPS=\(qps), BW=\(FioNumber.string(bw, maxLength: 4, base: 1024, unit: .bytesPerSecond)) (\(FioNumber.string(r.bytes, maxLength: 4, base: 1024, unit: .bytes)) payload/\(r.timeUsedMilliseconds)msec)\n"
        if !r.latency.isEmpty {
            out += FioText.latencyLine(" lat", r.latency)
            out += FioText.percentileBlock("lat", r.latency)
        }
        out += Self.requestsLine(r, maxOutstanding: config.maxOutstandingPerConnection)
        out += "  job          : \(config.host):\(config.port), \(config.threads) threads sharing \(config.connections) connections (\(config.rate > 0 ? String(format: "open loop at %.0f requests/s, latency from each scheduled send time", config.rate) : "1 request in flight each"), TCP_NODELAY, \(config.engine.rawValue) client), \(config.requests) requests, payload \(sizeText) B, \(config.raw ? "raw bytes" : "4-byte length-prefixed frames"), every echoed byte checked\n"
        if r.interrupted { out += "  note         : interrupted (\(StopCause.phrase)): figures cover the \(r.timeUsedMilliseconds) ms measured before the stop\n" }
        if r.timedOut { out += "  note         : --max-time reached: figures cover the \(r.timeUsedMilliseconds) ms measured\n" }
        return out
    }

    /// The requests by fate, adding up to the run's -n: success, failed (overloaded, or lost with
    /// a connection dropped for a timeout, a corrupt echo or an error; those count connections),
    /// in flight at the end, never sent.
    static func requestsLine(_ r: TCPQPSResult, maxOutstanding: Int) -> String {
        let overloaded = r.overloaded > 0 ? "overloaded=\(r.overloaded) (not sent: \(maxOutstanding) unanswered on the connection), " : ""
        let drops = "lost_with_dropped_connections=\(r.lostWithConnections) (connections dropped: timeout=\(r.timeouts), corrupt=\(r.corrupt), conn_error=\(r.connectionErrors))"
        let shortages = r.bufferShortages > 0 ? "; recv_buffer_shortages=\(r.bufferShortages) (the io_uring client's multishot recv ran out of provided buffers and was re-armed)" : ""
        return "  requests     : \(r.accountedRequests) = success=\(r.success) + failed=\(r.failed) (\(overloaded)\(drops)) + in_flight_at_end=\(r.inFlightAtEnd) + not_sent=\(r.notRun); reconnects=\(r.reconnects)\(shortages)\n"
    }

    public func renderJSON() throws -> String {
        let r = result
        let lat = r.latency
        let percentiles = OrderedObject(FioText.percentiles.map { (String(format: "%f", $0), lat.valueAt(percentile: $0)) })
        let doc = QPSJSON(
            fioVersion: "uringbench-\(BuildInfo.version) (fio-3.33 json schema family)",
            timestamp: Int(r.startedAt), timestampMs: Int(r.startedAt * 1000), time: FioText.ctime(r.startedAt),
            globalOptions: ["host": config.host, "port": "\(config.port)", "threads": "\(config.threads)",
                            "connections": "\(config.connections)", "requests": "\(config.requests)",
                            "size": sizeText, "framing": config.raw ? "raw" : "length-prefixed"],
            jobs: [QPSJSON.Job(
                jobname: "tcp-qps", groupid: 0, error: 0,
                success: r.success, failed: r.failed, timeouts: r.timeouts, corrupt: r.corrupt,
                connectionErrors: r.connectionErrors, reconnects: r.reconnects, notSent: r.notRun, inFlightAtEnd: r.inFlightAtEnd,
                timeUsedMs: r.timeUsedMilliseconds, qps: r.qps, payloadBytes: r.bytes,
                interrupted: r.interrupted,
                latNs: QPSJSON.Lat(min: lat.observedMin, max: lat.max, mean: lat.mean, stddev: lat.standardDeviation,
                                   N: lat.count, percentile: percentiles),
                histogram: lat)])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(doc), as: UTF8.self) + "\n"
    }
}

/// The tcp-qps JSON document.
struct QPSJSON: Encodable {
    var fioVersion: String
    var timestamp: Int
    var timestampMs: Int
    var time: String
    var globalOptions: [String: String]
    var jobs: [Job]

    enum CodingKeys: String, CodingKey {
        case fioVersion = "fio version", timestamp, timestampMs = "timestamp_ms", time
        case globalOptions = "global options", jobs
    }

    struct Lat: Encodable {
        var min: UInt64, max: UInt64, mean: Double, stddev: Double, N: UInt64
        var percentile: OrderedObject<UInt64>
    }

    struct Job: Encodable {
        var jobname: String, groupid: Int, error: Int
        var success: UInt64, failed: UInt64, timeouts: UInt64, corrupt: UInt64
        var connectionErrors: UInt64, reconnects: UInt64, notSent: UInt64, inFlightAtEnd: UInt64
        var timeUsedMs: UInt64, qps: Double, payloadBytes: UInt64, interrupted: Bool
        var latNs: Lat
        var histogram: LatencyHistogram

        enum CodingKeys: String, CodingKey {
            case jobname, groupid, error, success, failed, timeouts, corrupt
            case connectionErrors = "connection_errors", reconnects, notSent = "not_sent", inFlightAtEnd = "in_flight_at_end"
            case timeUsedMs = "time_used_ms", qps, payloadBytes = "payload_bytes", interrupted
            case latNs = "lat_ns", histogram = "uringbench_histogram"
        }
    }
}

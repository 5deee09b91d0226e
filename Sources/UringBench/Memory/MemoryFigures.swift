/// A run's memory figures: what the measured window did to memory (`counters`), beside what
/// the job asked for and the memory the page cache could use.
public struct MemoryFigures: Sendable, Equatable, Codable {
    var counters: MemoryCounters
    /// The memory the page cache could use; nil when /proc/meminfo could not be read.
    var pageCache: PageCacheMemory?
    /// The job's range of the file (its --size).
    var workingSetBytes: UInt64
    /// Bytes the job read and wrote in the window.
    var bytesReadAsked: UInt64
    var bytesWrittenAsked: UInt64
    public var ios: UInt64
    /// The file's disk (nil: none found, so there are no device bytes).
    var device: String?

    /// The working set over the page cache's memory (above 1 it cannot all be cached).
    var workingSetRatio: Double? {
        pageCache.map { $0.bytes == 0 ? 0 : Double(workingSetBytes) / Double($0.bytes) }
    }

    /// The share of the bytes read that did not come from the disk: 1 - device reads / reads
    /// asked. Readahead can make the disk read more than was asked (then 0); nil without reads
    /// or without a device.
    var pageCacheHitRatio: Double? {
        guard device != nil, bytesReadAsked > 0 else { return nil }
        return max(0, 1 - Double(counters.deviceBytesRead) / Double(bytesReadAsked))
    }

    func perIO(_ count: UInt64) -> Double { ios == 0 ? 0 : Double(count) / Double(ios) }

    private enum CodingKeys: String, CodingKey {
        case counters, pageCache, workingSetBytes, bytesReadAsked, bytesWrittenAsked, ios, device
        case workingSetRatio, pageCacheHitRatio, minorFaultsPerIO, majorFaultsPerIO, deviceBytesReadPerIO
    }

    public init(counters: MemoryCounters, pageCache: PageCacheMemory?, workingSetBytes: UInt64,
                bytesReadAsked: UInt64, bytesWrittenAsked: UInt64, ios: UInt64, device: String?) {
        self.counters = counters
        self.pageCache = pageCache
        self.workingSetBytes = workingSetBytes
        self.bytesReadAsked = bytesReadAsked
        self.bytesWrittenAsked = bytesWrittenAsked
        self.ios = ios
        self.device = device
    }

    /// The figures of a measured window, from the counters at its start and end.
    init(window start: MemoryCounters, _ end: MemoryCounters, job: JobSpec, device: String?, bytesRead: UInt64, bytesWritten: UInt64,
         ios: UInt64) {
        self.init(counters: end.since(start), pageCache: PageCacheMemory.current(), workingSetBytes: job.size,
                  bytesReadAsked: bytesRead, bytesWrittenAsked: bytesWritten, ios: ios, device: device)
    }

    /// A numjobs group's figures: the jobs' bytes and IOs added; the counters are process- and
    /// system-wide, and the jobs' windows are the same one, so the first job's stand for all.
    static func merged(_ parts: [MemoryFigures]) -> MemoryFigures? {
        guard var merged = parts.first else { return nil }
        for p in parts.dropFirst() {
            merged.bytesReadAsked &+= p.bytesReadAsked
            merged.bytesWrittenAsked &+= p.bytesWrittenAsked
            merged.ios &+= p.ios
        }
        return merged
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        counters = try c.decode(MemoryCounters.self, forKey: .counters)
        pageCache = try c.decodeIfPresent(PageCacheMemory.self, forKey: .pageCache)
        workingSetBytes = try c.decode(UInt64.self, forKey: .workingSetBytes)
        bytesReadAsked = try c.decode(UInt64.self, forKey: .bytesReadAsked)
        bytesWrittenAsked = try c.decode(UInt64.self, forKey: .bytesWrittenAsked)
        ios = try c.decode(UInt64.self, forKey: .ios)
        device = try c.decodeIfPresent(String.self, forKey: .device)
    }

    /// The derived ratios are written too, so a reader of the JSON need not recompute them.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(counters, forKey: .counters)
        try c.encodeIfPresent(pageCache, forKey: .pageCache)
        try c.encode(workingSetBytes, forKey: .workingSetBytes)
        try c.encode(bytesReadAsked, forKey: .bytesReadAsked)
        try c.encode(bytesWrittenAsked, forKey: .bytesWrittenAsked)
        try c.encode(ios, forKey: .ios)
        try c.encodeIfPresent(device, forKey: .device)
        try c.encodeIfPresent(workingSetRatio, forKey: .workingSetRatio)
        try c.encodeIfPresent(pageCacheHitRatio, forKey: .pageCacheHitRatio)
        try c.encode(perIO(counters.minorFaults), forKey: .minorFaultsPerIO)
        try c.encode(perIO(counters.majorFaults), forKey: .majorFaultsPerIO)
        try c.encode(perIO(counters.deviceBytesRead), forKey: .deviceBytesReadPerIO)
    }
}

import UringCore

/// The progress lines of a layout: bytes written, the average rate since the start and the
/// time left at that rate. A terminal gets one about every second (each replacing the last);
/// a log gets the first of them and then one every `logInterval`, so a layout of tens of GiB
/// says how long it will take without filling the log. Pure: the caller passes the clock.
struct LayoutProgress {
    static let terminalInterval: UInt64 = 1_000_000_000
    static let logInterval: UInt64 = 30_000_000_000

    let name: String
    let total: UInt64
    let start: UInt64
    private var lastShown: UInt64
    private var lastLogged: UInt64?

    init(name: String, total: UInt64, start: UInt64) {
        self.name = name
        self.total = total
        self.start = start
        lastShown = start
    }

    /// The event to show after `written` bytes at `now`, nil when the last one is too recent.
    mutating func event(written: UInt64, now: UInt64) -> DataFile.LayoutEvent? {
        guard now &- lastShown > Self.terminalInterval else { return nil }
        lastShown = now
        let logged = lastLogged.map { now &- $0 >= Self.logInterval } ?? true
        if logged { lastLogged = now }
        return .progress(Self.line(name: name, written: written, total: total, elapsed: now &- start), log: logged)
    }

    /// "big.dat: laid out 1.25 GiB of 36 GiB (3%), 412 MiB/s, ETA 1m27s".
    static func line(name: String, written: UInt64, total: UInt64, elapsed: UInt64) -> String {
        let percent = total == 0 ? 100 : Int(Double(written) / Double(total) * 100)
        var text = "\(name): laid out \(formatBytes(written)) of \(formatBytes(total)) (\(percent)%)"
        guard elapsed > 0, written > 0 else { return text }
        let rate = Double(written) / (Double(elapsed) / 1e9)
        text += ", \(formatBytes(UInt64(min(rate, 1e18))))/s"
        let left = Double(total &- min(written, total)) / rate
        return text + ", ETA " + duration(seconds: left)
    }

    /// Whole seconds as "45s", "1m27s", "2h05m".
    static func duration(seconds: Double) -> String {
        let s = Int(min(max(seconds, 0), 360_000_000).rounded(.up))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(pad(s % 60))s" }
        return "\(s / 3600)h\(pad(s / 60 % 60))m"
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

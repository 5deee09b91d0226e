/// An option that belongs to one or more engines (fio's per-engine options table): declared in
/// the engine's file, listed in its descriptor, and refused by name for any other engine.
public struct EngineOption: Hashable, Sendable, CustomStringConvertible {
    /// The command line's long name without the dashes; also the key in `JobSpec.engineOptions`.
    public let name: String
    /// fio's job-file name, nil when fio has no such option.
    public let fioName: String?
    /// A flag is set (1) or absent; any other option takes a whole number in `range`.
    let isFlag: Bool
    public let range: ClosedRange<Int>
    public let help: String

    public init(name: String, fioName: String?, isFlag: Bool, range: ClosedRange<Int> = 0...1, help: String) {
        self.name = name
        self.fioName = fioName
        self.isFlag = isFlag
        self.range = isFlag ? 1...1 : range
        self.help = help
    }

    /// The command-line flag, `--name`.
    public var description: String { "--\(name)" }

    /// The engines that accept this option, in registry order.
    public var engines: [EngineKind] {
        EngineRegistry.all.filter { $0.options.contains(self) }.map(\.kind)
    }

    /// Every option some engine declares, once each, in registry order.
    public static var all: [EngineOption] {
        var seen: [EngineOption] = []
        for d in EngineRegistry.all { for o in d.options where !seen.contains(o) { seen.append(o) } }
        return seen
    }

    /// The option a job file names, if an engine declares it.
    static func withFioName(_ fioName: String) -> EngineOption? { all.first { $0.fioName == fioName } }

    /// The option the command line names.
    public static func named(_ name: String) -> EngineOption? { all.first { $0.name == name } }
}

/// Every disk engine uringbench drives, in the order help text, `uringbench engines` and
/// comparisons list them. Adding an engine is one file that declares its descriptor and one
/// line here.
public enum EngineRegistry {
    public static let all: [EngineDescriptor] = [
        PsyncEngine.descriptor,
        LibaioEngine.descriptor,
        IORingEngine.descriptor,
        IORingEngine.sqPollDescriptor,
        PosixAIOEngine.descriptor,
        SyncEngine.descriptor,
        PvsyncEngine.descriptor,
        Pvsync2Engine.descriptor,
        MmapEngine.descriptor,
        NullEngine.descriptor,
    ]

    static func descriptor(for kind: EngineKind) -> EngineDescriptor {
        guard let d = all.first(where: { $0.kind.rawValue == kind.rawValue }) else {
            preconditionFailure("engine '\(kind.rawValue)' declares a kind but has no registration line in EngineRegistry.all")
        }
        return d
    }

    /// The registered names, "psync, libaio, …", for help text and error messages.
    public static var names: String { all.map(\.kind.rawValue).joined(separator: ", ") }

    /// The engine a fio job file means by `ioengine=fioEngine` with these options set: the one
    /// whose selector options are all set, else the one without a selector. nil: fio's engine
    /// is not one uringbench drives.
    public static func engine(fioEngine: String, options: [String: String]) -> EngineKind? {
        let candidates = all.filter { $0.fioEngine == fioEngine }
        let selected = candidates.filter { !$0.fioSelector.isEmpty && $0.fioSelector.allSatisfy { options[$0.key] == $0.value } }
        return (selected.first ?? candidates.first { $0.fioSelector.isEmpty })?.kind
    }

    /// fio's ioengine names uringbench drives, once each.
    static var fioEngines: [String] {
        var seen: [String] = []
        for d in all where !seen.contains(d.fioEngine) { seen.append(d.fioEngine) }
        return seen
    }
}

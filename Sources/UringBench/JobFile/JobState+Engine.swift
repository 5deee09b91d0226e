/// ioengine= and the options engines declare (EngineDescriptor), read by their fio names.
extension JobState {
    mutating func applyIOEngine(_ e: JobEntry) throws(JobFileError) {
        let v = Self.fioEngineName(try e.required())
        guard EngineRegistry.fioEngines.contains(v) else {
            if let ours = EngineKind(rawValue: v) {
                let d = ours.descriptor
                throw e.fail("ioengine=\(v) is uringbench's name, not fio's; write ioengine=\(d.fioEngine)\(d.fioSelector.sorted { $0.key < $1.key }.map { " and \($0.key)=\($0.value)" }.joined())")
            }
            throw e.fail("ioengine=\(v) is not one uringbench drives; use one of \(EngineRegistry.fioEngines.joined(separator: ", "))")
        }
        ioengine = v
        // Options of the previous ioengine do not carry over to this one.
        let kept = Set(EngineRegistry.all.filter { $0.fioEngine == v }.flatMap { $0.options.map(\.name) })
        for (option, _) in spec.engineOptions.options where !kept.contains(option.name) { spec.engineOptions[option] = nil }
        let keptSelectors = Set(EngineRegistry.all.filter { $0.fioEngine == v }.flatMap(\.fioSelector.keys))
        selections = selections.filter { keptSelectors.contains($0.key) }
    }

    /// An engine's selector (sqthread_poll) or one of its options.
    mutating func applyEngineOption(_ e: JobEntry) throws(JobFileError) {
        if EngineRegistry.all.contains(where: { $0.fioSelector[e.key] != nil }) {
            selections[e.key] = try e.flag() ? "1" : "0"
        } else if let option = EngineOption.withFioName(e.key) {
            if option.isFlag {
                spec.engineOptions[option] = try e.flag() ? 1 : nil
            } else {
                spec.engineOptions[option] = try e.integer(option.range)
            }
        } else {
            throw e.fail("option '\(e.written)' is listed as supported but not handled; this is a uringbench bug")
        }
    }
}

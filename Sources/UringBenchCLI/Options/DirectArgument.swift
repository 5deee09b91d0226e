import ArgumentParser

/// `--direct`: fio's 0/1 (also true/false), or for `compare` a list of both (`0,1`), each
/// value a separate case. The single-job commands refuse a list (`JobOptions.validate`).
struct DirectArgument: ExpressibleByArgument {
    let values: [Bool]
    /// The first value: the one a single job runs with.
    var value: Bool { values[0] }

    init(_ value: Bool) { values = [value] }

    init?(argument: String) {
        var values: [Bool] = []
        for item in argument.split(separator: ",", omittingEmptySubsequences: false) {
            guard let v = FioBool(argument: item.trimmingCharacters(in: .whitespaces)) else { return nil }
            values.append(v.value)
        }
        guard !values.isEmpty else { return nil }
        self.values = values
    }

    var isList: Bool { values.count > 1 }
    var defaultValueDescription: String { values.map { $0 ? "1" : "0" }.joined(separator: ",") }
}

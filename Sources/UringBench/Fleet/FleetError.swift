/// Why `uringbench fleet` cannot merge its inputs: one line, cause and fix.
public enum FleetError: Error, Equatable, Sendable, CustomStringConvertible {
    case results(CompareError)
    case tooFewHosts(count: Int)
    case duplicateHost(name: String, first: String, second: String)
    case differentJobs(first: String, other: String, differences: [String])
    case notFleetFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .results(let error):
            return error.description
        case .tooFewHosts(let count):
            return "fleet merges the results of two or more hosts, got \(count) file\(count == 1 ? "" : "s"); pass e.g. results/fleet/*.json"
        case .duplicateHost(let name, let first, let second):
            return "'\(first)' and '\(second)' are both host '\(name)' (a host is its file's name without .json); rename one"
        case .differentJobs(let first, let other, let differences):
            return "'\(other)' measured a different job than '\(first)' (\(differences.joined(separator: "; "))); run the same compare command on every host"
        case .notFleetFile(let path, let reason):
            return "'\(path)' is not a fleet results file (\(reason)); write one with uringbench fleet <files> --output \(path)"
        }
    }
}

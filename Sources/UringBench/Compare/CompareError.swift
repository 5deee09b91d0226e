/// Why a comparison, a results file or a gate cannot go on: one line, cause and fix.
public enum CompareError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidPlan(String)
    case unreadableResults(path: String, reason: String)
    case notOurResults(path: String, reason: String)
    case truncatedResults(path: String, reason: String)
    case baselineMissingCase(path: String, caseLabel: String)
    case differentMachine(path: String, differences: [String])
    case incompatibleBaseline(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidPlan(let text):
            return text
        case .unreadableResults(let path, let reason):
            return "cannot read results file '\(path)': \(reason); check the path"
        case .notOurResults(let path, let reason):
            return "'\(path)' is not a uringbench compare results file (\(reason)); write one with uringbench compare --output \(path)"
        case .truncatedResults(let path, let reason):
            return "'\(path)' is truncated or corrupt (\(reason)); re-run uringbench compare --output \(path)"
        case .baselineMissingCase(let path, let label):
            return "baseline '\(path)' has no \(label), which this run measured; re-measure the baseline with it (uringbench compare ... --output \(path)) or leave it out of --engines/--iodepth/--bs"
        case .differentMachine(let path, let differences):
            return "baseline '\(path)' was measured on another machine (\(differences.joined(separator: "; "))); numbers from different machines are not comparable: measure a baseline here, or pass --force"
        case .incompatibleBaseline(let path, let reason):
            return "baseline '\(path)' measured a different job (\(reason)); re-measure the baseline with the same options, or pass --force"
        }
    }
}

/// One host's compare results, named after its file (results/fleet/<host>.json).
public struct FleetHost: Sendable {
    public var name: String
    public var path: String
    public var results: ComparisonResults

    public init(name: String, path: String, results: ComparisonResults) {
        self.name = name
        self.path = path
        self.results = results
    }

    /// "results/fleet/db-1.json" → "db-1".
    public static func name(ofPath path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        return file.hasSuffix(".json") ? String(file.dropLast(5)) : file
    }

    public static func load(path: String) throws(FleetError) -> FleetHost {
        do {
            return FleetHost(name: name(ofPath: path), path: path, results: try ComparisonResults.load(path: path))
        } catch {
            throw .results(error)
        }
    }
}

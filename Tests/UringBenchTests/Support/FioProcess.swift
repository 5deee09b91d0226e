import Foundation
import TestSupport

/// fio itself, where it is installed, for tests that hold our JSON against its.
enum FioProcess {
    /// The first fio on PATH (`make test` puts it there); nil when there is none.
    static let path: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        .map { "\($0)/fio" }.first { FileManager.default.isExecutableFile(atPath: $0) }

    /// fio's JSON output for these arguments (`--output-format=json` is added); nil without fio.
    static func json(_ arguments: [String]) throws -> [String: Any]? {
        guard let path else { return nil }
        let r = try SpawnedRun.run(executable: path, arguments + ["--output-format=json"])
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    }
}

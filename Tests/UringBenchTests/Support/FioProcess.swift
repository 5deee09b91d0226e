import Foundation

/// fio itself, where it is installed, for tests that hold our JSON against its.
enum FioProcess {
    static let path = ["/usr/bin/fio", "/usr/local/bin/fio"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// fio's JSON output for these arguments (`--output-format=json` is added); nil without fio.
    static func json(_ arguments: [String]) throws -> [String: Any]? {
        guard let path else { return nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments + ["--output-format=json"]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return try JSONSerialization.jsonObject(with: data) as? [String: Any]
    }
}

import Foundation
import Glibc
@testable import UringNet

/// The built `uringbench` binary (next to the test bundle after `swift build --build-tests`), run
/// as a separate server process so that its CPU time and RSS can be read from /proc alone.
enum ServerChild {
    static let binary: String? = {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir, dir.deletingLastPathComponent()] {
            let p = candidate.appendingPathComponent("uringbench").path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }()

    /// `uringbench echo-server --engine E --port 0 ARGS`, under `ulimit -n openFiles` when given.
    static func echoServer(_ engine: EchoEngine, _ args: [String] = [], openFiles: Int? = nil) throws -> ServerProcess {
        guard let binary else { throw NetError.invalidOption("the uringbench binary is not built next to the tests") }
        let serverArgs = ["echo-server", "--engine", engine.rawValue, "--port", "0"] + args
        if let openFiles {
            // exec keeps the pid: the shell's limit is the server's.
            return try ServerProcess.launch(executable: "/bin/sh", arguments: ["-c", "ulimit -n \(openFiles) && exec \"$@\"", "sh", binary] + serverArgs,
                                            name: engine.rawValue, cpu: nil)
        }
        return try ServerProcess.launch(executable: binary, arguments: serverArgs, name: engine.rawValue, cpu: nil)
    }
}

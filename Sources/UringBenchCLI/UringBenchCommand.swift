import ArgumentParser
import Foundation
import UringBench
import UringCore

@main
struct UringBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uringbench",
        // The engine list comes from the registry, so a new engine cannot be missing from --help.
        abstract: "Measure Linux I/O models side by side: \(EngineRegistry.names).",
        discussion: "Output follows fio's layout and JSON schema, so fio users and fio tooling read it as is.",
        version: BuildInfo.versionText,
        subcommands: workloadCommands + [Engines.self] + comparisonCommands + networkCommands,
        defaultSubcommand: nil
    )

    /// ArgumentParser's own entry point, except that a bad flag or value is one line on stderr
    /// (exit 64), like every other error of uringbench, instead of the error plus the usage.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            switch ArgumentFailure.of(error, command: self) {
            case .refused(let message)?:
                refuse(message)
            case .status(let code)?:
                Foundation.exit(code.rawValue)
            case nil:
                if exitCode(for: error) == .validationFailure { refuse(message(for: error)) }
                exit(withError: error)
            }
        }
    }

    private static func refuse(_ message: String) -> Never {
        Terminal.error("uringbench: error: " + ArgumentErrorLine.render(message))
        Foundation.exit(ExitCode.validationFailure.rawValue)
    }
}

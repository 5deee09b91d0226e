import ArgumentParser

@main
struct UringBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uringbench",
        abstract: "Measure Linux I/O models side by side: psync, libaio, io_uring, io_uring+SQPOLL.",
        discussion: "Output follows fio's layout and JSON schema, so fio users and fio tooling read it as is.",
        version: "0.1.0",
        subcommands: [RandRead.self, Engines.self] + comparisonCommands + networkCommands,
        defaultSubcommand: nil
    )
}

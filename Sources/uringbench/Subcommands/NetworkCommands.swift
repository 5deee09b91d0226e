import ArgumentParser

extension UringBenchCommand {
    /// Socket benchmarks: echo servers, the QPS clients, UDP.
    static let networkCommands: [ParsableCommand.Type] = []
}

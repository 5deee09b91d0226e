import ArgumentParser

extension UringBenchCommand {
    /// Engine comparisons, fio job files and plots.
    static let comparisonCommands: [ParsableCommand.Type] = [Compare.self, Run.self, Plot.self, Fleet.self]
}

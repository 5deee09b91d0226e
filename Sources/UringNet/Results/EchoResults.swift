import Foundation
import UringCore

/// The file `echo --output-format json` writes and `uringbench plot` draws: the table's rows,
/// every measured cell, and what a reader needs to judge them (command, machine, when, and the
/// load average around the run). Files from before `format` existed (rows and cells only) still
/// load: every other field is optional.
public struct EchoResults: Codable, Sendable {
    public static let formatName = "uringbench_echo"

    public var format: String? = EchoResults.formatName
    public var command: String?
    public var machine: MachineInfo?
    /// Wall-clock start, seconds since the epoch.
    public var startedAt: Double?
    public var loadAverageBefore: String?
    public var loadAverageAfter: String?
    /// The run's footer line: rounds, requests, loop, client, pinning, open-file limit.
    public var setup: String?
    public var rows: [EchoTable.Row]
    public var cells: [EchoCell]

    public init(table: EchoTable, command: String?, machine: MachineInfo?, startedAt: Double?,
                loadAverageBefore: String?, loadAverageAfter: String?, setup: String?) {
        self.command = command
        self.machine = machine
        self.startedAt = startedAt
        self.loadAverageBefore = loadAverageBefore
        self.loadAverageAfter = loadAverageAfter
        self.setup = setup
        rows = table.rows
        cells = table.cells
    }

    public func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// Whether `data` is an echo results file: a JSON object with `rows` and `cells` whose
    /// `format`, if present, is ours (a comparison or fleet file has neither key).
    public static func isEchoResults(_ data: Data) -> Bool {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return false }
        if let format = object["format"] as? String { return format == formatName }
        return object["rows"] is [Any] && object["cells"] is [Any]
    }

    /// Loads an echo results file; the error names the file and what is wrong with it.
    /// Every number is range-checked by field before decoding, then rows and cells by their own
    /// rules, so no figure a table or chart converts can trap.
    public static func decode(_ data: Data, path: String) throws(NetError) -> EchoResults {
        func refuse(_ reason: String) -> NetError {
            NetError.invalidOption("'\(path)' is not a readable echo results file (\(reason)); write one with uringbench echo --output-format json --output FILE")
        }
        guard let top = try? JSONSerialization.jsonObject(with: data) else { throw refuse("not JSON") }
        if let problem = ResultsFieldBounds().problem(in: top) { throw refuse(problem) }
        let results: EchoResults
        do { results = try JSONDecoder().decode(EchoResults.self, from: data) } catch {
            throw refuse(ResultsFieldBounds.describe(error))
        }
        if let problem = results.problem() { throw refuse(problem) }
        return results
    }

    /// What no echo run writes: a row or cell without rounds, bytes or connections, a row whose
    /// median is outside its min-max.
    func problem() -> String? {
        for (i, r) in rows.enumerated() {
            if r.rounds < 1 { return "rows[\(i)].rounds is \(r.rounds), and a row has at least one round" }
            if r.size < 1 || r.connections < 1 { return "rows[\(i)] has size \(r.size) and connections \(r.connections); both are at least 1" }
            if !(r.qpsMin <= r.qpsMedian && r.qpsMedian <= r.qpsMax) { return "rows[\(i)].qpsMedian \(r.qpsMedian) is outside qpsMin-qpsMax \(r.qpsMin)-\(r.qpsMax)" }
            if let l = r.loadPercent, l < 1 { return "rows[\(i)].loadPercent is \(l), and a load is at least 1%" }
        }
        for (i, c) in cells.enumerated() {
            if c.round < 0 { return "cells[\(i)].round is \(c.round), and rounds count from 0" }
            if c.size < 1 || c.connections < 1 { return "cells[\(i)] has size \(c.size) and connections \(c.connections); both are at least 1" }
        }
        return nil
    }
}

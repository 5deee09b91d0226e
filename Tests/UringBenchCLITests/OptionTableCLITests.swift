import Foundation
import Testing
import TestSupport
@testable import UringBench

/// The options table (JobOption) against the built binary: every row meant for the command line
/// and every engine option has a flag, with the table's help, and no job flag lives outside the
/// table; a limit refuses the same value with the same rule on the command line and in a job file.
@Suite(.waits) struct OptionTableCLITests {
    /// Flags of a job subcommand that are not job options: the subcommand's own.
    static let commandFlags: Set<String> = ["engine", "output-format", "output", "help", "version"]

    /// `command`'s long flags with their help, from argument-parser's JSON description of itself.
    static func flags(_ command: [String]) throws -> [String: String] {
        let r = try CLITests.run(command + ["--experimental-dump-help"])
        #expect(r.status == 0, "\(r.stderr)")
        let root = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let arguments = (root?["command"] as? [String: Any])?["arguments"] as? [[String: Any]] ?? []
        var flags: [String: String] = [:]
        for argument in arguments {
            for name in argument["names"] as? [[String: Any]] ?? [] where name["kind"] as? String == "long" {
                if let n = name["name"] as? String { flags[n] = argument["abstract"] as? String ?? "" }
            }
        }
        return flags
    }

    @Test func everyCommandLineRowHasAFlagWithTheTablesHelp() throws {
        let flags = try Self.flags(["randread"])
        #expect(flags.count > 30)
        for row in JobOption.all {
            guard let name = row.cliName else { continue }
            #expect(flags[name] == row.help, "--\(name): the table's help is \(row.help), the binary's \(flags[name] ?? "none")")
        }
    }

    @Test func everyEngineOptionCanBeGivenOnTheCommandLine() throws {
        for command in [["randread"], ["compare"]] {
            let flags = try Self.flags(command)
            for option in EngineOption.all {
                #expect(flags[option.name] == option.help, "\(command[0]) has no \(option), declared by \(option.engines.map(\.rawValue))")
            }
        }
    }

    @Test func everyJobFlagIsARowOrAnEngineOption() throws {
        let known = Set(JobOption.all.compactMap(\.cliName)).union(EngineOption.all.map(\.name)).union(Self.commandFlags)
        let unknown = try Self.flags(["randread"]).keys.filter { !known.contains($0) }.sorted()
        #expect(unknown.isEmpty, "flags outside the options table: \(unknown)")
    }

    /// The job file allowed iodepth up to 32768 and the command line 65536, each with its own
    /// message: one limit now, and one rule.
    @Test func iodepthLimitIsTheSameOnTheCommandLineAndInAJobFile() throws {
        let rule = "must be a whole number from 1 to \(JobSpec.maxIODepth)"
        let cli = try CLITests.run(["randread", "--iodepth=65537"])
        #expect(cli.status != 0 && cli.stderr.contains("--iodepth \(rule)"), "\(cli.stderr)")
        let file = CLITests.dataDirectory + "/depth.fio"
        for (depth, accepted) in [("65536", true), ("65537", false)] {
            try "[j]\nioengine=libaio\niodepth=\(depth)\nfilename=x\nsize=1M\ntime_based\nruntime=1\n".write(toFile: file, atomically: true, encoding: .utf8)
            do {
                let job = try JobFile.load(path: file)
                #expect(accepted && job.jobs.first?.spec.iodepth == 65536)
            } catch {
                #expect(!accepted && error.message.contains("'iodepth=\(depth)' \(rule)"), "\(error)")
            }
        }
    }
}

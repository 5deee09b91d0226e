import ArgumentParser
import Testing
@testable import UringBenchCLI

/// `ArgumentFailure` reads ArgumentParser's errors by their shape (Mirror) to skip building the
/// usage text. If an ArgumentParser release renames what it reads, bad input still gets the same
/// line, only slower, and no CLI test would notice: these do.
@Suite struct ArgumentFailureTests {
    static func failure(_ arguments: [String]) -> ArgumentFailure? {
        do {
            _ = try UringBenchCommand.parseAsRoot(arguments)
            Issue.record("\(arguments) parsed")
            return nil
        } catch {
            return ArgumentFailure.of(error, command: UringBenchCommand.self)
        }
    }

    @Test func anUnknownOptionIsReadOffItsParseError() {
        guard case .refused(let message)? = Self.failure(["randread", "--no-such-flag"]) else {
            Issue.record("not read as a refusal")
            return
        }
        #expect(message.contains("--no-such-flag"))
    }

    @Test func aValidateRefusalKeepsItsOwnMessage() {
        guard case .refused(let message)? = Self.failure(["randread", "--iodepth", "0"]) else {
            Issue.record("not read as a refusal")
            return
        }
        #expect(message.contains("--iodepth"))
    }

    @Test func runsExitStatusIsKept() {
        guard case .status(let code)? = ArgumentFailure.of(ExitCode(3), command: UringBenchCommand.self) else {
            Issue.record("not read as an exit status")
            return
        }
        #expect(code.rawValue == 3)
    }
}

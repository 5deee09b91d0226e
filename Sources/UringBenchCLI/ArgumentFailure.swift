import ArgumentParser

/// How uringbench ends on an error of `parseAsRoot` or `run`, read off the error itself.
/// ArgumentParser's `exitCode(for:)` and `message(for:)` each build the command's usage text
/// before they look at the error (every option of the command, each checked again in debug
/// builds); bad input is to get its one line without that work, twice over.
enum ArgumentFailure {
    /// A refused flag or value: one line of this message, exit 64 (`validationFailure`).
    case refused(String)
    /// `run` threw this status after saying why itself: exit with it, printing nothing.
    case status(ExitCode)

    /// What ArgumentParser would do with `error` when that is certain from its shape; nil for
    /// the rest (help, version, completion scripts, a shape this does not know), which
    /// ArgumentParser's own handling decides as before.
    static func of(_ error: Error, command: ParsableCommand.Type) -> ArgumentFailure? {
        if let refusal = error as? ValidationError { return .refused(refusal.message) }
        if let status = error as? ExitCode { return .status(status) }
        // A parse or validate() failure arrives wrapped with its command stack, in a type of
        // ArgumentParser's own: its `parserError` case names what went wrong.
        guard let parserError = Mirror(reflecting: error).children.first(where: { $0.label == "parserError" })?.value,
              let failure = Mirror(reflecting: parserError).children.first, let name = failure.label else {
            return nil
        }
        if name == "userValidationError" {
            return (failure.value as? ValidationError).map { .refused($0.message) }
        }
        // Its message is built from the command's options: one usage text instead of two.
        return parseFailures.contains(name) ? .refused(command.message(for: error)) : nil
    }

    /// The cases of ArgumentParser's `ParserError` that carry a value and that it reports as a
    /// usage error (exit 64): all but the requests for help, a version or a completion script.
    static let parseFailures: Set<String> = [
        "unknownOption", "invalidOption", "nonAlphanumericShortOption", "missingValueForOption",
        "missingValueOrUnknownCompositeOption", "unexpectedValueForOption", "unexpectedExtraValues",
        "duplicateExclusiveValues", "noValue", "unableToParseValue", "unsupportedShell", "noArguments",
        "notParentCommand",
    ]
}

import ArgumentParser
import UringBench

/// --offset: bytes with fio's suffixes, or a share of the file's size (50%).
struct OffsetArgument: ExpressibleByArgument {
    var bytes: UInt64 = 0
    var percent = 0
    init?(argument: String) {
        if argument.hasSuffix("%") {
            guard let p = Int(argument.dropLast()), p >= 0, p < 100 else { return nil }
            percent = p
        } else {
            guard let v = Units.parseSize(argument) else { return nil }
            bytes = v
        }
    }
}

/// A time as fio's thinktime takes it: a bare number is microseconds.
struct MicrosecondsArgument: ExpressibleByArgument {
    let nanoseconds: UInt64
    init?(argument: String) {
        if let us = UInt64(argument) {
            let ns = us.multipliedReportingOverflow(by: 1_000)
            guard !ns.overflow else { return nil }
            nanoseconds = ns.partialValue
        } else {
            guard let v = Units.parseDuration(argument) else { return nil }
            nanoseconds = v
        }
    }
}

/// fio's rate: bytes per second for reads and writes each, or `r,w`.
struct RateArgument: ExpressibleByArgument {
    let read: UInt64
    let write: UInt64
    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2 else { return nil }
        func value(_ s: String) -> UInt64? { s.isEmpty ? 0 : Units.parseSize(s) }
        guard let r = value(parts[0]), let w = value(parts.count == 2 ? parts[1] : parts[0]) else { return nil }
        read = r
        write = w
    }
}

enum RateProcessArgument: String, ExpressibleByArgument, CaseIterable {
    case linear, poisson
}

enum SubmitModeArgument: String, ExpressibleByArgument, CaseIterable {
    case inline, offload
}

/// Where a job's IOs go in the file and how they are paced: fio's offset, offset_increment,
/// rate, rate_process and thinktime.
struct RegionPacingOptions: ParsableArguments {
    @Option(help: ArgumentHelp(JobOption.offset))
    var offset: OffsetArgument?

    @Option(name: .customLong("offset-increment"), help: ArgumentHelp(JobOption.offsetIncrement))
    var offsetIncrement: SizeArgument?

    @Option(help: ArgumentHelp(JobOption.rate))
    var rate: RateArgument?

    @Option(name: .customLong("rate-process"), help: ArgumentHelp(JobOption.rateProcess))
    var rateProcess: RateProcessArgument = .linear

    @Option(name: .customLong("io-submit-mode"), help: ArgumentHelp(JobOption.ioSubmitMode))
    var ioSubmitMode: SubmitModeArgument = .inline

    @Option(help: ArgumentHelp(JobOption.thinktime))
    var thinktime: MicrosecondsArgument?

    @Option(name: .customLong("thinktime-spin"), help: ArgumentHelp(JobOption.thinktimeSpin))
    var thinktimeSpin: MicrosecondsArgument?

    @Option(name: .customLong("thinktime-blocks"), help: ArgumentHelp(JobOption.thinktimeBlocks))
    var thinktimeBlocks: Int = 1

    func validate() throws {
        try OptionRange.check(thinktimeBlocks, 1...Int(Int32.max), "--thinktime-blocks", example: 1)
    }

    func apply(to job: inout JobSpec) {
        if let offset {
            job.offset = offset.bytes
            job.offsetPercent = offset.percent
        }
        job.offsetIncrement = offsetIncrement?.bytes ?? 0
        if let rate {
            job.rateBytes = rate.read
            job.writeRateBytes = rate.write == rate.read ? nil : rate.write
        }
        job.ratePoisson = rateProcess == .poisson
        job.submitOffload = ioSubmitMode == .offload
        job.thinktimeNanoseconds = thinktime?.nanoseconds ?? 0
        job.thinktimeSpinNanoseconds = thinktimeSpin?.nanoseconds ?? 0
        job.thinktimeBlocks = thinktimeBlocks
    }
}

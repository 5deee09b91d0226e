import ArgumentParser
import UringBench

extension UringBenchCommand {
    struct Engines: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the engines, whether each can run on this machine, and why not.")

        mutating func run() throws {
            print("kernel \(Syscalls.kernelRelease)")
            print(BuildInfo.linkage)
            for d in EngineRegistry.all {
                let a = d.probe()
                let state = a.available ? "available" : "UNAVAILABLE"
                let why = a.reason ?? a.detail ?? ""
                print("\(d.kind.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0)) \(state.padding(toLength: 12, withPad: " ", startingAt: 0)) \(why)")
            }
            for d in EngineRegistry.all where d.probe().available {
                for line in d.probeDetails() { print(line) }
            }
        }
    }
}

import Foundation
import UringCore

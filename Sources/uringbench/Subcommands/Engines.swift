import ArgumentParser
import UringBench

extension UringBenchCommand {
    struct Engines: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the engines, whether each can run on this machine, and why not.")

        mutating func run() throws {
            print("kernel \(Syscalls.kernelRelease)")
            for kind in EngineKind.allCases {
                let a = EngineProbe.check(kind)
                let state = a.available ? "available" : "UNAVAILABLE"
                let why = a.reason ?? a.detail ?? ""
                print("\(kind.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0)) \(state.padding(toLength: 12, withPad: " ", startingAt: 0)) \(why)")
            }
            if EngineProbe.check(.io_uring).available {
                print("io_uring features: \(IORingProbe.features().joined(separator: " "))")
                print("io_uring setup flags accepted: \(IORingProbe.acceptedSetupFlags().joined(separator: " "))")
                print("io_uring opcodes: \(IORingProbe.supportedOpcodes().joined(separator: " "))")
            }
        }
    }
}

import Foundation

import ArgumentParser

extension UringBenchCommand {
    /// Socket benchmarks: echo servers, the QPS clients, UDP.
    static let networkCommands: [ParsableCommand.Type] = [
        EchoServerCommand.self, TcpQPSCommand.self, EchoCommand.self,
        UdpServerCommand.self, UdpQPSCommand.self, UdpCommand.self,
    ]
}

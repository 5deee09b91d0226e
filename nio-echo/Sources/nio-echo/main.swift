import Glibc
import NIOCore
import NIOPosix

// SwiftNIO's stock echo server (the EchoServer example's handler): every inbound buffer is
// written straight back. uringbench's framed protocol is a byte stream, so a plain echo answers
// it correctly; NIO does not validate frame headers (uringbench's own servers do).
//
//   nio-echo [--host 127.0.0.1] [--port 0] [--threads 1]
// Prints "nio-echo: listening on HOST:PORT (threads N)" once bound; SIGINT/SIGTERM end it.

final class EchoHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.write(data, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}

func fail(_ message: String) -> Never {
    let line = "nio-echo: error: \(message)\n"
    _ = line.withCString { write(2, $0, strlen($0)) }
    exit(1)
}

var host = "127.0.0.1"
var port = 0
var threads = 1
var args = CommandLine.arguments.dropFirst().makeIterator()
while let arg = args.next() {
    guard let value = args.next() else { fail("\(arg) needs a value") }
    switch arg {
    case "--host": host = value
    case "--port": guard let p = Int(value), (0...65535).contains(p) else { fail("bad --port '\(value)': use 0-65535") }; port = p
    case "--threads": guard let t = Int(value), t >= 1 else { fail("bad --threads '\(value)': use 1 or more") }; threads = t
    default: fail("unknown option \(arg); options: --host, --port, --threads")
    }
}

let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
let bootstrap = ServerBootstrap(group: group)
    .serverChannelOption(.backlog, value: 1024)
    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
    .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
    .childChannelOption(.maxMessagesPerRead, value: 16)
    .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(EchoHandler()) }
    }

let channel: Channel
do {
    channel = try bootstrap.bind(host: host, port: port).wait()
} catch {
    fail("cannot listen on \(host):\(port): \(error); pick another --port or a local address")
}
let bound = channel.localAddress?.port ?? port
// Written to fd 1 directly (unbuffered): the parent waits for this line on a pipe.
let line = "nio-echo: listening on \(host):\(bound) (threads \(threads))\n"
_ = line.withCString { write(1, $0, strlen($0)) }
try? channel.closeFuture.wait()

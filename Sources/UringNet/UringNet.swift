/// Network I/O models: the same question as the disk engines, for sockets.
///
/// - `EchoServer` runs one of the TCP echo engines (`EchoEngine`) on N threads, one listener
///   per thread with SO_REUSEPORT.
/// - `TCPQPSClient` drives any echo server with length-prefixed frames and checks every byte.
/// - `UDPServer` / `UDPQPSClient` compare the UDP models.
public enum UringNet {}

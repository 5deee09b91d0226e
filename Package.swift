// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "uringbench",
    products: [
        .executable(name: "uringbench", targets: ["uringbench"]),
        .library(name: "UringBench", targets: ["UringBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // C stays behind three small shim targets: liburing (mostly static-inline API), libaio,
        // and the glibc names that only exist under _GNU_SOURCE (O_DIRECT, RUSAGE_THREAD, ...).
        .target(name: "CLiburing", linkerSettings: [.linkedLibrary("uring")]),
        .target(name: "CLibaio", linkerSettings: [.linkedLibrary("aio")]),
        .target(name: "CSystemShims"),
        .target(
            name: "UringBench",
            dependencies: ["CLiburing", "CLibaio", "CSystemShims"]
        ),
        // Network I/O models: TCP echo servers (epoll, io_uring, multishot), QPS client, UDP.
        .target(name: "UringNet", dependencies: ["CLiburing", "CSystemShims", "UringBench"]),
        .executableTarget(
            name: "uringbench",
            dependencies: [
                "UringBench",
                "UringNet",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "UringBenchTests", dependencies: ["UringBench"]),
        .testTarget(name: "UringNetTests", dependencies: ["UringNet"]),
        // Test helper: runs a command with io_uring_setup blocked by seccomp (ENOSYS or EPERM).
        .executableTarget(name: "deny-io-uring", path: "Tests/Helpers/DenyIOUring"),
        .testTarget(name: "uringbenchCLITests", dependencies: ["uringbench", "deny-io-uring"], exclude: ["Snapshots"]),
    ]
)

// swift-tools-version: 6.0
import PackageDescription

let environment = Context.environment

// `make dist` sets URINGBENCH_STATIC_LIBS=1: liburing and libaio are then linked from their
// archives (liburing.a, libaio.a) so the binary runs where the -dev packages are absent. The
// default build links the shared objects.
let staticCLibraries = environment["URINGBENCH_STATIC_LIBS"] == "1"
let linkageDefines: [SwiftSetting] = staticCLibraries ? [.define("URINGBENCH_STATIC_C_LIBS")] : []
// The static Swift runtime still asks for -lstdc++; URINGBENCH_STATIC_LIBDIR is a directory that
// holds only libstdc++.a, searched first, so that too is linked in (libgcc likewise), and only
// glibc stays dynamic.
let staticRuntimeLinkerFlags: [LinkerSetting] = staticCLibraries
    ? [.unsafeFlags((environment["URINGBENCH_STATIC_LIBDIR"].map { ["-L", $0] } ?? []) + ["-Xclang-linker", "-static-libgcc"])]
    : []

let package = Package(
    name: "uringbench",
    products: [
        .executable(name: "uringbench", targets: ["UringBenchCLI"]),
        .library(name: "UringBench", targets: ["UringBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // C stays behind three small shim targets: liburing (mostly static-inline API), libaio,
        // and the glibc names that only exist under _GNU_SOURCE (O_DIRECT, RUSAGE_THREAD, ...).
        .target(name: "CLiburing", linkerSettings: [.linkedLibrary(staticCLibraries ? ":liburing.a" : "uring")]),
        .target(name: "CLibaio", linkerSettings: [.linkedLibrary(staticCLibraries ? ":libaio.a" : "aio")]),
        .target(name: "CSystemShims"),
        // The commit this binary is built from, and whether the tree had uncommitted changes,
        // so every report can be traced to its binary: read by a plugin before every build (a
        // manifest reading git would be cached, and stale, until Package.swift changes).
        .plugin(name: "GitBuildInfo", capability: .buildTool()),
        // What the disk library and the network models share: the clock, errno and syscall
        // wrappers, the io_uring owner, CPU time, the latency histogram, number formatting,
        // the SVG canvas, statistics, machine info and the version.
        .target(
            name: "UringCore",
            dependencies: ["CLiburing", "CSystemShims"],
            swiftSettings: linkageDefines,
            plugins: ["GitBuildInfo"]
        ),
        .target(
            name: "UringBench",
            dependencies: ["CLiburing", "CLibaio", "CSystemShims", "UringCore"]
        ),
        // Network I/O models: TCP echo servers (epoll, io_uring, multishot), QPS client, UDP.
        .target(name: "UringNet", dependencies: ["CLiburing", "CSystemShims", "UringCore"]),
        // The command line; its product (the binary) is `uringbench`.
        .executableTarget(
            name: "UringBenchCLI",
            dependencies: [
                "UringCore",
                "UringBench",
                "UringNet",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: staticRuntimeLinkerFlags
        ),
        // The tests' one process runner (stdout and stderr to files, a hang guard) and the
        // synthetic compare results, for every test target.
        .target(name: "TestSupport", dependencies: ["UringBench", "UringCore"], path: "Tests/TestSupport"),
        // The pure tests, `make test-fast`: no process spawned, no file or device IO, no network,
        // no long runs. A test that needs any of those goes in one of the targets below.
        .testTarget(name: "UringBenchUnitTests", dependencies: ["UringBench", "UringNet", "UringCore", "TestSupport"]),
        .testTarget(name: "UringBenchTests", dependencies: ["UringBench", "UringCore", "TestSupport"]),
        .testTarget(name: "UringNetTests", dependencies: ["UringNet", "UringCore", "TestSupport"]),
        // Test helper: runs a command with io_uring_setup blocked by seccomp (ENOSYS or EPERM).
        .executableTarget(name: "deny-io-uring", path: "Tests/Helpers/DenyIOUring"),
        .testTarget(name: "UringBenchCLITests", dependencies: ["UringBenchCLI", "UringBench", "TestSupport", "deny-io-uring"], exclude: ["Snapshots"]),
    ]
)

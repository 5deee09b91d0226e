// swift-tools-version: 6.0
import PackageDescription

// The commit this binary is built from, and whether the tree had uncommitted changes, so every
// report can be traced to its binary. The Makefile passes them in the environment (SwiftPM caches
// the manifest per environment, so a new commit re-evaluates it; its git context alone would go
// stale). A plain `swift build`, or a build from a tarball without .git, says "unknown".
let environment = Context.environment
let buildInfoDefines: [CSetting] = [
    .define("URINGBENCH_GIT_COMMIT", to: "\"\(environment["URINGBENCH_GIT_COMMIT"] ?? "unknown")\""),
    .define("URINGBENCH_GIT_DIRTY", to: environment["URINGBENCH_GIT_DIRTY"] ?? "-1"),
]

// `make dist` sets URINGBENCH_STATIC_LIBS=1: liburing and libaio are then linked from their
// archives (liburing.a, libaio.a) so the binary runs where the -dev packages are absent. The
// default build links the shared objects.
let staticCLibraries = environment["URINGBENCH_STATIC_LIBS"] == "1"
let linkageDefines: [CSetting] = staticCLibraries ? [.define("URINGBENCH_STATIC_C_LIBS", to: "1")] : []
// The static Swift runtime still asks for -lstdc++; URINGBENCH_STATIC_LIBDIR is a directory that
// holds only libstdc++.a, searched first, so that too is linked in (libgcc likewise), and only
// glibc stays dynamic.
let staticRuntimeLinkerFlags: [LinkerSetting] = staticCLibraries
    ? [.unsafeFlags((environment["URINGBENCH_STATIC_LIBDIR"].map { ["-L", $0] } ?? []) + ["-Xclang-linker", "-static-libgcc"])]
    : []

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
        .target(name: "CLiburing", linkerSettings: [.linkedLibrary(staticCLibraries ? ":liburing.a" : "uring")]),
        .target(name: "CLibaio", linkerSettings: [.linkedLibrary(staticCLibraries ? ":libaio.a" : "aio")]),
        .target(name: "CSystemShims"),
        .target(name: "CBuildInfo", cSettings: buildInfoDefines + linkageDefines),
        .target(
            name: "UringBench",
            dependencies: ["CLiburing", "CLibaio", "CSystemShims", "CBuildInfo"]
        ),
        // Network I/O models: TCP echo servers (epoll, io_uring, multishot), QPS client, UDP.
        .target(name: "UringNet", dependencies: ["CLiburing", "CSystemShims", "UringBench"]),
        .executableTarget(
            name: "uringbench",
            dependencies: [
                "UringBench",
                "UringNet",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: staticRuntimeLinkerFlags
        ),
        // The tests' one process runner (stdout and stderr to files, a hang guard), for every test target.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // The pure tests, `make test-fast`: no process spawned, no file or device IO, no network,
        // no long runs. A test that needs any of those goes in one of the targets below.
        .testTarget(name: "UringBenchUnitTests", dependencies: ["UringBench", "UringNet"]),
        .testTarget(name: "UringBenchTests", dependencies: ["UringBench", "TestSupport"]),
        .testTarget(name: "UringNetTests", dependencies: ["UringNet"]),
        // Test helper: runs a command with io_uring_setup blocked by seccomp (ENOSYS or EPERM).
        .executableTarget(name: "deny-io-uring", path: "Tests/Helpers/DenyIOUring"),
        .testTarget(name: "uringbenchCLITests", dependencies: ["uringbench", "UringBench", "TestSupport", "deny-io-uring"], exclude: ["Snapshots"]),
    ]
)

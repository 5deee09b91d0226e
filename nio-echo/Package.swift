// swift-tools-version: 6.0
// SwiftNIO's standard echo pipeline as the baseline for `uringbench echo --engines ...,nio`.
// A nested package so the core uringbench build never pulls in NIO.
import PackageDescription

let package = Package(
    name: "nio-echo",
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "nio-echo",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ]
)

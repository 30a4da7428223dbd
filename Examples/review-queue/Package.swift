// swift-tools-version:6.1
import Foundation
import PackageDescription

// The root package is a path dependency, and SwiftPM names a path dependency after the folder it
// lives in: the folder the repository was cloned into, which this manifest cannot know in advance.
let root = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().deletingLastPathComponent()
let rootIdentity = root.lastPathComponent.lowercased()

let package = Package(
    name: "WildGuardReviewQueue",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "wildguard-review-worker", targets: ["wildguard-review-worker"]),
        .library(name: "WildGuardReviewQueue", targets: ["WildGuardReviewQueue"]),
    ],
    dependencies: [
        .package(path: "../.."),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .target(
            name: "WildGuardReviewQueue",
            dependencies: [
                .product(name: "WildGuard", package: rootIdentity),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("schema.sql")]
        ),
        .executableTarget(
            name: "wildguard-review-worker",
            dependencies: [
                "WildGuardReviewQueue",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "WildGuardReviewQueueTests",
            dependencies: [
                "WildGuardReviewQueue",
                "wildguard-review-worker",
                .product(name: "WildGuard", package: rootIdentity),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

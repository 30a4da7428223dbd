// swift-tools-version:6.1
import Foundation
import PackageDescription

// The root package is a path dependency; its identity is the name of the folder it was cloned
// into, which this manifest cannot know in advance.
let rootIdentity = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "WildGuardBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "WildGuardBenchmarks",
            dependencies: [
                "BenchmarkCorpus",
                .product(name: "WildGuard", package: rootIdentity),
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "Benchmarks/WildGuardBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        // The seeded corpus and the tenfold taxonomy, shared by the benchmarks and the
        // instruction counter.
        .target(name: "BenchmarkCorpus", dependencies: [.product(name: "WildGuard", package: rootIdentity)]),
        // One pass of each stage over the corpus, for `scripts/instructions.sh` (callgrind).
        .executableTarget(
            name: "InstructionCount",
            dependencies: ["BenchmarkCorpus", .product(name: "WildGuard", package: rootIdentity)]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// swift-tools-version:6.0
import PackageDescription

/// The libFuzzer targets, one folder each under Fuzz/ (scripts/fuzz.sh runs them).
let fuzzTargets = ["FuzzNormaliser", "FuzzEngine", "FuzzJSONRecord", "FuzzPolicy", "FuzzTaxonomy"]

let package = Package(
    name: "WildGuard",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "WildGuard", targets: ["WildGuard"]),
        .executable(name: "wildguard", targets: ["wildguard"]),
        // The C ABI (Sources/WildGuardCABI/include/wildguard.h) as libwildguard-c.so.
        .library(name: "wildguard-c", type: .dynamic, targets: ["WildGuardCABI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // For `swift package generate-documentation --target WildGuard` (scripts/test.sh builds it).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // System libraries, found through pkg-config. Their module maps expose no ICU or PCRE2
        // header to Swift: every call goes through CWildGuardShims (ICU's headers clash with
        // Foundation's bundled ICU when Swift sees both).
        .systemLibrary(
            name: "CICU",
            pkgConfig: "icu-i18n",
            providers: [.apt(["libicu-dev"])]
        ),
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]
        ),
        .target(
            name: "CWildGuardShims",
            dependencies: ["CICU", "CPCRE2"],
            linkerSettings: [
                .linkedLibrary("pcre2-8"),
                .linkedLibrary("icui18n"),
                .linkedLibrary("icuuc"),
                .linkedLibrary("icudata"),
            ]
        ),
        .target(
            name: "WildGuard",
            dependencies: [
                "CWildGuardShims",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "wildguard",
            dependencies: [
                "WildGuard",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "wildguard-embedding-example",
            dependencies: ["WildGuard"],
            path: "Examples/EmbeddingSwift"
        ),
        .target(
            name: "WildGuardCABI",
            dependencies: ["WildGuard"],
            // wildguard.h is for C callers; the Swift code implements it with @_cdecl.
            exclude: ["include"]
        ),
        .testTarget(
            name: "WildGuardTests",
            dependencies: ["WildGuard"]
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["WildGuard", "wildguard"],
            // Read from the source tree by path, not bundled.
            exclude: ["Fixtures"]
        ),
        // Fuzz targets (Fuzz/README.md; run them with scripts/fuzz.sh). Built with
        // `-sanitize=fuzzer,address -D WILDGUARD_LIBFUZZER` each is a libFuzzer binary; in an
        // ordinary build each replays the inputs named on its command line.
        .target(
            name: "CFuzzDriver",
            path: "Fuzz/CFuzzDriver"
        ),
        .target(
            name: "FuzzSupport",
            dependencies: ["WildGuard", "CFuzzDriver"],
            path: "Fuzz/Support"
        ),
    ] + fuzzTargets.map { name in
        .executableTarget(name: name, dependencies: ["WildGuard", "FuzzSupport"], path: "Fuzz/\(name)")
    },
    swiftLanguageModes: [.v6]
)

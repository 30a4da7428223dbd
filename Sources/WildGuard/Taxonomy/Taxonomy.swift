import Foundation

/// A loaded taxonomy: every entry of every file in a taxonomy directory, checked against the
/// schema in `Taxonomy/README.md`. Immutable; compile it into an `Engine` to classify with it.
public struct Taxonomy: Sendable {
    public var name: String
    public var version: String
    public var entries: [TaxonomyEntry]
    /// A hash of every file's bytes, so a decision can be traced to the exact taxonomy.
    public var contentHash: String
    /// The directory it was loaded from, when it came from one.
    public var directory: String?

    public init(name: String, version: String, entries: [TaxonomyEntry], contentHash: String, directory: String? = nil) {
        self.name = name
        self.version = version
        self.entries = entries
        self.contentHash = contentHash
        self.directory = directory
    }

    /// Loads and checks every file of a taxonomy directory. All problems found are reported
    /// together (`WildGuardError.many`), each with file, line and reason.
    public init(directory: String, limits: TaxonomyLimits = .init()) throws(WildGuardError) {
        self = try TaxonomyLoader(limits: limits).load(directory: directory)
    }

    /// The taxonomy bundled with WildGuard: `$WILDGUARD_TAXONOMY` when set, else the
    /// `Taxonomy/` directory found next to the executable or above the working directory.
    public static func bundledDirectory() -> String? {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["WILDGUARD_TAXONOMY"], !env.isEmpty { return env }
        var candidates: [URL] = []
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
        var dir = executable.deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(dir.appendingPathComponent("Taxonomy"))
            candidates.append(dir.appendingPathComponent("share/wildguard/Taxonomy"))
            dir = dir.deletingLastPathComponent()
        }
        var cwd = URL(fileURLWithPath: fm.currentDirectoryPath)
        for _ in 0..<4 {
            candidates.append(cwd.appendingPathComponent("Taxonomy"))
            cwd = cwd.deletingLastPathComponent()
        }
        for candidate in candidates where fm.fileExists(atPath: candidate.appendingPathComponent("taxonomy.yaml").path) {
            return candidate.path
        }
        return nil
    }
}

/// Limits on untrusted taxonomy and policy files.
public struct TaxonomyLimits: Sendable {
    public var maxFileBytes = 16 << 20
    public var maxFiles = 500
    public var maxEntries = 100_000
    public var maxPatternLength = 2_000
    public var maxTermLength = 300
    public init() {}
}

/// FNV-1a, 64 bit: a stable content fingerprint (not a security hash).
struct ContentHash {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        for b in bytes {
            value ^= UInt64(b)
            value = value &* 0x100_0000_01b3
        }
    }

    var hex: String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}

import Foundation
import Testing
@testable import WildGuard

/// Paths and shared objects for the tests.
enum Fixtures {
    /// The repository root (the folder holding Package.swift).
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    static var taxonomyDirectory: String { root.appendingPathComponent("Taxonomy").path }

    private static let loaded: Result<Engine, WildGuardError> = Result { () throws(WildGuardError) in
        try Engine(taxonomyDirectory: taxonomyDirectory)
    }

    /// The bundled taxonomy with the default policy, loaded once for all tests. A taxonomy that
    /// does not load fails the tests that need it (with its problems), not the whole run.
    static var engine: Engine {
        get throws { try loaded.get() }
    }

    static func engine(policy: String) throws -> Engine {
        try Engine(taxonomy: try engine.taxonomy, policy: Policy.resolve(policy, taxonomyDirectory: taxonomyDirectory))
    }

    /// Where this test process writes its temporary taxonomies: one folder, removed when the
    /// process exits.
    private static let scratch: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wildguard-tests-\(getpid())")
        atexit { try? FileManager.default.removeItem(at: Fixtures.scratch) }
        return url
    }()

    /// A small taxonomy written to a temporary directory, for loader and matcher tests.
    static func temporaryTaxonomy(files: [String: String], policy: String? = nil) throws -> String {
        let dir = scratch.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("lexicon"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("policies"), withIntermediateDirectories: true)
        try "name: test\nversion: \"1\"\n".write(to: dir.appendingPathComponent("taxonomy.yaml"), atomically: true, encoding: .utf8)
        for (name, text) in files {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try (policy ?? minimalPolicy).write(to: dir.appendingPathComponent("policies/strict-marketplace.yaml"), atomically: true, encoding: .utf8)
        return dir.path
    }

    static let minimalPolicy = """
        policy: strict-marketplace
        version: "1"
        thresholds: {review: 3, block: 6}
        scores:
          product: {score: 3}
          intent: {score: 3}
          benign: {score: -10}
        rules: []
        """

    /// Normalises `text` and returns the primary segment.
    static func normalised(_ text: String) -> NormalisedText {
        let out = NormalisedText()
        Normaliser().normalise(text, into: out)
        return out
    }
}

extension Decision {
    func fired(_ id: String) -> Bool { reasons.contains { $0.rule == id } }
}

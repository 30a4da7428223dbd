import Foundation
import Testing
@testable import WildGuard

@Suite("Reloadable engine")
struct ReloadableEngineTests {
    /// Version A knows "ivory", version B knows "tusk": a decision shows which one made it.
    static func lexicon(_ word: String) -> String {
        """
        kind: product
        entries:
          - id: product.\(word)
            tags: [\(word)]
            terms: {en: [\(word)]}
            source: test
            examples: {positive: ["\(word) bangle"], negative: [bangle]}
        """
    }

    let versionA: String
    let versionB: String
    /// Loads, but has a pattern that does not compile.
    let brokenPattern: String
    /// Does not load: not YAML.
    let brokenYAML: String

    init() throws {
        versionA = try Fixtures.temporaryTaxonomy(files: ["lexicon/products.yaml": Self.lexicon("ivory")])
        versionB = try Fixtures.temporaryTaxonomy(files: ["lexicon/products.yaml": Self.lexicon("tusk")])
        brokenPattern = try Fixtures.temporaryTaxonomy(files: [
            "lexicon/products.yaml": Self.lexicon("ivory") + "\n    patterns: ['(unclosed']\n",
        ])
        brokenYAML = try Fixtures.temporaryTaxonomy(files: ["lexicon/products.yaml": "kind: product\nentries: [\n  - {id: x"])
    }

    static func names(_ word: String, _ decision: Decision) -> Bool {
        decision.reasons.contains { $0.rule == "product.\(word)" }
    }

    @Test func aReloadPutsTheNewEngineInService() throws {
        let screen = try ReloadableEngine(taxonomyDirectory: versionA)
        let before = screen.engine.fingerprint
        #expect(Self.names("ivory", screen.classify("ivory bangle for sale")))
        #expect(!Self.names("tusk", screen.classify("tusk bangle for sale")))

        let loaded = try screen.reload(taxonomyDirectory: versionB)
        #expect(screen.engine === loaded)
        #expect(screen.engine.fingerprint != before)
        #expect(Self.names("tusk", screen.classify("tusk bangle for sale")))
        #expect(!Self.names("ivory", screen.classify("ivory bangle for sale")))
    }

    @Test(arguments: [true, false])
    func aBrokenTaxonomyIsRejectedAndTheOldEngineKeepsServing(badPattern: Bool) throws {
        let screen = try ReloadableEngine(taxonomyDirectory: versionA)
        let serving = screen.engine
        let broken = badPattern ? brokenPattern : brokenYAML
        #expect(throws: WildGuardError.self) { try screen.reload(taxonomyDirectory: broken) }
        do {
            try screen.reload(taxonomyDirectory: broken)
        } catch {
            // The error names the file, as loading one directly does.
            #expect(error.description.contains("products.yaml"))
            if badPattern { #expect(error.problems.contains { if case .badPattern = $0 { true } else { false } }) }
        }
        #expect(screen.engine === serving)
        #expect(Self.names("ivory", screen.classify("ivory bangle for sale")))
    }

    @Test func anUnknownPolicyIsRejectedAndTheOldEngineKeepsServing() throws {
        let screen = try ReloadableEngine(taxonomyDirectory: versionA)
        let serving = screen.engine
        #expect(throws: WildGuardError.self) { try screen.reload(taxonomyDirectory: versionB, policy: "no-such-policy") }
        #expect(screen.engine === serving)
    }

    @Test func aReloadKeepsTheOptionsUnlessGivenNew() throws {
        var options = Engine.Options()
        options.maxListingBytes = 1_000
        let screen = try ReloadableEngine(taxonomyDirectory: versionA, options: options)
        try screen.reload(taxonomyDirectory: versionB)
        #expect(screen.engine.options.maxListingBytes == 1_000)
        try screen.reload(taxonomyDirectory: versionA, options: .init())
        #expect(screen.engine.options.maxListingBytes == Engine.Options().maxListingBytes)
    }

    @Test func aClassifierIsReusedUntilAReload() throws {
        let screen = try ReloadableEngine(taxonomyDirectory: versionA)
        let first = screen.classifier(reusing: nil)
        #expect(screen.classifier(reusing: first) === first)
        try screen.reload(taxonomyDirectory: versionB)
        let renewed = screen.classifier(reusing: first)
        #expect(renewed !== first)
        #expect(renewed.engine === screen.engine)
    }

    /// Four threads classify without pause while the engine is reloaded with broken versions and
    /// good ones. Every decision must come from a whole engine (A or B, told apart by fingerprint),
    /// decide as that engine does, and after the last good reload every decision must come from it.
    @Test func reloadsDuringConcurrentClassificationNeverShowAHalfLoadedEngine() throws {
        let screen = try ReloadableEngine(taxonomyDirectory: versionA)
        let fingerprintA = screen.engine.fingerprint
        let fingerprintB = try Engine(taxonomyDirectory: versionB).fingerprint
        let stop = Shared(false)
        let seen = Shared<[String: Int]>([:])
        let problems = Shared<[String]>([])
        let listing = "ivory and tusk bangle for sale"

        let workers = DispatchGroup()
        for _ in 0..<4 {
            workers.enter()
            Thread {
                var classifier: Classifier?
                var counts: [String: Int] = [:]
                var found: [String] = []
                while !stop.mutex.withLock({ $0 }) {
                    let current = screen.classifier(reusing: classifier)
                    classifier = current
                    let decision = current.classify(listing)
                    counts[decision.fingerprint, default: 0] += 1
                    let consistent = decision.fingerprint == fingerprintA
                        ? Self.names("ivory", decision) && !Self.names("tusk", decision)
                        : decision.fingerprint == fingerprintB && Self.names("tusk", decision) && !Self.names("ivory", decision)
                    if !consistent, found.count < 5 { found.append("\(decision.fingerprint): \(decision.reasons.map(\.rule))") }
                    // The one-call path too, which takes the engine in service each time.
                    let direct = screen.classify(listing)
                    counts[direct.fingerprint, default: 0] += 1
                }
                seen.mutex.withLock { total in total.merge(counts, uniquingKeysWith: +) }
                problems.mutex.withLock { $0 += found }
                workers.leave()
            }.start()
        }

        var rejected = 0
        for round in 0..<6 {
            for broken in [brokenPattern, brokenYAML] {
                do {
                    try screen.reload(taxonomyDirectory: broken)
                } catch {
                    rejected += 1
                }
            }
            try screen.reload(taxonomyDirectory: round.isMultiple(of: 2) ? versionB : versionA)
        }
        // The last good reload (round 5) put A back; let the workers run on it for a moment.
        let lastGood = screen.engine
        Thread.sleep(forTimeInterval: 0.05)
        stop.mutex.withLock { $0 = true }
        workers.wait()

        #expect(rejected == 12)
        #expect(lastGood.fingerprint == fingerprintA)
        let problemList = problems.mutex.withLock { $0 }
        #expect(problemList.isEmpty, "decisions that match neither engine: \(problemList)")
        let counts = seen.mutex.withLock { $0 }
        #expect(Set(counts.keys).isSubset(of: [fingerprintA, fingerprintB]), "fingerprints seen: \(counts)")
        #expect(counts.values.reduce(0, +) > 0)
        #expect(screen.classify(listing).fingerprint == fingerprintA)
    }
}

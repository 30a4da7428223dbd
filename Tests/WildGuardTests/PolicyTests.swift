import Testing
@testable import WildGuard

@Suite("Policy")
struct PolicyTests {
    static func signal(_ kind: SignalKind, _ tags: [String] = [], appendix: CITESAppendix? = nil, group: String = "x") -> Signal {
        let taxon = appendix.map {
            TaxonFacts(scientificName: "Testus testus", synonyms: [], rank: "species", appendix: $0, listed: "", citesNote: nil,
                       group: group, products: [], emoji: [], commonName: "test")
        }
        return Signal(kind: kind, id: "\(kind.rawValue).test", tags: tags, weight: 1, span: 0..<1, matched: "x",
                      evasion: nil, taxon: taxon, count: 1, location: nil)
    }

    static let policy = """
        policy: test
        version: "1"
        thresholds: {review: 4, block: 8}
        scores:
          product: {score: 3, cap: 3}
          intent: {score: 2}
          benign: {score: -5}
        rules:
          - id: ITEM
            any: ["kind:product tag:strong", "kind:taxon appendix:I"]
          - id: COLOUR
            all: ["kind:benign tag:colour"]
            action: allow
          - id: SALE
            all: ["rule:ITEM", "kind:intent"]
            none: ["kind:mitigating tag:mammoth"]
            score: 1
            action: block
        """

    func evaluate(_ signals: [Signal]) throws -> PolicyEvaluator.Outcome {
        PolicyEvaluator(policy: try Policy(yaml: Self.policy, path: "test.yaml")).evaluate(signals)
    }

    @Test func firstRuleWithAnActionDecides() throws {
        let outcome = try evaluate([Self.signal(.product, ["strong"]), Self.signal(.intent)])
        #expect(outcome.action == .block)
        #expect(outcome.decidingRule == "SALE")
        let rules = try Policy(yaml: Self.policy, path: "test.yaml").rules
        #expect(outcome.firedRules.map { rules[$0].id } == ["ITEM", "SALE"])
    }

    @Test func benignContextWinsWhenItComesFirst() throws {
        let outcome = try evaluate([Self.signal(.product, ["strong"]), Self.signal(.intent), Self.signal(.benign, ["colour"])])
        #expect(outcome.action == .allow)
    }

    @Test func noneSelectorsBlockARule() throws {
        let outcome = try evaluate([Self.signal(.product, ["strong"]), Self.signal(.intent), Self.signal(.mitigating, ["mammoth"])])
        #expect(outcome.decidingRule == nil)
        #expect(outcome.action == .review)  // 3 + 2 = 5: review by threshold
    }

    @Test func scoresAreCappedPerKind() throws {
        let outcome = try evaluate([Self.signal(.product), Self.signal(.product), Self.signal(.product)])
        #expect(outcome.score == 3)
    }

    @Test func splitListingsCountAsAppendixII() throws {
        let selector = try Selector("kind:taxon appendix:I")
        #expect(!selector.matches(Self.signal(.taxon, appendix: .iAndII)))
        #expect(selector.matches(Self.signal(.taxon, appendix: .i)))
        #expect(try Selector("appendix:II").matches(Self.signal(.taxon, appendix: .iAndII)))
        #expect(try Selector("appendix:I/II").matches(Self.signal(.taxon, appendix: .iAndII)))
        #expect(try Selector("kind:taxon !appendix:none").matches(Self.signal(.taxon, appendix: .ii)))
        #expect(try Selector("group:primate|pangolin").matches(Self.signal(.taxon, appendix: .ii, group: "pangolin")))
    }

    @Test("rejects bad policies with the line", arguments: [
        ("policy: x\nversion: \"1\"\nthresholds: {review: 1, block: 2}\nrules:\n  - id: A\n    all: [\"kynd:taxon\"]\n", 6, "unknown key"),
        ("policy: x\nversion: \"1\"\nthresholds: {review: 1, block: 2}\nrules:\n  - id: A\n    all: [\"rule:B\"]\n", 6, "not defined above"),
        ("policy: x\nversion: \"1\"\nthresholds: {review: 3, block: 2}\n", 3, "must not be above"),
        ("policy: x\nversion: \"1\"\nthresholds: {review: 1, block: 2}\ncolour: red\n", 4, "unknown field 'colour'"),
        ("policy: x\nversion: \"1\"\nthresholds: {review: 1, block: 2}\nrules:\n  - id: A\n    all: [kind:taxon]\n    action: ban\n", 7, "action must be"),
    ])
    func badPolicies(yaml: String, line: Int, message: String) {
        #expect {
            try Policy(yaml: yaml, path: "bad.yaml")
        } throws: { error in
            guard let error = error as? WildGuardError, case .invalid(let path, let l, let reason) = error else { return false }
            return path == "bad.yaml" && l == line && reason.contains(message)
        }
    }

    @Test func bundledProfilesLoad() throws {
        let names = Policy.available(in: Fixtures.taxonomyDirectory)
        #expect(names.contains("strict-marketplace"))
        #expect(names.contains("lenient-antiques"))
        for name in names { _ = try Policy.resolve(name, taxonomyDirectory: Fixtures.taxonomyDirectory) }
    }

    @Test func unknownProfileNamesTheAvailableOnes() {
        #expect {
            try Policy.resolve("nope", taxonomyDirectory: Fixtures.taxonomyDirectory)
        } throws: { error in
            "\(error)".contains("strict-marketplace")
        }
    }
}

@Suite("Kind tables")
struct KindTableTests {
    /// The per-listing path indexes tables by these positions without building `allCases`: they
    /// must stay in step with the enums when a case is added.
    @Test func signalKindPositionsMatchAllCases() {
        #expect(SignalKind.count == SignalKind.allCases.count)
        for (position, kind) in SignalKind.allCases.enumerated() { #expect(kind.index == position) }
    }

    @Test func evasionKindPositionsMatchAllCases() {
        #expect(EvasionKind.count == EvasionKind.allCases.count)
        for (position, kind) in EvasionKind.allCases.enumerated() {
            #expect(kind.index == position)
            #expect(EvasionKind.at(position) == kind)
        }
    }
}

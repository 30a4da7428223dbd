import FuzzSupport
import WildGuard

/// Fuzzes the policy loader, and the policy compiler and evaluator behind it.
///
/// Invariants:
/// - `Policy(yaml:path:)` on any text either returns a policy or throws a `WildGuardError` whose
///   message can be printed; it never crashes;
/// - a policy that loads has unique rule ids and thresholds in order, compiles into an engine with
///   the small fixture taxonomy, and decides every fixture listing the same way twice, citing only
///   its own rules.
@main
enum FuzzPolicy {
    static func main() {
        // Fixtures load before libFuzzer starts timing inputs.
        _ = FuzzFixtures.miniTaxonomy
        FuzzDriver.main(testOneInput)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    PolicyTarget.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}

enum PolicyTarget {
    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        let text = String(decoding: input, as: UTF8.self)
        let policy: Policy
        do {
            policy = try Policy(yaml: text, path: "fuzz.yaml")
        } catch {
            fuzzCheck(!error.description.isEmpty, "an error without a message")
            return
        }
        fuzzCheck(policy.reviewThreshold <= policy.blockThreshold, "review threshold above block threshold")
        fuzzCheck(Set(policy.rules.map(\.id)).count == policy.rules.count, "duplicate rule ids")
        let engine: Engine
        do {
            engine = try Engine(taxonomy: FuzzFixtures.miniTaxonomy, policy: policy)
        } catch {
            fuzzCheck(false, "the fixture taxonomy does not compile with a policy: \(error)")
            return
        }
        let ruleIDs = Set(policy.rules.map(\.id))
        let classifier = engine.makeClassifier()
        for listing in FuzzFixtures.listings {
            let decision = classifier.classify(listing)
            for reason in decision.reasons where reason.kind == "rule" {
                fuzzCheck(ruleIDs.contains(reason.rule), "decision cites rule \(reason.rule), not in the policy")
            }
            if let rule = decision.decidingRule {
                fuzzCheck(ruleIDs.contains(rule) || rule.hasPrefix("limit."), "deciding rule \(rule) is not in the policy")
            }
            var copy = listing
            copy.withUTF8 { bytes in
                DecisionChecks.checkSpans(decision, input: bytes, boundaries: UTF8Boundaries(bytes))
                DecisionChecks.checkSame(decision, classifier.classify(utf8: bytes), "the same policy decided differently", input: bytes)
            }
        }
    }
}

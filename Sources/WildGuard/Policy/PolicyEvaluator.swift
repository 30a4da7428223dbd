/// Applies a policy to a listing's signals: scores per kind (bounded), composite rules in order,
/// then thresholds, unless a rule with an action decided first.
struct PolicyEvaluator: Sendable {
    let policy: Policy
    let compiled: CompiledPolicy

    init(policy: Policy, taxonomy: Taxonomy = Taxonomy(name: "", version: "", entries: [], contentHash: "")) {
        self.policy = policy
        self.compiled = CompiledPolicy(policy: policy, taxonomy: taxonomy)
    }

    struct Outcome {
        var action: Action
        var score: Double
        var firedRules: [(rule: Policy.Rule, index: Int)]
        var signalScores: [Double]
        var decidingRule: String?
    }

    func evaluate(_ signals: [Signal]) -> Outcome {
        var signalScores = [Double](repeating: 0, count: signals.count)
        let kindCount = SignalKind.allCases.count
        var total = 0.0
        withUnsafeTemporaryAllocation(of: Double.self, capacity: kindCount) { perKind in
            perKind.initialize(repeating: 0)
            for (i, signal) in signals.enumerated() {
                guard let kindScore = compiled.kindScores[signal.kind.index] else { continue }
                let score = kindScore.score * signal.weight
                signalScores[i] = score
                perKind[signal.kind.index] += score
            }
            for k in 0..<kindCount {
                guard let kindScore = compiled.kindScores[k] else { continue }
                total += min(max(perKind[k], -kindScore.cap), kindScore.cap)
            }
        }

        var firedRules: [(rule: Policy.Rule, index: Int)] = []
        var decided: (Action, String)?
        withUnsafeTemporaryAllocation(of: Bool.self, capacity: policy.rules.count) { fired in
            fired.initialize(repeating: false)
            for (index, rule) in policy.rules.enumerated() {
                func holds(_ selector: CompiledPolicy.CompiledSelector) -> Bool {
                    if let ref = selector.rule { return fired[ref] }
                    for signal in signals {
                        let words = signal.words.isEmpty ? compiled.words(for: signal) : signal.words
                        if selector.matches(kind: signal.kind, words: words, entry: signal.entryIndex) { return true }
                    }
                    return false
                }
                let compiledRule = compiled.rules[index]
                guard compiledRule.all.allSatisfy(holds),
                    compiledRule.any.isEmpty || compiledRule.any.contains(where: holds),
                    !compiledRule.none.contains(where: holds)
                else { continue }
                fired[index] = true
                firedRules.append((rule, index))
                total += rule.score
                if decided == nil, let action = rule.action { decided = (action, rule.id) }
            }
        }
        let action: Action
        if let decided {
            action = decided.0
        } else if total >= policy.blockThreshold {
            action = .block
        } else if total >= policy.reviewThreshold {
            action = .review
        } else {
            action = .allow
        }
        return Outcome(action: action, score: (total * 100).rounded() / 100, firedRules: firedRules,
                       signalScores: signalScores, decidingRule: decided?.1)
    }
}

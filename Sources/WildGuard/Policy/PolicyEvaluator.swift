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
        var perKind: [SignalKind: Double] = [:]
        for (i, signal) in signals.enumerated() {
            guard let kindScore = policy.kindScores[signal.kind] else { continue }
            let score = kindScore.score * signal.weight
            signalScores[i] = score
            perKind[signal.kind, default: 0] += score
        }
        var total = 0.0
        for (kind, sum) in perKind {
            let cap = policy.kindScores[kind]?.cap ?? .infinity
            total += min(max(sum, -cap), cap)
        }

        let words = signals.map { $0.words.isEmpty ? compiled.words(for: $0) : $0.words }
        var fired = [Bool](repeating: false, count: policy.rules.count)
        var firedRules: [(rule: Policy.Rule, index: Int)] = []
        var decided: (Action, String)?
        for (index, rule) in policy.rules.enumerated() {
            func holds(_ selector: CompiledPolicy.CompiledSelector) -> Bool {
                if let ref = selector.rule { return fired[ref] }
                for i in signals.indices where selector.matches(kind: signals[i].kind, words: words[i], entry: signals[i].entryIndex) {
                    return true
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

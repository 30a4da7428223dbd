/// Applies a policy to a listing's signals: scores per kind (bounded), composite rules in order,
/// then thresholds, unless a rule with an action decided first.
final class PolicyEvaluator: Sendable {
    let policy: Policy
    let compiled: CompiledPolicy

    init(policy: Policy, taxonomy: Taxonomy = Taxonomy(name: "", version: "", entries: [], contentHash: "")) {
        self.policy = policy
        self.compiled = CompiledPolicy(policy: policy, taxonomy: taxonomy)
    }

    struct Outcome {
        var action: Action
        var score: Double
        /// Indices into `policy.rules` of the rules that fired, in policy order.
        var firedRules: [Int]
        var signalScores: [Double]
        var decidingRule: String?
    }

    /// What a selector looks at in a signal, copied out once per listing so that testing the
    /// rules touches no strings and retains nothing.
    private struct SignalBits {
        var kind: SignalKind
        var words: TagSet
        var entry: Int32
    }

    func evaluate(_ signals: [Signal]) -> Outcome {
        var signalScores: [Double] = []
        var firedRules: [Int] = []
        var findings: [Finding] = []
        appendFindings(of: signals, to: &findings)
        let verdict = evaluate(findings, signalScores: &signalScores, firedRules: &firedRules)
        return Outcome(action: verdict.action, score: verdict.score, firedRules: firedRules,
                       signalScores: signalScores, decidingRule: verdict.decidingRule)
    }

    /// Appends signals as the evaluator reads them, each one's policy bits computed if it came
    /// without.
    func appendFindings(of signals: [Signal], to findings: inout [Finding]) {
        for i in signals.indices {
            findings.append(Finding(
                source: .other(Int32(i)), kind: signals[i].kind, evasion: signals[i].evasion, weight: signals[i].weight,
                words: signals[i].words.isEmpty ? compiled.words(for: signals[i]) : signals[i].words,
                span: signals[i].span, count: signals[i].count, entry: signals[i].entryIndex))
        }
    }

    /// The same, writing the per-signal scores and the fired rules into buffers the caller keeps
    /// from listing to listing (no allocation once they have grown).
    func evaluate(
        _ signals: [Finding], signalScores: inout [Double], firedRules: inout [Int]
    ) -> (action: Action, score: Double, decidingRule: String?) {
        signalScores.removeAll(keepingCapacity: true)
        signalScores.append(contentsOf: repeatElement(0, count: signals.count))
        firedRules.removeAll(keepingCapacity: true)
        let kindCount = SignalKind.count
        var total = 0.0
        withUnsafeTemporaryAllocation(of: Double.self, capacity: kindCount) { perKind in
            perKind.initialize(repeating: 0)
            for i in signals.indices {
                let kind = signals[i].kind
                guard let kindScore = compiled.kindScores[kind.index] else { continue }
                let score = kindScore.score * signals[i].weight
                signalScores[i] = score
                perKind[kind.index] += score
            }
            for k in 0..<kindCount {
                guard let kindScore = compiled.kindScores[k] else { continue }
                total += min(max(perKind[k], -kindScore.cap), kindScore.cap)
            }
        }

        var decided: Int?
        let rules = compiled.rules
        withUnsafeTemporaryAllocation(of: SignalBits.self, capacity: signals.count) { bits in
            // What any signal has: a selector that needs a kind or a word no signal has holds for
            // none of them, without testing each.
            var kindsSeen: UInt16 = 0
            var wordsSeen = TagSet()
            for i in signals.indices {
                let words = signals[i].words
                bits.initializeElement(at: i, to: SignalBits(kind: signals[i].kind, words: words, entry: signals[i].entry))
                kindsSeen |= SignalKind.bit(signals[i].kind)
                wordsSeen = wordsSeen | words
            }
            // Constants for the closures below: a captured variable is boxed and checked for
            // exclusive access at run time on every read.
            let anyKind = kindsSeen
            let anyWords = wordsSeen
            withUnsafeTemporaryAllocation(of: Bool.self, capacity: rules.count) { fired in
                fired.initialize(repeating: false)
                func holds(_ selector: CompiledPolicy.CompiledSelector) -> Bool {
                    if let ref = selector.rule { return fired[ref] }
                    guard selector.mayMatch(anyKind: anyKind, anyWords: anyWords) else { return false }
                    for signal in bits where selector.matches(kind: signal.kind, words: signal.words, entry: signal.entry) {
                        return true
                    }
                    return false
                }
                // Rules read in place through a pointer: binding `rules[index]` would copy it,
                // retaining its selector lists, for every rule of every listing.
                rules.withUnsafeBufferPointer { rules in
                    guard let first = rules.baseAddress else { return }
                    for index in rules.indices {
                        let rule = first + index
                        guard rule.pointee.all.allSatisfy(holds),
                            rule.pointee.any.isEmpty || rule.pointee.any.contains(where: holds),
                            !rule.pointee.none.contains(where: holds)
                        else { continue }
                        fired[index] = true
                        firedRules.append(index)
                        total += rule.pointee.score
                        if decided == nil, rule.pointee.action != nil { decided = index }
                    }
                }
            }
            bits.deinitialize()
        }
        let action: Action
        if let decided, let decidingAction = rules[decided].action {
            action = decidingAction
        } else if total >= policy.blockThreshold {
            action = .block
        } else if total >= policy.reviewThreshold {
            action = .review
        } else {
            action = .allow
        }
        return (action, (total * 100).rounded() / 100, decided.map { policy.rules[$0].id })
    }
}

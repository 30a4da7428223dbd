import WildGuard

/// Invariants of one decision, shared by the targets that classify.
public enum DecisionChecks {
    /// Every span of `decision` (reasons and signals) lies within `input` on character
    /// boundaries, and each reason's `matched` text is the input at its span.
    public static func checkSpans(_ decision: Decision, input: UnsafeBufferPointer<UInt8>, boundaries: UTF8Boundaries) {
        fuzzCheck(decision.score.isFinite, "score \(decision.score) is not finite")
        for reason in decision.reasons {
            guard let span = reason.span else { continue }
            fuzzCheck(
                boundaries.contains(span),
                "reason \(reason.rule) has span \(span), not within \(input.count) bytes on character boundaries; input \(fuzzDescribe(input))")
            // Observations about the input itself (`input.truncated`: the part not screened) quote nothing.
            if reason.kind == SignalKind.input.rawValue { continue }
            let original = String(decoding: UnsafeBufferPointer(rebasing: input[span]), as: UTF8.self)
            fuzzCheck(Array(reason.matched.utf8) == Array(original.utf8), "reason \(reason.rule) quotes '\(reason.matched)', the input there is '\(original)'")
        }
        for signal in decision.signals {
            fuzzCheck(boundaries.contains(signal.span), "signal \(signal.id) has span \(signal.span) outside \(input.count) bytes or off a boundary")
        }
    }

    /// Whether two decisions are the same: action, score (bit for bit), deciding rule and every
    /// reason with its span, quote and score.
    public static func checkSame(_ a: Decision, _ b: Decision, _ what: String, input: UnsafeBufferPointer<UInt8>) {
        func summary(_ d: Decision) -> String {
            "\(d.action) \(d.score) \(d.decidingRule ?? "-") " + d.reasons.map { "\($0.rule)@\($0.span.map { "\($0)" } ?? "-")" }.joined(separator: ",")
        }
        var same = a.action == b.action && a.score.bitPattern == b.score.bitPattern && a.decidingRule == b.decidingRule
            && a.fingerprint == b.fingerprint && a.reasons.count == b.reasons.count && a.signals.count == b.signals.count
        if same {
            for (x, y) in zip(a.reasons, b.reasons) where !(x.rule == y.rule && x.kind == y.kind && x.span == y.span
                && Array(x.matched.utf8) == Array(y.matched.utf8) && x.score.bitPattern == y.score.bitPattern
                && x.evasion == y.evasion && x.tags == y.tags)
            {
                same = false
            }
        }
        fuzzCheck(same, "\(what): \(summary(a)) then \(summary(b)); input \(fuzzDescribe(input))")
    }
}

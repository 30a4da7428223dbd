/// The three outcomes of screening a listing.
public enum Action: String, Sendable, Codable, CaseIterable, Comparable {
    /// Let the listing through.
    case allow
    /// Send it to a human moderator.
    case review
    /// Take it down.
    case block

    private var severity: Int {
        switch self {
        case .allow: 0
        case .review: 1
        case .block: 2
        }
    }

    public static func < (a: Action, b: Action) -> Bool { a.severity < b.severity }
}

/// Why a decision came out the way it did: one entry per signal and per policy rule that fired.
public struct Reason: Sendable {
    /// The taxonomy entry id or policy rule id.
    public var rule: String
    /// The signal kind, or `rule` for a policy rule.
    public var kind: String
    /// One line for a moderator.
    public var explanation: String
    /// The original text that matched (empty for policy rules).
    public var matched: String
    /// UTF-8 byte offsets into the original text (nil for policy rules).
    public var span: Range<Int>?
    /// What this reason added to the score.
    public var score: Double
    public var taxon: TaxonFacts?
    public var evasion: EvasionKind?
    public var tags: [String]
}

/// The outcome of screening one listing.
public struct Decision: Sendable {
    public var action: Action
    public var score: Double
    /// Signals first (strongest evidence first), then the policy rules that fired.
    public var reasons: [Reason]
    /// The policy profile that decided.
    public var policy: String
    public var policyVersion: String
    public var taxonomyVersion: String
    /// A hash of the taxonomy and policy content: the same fingerprint reproduces the decision.
    public var fingerprint: String
    /// The policy rule that chose the action, or nil when the score thresholds did.
    public var decidingRule: String?
    /// The signals behind the decision.
    public var signals: [Signal]

    /// Records that the text held invalid UTF-8 that was replaced before screening.
    public mutating func noteInvalidUTF8() {
        guard !reasons.contains(where: { $0.rule == Reason.invalidUTF8.rule }) else { return }
        reasons.append(Reason.invalidUTF8)
    }
}

extension Reason {
    /// The reason `Decision.noteInvalidUTF8()` adds.
    static let invalidUTF8 = Reason(
        rule: "input.invalid-utf8", kind: SignalKind.input.rawValue,
        explanation: "the input was damaged (invalid-utf8): invalid UTF-8 was replaced with U+FFFD",
        matched: "", span: nil, score: 0, taxon: nil, evasion: nil, tags: ["invalid-utf8"])
}

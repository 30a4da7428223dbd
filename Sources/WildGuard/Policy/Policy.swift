/// A declarative decision policy, in the spirit of Rspamd's symbols and actions: every signal
/// kind has a score, composite rules add scores or decide outright, and thresholds turn the
/// total into an action. Policies are data (`Taxonomy/policies/*.yaml`), never code.
public struct Policy: Sendable {
    /// Profile name (`strict-marketplace`).
    public var name: String
    public var version: String
    public var description: String
    /// Total score at or above which a listing is sent to review, and blocked.
    public var reviewThreshold: Double
    public var blockThreshold: Double
    /// Score of one signal of each kind (times the entry's weight), and the most a kind can add.
    public var kindScores: [SignalKind: KindScore]
    /// Factor applied to signals found through emoji rather than words.
    public var emojiFactor: Double
    public var rules: [Rule]
    /// Hash of the policy file's content.
    public var contentHash: String
    public var location: String

    public struct KindScore: Sendable {
        public var score: Double
        /// Bound on the kind's total contribution (an absolute value; a negative score is
        /// bounded below by `-cap`).
        public var cap: Double
    }

    /// A composite rule: fires when every `all` selector matches some signal, at least one `any`
    /// selector does (when there are any), and no `none` selector does.
    public struct Rule: Sendable {
        public var id: String
        public var explanation: String
        public var all: [Selector]
        public var any: [Selector]
        public var none: [Selector]
        public var score: Double
        /// When set, the first firing rule with an action decides, whatever the score.
        public var action: Action?
        public var line: Int
    }
}

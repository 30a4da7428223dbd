/// A signal as the classifier keeps it while deciding: plain values only, no strings. The
/// policy reads kind, weight, words and entry; the decision's `Signal`s and `Reason`s, or its
/// JSON, are made from it only at the end, so a listing whose decision is written straight to
/// JSON never builds (and retains, and frees) the strings of each signal.
struct Finding {
    /// Where the finding came from, which says how to render it.
    enum Source: Equatable {
        /// A taxonomy entry matched (its index).
        case entry(Int32)
        /// The engine saw a disguise; `attached` when it touched wildlife words.
        case evasion(EvasionKind, attached: Bool)
        /// Any other signal, kept whole in the classifier's side list (its index there): the
        /// engine's rare input and limit signals, and signals handed to `decide(signals:)`.
        case other(Int32)
    }

    var source: Source
    var kind: SignalKind
    /// The disguise it was found through, if any.
    var evasion: EvasionKind?
    var weight: Double
    /// The policy bits of its tags, group, appendix and disguise.
    var words: TagSet
    /// UTF-8 byte offsets into the original text.
    var span: Range<Int>
    /// How many times it matched.
    var count: Int
    /// The taxonomy entry, or -1: what an `entry` selector compares.
    var entry: Int32
}

extension Finding {
    /// The signal the engine raises for a disguise: `evasion.leet`, tagged with the disguise and
    /// `attached` when it touched wildlife words.
    static func evasionSignal(
        _ kind: EvasionKind, attached: Bool, weight: Double, span: Range<Int>, matched: String, words: TagSet
    ) -> Signal {
        Signal(
            kind: .evasion, id: "evasion.\(kind.rawValue)", tags: attached ? [kind.rawValue, "attached"] : [kind.rawValue],
            weight: weight, span: span, matched: matched, evasion: kind, taxon: nil, count: 1, location: nil, words: words)
    }
}

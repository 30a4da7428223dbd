/// A listing after normalisation: the folded UTF-8 text that patterns run on, with a map from
/// every byte back to the original text, so that every match is reported as a span of what the
/// seller wrote.
///
/// The text holds the listing itself (the *primary* segment) followed by *variant* segments: words
/// rewritten to undo a disguise ("1v0ry" -> "ivory"), each after a newline. The normaliser never
/// emits a newline in the primary segment, so no match crosses from one segment into another.
///
/// One instance per worker, reused from listing to listing: its arrays keep their capacity, so
/// steady-state normalisation does not allocate.
///
/// Its stored properties are `@exclusivity(unchecked)`: an instance belongs to one worker and is
/// never shared, and the run-time check on every access to a class's stored property (a
/// thread-local lookup each time) cost more than the work on the hot path. The compiler's static
/// checks still apply.
public final class NormalisedText {
    /// The folded text, UTF-8.
    @exclusivity(unchecked) public internal(set) var bytes: [UInt8] = []
    /// For each byte of `bytes`: where the original code point that produced it starts.
    @exclusivity(unchecked) var originStart: [Int32] = []
    /// For each byte of `bytes`: where the original code point that produced it ends.
    @exclusivity(unchecked) var originEnd: [Int32] = []
    /// End of the primary segment in `bytes`.
    @exclusivity(unchecked) public internal(set) var primaryEnd = 0
    /// Variant segments appended after the primary one.
    @exclusivity(unchecked) var variants: [Variant] = []
    /// Disguises seen while normalising, with where they are in the original.
    @exclusivity(unchecked) var evidence: [Evidence] = []
    /// How many invalid UTF-8 sequences were replaced.
    @exclusivity(unchecked) public internal(set) var invalidSequences = 0
    /// Scratch space for the variant builder's token list, kept between listings.
    @exclusivity(unchecked) var tokens: [VariantBuilder.Token] = []
    /// Where the normaliser writes before copying into `bytes`, `originStart` and `originEnd`.
    let stage: OutputStage

    struct Variant {
        var range: Range<Int>
        var kind: EvasionKind
    }

    struct Evidence {
        var kind: EvasionKind
        var span: Range<Int>
    }

    public init() { stage = OutputStage() }

    /// A text whose normaliser stage holds `stageCapacity` bytes (tests use a small one, so that
    /// listings cross it many times).
    init(stageCapacity: Int) { stage = OutputStage(capacity: stageCapacity) }

    func reset() {
        bytes.removeAll(keepingCapacity: true)
        originStart.removeAll(keepingCapacity: true)
        originEnd.removeAll(keepingCapacity: true)
        variants.removeAll(keepingCapacity: true)
        evidence.removeAll(keepingCapacity: true)
        primaryEnd = 0
        invalidSequences = 0
    }

    /// The primary segment as a string (for explanations and tests).
    public var primaryText: String { String(decoding: bytes[0..<primaryEnd], as: UTF8.self) }

    /// The original byte span of normalised bytes `range`.
    public func originalSpan(of range: Range<Int>) -> Range<Int> {
        guard !range.isEmpty, range.upperBound <= bytes.count else { return 0..<0 }
        let lower = Int(originStart[range.lowerBound])
        var upper = Int(originEnd[range.upperBound - 1])
        // A span ends where its last source character ends, never before it starts.
        for i in range where Int(originEnd[i]) > upper { upper = Int(originEnd[i]) }
        return lower..<max(lower, upper)
    }

    /// Where the variant segments are, as a value the matcher keeps for a whole listing.
    var variantIndex: VariantIndex { VariantIndex(primaryEnd: primaryEnd, variants: variants) }

    @inline(__always)
    func append(_ byte: UInt8, from origin: Range<Int>) {
        bytes.append(byte)
        originStart.append(Int32(truncatingIfNeeded: origin.lowerBound))
        originEnd.append(Int32(truncatingIfNeeded: origin.upperBound))
    }
}

/// The variant segments of a `NormalisedText`: what a match's position says about disguises.
struct VariantIndex {
    var primaryEnd: Int
    var variants: [NormalisedText.Variant]

    /// Which disguise, if any, a match at normalised `range` was found through: the first
    /// rewritten word it overlaps. A match in a rewritten copy that overlaps no rewritten word
    /// repeats one in the listing itself.
    func evasion(in range: Range<Int>) -> EvasionKind? {
        guard range.upperBound > primaryEnd else { return nil }
        for variant in variants where variant.range.overlaps(range) { return variant.kind }
        return nil
    }

    /// Whether a match at normalised `range` only repeats the listing (it lies in a rewritten
    /// copy but touches no rewritten word).
    func isRepeat(_ range: Range<Int>) -> Bool {
        range.lowerBound >= primaryEnd && evasion(in: range) == nil
    }
}

/// One piece of evidence found in a listing: a taxonomy entry that matched (or an engine
/// observation such as a disguise or a resource limit), where it matched in the original text,
/// and what it means.
public struct Signal: Sendable {
    public var kind: SignalKind
    /// The taxonomy entry id, or an engine id such as `evasion.leet`.
    public var id: String
    public var tags: [String]
    /// The entry's weight times any factor the engine applies (emoji count for less than words).
    public var weight: Double
    /// Where it matched: UTF-8 byte offsets into the original listing text.
    public var span: Range<Int>
    /// The original text at `span`.
    public var matched: String
    /// The disguise it was found through, if any.
    public var evasion: EvasionKind?
    /// Species facts when the signal names a taxon.
    public var taxon: TaxonFacts?
    /// How many times the entry matched.
    public var count: Int
    /// Where the entry is defined, or nil for engine signals.
    public var location: SourceLocation?
    /// The signal's tags, group, appendix and evasion as policy bits (set by the classifier).
    var words = TagSet()
    /// Index of the taxonomy entry, or -1 for engine signals.
    var entryIndex: Int32 = -1

    /// One line for a moderator.
    public var explanation: String {
        let base = Self.baseExplanation(kind: kind, tags: tags, taxon: taxon, evasion: evasion)
        if let evasion, kind != .evasion { return base + ", written as \(evasion.rawValue)" }
        return base
    }

    /// The explanation without the disguise it was found through: it depends only on the
    /// taxonomy entry, so the engine computes it once per entry.
    static func baseExplanation(kind: SignalKind, tags: [String], taxon: TaxonFacts?, evasion: EvasionKind?) -> String {
        switch kind {
        case .taxon:
            guard let taxon else { return "names a listed taxon" }
            let name = taxon.commonName.map { "\($0) (\(taxon.scientificName))" } ?? taxon.scientificName
            let listing = taxon.appendix == .none ? "not CITES-listed" : "CITES Appendix \(taxon.appendix.rawValue)"
            return "names \(name), \(listing)"
        case .product: return "mentions a wildlife product (\(tags.filter { $0 != "strong" && $0 != "generic" }.joined(separator: ", ")))"
        case .codeword: return "uses a trade code word (\(tags.joined(separator: ", ")))"
        case .intent: return "shows trade intent (\(tags.joined(separator: ", ")))"
        case .benign: return "benign context (\(tags.joined(separator: ", ")))"
        case .mitigating: return "claims \(tags.joined(separator: ", "))"
        case .evasion: return "disguised text (\(evasion?.rawValue ?? "evasion"))"
        case .limit: return "a matching resource limit was hit: the listing was not fully screened"
        case .input: return "the input was damaged (\(tags.joined(separator: ", ")))"
        }
    }
}

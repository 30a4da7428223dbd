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
        var text: String
        switch kind {
        case .taxon:
            if let taxon {
                let name = taxon.commonName.map { "\($0) (\(taxon.scientificName))" } ?? taxon.scientificName
                let listing = taxon.appendix == .none ? "not CITES-listed" : "CITES Appendix \(taxon.appendix.rawValue)"
                text = "names \(name), \(listing)"
            } else {
                text = "names a listed taxon"
            }
        case .product: text = "mentions a wildlife product (\(tags.filter { $0 != "strong" && $0 != "generic" }.joined(separator: ", ")))"
        case .codeword: text = "uses a trade code word (\(tags.joined(separator: ", ")))"
        case .intent: text = "shows trade intent (\(tags.joined(separator: ", ")))"
        case .benign: text = "benign context (\(tags.joined(separator: ", ")))"
        case .mitigating: text = "claims \(tags.joined(separator: ", "))"
        case .evasion: text = "disguised text (\(evasion?.rawValue ?? "evasion"))"
        case .limit: text = "a matching resource limit was hit: the listing was not fully screened"
        case .input: text = "the input was damaged (\(tags.joined(separator: ", ")))"
        }
        if let evasion, kind != .evasion { text += ", written as \(evasion.rawValue)" }
        return text
    }
}

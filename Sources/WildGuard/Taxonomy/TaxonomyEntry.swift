/// One entry of the taxonomy: a concept (a species, a product, a code word, a context cue) with
/// the words and patterns that reveal it, where the facts come from, and examples that prove it.
public struct TaxonomyEntry: Sendable, Identifiable {
    /// Unique across the taxonomy (`loxodonta-africana`, `product.ivory`).
    public var id: String
    public var kind: SignalKind
    public var tags: [String]
    /// Multiplier on the policy's score for this kind.
    public var weight: Double
    public var terms: [Term]
    public var patterns: [SourcedString]
    public var unless: [SourcedString]
    public var source: String
    public var note: String?
    public var positiveExamples: [SourcedString]
    public var negativeExamples: [SourcedString]
    /// Species facts, for entries of kind `taxon`.
    public var taxon: TaxonFacts?
    /// Where the entry is defined.
    public var location: SourceLocation

    /// A literal word or phrase in one language.
    public struct Term: Sendable, Hashable {
        public var text: String
        /// BCP 47-style language code, `la` for scientific names, `emoji`, `und` for any.
        public var language: String
        public var line: Int

        public init(text: String, language: String, line: Int) {
            self.text = text
            self.language = language
            self.line = line
        }
    }

    /// A string with the line it was written on, for error messages.
    public struct SourcedString: Sendable, Hashable {
        public var text: String
        public var line: Int
    }
}

/// Facts about a taxon. A reference type: every signal that names the taxon shares one copy.
public final class TaxonFacts: Sendable {
    public let scientificName: String
    public let synonyms: [String]
    public let rank: String
    public let appendix: CITESAppendix
    /// The CITES meeting that set the current listing.
    public let listed: String
    public let citesNote: String?
    public let group: String
    public let products: [String]
    public let emoji: [String]
    /// A common name to show (the first English one, else the first of any language).
    public let commonName: String?

    public init(
        scientificName: String, synonyms: [String], rank: String, appendix: CITESAppendix, listed: String,
        citesNote: String?, group: String, products: [String], emoji: [String], commonName: String?
    ) {
        self.scientificName = scientificName
        self.synonyms = synonyms
        self.rank = rank
        self.appendix = appendix
        self.listed = listed
        self.citesNote = citesNote
        self.group = group
        self.products = products
        self.emoji = emoji
        self.commonName = commonName
    }
}

/// A place in a taxonomy or policy file.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var description: String { "\(file):\(line)" }
}

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

/// Facts about a taxon.
public struct TaxonFacts: Sendable {
    public var scientificName: String
    public var synonyms: [String]
    public var rank: String
    public var appendix: CITESAppendix
    /// The CITES meeting that set the current listing.
    public var listed: String
    public var citesNote: String?
    public var group: String
    public var products: [String]
    public var emoji: [String]

    /// A common name to show (the first English one, else the first of any language).
    public var commonName: String?
}

/// A place in a taxonomy or policy file.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var description: String { "\(file):\(line)" }
}

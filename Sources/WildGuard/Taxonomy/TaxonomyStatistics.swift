/// Coverage figures for `wildguard taxonomy stats`.
public struct TaxonomyStatistics: Sendable {
    public var entriesByKind: [SignalKind: Int] = [:]
    public var taxaByAppendix: [String: Int] = [:]
    public var taxaByGroup: [String: Int] = [:]
    /// Common names of taxa per language (scientific names excluded).
    public var namesByLanguage: [String: Int] = [:]
    /// Taxa with at least one name in each language.
    public var taxaWithNamesByLanguage: [String: Int] = [:]
    public var codewordsByLanguage: [String: Int] = [:]
    public var termsByKindAndLanguage: [SignalKind: [String: Int]] = [:]
    public var examplesByKind: [SignalKind: (positive: Int, negative: Int)] = [:]
    public var patterns = 0
    public var terms = 0

    public init(_ taxonomy: Taxonomy) {
        for entry in taxonomy.entries {
            entriesByKind[entry.kind, default: 0] += 1
            patterns += entry.patterns.count
            terms += entry.terms.count
            var languages: Set<String> = []
            for term in entry.terms {
                termsByKindAndLanguage[entry.kind, default: [:]][term.language, default: 0] += 1
                languages.insert(term.language)
            }
            let examples = examplesByKind[entry.kind] ?? (0, 0)
            examplesByKind[entry.kind] = (examples.positive + entry.positiveExamples.count,
                                          examples.negative + entry.negativeExamples.count)
            if let taxon = entry.taxon {
                taxaByAppendix[taxon.appendix.rawValue, default: 0] += 1
                taxaByGroup[taxon.group, default: 0] += 1
                for term in entry.terms where term.language != "la" && term.language != "emoji" {
                    namesByLanguage[term.language, default: 0] += 1
                }
                for language in languages where language != "la" && language != "emoji" {
                    taxaWithNamesByLanguage[language, default: 0] += 1
                }
            }
            if entry.kind == .codeword {
                for language in languages { codewordsByLanguage[language, default: 0] += 1 }
            }
        }
    }
}

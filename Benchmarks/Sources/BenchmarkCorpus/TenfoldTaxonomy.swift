import WildGuard

/// The bundled taxonomy with ten times the terms (synthetic words that never occur in the
/// corpus), to show that matching does not slow down as the lexicon grows. Shared by the
/// benchmarks and the instruction counter, so that both measure the same engine.
public enum TenfoldTaxonomy {
    public static func engine(like engine: Engine) throws -> Engine {
        var random = SyntheticCorpus.Random(state: 99)
        var entries = engine.taxonomy.entries
        let base = entries
        let syllables = ["ka", "lo", "mi", "ren", "tu", "sha", "vo", "zin", "pe", "qua", "dor", "fel"]
        var extra = 0
        let target = base.reduce(0) { $0 + $1.terms.count } * 9
        var n = 0
        while extra < target {
            var entry = base[n % base.count]
            entry.id = "synthetic.\(n)"
            entry.patterns = []
            entry.unless = []
            entry.terms = (0..<20).map { _ in
                let word = (0..<(3 + random.below(3))).map { _ in random.pick(syllables) }.joined()
                return TaxonomyEntry.Term(text: word, language: "und", line: 0)
            }
            entry.taxon = nil
            entry.kind = .codeword
            entries.append(entry)
            extra += 20
            n += 1
        }
        let taxonomy = Taxonomy(name: "x10", version: "1", entries: entries, contentHash: "x10")
        return try Engine(taxonomy: taxonomy, policy: engine.policy)
    }
}

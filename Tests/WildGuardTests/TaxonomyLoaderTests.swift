import Testing
@testable import WildGuard

@Suite("Taxonomy loading")
struct TaxonomyLoaderTests {
    static let good = """
        kind: product
        entries:
          - id: product.ivory
            terms: {en: [ivory]}
            source: test
            examples: {positive: [ivory], negative: [ebony]}
        """

    func problems(_ files: [String: String]) throws -> [WildGuardError] {
        let dir = try Fixtures.temporaryTaxonomy(files: files)
        do {
            _ = try Engine(taxonomyDirectory: dir)
            return []
        } catch {
            return error.problems
        }
    }

    @Test func aGoodFileLoads() throws {
        #expect(try problems(["lexicon/a.yaml": Self.good]).isEmpty)
    }

    @Test func unknownFieldsAreRejectedWithTheirLine() throws {
        let bad = Self.good.replacingOccurrences(of: "    source: test", with: "    source: test\n    colour: red")
        let found = try problems(["lexicon/a.yaml": bad])
        #expect(found.count == 1)
        #expect(found.first?.description.hasPrefix("lexicon/a.yaml:6: unknown field 'colour'") == true)
    }

    @Test func duplicateIdsAreRejected() throws {
        let found = try problems(["lexicon/a.yaml": Self.good, "lexicon/b.yaml": Self.good])
        #expect(found.contains { $0.description.contains("duplicate id 'product.ivory' (first defined at lexicon/a.yaml:3)") })
    }

    @Test func missingProvenanceAndExamplesAreRejected() throws {
        let noSource = Self.good.replacingOccurrences(of: "    source: test\n", with: "")
        #expect(try problems(["lexicon/a.yaml": noSource]).first?.description.contains("needs 'source'") == true)
        let noNegative = Self.good.replacingOccurrences(of: ", negative: [ebony]", with: "")
        #expect(try problems(["lexicon/a.yaml": noNegative]).first?.description.contains("negative example") == true)
    }

    @Test func badPatternsReportPCRE2sMessageAndOffset() throws {
        let bad = Self.good.replacingOccurrences(of: "terms: {en: [ivory]}", with: "patterns: ['ivory(?:bangle']")
        let found = try problems(["lexicon/a.yaml": bad])
        guard case .badPattern(let path, let line, _, let reason, let offset)? = found.first else {
            Issue.record("expected a pattern error, got \(found)")
            return
        }
        #expect(path == "lexicon/a.yaml" && line == 4)
        #expect(reason.contains("missing closing parenthesis"))
        #expect(offset == 14)
    }

    @Test func riskyAndUnfilterablePatternsAreRejected() throws {
        let nested = Self.good.replacingOccurrences(of: "terms: {en: [ivory]}", with: "patterns: ['ivory(\\w+\\s?)+']")
        #expect(try problems(["lexicon/a.yaml": nested]).first?.description.contains("catastrophic backtracking") == true)
        let noAtom = Self.good.replacingOccurrences(of: "terms: {en: [ivory]}", with: "patterns: ['\\d+']")
        #expect(try problems(["lexicon/a.yaml": noAtom]).first?.description.contains("no literal text") == true)
        // A one-letter atom ("m" in "1 m") would run the pattern on nearly every listing; two
        // letters, or a rare symbol, are accepted.
        let oneLetter = Self.good.replacingOccurrences(of: "terms: {en: [ivory]}", with: "patterns: ['\\d(?:[.,]\\d+)? ?(?:m|metres?)(?![a-z])']")
        #expect(try problems(["lexicon/a.yaml": oneLetter]).first?.description.contains("nearly every listing") == true)
        let leet = Self.good.replacingOccurrences(of: "terms: {en: [ivory]}", with: "patterns: ['[i1l!|]v[o0](?:[i1l!|](?:r[e3]s?|ry)|[o0]r(?:en)?)']")
        #expect(try problems(["lexicon/a.yaml": leet]).first?.description.contains("'v'") == true)
        for fine in ["[i1l!|](?:vo|v0)(?:[i1l!|](?:r[e3]s?|ry)|[o0]r(?:en)?)", "\\$ ?\\d+ ivory", "\\d+ ?kg ivory"] {
            let pattern = Self.good.replacingOccurrences(of: "terms: {en: [ivory]}", with: "patterns: ['\(fine)']")
            #expect(try problems(["lexicon/a.yaml": pattern]).allSatisfy { !$0.description.contains("nearly every listing") })
        }
        let accented = Self.good.replacingOccurrences(of: "terms: {en: [ivory]}", with: "patterns: ['ngà voi']")
            .replacingOccurrences(of: "positive: [ivory]", with: "positive: [nga voi]")
        #expect(try problems(["lexicon/a.yaml": accented]).isEmpty)
    }

    @Test func yamlSyntaxErrorsNameTheLine() throws {
        let found = try problems(["lexicon/a.yaml": "kind: product\nentries:\n  - id: [unclosed\n"])
        guard case .syntax(let path, let line, _)? = found.first else {
            Issue.record("expected a syntax error, got \(found)")
            return
        }
        #expect(path == "lexicon/a.yaml")
        #expect(line >= 3)
    }

    @Test func oversizedFilesAreRefused() throws {
        let dir = try Fixtures.temporaryTaxonomy(files: ["lexicon/a.yaml": Self.good])
        var limits = TaxonomyLimits()
        limits.maxFileBytes = 100
        #expect(throws: WildGuardError.self) { try Taxonomy(directory: dir, limits: limits) }
    }
}

@Suite("Bundled taxonomy")
struct BundledTaxonomyTests {
    @Test func everyExampleBehavesAsItsEntrySays() throws {
        let failures = TaxonomyValidator(engine: try Fixtures.engine).checkExamples()
        #expect(failures.isEmpty, "\(failures.prefix(20).map(\.description).joined(separator: "\n"))")
    }

    @Test func everyEntryHasProvenanceAndBothKindsOfExample() throws {
        for entry in try Fixtures.engine.taxonomy.entries {
            #expect(!entry.source.isEmpty && !entry.positiveExamples.isEmpty && !entry.negativeExamples.isEmpty, "\(entry.id)")
        }
    }

    @Test func coverageMeetsTheLexiconTargets() throws {
        let stats = TaxonomyStatistics(try Fixtures.engine.taxonomy)
        #expect((stats.entriesByKind[.taxon] ?? 0) >= 250)
        #expect((stats.entriesByKind[.codeword] ?? 0) >= 150)
        let languagesWithNames = stats.taxaWithNamesByLanguage.filter { $0.value >= 50 }.count
        #expect(languagesWithNames >= 12)
    }
}

import Foundation
import Testing
@testable import WildGuard

@Suite("Pattern analysis and the literal prefilter")
struct PatternAnalysisTests {
    static let atomCases: [(String, [String])] = [
        ("ivory", ["ivory"]),
        ("\\bivory\\s+(?:bangle|carving)s?\\b", ["bangle", "carving"]),
        ("\\bivory\\s+(?:ring|bead)s?\\b", ["ivory"]),
        // A small set of texts is spelt out whole, classes of digits and punctuation included.
        ("(?:rhino|rhinoceros) horn", ["rhino horn", "rhinoceros horn"]),
        ("\\d ?(?:g|gr|grs)\\b", Self.digits { ["\($0)g", "\($0) g"] }),
        ("(?<![a-z])rs\\.? ?[0-9]", Self.digits { ["rs\($0)", "rs.\($0)", "rs \($0)", "rs. \($0)"] }),
        ("\\d{1,3}tr", Self.digits { ["\($0)tr"] }),
        ("(?:pm|dm) ?我", ["pm我", "pm 我", "dm我", "dm 我"]),
        ("tusks?", ["tusk"]),
        ("cat|dog", ["cat", "dog"]),
        ("\\$\\s?\\d+", ["$"]),
        ("sung te giac", ["sung te giac"]),
        ("(?:bán|ban) (?:ngà|nga)", ["ban nga", "ban ngà", "bán nga", "bán ngà"]),
        // Too many combinations: the best part alone.
        ("[a-z0-9]x(?:ab|cd|ef|gh|ij|kl|mn|op|qr)[.,;:!?]{0,1}[0-9](?:ab|cd|ef|gh|ij|kl|mn|op|qr)", ["xab", "xcd", "xef", "xgh", "xij", "xkl", "xmn", "xop", "xqr"]),
    ]

    /// The atoms `spell` gives for each digit.
    static func digits(_ spell: (Int) -> [String]) -> [String] { (0...9).flatMap(spell) }

    @Test("finds the literals every match contains", arguments: atomCases)
    func atoms(pattern: String, expected: [String]) {
        #expect(PatternAnalysis(pattern).atoms == expected.sorted())
    }

    @Test("finds no literal where a match can avoid all of them", arguments: [
        "\\d+", "(?:ivory)?", "a*", "[abc]+", "ivory|\\d+", "[.,]\\d{2}", "(?:\\d|[.,])+",
    ])
    func noAtoms(pattern: String) {
        #expect(PatternAnalysis(pattern).atoms == nil)
    }

    @Test("bounds the bytes a match has before its atom", arguments: [
        ("ivory", 0),
        ("(?<![a-z])rs\\.? ?\\d", 0),
        ("\\bivory\\s+(?:ring|bead)s?\\b", 0),
        // Atoms "5g", "5 g": a digit (4 bytes at most) and "." or "," before them.
        ("\\d(?:\\d|[.,]\\d) ?(?:g|gr|grs)(?![a-z0-9])", 5),
        // Atoms "5tr": up to two more digits before them.
        ("(?<![\\d.,])\\d{1,3}tr\\d?(?![a-z])", 8),
        ("(?:rhino|rhinoceros) horn", 0),
        ("(?i)x{2}(?=y)ivory", 4),
        ("ab?c\\d{2}x", 0),
        // Atoms "5x": the last of two digits, one digit (4 bytes at most) before it.
        ("\\d{2}x", 4),
    ])
    func atomOffset(pattern: String, bytes: Int) {
        #expect(PatternAnalysis(pattern).atomOffset == bytes)
    }

    @Test("leaves the start unbounded when something before the atom can repeat without bound", arguments: [
        "\\d[\\d.,]* ?(?:usd|eur)", "a+bcd", "(?:x|y)*ivory", "(\\w)\\1ivory", "\\X ivory", "(?1)ivory(a)", "(?P=n)ivory",
    ])
    func unboundedAtomOffset(pattern: String) {
        #expect(PatternAnalysis(pattern).atomOffset == nil)
    }

    @Test("knows the bytes before an unbounded atom when they are plain", arguments: [
        ("\\d[\\d.,]* ?(?:usd|eur)", "0123456789., "),
        ("[\\d ]+kg", "0123456789 "),
        ("(?<![a-z])\\d+(?:[.,]\\d+)? ?(?:grams?|gr)(?![a-z])", "0123456789., "),
        ("(?:\\d+|#)-?tusk", "0123456789#-"),
    ])
    func prefixBytes(pattern: String, bytes: String) {
        #expect(PatternAnalysis(pattern).prefixBytes == ByteSet(bytes.utf8))
    }

    @Test("does not claim the bytes before an atom when letters or other characters can come there", arguments: [
        "a+bcd", "(?:x|y)*ivory", "\\w+ivory", ".*ivory", "\\s*ivory", "é+ivory", "\\d+\\W?ivory",
    ])
    func noPrefixBytes(pattern: String) {
        #expect(PatternAnalysis(pattern).prefixBytes == nil)
    }

    /// Where the first and the last occurrences of any of `atoms` start in `text`, found naively.
    static func occurrences(of atoms: [[UInt8]], in text: [UInt8]) -> (first: Int, last: Int)? {
        var found: (first: Int, last: Int)?
        for atom in atoms where atom.count <= text.count {
            for start in 0...(text.count - atom.count) where Array(text[start..<start + atom.count]) == atom {
                found = (min(found?.first ?? start, start), max(found?.last ?? start, start))
            }
        }
        return found
    }

    /// Every match of `regex` in `text`, searching from `start` and going on after each match as
    /// the matcher does; with `startLimit`, only matches that start at or before it.
    static func matches(_ regex: CompiledRegex, _ text: [UInt8], from start: Int, startLimit: Int? = nil) -> [Range<Int>] {
        guard let scratch = RegexScratch(limits: .init()) else { return [] }
        var found: [Range<Int>] = []
        text.withUnsafeBufferPointer { buffer in
            var position = start
            while position <= (startLimit ?? buffer.count),
                case .match(let range) = regex.firstMatch(in: buffer, from: position, startLimit: startLimit, scratch: scratch)
            {
                found.append(range)
                position = range.isEmpty ? range.upperBound + 1 : range.upperBound
            }
        }
        return found
    }

    @Test("a search from the bound before the first atom finds what a search from the start finds", arguments: [
        "\\d(?:\\d|[.,]\\d) ?(?:g|gr|grs)(?![a-z0-9])", "(?<![\\d.,])\\d{1,3}tr\\d?(?![a-z])", "(?<![a-z])rs\\.? ?\\d",
        "(?:ab|é象){1,2}c?tr", "\\bg(?:r|rs)?\\b", "[a-z]{2}\\W{0,2}(?:tr|g)", "(?:x(?:yz|é){0,2}){2}g",
        "\\d ?(?:lang|chi)(?![a-z])", "(?:usd|eur) ?\\d", "\\d[.,]?\\d ?(?:g|kg)", "[.,]\\d{2}tr", "(?:a|bc)?\\d{2,3}(?:g|t)",
        "(?:pm|dm) ?象", "x[0-9.]{1,2}(?:yz|c)", "(?:ab )?x ?(?:yz|c)", "(?:1|23)?\\.?(?:c|tr)",
    ])
    func searchFromTheBound(pattern: String) throws {
        let analysis = PatternAnalysis(pattern)
        let atoms = try #require(analysis.atoms).map { Array($0.utf8) }
        let offset = try #require(analysis.atomOffset)
        let regex = try CompiledRegex(pattern)
        var seed: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ bound: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(bound))
        }
        let pieces = ["g", "gr", "tr", "rs", "1", "23", ".", ",", " ", "ab", "é", "象", "x", "yz", "c", "-", "\n", "usd", "kg", "lang",
                      "pm", "5", "0", "t", "a", "bc", "ab x", "23."].map { Array($0.utf8) }
        for _ in 0..<300 {
            let text = (0..<(5 + next(30))).flatMap { _ in pieces[next(pieces.count)] }
            let atom = Self.occurrences(of: atoms, in: text)
            let all = Self.matches(regex, text, from: 0)
            guard let atom else {
                #expect(all.isEmpty, "a match without an atom: \(String(decoding: text, as: UTF8.self))")
                continue
            }
            let bounded = Self.matches(regex, text, from: max(0, atom.first - offset), startLimit: atom.last)
            #expect(bounded == all, "\(String(decoding: text, as: UTF8.self))")
        }
    }

    /// Random patterns from a small grammar (literals, digit and punctuation classes, optional
    /// and repeated elements, alternations, lookarounds) on random texts over the same alphabet:
    /// every match contains one of the pattern's atoms, and a search from the bound before the
    /// first atom, stopped at the start of the last, finds the same matches as one from the start.
    @Test func randomPatternsKeepTheirAtomsAndBounds() throws {
        var seed: UInt64 = 0xA70A_5EED
        func next(_ bound: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(bound))
        }
        let letters = ["a", "b", "c", "x", "é", "象"]
        func element(_ depth: Int) -> String {
            let base: String
            switch next(depth > 1 ? 6 : 8) {
            case 0, 1, 2: base = letters[next(letters.count)]
            case 3: base = ["\\d", "[0-9]", "[.,]", "[\\d.]", " ", "\\."][next(6)]
            case 4: base = ["\\w", ".", "[a-c]", "\\s"][next(4)]
            case 5: base = ["(?<![a-c])", "(?!x)", "\\b"][next(3)]
            default:
                let branches = (0..<(1 + next(3))).map { _ in (0..<(1 + next(3))).map { _ in element(depth + 1) }.joined() }
                base = "(?:" + branches.joined(separator: "|") + ")"
            }
            if base.hasPrefix("(?<") || base.hasPrefix("(?!") || base == "\\b" { return base }
            return base + ["", "", "", "?", "{1,2}", "{2}", "+", "*"][next(8)]
        }
        let alphabet = ["a", "b", "c", "x", "é", "象", "1", "23", "5", "78", "9", ".", ",", " ", "ab", "x1"].map { Array($0.utf8) }
        var checked = 0
        var prefixBounded = 0
        for _ in 0..<1_500 {
            let pattern = (0..<(1 + next(5))).map { _ in element(0) }.joined()
            let analysis = PatternAnalysis(pattern)
            guard let atoms = analysis.atoms?.map({ Array($0.utf8) }), !analysis.hasNestedQuantifier,
                let regex = try? CompiledRegex(pattern)
            else { continue }
            for _ in 0..<40 {
                let text = (0..<(1 + next(14))).flatMap { _ in alphabet[next(alphabet.count)] }
                let atom = Self.occurrences(of: atoms, in: text)
                let all = Self.matches(regex, text, from: 0).filter { !$0.isEmpty }
                let shown = "\(pattern) in \(String(decoding: text, as: UTF8.self))"
                for match in all {
                    let inside = atoms.contains { atom in
                        atom.count <= match.count && (match.lowerBound...(match.upperBound - atom.count)).contains {
                            Array(text[$0..<$0 + atom.count]) == atom
                        }
                    }
                    #expect(inside, "a match without an atom: \(shown)")
                }
                if let atom {
                    // A search bounded on both sides: from the bound before the first atom (when
                    // there is one: a number of bytes, or the run of the bytes that can come
                    // before the atom) to the start of the last.
                    var start = 0
                    if let offset = analysis.atomOffset {
                        start = max(0, atom.first - offset)
                    } else if let prefix = analysis.prefixBytes {
                        start = atom.first
                        while start > 0 && prefix.contains(text[start - 1]) { start -= 1 }
                        if start > 0 { prefixBounded += 1 }
                    }
                    let bounded = Self.matches(regex, text, from: start, startLimit: atom.last).filter { !$0.isEmpty }
                    #expect(bounded == all, "\(shown)")
                }
                checked += 1
            }
        }
        #expect(checked > 15_000)
        // Searches that started after the beginning thanks to the bytes before the atom.
        #expect(prefixBounded > 100, "\(prefixBounded)")
    }

    /// Random patterns whose atom follows unbounded runs of digits and punctuation (as prices
    /// and weights are written): the search starts where the run of those bytes before the first
    /// atom starts, and finds the same matches as one from the start.
    @Test func randomPlainPrefixesBoundTheSearch() throws {
        var seed: UInt64 = 0x9E1F_1A7E
        func next(_ bound: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(bound))
        }
        let plain = ["\\d", "[0-9]", "[.,]", "[\\d.]", " ", "\\.", "-", "(?:\\d+|#)", "(?:[.,]\\d+)", "(?:1|23)"]
        let atoms = ["usd", "kg", "x", "ab"]
        let tails = ["", "", "(?![a-z])", "\\d?", "[a-c]", "(?:kg|x)?"]
        let alphabet = ["1", "23", "5", ".", ",", " ", "-", "#", "usd", "kg", "x", "ab", "a", "é", "象"].map { Array($0.utf8) }
        var bounded = 0
        var checked = 0
        for _ in 0..<600 {
            let prefix = (0..<(1 + next(3))).map { _ in plain[next(plain.count)] + ["", "?", "*", "+", "{1,2}"][next(5)] }.joined()
            let pattern = prefix + atoms[next(atoms.count)] + tails[next(tails.count)]
            let analysis = PatternAnalysis(pattern)
            let atomTexts = try #require(analysis.atoms, "\(pattern)").map { Array($0.utf8) }
            let regex = try CompiledRegex(pattern)
            guard analysis.atomOffset == nil else { continue }
            // An atom that can follow a letter ("x" in "5xx" for "\\d+x(?:kg|x)?") has no plain prefix.
            guard let prefixBytes = analysis.prefixBytes else { continue }
            for _ in 0..<30 {
                let text = (0..<(1 + next(16))).flatMap { _ in alphabet[next(alphabet.count)] }
                guard let atom = Self.occurrences(of: atomTexts, in: text) else { continue }
                var start = atom.first
                while start > 0 && prefixBytes.contains(text[start - 1]) { start -= 1 }
                let all = Self.matches(regex, text, from: 0)
                #expect(Self.matches(regex, text, from: start, startLimit: atom.last) == all,
                        "\(pattern) in \(String(decoding: text, as: UTF8.self))")
                if start > 0 { bounded += 1 }
                checked += 1
            }
        }
        #expect(checked > 3_000 && bounded > 1_000, "checked \(checked), bounded \(bounded)")
    }

    @Test("flags nested unbounded repeats", arguments: ["(a+)+", "(?:x*y)*", "(\\w+\\s?)+"])
    func nested(pattern: String) {
        #expect(PatternAnalysis(pattern).hasNestedQuantifier)
    }

    @Test func boundedRepeatsAreFine() {
        #expect(!PatternAnalysis("(?:ab){2,3}c+").hasNestedQuantifier)
    }

    @Test func ahoCorasickFindsOverlappingLiterals() {
        let ac = AhoCorasick(literals: [Array("he".utf8), Array("she".utf8), Array("hers".utf8), Array("his".utf8)])
        var found: [(Int, Int)] = []
        Array("ushers".utf8).withUnsafeBufferPointer { buffer in ac.scan(buffer) { found.append(($0, $1)) } }
        #expect(found.map(\.0).sorted() == [0, 1, 2])
        #expect(found.first { $0.0 == 2 }?.1 == 6)
    }

    /// Every occurrence of every literal, found naively.
    static func naive(_ literals: [[UInt8]], _ text: [UInt8]) -> [[Int]] {
        var found: [[Int]] = []
        for (id, literal) in literals.enumerated() where !literal.isEmpty && literal.count <= text.count {
            for start in 0...(text.count - literal.count) where Array(text[start..<start + literal.count]) == literal {
                found.append([id, start + literal.count])
            }
        }
        return found.sorted { ($0[1], $0[0]) < ($1[1], $1[0]) }
    }

    @Test("finds what a naive search finds, through dense rows and sparse edges, with and without a sample to choose the rows by",
          arguments: [1, 3, 50, AhoCorasick.maxDenseStates])
    func ahoCorasickAgreesWithNaiveSearch(denseStates: Int) {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(bound))
        }
        // A small alphabet (with UTF-8 lead and continuation bytes) so that literals share
        // prefixes and suffixes, and failure links chain.
        let alphabet: [UInt8] = [0x61, 0x62, 0x63, 0x20, 0xD0, 0xB8, 0xE8]
        for _ in 0..<20 {
            let literals = (0..<40).map { _ in (0..<(1 + next(6))).map { _ in alphabet[next(alphabet.count)] } }
            let text = (0..<300).map { _ in alphabet[next(alphabet.count)] }
            // A sample that favours deep states: text made of the literals themselves.
            let sample = (0..<8).map { _ in (0..<6).flatMap { _ in literals[next(literals.count)] } }
            for ac in [AhoCorasick(literals: literals, maxDenseStates: denseStates),
                       AhoCorasick(literals: literals, maxDenseStates: denseStates, sample: sample)] {
                var found: [[Int]] = []
                text.withUnsafeBufferPointer { buffer in ac.scan(buffer) { found.append([$0, $1]) } }
                found.sort { ($0[1], $0[0]) < ($1[1], $1[0]) }
                #expect(found == Self.naive(literals, text))
                // A state's number, read back from its code without a division, is right.
                #expect(ac.sparseSteps(text).numbersAgree)
            }
        }
    }

    /// With a sample, the states it visits most get the full rows (with their failure chains),
    /// not only the shallowest: a scan of the sample itself then takes no sparse step.
    @Test func theSampleChoosesTheStatesWithRows() {
        let literals = ["elephant ivory", "rhino horn", "pangolin scales", "tiger bone", "e", "r"].map { Array($0.utf8) }
        let sample = [Array("rhino horn for sale, elephant ivory".utf8)]
        let byDepth = AhoCorasick(literals: literals, maxDenseStates: 30)
        let bySample = AhoCorasick(literals: literals, maxDenseStates: 30, sample: sample)
        #expect(byDepth.sparseSteps(sample[0]).steps > 5)
        #expect(bySample.sparseSteps(sample[0]).steps == 0)
        #expect(byDepth.stateCount == bySample.stateCount)
    }

    /// A fenced literal is not reported next to a fence byte on its fenced side(s), and is
    /// reported everywhere else; an unfenced one is reported everywhere.
    @Test("skips exactly the occurrences a fence keeps out", arguments: [1, AhoCorasick.maxDenseStates])
    func ahoCorasickFences(denseStates: Int) {
        var seed: UInt64 = 0x5EED_FE7C_E000_0001
        func next(_ bound: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(bound))
        }
        let alphabet: [UInt8] = [0x61, 0x62, 0x63, 0x20, 0xD0, 0xB8]
        let fenceBytes = ByteSet([0x61, 0x62])
        let choices: [AhoCorasick.Fence] = [[], .before, .after, [.before, .after]]
        var skipped = 0
        for _ in 0..<20 {
            let literals = (0..<30).map { _ in (0..<(1 + next(4))).map { _ in alphabet[next(alphabet.count)] } }
            let fences = literals.map { _ in choices[next(choices.count)] }
            let text = (0..<300).map { _ in alphabet[next(alphabet.count)] }
            let ac = AhoCorasick(literals: literals, fences: fences, fenceBytes: fenceBytes, maxDenseStates: denseStates)
            var found: [[Int]] = []
            text.withUnsafeBufferPointer { buffer in ac.scan(buffer) { found.append([$0, $1]) } }
            found.sort { ($0[1], $0[0]) < ($1[1], $1[0]) }
            let expected = Self.naive(literals, text).filter { occurrence in
                let (id, end) = (occurrence[0], occurrence[1])
                let start = end - literals[id].count
                if fences[id].contains(.before) && start > 0 && fenceBytes.contains(text[start - 1]) { return false }
                if fences[id].contains(.after) && end < text.count && fenceBytes.contains(text[end]) { return false }
                return true
            }
            skipped += Self.naive(literals, text).count - expected.count
            #expect(found == expected)
        }
        #expect(skipped > 100)
    }
}

@Suite("Matcher")
struct MatcherTests {
    @Test("every pattern of the bundled taxonomy contains an atom of each of its matches and finds the same matches searched between its bounds as from the start")
    func patternSearchStartsOnTheBundledExamples() throws {
        let engine = try Fixtures.engine
        let matcher = engine.matcher
        let text = NormalisedText()
        guard let scratch = RegexScratch(limits: .init()) else { return }
        var firstAtom = [Int](repeating: .max, count: matcher.regexes.count)
        var lastAtom = [Int](repeating: -1, count: matcher.regexes.count)
        var compared = 0
        var limited = 0
        var skipped = 0
        var unscanned = 0
        for entry in engine.taxonomy.entries {
            for example in entry.positiveExamples + entry.negativeExamples {
                engine.normaliser.normalise(example.text, into: text)
                for r in firstAtom.indices { firstAtom[r] = .max; lastAtom[r] = -1 }
                text.bytes.withUnsafeBufferPointer { buffer in
                    matcher.automaton.scan(buffer) { literal, end in
                        let start = end - Int(matcher.automaton.lengths[literal])
                        for k in Int(matcher.actionStart[literal])..<Int(matcher.actionStart[literal + 1]) {
                            guard case .atom(let r) = matcher.actions[k] else { continue }
                            firstAtom[Int(r)] = min(firstAtom[Int(r)], start)
                            lastAtom[Int(r)] = max(lastAtom[Int(r)], start)
                        }
                    }
                    // A pattern whose atoms are all absent must not match: the prefilter would
                    // never run it.
                    for (r, atom) in firstAtom.enumerated() where atom == .max {
                        if case .match = matcher.regexes[r].regex.firstMatch(in: buffer, from: 0, scratch: scratch) {
                            Issue.record("\(matcher.regexes[r].regex.source) matches \(example.text) without any of its atoms")
                        }
                        unscanned += 1
                    }
                    for (r, atom) in firstAtom.enumerated() where atom != .max {
                        let rule = matcher.regexes[r]
                        let start = rule.searchStart(firstAtom: atom, in: buffer)
                        if start == 0 { skipped += 1 }
                        if lastAtom[r] < buffer.count - 1 { limited += 1 }
                        func matches(from position: Int, startLimit: Int?) -> [Range<Int>] {
                            var found: [Range<Int>] = []
                            var position = position
                            while position <= (startLimit ?? buffer.count),
                                case .match(let range) = rule.regex.firstMatch(
                                    in: buffer, from: position, startLimit: startLimit, scratch: scratch)
                            {
                                found.append(range)
                                position = range.isEmpty ? range.upperBound + 1 : range.upperBound
                            }
                            return found
                        }
                        // As the matcher searches: from the bound, stopped at the last atom's start.
                        #expect(matches(from: start, startLimit: lastAtom[r]) == matches(from: 0, startLimit: nil),
                                "\(rule.regex.source) in \(example.text)")
                        compared += 1
                    }
                }
            }
        }
        // The bound must actually be used on these examples, or this test shows nothing.
        #expect(compared - skipped > 1_000, "compared \(compared), started at 0 for \(skipped)")
        #expect(limited > 1_000, "stopped before the end in \(limited) of \(compared)")
        #expect(unscanned > 100_000)
    }

    static let taxonomy = """
        kind: product
        entries:
          - id: product.ivory
            tags: [ivory, strong]
            terms:
              en: [ivory, pangolin*, rhino horn]
              zh-Hans: [象牙]
              ar: [عاج]
              ru: [слоновая кость]
            unless: ['ivory coast']
            source: test
            examples: {positive: [ivory], negative: [ivorine]}
          - id: intent.sale
            kind: intent
            patterns: ['\\bfor sale\\b', '\\$\\s?\\d+']
            source: test
            examples: {positive: [for sale], negative: [sales]}
          - id: intent.weight
            kind: intent
            patterns: ['\\d ?(?:g|grams?)\\b']
            source: test
            examples: {positive: [50 g], negative: [g50]}
        """

    static let engine: Engine = {
        do {
            let dir = try Fixtures.temporaryTaxonomy(files: ["lexicon/test.yaml": taxonomy])
            return try Engine(taxonomyDirectory: dir)
        } catch {
            fatalError("\(error)")
        }
    }()

    func fires(_ text: String, _ id: String = "product.ivory") -> Bool {
        Self.engine.classify(text).signals.contains { $0.id == id }
    }

    /// A phrase of an inflected language that starts with a short word ("с клеткой") matches
    /// as before, with its endings free, but its first literal is the two words together: a
    /// one-letter literal started a phrase check at every word beginning with that letter.
    @Test func inflectedPhrasesWithAShortFirstWord() throws {
        let yaml = """
            kind: intent
            entries:
              - id: intent.cage
                terms:
                  ru: [с клеткой]
                source: test
                examples: {positive: [с клеткой], negative: [клетка]}
            """
        let engine = try Engine(taxonomyDirectory: Fixtures.temporaryTaxonomy(files: ["lexicon/cage.yaml": yaml]))
        func fires(_ text: String) -> Bool { engine.classify(text).signals.contains { $0.id == "intent.cage" } }
        #expect(fires("Попугай с клеткой"))
        #expect(fires("Хомяки с клетками и кормом"))
        #expect(fires("попугай С  клеткой"))
        #expect(!fires("Попугай склеткой"))
        #expect(!fires("с большой клеткой"))
        #expect(!fires("клетка"))
        for short in ["с", "s"] {
            #expect(!engine.matcher.literals.contains(Array(short.utf8)), "\(short)")
        }
    }

    @Test func wholeWordsInSpacedScripts() {
        #expect(fires("Ivory bangle"))
        #expect(!fires("ivorybangle"))
        #expect(!fires("Tigerlily and ivorine"))
        #expect(fires("pangolins wanted"))  // a trailing * lets the word go on
    }

    @Test func chineseMatchesInsideLongerRuns() {
        #expect(fires("出售象牙手镯"))
    }

    @Test func pinyinAndRussianTransliterationAreDerived() {
        let decision = Self.engine.classify("xiang ya shou zhuo")
        let signal = decision.signals.first { $0.id == "product.ivory" }
        #expect(signal?.evasion == .romanisation)
        #expect(fires("xiangya"))
        #expect(fires("slonovaya kost"))
    }

    @Test func arabicNamesMatchWithAttachedPrefixes() {
        #expect(fires("بيع العاج"))
        #expect(!fires("إزعاج"))  // "disturbance" contains the letters but is another word
    }

    @Test func multiWordTermsMatchAcrossHyphensAndAsHashtags() {
        #expect(fires("rhino-horn cup"))
        #expect(fires("#rhinohorn"))
    }

    @Test func unlessVetoesOverlappingHits() {
        #expect(!fires("Cocoa from the Ivory Coast"))
        #expect(fires("Ivory from the Ivory Coast"))
    }

    @Test func regexPatternsRunOnCandidates() {
        #expect(fires("bangle for sale", "intent.sale"))
        #expect(fires("only $ 40", "intent.sale"))
        #expect(!fires("sales figures", "intent.sale"))
    }

    /// The prefilter looks for "0g" ... "9 g" (a `\d` spelt out as ASCII digits): digits of other
    /// scripts are folded to ASCII first, so they are found too.
    @Test("a digit class next to a literal matches digits of every script", arguments: [
        "tusk 50g", "tusk 50 grams", "عاج ٥٠g", "हाथीदांत ५० g", "งา ๕๐ grams", "৫০ g", "５０g", "𝟓𝟎 g",
    ])
    func digitsOfEveryScript(text: String) {
        #expect(fires(text, "intent.weight"))
    }

    @Test func digitClassesStillNeedTheirDigit() {
        #expect(!fires("g50 big grams", "intent.weight"))
        #expect(!fires("big grams", "intent.weight"))
    }

    /// `\d` reaches PCRE2 as `[0-9]`, which gives it the possible first bytes of a match (with UCP,
    /// `\d` gives none, and every position of a listing is tried); escapes, negated classes and
    /// named sets keep their meaning.
    @Test("digit escapes are written as ASCII digit classes", arguments: [
        ("\\d{1,2} ?mo", "[0-9]{1,2} ?mo"),
        ("(?<![\\d.,])\\d+k", "(?<![0-9.,])[0-9]+k"),
        ("[^\\d] x", "[^0-9] x"),
        ("[]\\d] x", "[]0-9] x"),
        ("[^]\\d]\\d", "[^]0-9][0-9]"),
        ("[[:alpha:]\\d]+\\d", "[[:alpha:]0-9]+[0-9]"),
        ("\\\\d \\D \\p{Nd} \\\\\\d", "\\\\d \\D \\p{Nd} \\\\[0-9]"),
        ("ivory", "ivory"),
    ])
    func asciiDigitClasses(pattern: String, expected: String) {
        #expect(MatcherCompiler.asciiDigits(pattern) == expected)
    }

    /// Non-ASCII letters in a pattern are folded as listings are; one that folds to regex syntax
    /// (full-width punctuation) stays a literal character, and ASCII syntax stays syntax.
    @Test("pattern literals fold as listings do, full-width punctuation escaped", arguments: [
        ("多少钱？", "多少钱\\?"),
        ("（象牙）", "\\(象牙\\)"),
        ("ngà voi", "nga voi"),
        ("(?:象牙|犀角)+", "(?:象牙|犀角)+"),
    ])
    func patternLiteralsFold(pattern: String, expected: String) {
        #expect(MatcherCompiler.foldLiterals(pattern, table: .shared) == expected)
    }

    @Test func signalsCarryTheOriginalSpan() {
        let text = "Bán ngà voi và ＩＶＯＲＹ"
        let signal = Self.engine.classify(text).signals.first { $0.id == "product.ivory" }
        #expect(signal?.matched == "ＩＶＯＲＹ")
        if let span = signal?.span {
            #expect(String(decoding: Array(text.utf8)[span], as: UTF8.self) == "ＩＶＯＲＹ")
        }
    }

    @Test("sees through disguises and says which", arguments: [
        ("iv\u{200B}ory", EvasionKind.invisible),
        ("ivоry", EvasionKind.homoglyph),
        ("1v0ry", EvasionKind.leet),
        ("i v o r y", EvasionKind.spacing),
        ("i.v.o.r.y", EvasionKind.spacing),
    ])
    func disguises(text: String, kind: EvasionKind) {
        let decision = Self.engine.classify("\(text) for sale")
        #expect(decision.signals.contains { $0.id == "product.ivory" })
        #expect(decision.signals.contains { $0.kind == .evasion && $0.evasion == kind })
    }
}

@Suite("JSON writer")
struct JSONWriterTests {
    @Test("writes numbers as Swift prints them", arguments: [0, 1, -1, 2.5, -0.25, 0.1, 3.75, 12.34, 100, 1e6, -7.05, 1.005, 1.0 / 3, 123_456_789_012])
    func numbers(value: Double) {
        var w = JSONWriter()
        w.number(value)
        let written = String(decoding: w.bytes, as: UTF8.self)
        let expected = value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        #expect(written == expected)
        #expect(Double(written) == value)
    }

    /// A score is written to two decimals from its hundredths, rounded once: the same text as
    /// rounding to a `Double` of two decimals and writing that.
    @Test func writesScoresToTwoDecimalsAsRoundingThenWritingWould() {
        var generator = SplitMix64(seed: 0x5C0_4E5)
        var values: [Double] = [0, -0.0, 0.005, -0.005, 1.005, 2.675, 0.125, 99.995, 1e13, -1e13, 1e15, 1e300, .nan, .infinity, -.infinity]
        for _ in 0..<2_000 {
            let bits = generator.next()
            // Up to a million, over a power of two up to 2^11: many fractions, some halfway.
            let magnitude = Double(bits % 1_000_000) / Double(1 << ((bits >> 20) % 12))
            values.append(bits & 1 == 0 ? magnitude : -magnitude)
        }
        for value in values {
            var once = JSONWriter()
            _ = once.reserving(JSONCursor.maxNumberCount) { $0.hundredths(of: value) }
            var twice = JSONWriter()
            twice.number((value * 100).rounded() / 100)
            #expect(once.bytes == twice.bytes, "\(value)")
        }
    }

    @Test("writes whole numbers digit by digit", arguments: [0, 7, 10, -10, 99, 1_000_000, Int.max, Int.min])
    func integers(value: Int) {
        var w = JSONWriter()
        w.integer(value)
        #expect(String(decoding: w.bytes, as: UTF8.self) == String(value))
    }

    /// Escapes one byte at a time, as RFC 8259 asks: the reference for the word-at-a-time writer.
    static func referenceEscape(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0..<0x20, 0x7F: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    @Test func escapesEveryASCIICharacterAtEveryPositionInAWord() {
        // Each character alone, and at each of the eight positions of a checked word, with plain
        // text and multi-byte text around it.
        for value in 0..<0x80 {
            let c = String(UnicodeScalar(UInt8(value)))
            for prefix in ["", "a", "abcdefg", "abcdefgh", "ivory é象牙 "] {
                let text = prefix + c + "tail of the string"
                #expect(JSONWriter.quoted(text) == Self.referenceEscape(text), "byte \(value) after '\(prefix)'")
                let counted = Array(text.utf8).withUnsafeBufferPointer { JSONCursor.quotedCount($0) }
                #expect(counted == Self.referenceEscape(text).utf8.count, "byte \(value) after '\(prefix)'")
            }
        }
    }

    /// A decision whose strings are `text`, with a taxon, tags and an evasion.
    static func decision(_ text: String, reasons: Int) -> Decision {
        let taxon = TaxonFacts(
            scientificName: text, synonyms: [], rank: "species", appendix: .i, listed: "", citesNote: nil,
            group: text, products: [], emoji: [], commonName: text)
        let reason = Reason(
            rule: text, kind: "taxon", explanation: text, matched: text, span: 3..<17, score: 1.25,
            taxon: taxon, evasion: .leet, tags: [text, "ivory"])
        return Decision(
            action: .block, score: 7.5, reasons: Array(repeating: reason, count: reasons), policy: text,
            policyVersion: text, taxonomyVersion: text, fingerprint: text, decidingRule: text, signals: [])
    }

    @Test("writes a decision whole, whatever its strings need escaped", arguments: [
        "plain ivory", "", "quote \" and \\ backslash", "象牙 слоновая кость", "\u{01}\u{02}\u{1F}\u{7F}\n\t\r",
        String(repeating: "\u{01}", count: 300), String(repeating: "\"", count: 1_000),
    ])
    func decisionRecords(text: String) throws {
        for count in [0, 1, 7] {
            // After other records in the same buffer, as the CLI writes them.
            var w = JSONWriter()
            w.raw("[{},")
            DecisionJSON.write(Self.decision(text, reasons: count), idJSON: "42", into: &w)
            w.raw("]")
            let array = try JSONSerialization.jsonObject(with: Data(w.bytes)) as? [Any]
            let record = try #require(array?.last as? [String: Any])
            #expect(record["id"] as? Int == 42)
            #expect(record["policy"] as? String == text)
            #expect(record["fingerprint"] as? String == text)
            let reasons = try #require(record["reasons"] as? [[String: Any]])
            #expect(reasons.count == count)
            for reason in reasons {
                #expect(reason["matched"] as? String == text)
                #expect(reason["explanation"] as? String == text)
                #expect(reason["tags"] as? [String] == [text, "ivory"])
                #expect(reason["span"] as? [Int] == [3, 17])
                #expect((reason["taxon"] as? [String: Any])?["common_name"] as? String == text)
                #expect(reason["evasion"] as? String == "leet")
            }
        }
    }

    @Test func nonFiniteNumbersAreNull() {
        var w = JSONWriter()
        w.number(.nan)
        w.raw(",")
        w.number(.infinity)
        #expect(String(decoding: w.bytes, as: UTF8.self) == "null,null")
    }
}

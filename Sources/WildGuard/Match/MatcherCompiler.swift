/// Compiles a taxonomy's terms and patterns into a `Matcher`, deriving the forms sellers use
/// but analysts should not have to list: pinyin for Chinese names, Latin transliteration for
/// Russian ones, Arabic names with their attached prefixes, and multi-word names run together.
struct MatcherCompiler {
    let table = CharacterTable.shared
    let limits: RegexScratch.Limits

    private var literalIndex: [[UInt8]: Int] = [:]
    private var literals: [[UInt8]] = []
    private var actions: [[Matcher.Action]] = []
    private var terms: [Matcher.TermTarget] = []
    private var termKeys: Set<TermKey> = []
    private var phrases: [Matcher.StemPhrase] = []
    private var phraseKeys: Set<PhraseKey> = []

    private struct PhraseKey: Hashable {
        var entry: Int32
        var stems: [[UInt8]]
    }
    private var regexes: [Matcher.RegexRule] = []
    private(set) var problems: [WildGuardError] = []

    private struct TermKey: Hashable {
        var entry: Int32
        var literal: [UInt8]
    }

    init(limits: RegexScratch.Limits) { self.limits = limits }

    private static let arabicPrefixes = ["ال", "وال", "بال", "فال", "كال", "لل", "و", "ب", "ل", "ف"]

    /// - Parameter sample: Normalised text like what will be matched, to lay out the prefilter
    ///   by (see `AhoCorasick`); matches are the same without it.
    mutating func compile(_ taxonomy: Taxonomy, sample: [[UInt8]] = []) -> Matcher {
        TransliteratorPool.with("Han-Latin") { pinyin in
            TransliteratorPool.with("Russian-Latin/BGN") { russian in compile(taxonomy, pinyin: pinyin, russian: russian, sample: sample) }
        }
    }

    private mutating func compile(
        _ taxonomy: Taxonomy, pinyin: Transliterator?, russian: Transliterator?, sample: [[UInt8]]
    ) -> Matcher {
        for (index, entry) in taxonomy.entries.enumerated() {
            let e = Int32(index)
            for term in entry.terms {
                addTerm(term.text, entry: e, evasion: term.language == "emoji" ? .emoji : nil,
                        compounds: Self.compoundingLanguages.contains(term.language))
                if Self.inflectingLanguages.contains(term.language) { addInflected(term.text, entry: entry, index: e) }
                if let spelled = Self.umlautsSpelledOut(term.text, language: term.language) {
                    addTerm(spelled, entry: e, evasion: nil, compounds: true)
                }
                if term.language.hasPrefix("zh"), let pinyin, Self.worthRomanising(term.text, kind: entry.kind),
                    let latin = pinyin(term.text)
                {
                    addRomanised(latin, entry: e)
                }
                if term.language == "ru", let russian, let latin = russian(term.text) {
                    addRomanised(latin, entry: e)
                    addInflected(Self.withoutApostrophes(latin), entry: entry, index: e)
                }
            }
            for pattern in entry.patterns { addRegex(pattern, entry: entry, index: e, isUnless: false) }
            for pattern in entry.unless { addRegex(pattern, entry: entry, index: e, isUnless: true) }
        }
        return Matcher(literals: literals, actionsPerLiteral: actions, terms: terms, phrases: phrases, regexes: regexes, sample: sample)
    }

    /// The folded form of a term: its words joined by single spaces.
    func foldTerm(_ text: String) -> String {
        table.fold(text).split(separator: " ").joined(separator: " ")
    }

    private mutating func literalID(_ bytes: [UInt8]) -> Int {
        if let id = literalIndex[bytes] { return id }
        literals.append(bytes)
        actions.append([])
        literalIndex[bytes] = literals.count - 1
        return literals.count - 1
    }

    /// Languages that write compounds as one word ("Elfenbeinschnitzerei"): a long enough
    /// single-word term may go on.
    static let compoundingLanguages: Set<String> = ["de", "nl", "sv", "da", "nb", "no", "fi"]

    /// German written without umlauts spells them out ("Schildkroete" for "Schildkröte"): the
    /// spelled-out form of a German term, when it differs.
    static func umlautsSpelledOut(_ term: String, language: String) -> String? {
        guard language == "de" || language == "de-CH" || language == "de-AT" else { return nil }
        var out = ""
        var changed = false
        for c in term {
            switch c {
            case "ä": out += "ae"; changed = true
            case "ö": out += "oe"; changed = true
            case "ü": out += "ue"; changed = true
            case "Ä": out += "Ae"; changed = true
            case "Ö": out += "Oe"; changed = true
            case "Ü": out += "Ue"; changed = true
            default: out.append(c)
            }
        }
        return changed ? out : nil
    }

    /// Languages whose words change their endings with case and number ("слоновой кости"):
    /// terms match with their endings free.
    static let inflectingLanguages: Set<String> = ["ru", "uk", "be", "pl", "cs", "sk", "bg", "sr", "hr"]

    /// Letters an inflected ending may drop before the endings are opened up.
    private static let endingLetters = Set("аяоеёыиуюьйъaeiouyęąó'ʹ".unicodeScalars)

    /// Adds a stemmed phrase that lets every word of an inflected-language term take a short
    /// ending: "слоновая кость" also matches "слоновой кости" and "слоновую кость". Verified in
    /// Swift at the hits of its first stem, so it costs no regular expression.
    private mutating func addInflected(_ raw: String, entry: TaxonomyEntry, index: Int32) {
        let words = foldTerm(raw.hasSuffix("*") ? String(raw.dropLast()) : raw).split(separator: " ").map(String.init)
        guard !words.isEmpty else { return }
        var stems: [[UInt8]] = []
        var open: [Bool] = []
        for word in words {
            var scalars = Array(word.unicodeScalars)
            guard scalars.count >= 5, scalars.allSatisfy({ table.characterClass(of: $0.value).contains(.spaced) }) else {
                stems.append(Array(word.utf8))
                open.append(false)
                continue
            }
            var dropped = 0
            while dropped < 2, scalars.count > 4, let last = scalars.last, Self.endingLetters.contains(last) {
                scalars.removeLast()
                dropped += 1
            }
            var stem = ""
            stem.unicodeScalars.append(contentsOf: scalars)
            stems.append(Array(stem.utf8))
            open.append(true)
        }
        guard open.contains(true) else { return }
        // A short first word ("с клеткой", "w dobrym stanie", "s volyerom") is found with the
        // word after it, as one literal: alone, "s" or "w" started a phrase check at every word
        // that begins with the letter. The same bytes match (a closed stem is followed by one
        // space and the next stem), and the scan's cost no longer depends on the first word.
        while stems.count > 1 && !open[0] {
            stems[0] += [0x20] + stems[1]
            open[0] = open[1]
            stems.remove(at: 1)
            open.remove(at: 1)
        }
        let phrase = Matcher.StemPhrase(stems: stems, openEnding: open)
        guard phraseKeys.insert(PhraseKey(entry: index, stems: stems)).inserted else { return }
        phrases.append(phrase)
        terms.append(Matcher.TermTarget(entry: index, leftBoundary: true, rightBoundary: false, evasion: nil,
                                        phrase: Int32(phrases.count - 1)))
        let id = literalID(stems[0])
        actions[id].append(.term(Int32(terms.count - 1)))
    }

    private mutating func addTerm(_ raw: String, entry: Int32, evasion: EvasionKind?, compounds: Bool = false) {
        var text = raw
        var prefix = false
        if text.hasSuffix("*") {
            prefix = true
            text.removeLast()
        }
        let folded = foldTerm(text)
        guard !folded.isEmpty else { return }
        if compounds && !folded.contains(" ") && folded.unicodeScalars.count >= 6 { prefix = true }
        // Korean attaches particles to nouns ("상아를", "코끼리가"): a word must start at a word
        // boundary but may go on.
        if let last = folded.unicodeScalars.last, ICU.script(last.value) == ICU.Script.hangul.rawValue { prefix = true }
        addFolded(folded, entry: entry, prefix: prefix, evasion: evasion)
        let scalars = Array(folded.unicodeScalars)
        // Multi-word names run together in hashtags ("#rhinohorn"). Only as hashtags: run
        // together elsewhere they can be other words ("wild cats", "Wildcats").
        if folded.contains(" "), scalars.allSatisfy({ $0 == " " || table.characterClass(of: $0.value).contains(.spaced) }) {
            let joined = String(String.UnicodeScalarView(folded.unicodeScalars.filter { $0 != " " }))
            if joined.utf8.count >= 6 { addFolded("#" + joined, entry: entry, prefix: prefix, evasion: evasion) }
        }
        if let first = scalars.first, ICU.script(first.value) == ICU.Script.arabic.rawValue {
            for p in Self.arabicPrefixes where !folded.hasPrefix(p) {
                addFolded(table.fold(p) + folded, entry: entry, prefix: prefix, evasion: evasion)
            }
        }
    }

    /// Two-syllable pinyin collides with personal names ("Long Yu", "Chen Xiang"), so a
    /// two-character Chinese name is romanised only when it names a product or a code word
    /// (象牙 "xiang ya"), where the collision costs little; longer names always are.
    static func worthRomanising(_ term: String, kind: SignalKind) -> Bool {
        let count = term.unicodeScalars.count
        return count >= 3 || (count == 2 && (kind == .product || kind == .codeword))
    }

    private mutating func addRomanised(_ latin: String, entry: Int32) {
        let folded = foldTerm(Self.withoutApostrophes(latin))
        guard folded.unicodeScalars.allSatisfy({ $0.isASCII }), folded.utf8.count >= 5 else { return }
        let syllables = folded.split(separator: " ")
        guard syllables.count >= 2 || folded.utf8.count >= 6 else { return }
        addFolded(folded, entry: entry, prefix: false, evasion: .romanisation)
        if syllables.count >= 2 {
            addFolded(syllables.joined(), entry: entry, prefix: false, evasion: .romanisation)
        }
    }

    private mutating func addFolded(_ folded: String, entry: Int32, prefix: Bool, evasion: EvasionKind?) {
        let bytes = Array(folded.utf8)
        guard termKeys.insert(TermKey(entry: entry, literal: bytes)).inserted else { return }
        let scalars = folded.unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return }
        let target = Matcher.TermTarget(
            entry: entry,
            leftBoundary: table.characterClass(of: first.value).contains(.spaced),
            rightBoundary: !prefix && table.characterClass(of: last.value).contains(.spaced),
            evasion: evasion, phrase: -1)
        terms.append(target)
        let id = literalID(bytes)
        actions[id].append(.term(Int32(terms.count - 1)))
    }

    private mutating func addRegex(
        _ pattern: TaxonomyEntry.SourcedString, entry: TaxonomyEntry, index: Int32, isUnless: Bool
    ) {
        let path = entry.location.file
        // Analysed once, folded: folding changes literal characters, never the structure.
        let source = Self.foldLiterals(pattern.text, table: table)
        let analysis = PatternAnalysis(source)
        if analysis.hasNestedQuantifier {
            problems.append(.invalid(path: path, line: pattern.line, reason:
                "pattern '\(pattern.text)': a repeated group contains an unbounded repeat, which risks catastrophic backtracking"))
            return
        }
        guard let atoms = analysis.atoms?.map({ table.fold($0) }), !atoms.contains(where: \.isEmpty) else {
            problems.append(.invalid(path: path, line: pattern.line, reason:
                "pattern '\(pattern.text)' has no literal text that every match contains; add one (the prefilter needs it)"))
            return
        }
        if let atom = atoms.first(where: Self.matchesAlmostEverywhere) {
            problems.append(.invalid(path: path, line: pattern.line, reason:
                "pattern '\(pattern.text)': its only fixed text in some matches is '\(atom)', which nearly every listing contains, so it would run on all of them; give that branch a longer literal (the unit word rather than 'm'; (?:vo|v0) rather than v[o0])"))
            return
        }
        let regex: CompiledRegex
        do {
            regex = try CompiledRegex(Self.asciiDigits(source))
        } catch {
            problems.append(.badPattern(path: path, line: pattern.line, pattern: pattern.text,
                                        reason: error.message, offset: error.offset))
            return
        }
        regexes.append(.init(regex: regex, entry: index, isUnless: isUnless,
                             atomOffset: analysis.atomOffset.map { Int32(clamping: $0) } ?? -1,
                             prefix: analysis.prefixBytes))
        let r = Int32(regexes.count - 1)
        // In a fixed order: literal ids follow the order literals are added, and the export
        // (and the order of hits ending at the same byte) follows the ids.
        for atom in Set(atoms).sorted() {
            let id = literalID(Array(atom.utf8))
            actions[id].append(.atom(r))
        }
    }

    /// Whether a prefilter atom is so short that it is in nearly every listing: one ASCII letter or
    /// digit. (A pattern whose atoms are "m" and "l" once doubled the cost of matching.)
    static func matchesAlmostEverywhere(_ atom: String) -> Bool {
        guard atom.utf8.count == 1, let byte = atom.utf8.first else { return false }
        return Normaliser.isASCIIWord(byte)
    }

    /// A pattern with `\d` written as `[0-9]` (and as `0-9` inside a class). Listings are matched
    /// in normalised form, where every decimal digit is an ASCII one, so the two match the same
    /// text; but PCRE2 (with UCP, where `\d` is any Unicode digit) finds no set of possible first
    /// bytes for a pattern that starts with `\d`, and then tries every position of the listing,
    /// running the pattern's lookbehinds at each. With `[0-9]` it skips to the digits.
    static func asciiDigits(_ pattern: String) -> String {
        guard pattern.contains("\\d") else { return pattern }
        let characters = Array(pattern)
        var out = ""
        var inClass = false
        // Within a class: characters so far (a leading "^" not counted: "]" first is a literal).
        var classLength = 0
        var negated = false
        var i = 0
        while i < characters.count {
            let c = characters[i]
            i += 1
            if c == "\\" && i < characters.count {
                let escaped = characters[i]
                i += 1
                if escaped == "d" {
                    out += inClass ? "0-9" : "[0-9]"
                } else {
                    out.append(c)
                    out.append(escaped)
                }
                if inClass { classLength += 1 }
                continue
            }
            out.append(c)
            guard inClass else {
                if c == "[" { inClass = true; classLength = 0; negated = false }
                continue
            }
            if c == "^" && classLength == 0 && !negated {
                negated = true
            } else if c == "]" && classLength > 0 {
                inClass = false
            } else {
                // "[:alpha:]" is copied whole, so that its "]" does not end the class.
                if c == "[" && i < characters.count && characters[i] == ":" {
                    while i < characters.count {
                        out.append(characters[i])
                        i += 1
                        if characters[i - 1] == "]" { break }
                    }
                }
                classLength += 1
            }
        }
        return out
    }

    /// A transliteration without its apostrophes and soft-sign primes ("ʹ"), which sellers leave out.
    /// (Scalar by scalar: Foundation's `replacingOccurrences` was a tenth of loading the taxonomy.)
    static func withoutApostrophes(_ latin: String) -> String {
        String(String.UnicodeScalarView(latin.unicodeScalars.filter { $0 != "'" && $0 != "ʹ" }))
    }

    /// Folds the non-ASCII characters of a pattern the way listings are folded ("ngà" -> "nga",
    /// "й" -> "и"), so that authors can write names as they are spelt. ASCII is left alone: it holds
    /// the regex syntax, and matching is caseless anyway. A character that folds to regex syntax
    /// (the full-width "？" of Chinese and Japanese text folds to "?") stays a literal character,
    /// escaped: unescaped, it silently changed what the pattern meant.
    static func foldLiterals(_ pattern: String, table: CharacterTable) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(pattern.unicodeScalars.count)
        for scalar in pattern.unicodeScalars {
            if scalar.isASCII {
                out.unicodeScalars.append(scalar)
            } else {
                out += RegexEscaper.escape(table.fold(String(Character(scalar))))
            }
        }
        return out
    }
}

/// Escapes regular-expression syntax in a literal (PCRE2 syntax).
enum RegexEscaper {
    static func escape(_ literal: String) -> String {
        var out = ""
        for scalar in literal.unicodeScalars {
            if "\\^$.|?*+()[]{}/#-".unicodeScalars.contains(scalar) { out.unicodeScalars.append("\\") }
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}

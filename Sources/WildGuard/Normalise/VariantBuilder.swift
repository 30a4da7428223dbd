/// Finds disguised words in the primary segment of a `NormalisedText` and appends an undisguised
/// copy of each as a variant segment: mixed-script words folded to Latin with the UTS #39
/// confusable skeleton, leetspeak decoded, and letters spread out with spaces or dots joined.
///
/// Words written wholly in one script are left alone, so real Russian or Greek is never mangled;
/// numbers (prices, weights, sizes) are never read as letters.
struct VariantBuilder: Sendable {
    let table: CharacterTable
    /// Cyrillic and Greek letters, upper and lower case as written, whose confusable skeleton
    /// is one Latin letter ("Υ" -> "y", "о" -> "o"). Keyed by the original scalar: case folding
    /// changes the shape ("Υ" looks like Y, its lower case "υ" like u).
    let homoglyphs: [UInt32: UInt8]
    /// Latin letters that look like a Russian letter, for Cyrillic words with Latin letters
    /// slipped in ("слoнoвoй" with Latin o): the Cyrillic letter's UTF-8 bytes.
    let cyrillicLookalikes: [UInt8: [UInt8]]
    /// Spares most tokens the character-by-character examination.
    let filter: DisguiseFilter

    init(table: CharacterTable) {
        self.table = table
        filter = DisguiseFilter(table: table)
        var map: [UInt32: UInt8] = [:]
        var reverse: [UInt8: [UInt8]] = [:]
        for scalar in UInt32(0x0370)...UInt32(0x052F) {
            guard let s = Unicode.Scalar(scalar), table.characterClass(of: scalar).contains(.cyrillicOrGreek) else { continue }
            let skeleton = ICU.skeleton(String(Character(s))).lowercased()
            guard skeleton.utf8.count == 1, var b = skeleton.utf8.first, b >= 0x61 && b <= 0x7A else { continue }
            // Capital I-shaped letters share the prototype "l"; in folded text they stand for "i".
            if b == UInt8(ascii: "l") && ICU.category(scalar) == 1 { b = UInt8(ascii: "i") }
            map[scalar] = b
            // Lower-case Russian letters, for the reverse direction.
            if (0x0430...0x044F).contains(scalar), reverse[b] == nil { reverse[b] = Array(String(Character(s)).utf8) }
        }
        homoglyphs = map
        cyrillicLookalikes = reverse
    }

    /// Leetspeak substitutions: the letter an ASCII digit or symbol stands for, nil for none.
    @inline(__always)
    static func leet(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0"): UInt8(ascii: "o")
        case UInt8(ascii: "1"), UInt8(ascii: "!"): UInt8(ascii: "i")
        case UInt8(ascii: "3"): UInt8(ascii: "e")
        case UInt8(ascii: "4"), UInt8(ascii: "@"): UInt8(ascii: "a")
        case UInt8(ascii: "5"), UInt8(ascii: "$"): UInt8(ascii: "s")
        case UInt8(ascii: "7"): UInt8(ascii: "t")
        case UInt8(ascii: "|"): UInt8(ascii: "l")
        default: nil
        }
    }

    /// Punctuation sellers put between letters ("i.v.o.r.y").
    static func isSpreader(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "."), UInt8(ascii: "*"), UInt8(ascii: ","), UInt8(ascii: "/"),
            UInt8(ascii: "|"), UInt8(ascii: "+"), UInt8(ascii: "~"), UInt8(ascii: "'"),
            UInt8(ascii: "\\"), UInt8(ascii: "#"), UInt8(ascii: "="):
            return true
        default: return false
        }
    }

    /// A word of the primary segment and what to do with it.
    struct Token {
        var range: Range<Int>
        var rewrite: Rewrite
    }

    /// What to do with one token of the primary segment.
    enum Rewrite: Equatable {
        case keep
        /// Fold homoglyphs and decode leetspeak.
        case decode(EvasionKind)
        /// Drop the punctuation between spread-out letters ("i.v.o.r.y").
        case unspread
        /// Drop the symbols that break a word ("象*牙", "상.아", "iv*ory"; `SymbolBridges`).
        case bridge
        /// Part of a run of one-letter tokens ("i v o r y"): joined with its neighbours.
        case join
    }

    /// Appends one rewritten copy of the listing when any word in it is disguised (and a second
    /// one reading "1" as "l" when a decoded word holds a "1"), so that phrases still match across
    /// words ("b3ar b1le"). Each rewritten word is recorded as a variant with its disguise.
    func appendVariants(to text: NormalisedText, input: UnsafeBufferPointer<UInt8>) {
        let end = text.primaryEnd
        guard end > 0 else { return }
        // The token list lives in `text` and keeps its capacity: no allocation per listing.
        var tokens: [Token] = []
        swap(&tokens, &text.tokens)
        defer {
            tokens.removeAll(keepingCapacity: true)
            swap(&tokens, &text.tokens)
        }
        // Most listings hide nothing: a first reading stops at the first disguised word and
        // keeps no token. Only when it finds one are the tokens read again and kept, with the
        // evidence the first reading noted dropped, since the second notes it again.
        let evidenceCount = text.evidence.count
        guard readTokens(text, end: end, keeping: false, &tokens).anyRewrite else { return }
        text.evidence.removeSubrange(evidenceCount...)
        let hasOne = readTokens(text, end: end, keeping: true, &tokens).hasOne
        appendCopy(tokens, text, input, one: UInt8(ascii: "i"))
        if hasOne { appendCopy(tokens, text, input, one: UInt8(ascii: "l")) }
    }

    /// A run of one-letter tokens being read ("i v o r y"): its first token, its length and,
    /// when tokens are kept, where it starts among them.
    private struct LetterRun {
        var first: Range<Int> = 0..<0
        var count = 0
        var start = 0
    }

    /// Reads the tokens of the primary segment and decides what to do with each; with
    /// `keeping`, appends them to `tokens` (runs of spread-out letters marked to be joined),
    /// else stops at the first one that needs a rewrite. Returns whether one does, and whether
    /// a decoded word holds a "1".
    private func readTokens(
        _ text: NormalisedText, end: Int, keeping: Bool, _ tokens: inout [Token]
    ) -> (anyRewrite: Bool, hasOne: Bool) {
        var anyRewrite = false
        var hasOne = false
        var run = LetterRun()
        // Word boundaries read through a raw buffer: indexing the text object's array byte by
        // byte pays an exclusivity check per byte. Nothing appends to the text in this loop.
        // (No local function closes over this state either: captured variables are boxed and
        // checked at run time on every access.)
        return text.bytes.withUnsafeBufferPointer { bytes in
            var i = 0
            // Whether the first reading may skip ahead over tokens it would keep without a look
            // (`DisguiseFilter.skipQuietTokens`): at the start and after an ASCII token, so that
            // text of other scripts, where it would stop at every token, does not pay for trying.
            var skipping = !keeping
            while i < end {
                while i < end && bytes[i] == 0x20 { i += 1 }
                if skipping && run.count == 0 {
                    i = filter.skipQuietTokens(from: i, to: end, bytes)
                    while i < end && bytes[i] == 0x20 { i += 1 }
                }
                guard i < end else { break }
                // The token's end, and on the way what kind of bytes it holds: most tokens are
                // plain lower-case ASCII words, with nothing to examine.
                let (j, allLower, allASCII) = Self.scanToken(from: i, to: end, bytes)
                let token = i..<j
                if isSingleLetter(token, bytes) {
                    if run.count == 0 { run = LetterRun(first: token, count: 0, start: tokens.count) }
                    run.count += 1
                    if keeping { tokens.append(Token(range: token, rewrite: .keep)) }
                } else {
                    if closeRun(&run, &tokens, keeping: keeping, bytes) {
                        anyRewrite = true
                        if !keeping { return (true, false) }
                    }
                    let rewrite: Rewrite =
                        allLower || !filter.mayBeDisguised(token, bytes) ? .keep
                        : allASCII ? examineASCII(token, text, bytes) : examineScalars(token, text, bytes)
                    if case .keep = rewrite {} else {
                        anyRewrite = true
                        if !keeping { return (true, false) }
                        if case .decode = rewrite, bytes[token].contains(UInt8(ascii: "1")) { hasOne = true }
                    }
                    if keeping { tokens.append(Token(range: token, rewrite: rewrite)) }
                    skipping = !keeping && allASCII
                }
                i = j
            }
            if closeRun(&run, &tokens, keeping: keeping, bytes) { anyRewrite = true }
            return (anyRewrite, hasOne)
        }
    }

    /// Where the token that starts at `start` ends (the next space, or `end`), and whether all
    /// its bytes are the letters a to z, and all ASCII. Eight bytes at a time (`ByteWord`).
    @inline(__always)
    static func scanToken(from start: Int, to end: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> (end: Int, allLower: Bool, allASCII: Bool) {
        let highs = ByteWord.highs
        var notLower: UInt64 = 0
        var seen: UInt64 = 0
        var j = start
        if let base = bytes.baseAddress {
            while j + 8 <= end {
                let w = ByteWord.load(base, j)
                // The high bit of each byte that is a space; of each that is not a to z.
                let spaces = ByteWord.bytes(w, equalTo: 0x20)
                let outside = ByteWord.notLowercaseLetters(w)
                if spaces != 0 {
                    let before = spaces.trailingZeroBitCount / 8
                    let mask: UInt64 = before == 0 ? 0 : UInt64.max >> (64 - 8 * before)
                    notLower |= outside & mask
                    seen |= w & mask
                    return (j + before, notLower == 0, seen & highs == 0)
                }
                notLower |= outside
                seen |= w
                j += 8
            }
        }
        var lowerSoFar = notLower == 0
        var bits = UInt8(truncatingIfNeeded: (seen & highs) == 0 ? 0 : 0x80)
        while j < end {
            let b = bytes[j]
            if b == 0x20 { break }
            lowerSoFar = lowerSoFar && b &- UInt8(ascii: "a") < 26
            bits |= b
            j += 1
        }
        return (j, lowerSoFar, bits < 0x80)
    }

    /// Ends the run of one-letter tokens (if any): a run long enough is a spread-out word, and
    /// its tokens (when kept) are marked to be joined. Returns whether it was.
    private func closeRun(_ run: inout LetterRun, _ tokens: inout [Token], keeping: Bool, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        defer { run.count = 0 }
        guard run.count > 0 else { return false }
        // Korean has one-syllable words ("소 뿔 빗"), but a two-noun name spread out is short
        // ("상 아"): two syllables make a run; what they join into still has to match.
        let needed = isHangul(run.first, bytes) ? 2 : 3
        guard run.count >= needed else { return false }
        if keeping {
            for k in run.start..<tokens.count { tokens[k].rewrite = .join }
        }
        return true
    }

    private func appendCopy(_ tokens: [Token], _ text: NormalisedText, _ input: UnsafeBufferPointer<UInt8>, one: UInt8) {
        let first = tokens[0].range.lowerBound
        let origin = Int(text.originStart[first])
        text.append(0x0A, from: origin..<origin)
        var previousJoined = false
        for (index, token) in tokens.enumerated() {
            let isJoin: Bool
            if case .join = token.rewrite { isJoin = true } else { isJoin = false }
            if index > 0 && (!(isJoin && previousJoined) || isWordBreak(tokens[index - 1].range, token.range, text)) {
                let o = Int(text.originStart[token.range.lowerBound])
                text.append(0x20, from: o..<o)
            }
            let start = text.bytes.count
            switch token.rewrite {
            case .keep:
                copy(token.range, text)
            case .join:
                if !previousJoined {
                    // A spread-out phrase loses its word breaks ("r h i n o h o r n"); as a
                    // hashtag it still matches multi-word terms' run-together form.
                    let o = Int(text.originStart[token.range.lowerBound])
                    text.append(UInt8(ascii: "#"), from: o..<o)
                }
                copy(letterRange(token.range, text), text)
            case .unspread, .bridge:
                let o = Int(text.originStart[token.range.lowerBound])
                text.append(UInt8(ascii: "#"), from: o..<o)
                rewrite(token.range, text, input, one: one, drop: token.rewrite == .bridge ? .bridges : .spreaders,
                        intoCyrillic: mostlyCyrillic(token.range, text))
            case .decode(let kind):
                rewrite(token.range, text, input, one: one, drop: .nothing,
                        intoCyrillic: (kind == .homoglyph || kind == .leet) && mostlyCyrillic(token.range, text))
            }
            previousJoined = isJoin
            switch token.rewrite {
            case .keep: break
            case .join, .unspread, .bridge: markVariant(text, start, .spacing)
            case .decode(let kind): markVariant(text, start, kind)
            }
        }
    }

    /// In a spread-out phrase, a wider gap between two letters than between the others marks a
    /// word break ("e l e p h a n t  t u s k").
    private func isWordBreak(_ previous: Range<Int>, _ next: Range<Int>, _ text: NormalisedText) -> Bool {
        let end = Int(text.originEnd[previous.lowerBound])
        let start = Int(text.originStart[next.lowerBound])
        return start - end >= 2 && text.bytes[previous].count == 1 || start - end >= 3
    }

    /// A Cyrillic word with Latin letters slipped in: more Cyrillic than Latin letters, and every
    /// Latin letter one that has a Cyrillic double ("слoнoвoй"). A word with a Latin letter no
    /// Cyrillic letter imitates ("іvоrу": v, r) is a Latin word in disguise.
    private func mostlyCyrillic(_ token: Range<Int>, _ text: NormalisedText) -> Bool {
        var cyrillic = 0
        var latin = 0
        var unmatched = false
        scalars(token, text) { _, _, scalar in
            if (0x0400...0x04FF).contains(scalar) {
                cyrillic += 1
            } else if scalar < 0x80, Normaliser.isASCIIWord(UInt8(truncatingIfNeeded: scalar)), !(0x30...0x39).contains(scalar) {
                latin += 1
                if cyrillicLookalikes[UInt8(scalar)] == nil { unmatched = true }
            }
        }
        return cyrillic > latin && !unmatched
    }

    private func markVariant(_ text: NormalisedText, _ start: Int, _ kind: EvasionKind) {
        // Consecutive joined letters form one variant.
        if let last = text.variants.last, last.kind == kind, last.range.upperBound == start {
            text.variants[text.variants.count - 1].range = last.range.lowerBound..<text.bytes.count
        } else {
            text.variants.append(.init(range: start..<text.bytes.count, kind: kind))
        }
    }

    private func copy(_ range: Range<Int>, _ text: NormalisedText) {
        for k in range {
            text.append(text.bytes[k], from: Int(text.originStart[k])..<Int(text.originEnd[k]))
        }
    }

    private func scalars(_ range: Range<Int>, _ text: NormalisedText, _ body: (Int, Int, UInt32) -> Void) {
        text.bytes.withUnsafeBufferPointer { scalars(range, $0, body) }
    }

    /// The scalars of `range` with their offsets and lengths, read from the text's bytes.
    private func scalars(_ range: Range<Int>, _ buffer: UnsafeBufferPointer<UInt8>, _ body: (Int, Int, UInt32) -> Void) {
        var k = range.lowerBound
        while k < range.upperBound {
            let b = buffer[k]
            let length = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
            let scalar = Normaliser.decodeValid(buffer, at: k)
            body(k, min(length, range.upperBound - k), scalar)
            k += length
        }
    }

    /// A token that is one letter, perhaps followed by punctuation ("т", "ь,").
    func isSingleLetter(_ token: Range<Int>, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let first = bytes[token.lowerBound]
        if first < 0x80 {
            // An ASCII letter is what the table classes as a spaced word character that is no digit.
            guard (first | 0x20) &- UInt8(ascii: "a") < 26 else { return false }
            var k = token.lowerBound + 1
            while k < token.upperBound {
                if bytes[k] >= 0x80 || Normaliser.isASCIIWord(bytes[k]) { return false }
                k += 1
            }
            return true
        }
        // A letter of a script written with spaces, then nothing but ASCII punctuation: the
        // first other character ends the look (most tokens are words of several letters).
        let cls = table.characterClass(of: Normaliser.decodeValid(bytes, at: token.lowerBound))
        guard cls.contains(.word) && cls.contains(.spaced) && !cls.contains(.digit) else { return false }
        var k = token.lowerBound + Normaliser.sequenceLength(first)
        while k < token.upperBound {
            if bytes[k] >= 0x80 || Normaliser.isASCIIWord(bytes[k]) { return false }
            k += 1
        }
        return true
    }

    private func isHangul(_ token: Range<Int>, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var hangul = false
        scalars(token, bytes) { _, _, scalar in
            if (0xAC00...0xD7A3).contains(scalar) || (0x1100...0x11FF).contains(scalar) || (0x3130...0x318F).contains(scalar) {
                hangul = true
            }
        }
        return hangul
    }

    /// The letter of a one-letter token, without the punctuation after it.
    private func letterRange(_ token: Range<Int>, _ text: NormalisedText) -> Range<Int> {
        let b = text.bytes[token.lowerBound]
        let length = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
        return token.lowerBound..<min(token.upperBound, token.lowerBound + length)
    }

    // What to do with a token: a word of plain lower-case ASCII letters has no other script,
    // digit or symbol, so nothing to rewrite and no evidence to note; a word of ASCII only goes
    // to `examineASCII`, any other to `examineScalars`.

    /// What to do with any token, character by character through the character table (ASCII
    /// bytes as `examineASCII` reads them: an ASCII letter is Latin, a digit is a digit).
    func examineScalars(_ token: Range<Int>, _ text: NormalisedText, _ bytes: UnsafeBufferPointer<UInt8>) -> Rewrite {
        var latin = 0
        var foreign = 0
        var letters = 0
        var spreaders = 0
        var singleBetweenSpreaders = true
        var sinceSpreader = 0
        var anyLeet = false
        var anyBridge = false
        var k = token.lowerBound
        while k < token.upperBound {
            let b = bytes[k]
            if b < 0x80 {
                if (b | 0x20) &- UInt8(ascii: "a") < 26 { latin += 1; letters += 1; sinceSpreader += 1 }
                if Self.leet(b) != nil {
                    anyLeet = true
                    if b &- UInt8(ascii: "0") < 10 { sinceSpreader += 1 }
                }
                if Self.isSpreader(b) && b != UInt8(ascii: "|") {
                    spreaders += 1
                    if sinceSpreader > 1 { singleBetweenSpreaders = false }
                    sinceSpreader = 0
                }
                // Inside the token: a symbol that starts or ends it ("почтой.") breaks no word.
                if k > token.lowerBound && k + 1 < token.upperBound && SymbolBridges.isBridge(b) { anyBridge = true }
                k += 1
                continue
            }
            let cls = table.characterClass(of: Normaliser.decodeValid(bytes, at: k))
            if cls.contains(.latin) { latin += 1; letters += 1; sinceSpreader += 1 }
            if cls.contains(.cyrillicOrGreek) { foreign += 1; letters += 1; sinceSpreader += 1 }
            k += Normaliser.sequenceLength(b)
        }
        if sinceSpreader > 1 { singleBetweenSpreaders = false }
        let leet = anyLeet ? leetCount(token, text) : 0
        let mixed = latin > 0 && foreign > 0
        if mixed {
            text.evidence.append(.init(kind: .homoglyph, span: text.originalSpan(of: token)))
        }
        if spreaders >= 2 && letters >= 2 && singleBetweenSpreaders && letters + leet >= 3 {
            return .unspread
        }
        if anyBridge && joinsAcrossSymbols(token, bytes) { return .bridge }
        if mixed { return .decode(.homoglyph) }
        if leet > 0 && latin + foreign >= 2 { return .decode(.leet) }
        return .keep
    }

    /// `examine` for a token of ASCII only: the same counts as `examineScalars` without table
    /// lookups (an ASCII letter is Latin, nothing is Cyrillic or Greek, so no homoglyphs), and
    /// leetspeak counted only when the answer depends on it.
    func examineASCII(_ token: Range<Int>, _ text: NormalisedText, _ bytes: UnsafeBufferPointer<UInt8>) -> Rewrite {
        var letters = 0
        var spreaders = 0
        var singleBetweenSpreaders = true
        var sinceSpreader = 0
        var anyLeet = false
        var anyBridge = false
        for k in token {
            let b = bytes[k]
            if (b | 0x20) &- UInt8(ascii: "a") < 26 { letters += 1; sinceSpreader += 1 }
            if Self.leet(b) != nil {
                anyLeet = true
                if b &- UInt8(ascii: "0") < 10 { sinceSpreader += 1 }
            }
            if Self.isSpreader(b) && b != UInt8(ascii: "|") {
                spreaders += 1
                if sinceSpreader > 1 { singleBetweenSpreaders = false }
                sinceSpreader = 0
            }
            if b == UInt8(ascii: "*") && k > token.lowerBound && k + 1 < token.upperBound { anyBridge = true }
        }
        if sinceSpreader > 1 { singleBetweenSpreaders = false }
        let leet = anyLeet ? leetCount(token, text) : 0
        if spreaders >= 2 && letters >= 2 && singleBetweenSpreaders && letters + leet >= 3 { return .unspread }
        if anyBridge && joinsAcrossSymbols(token, bytes) { return .bridge }
        if leet > 0 && letters >= 2 { return .decode(.leet) }
        return .keep
    }

    /// Whether symbols break a word in `token` (`SymbolBridges`); read only for a token that
    /// holds such a symbol.
    private func joinsAcrossSymbols(_ token: Range<Int>, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var bridges = SymbolBridges()
        var k = token.lowerBound
        while k < token.upperBound {
            let b = bytes[k]
            if b < 0x80 {
                if (b | 0x20) &- UInt8(ascii: "a") < 26 { bridges.character(.latin) } else { bridges.symbol(b) }
                k += 1
                continue
            }
            let scalar = Normaliser.decodeValid(bytes, at: k)
            bridges.character(SymbolBridges.kind(scalar, table.characterClass(of: scalar)))
            k += Normaliser.sequenceLength(b)
        }
        return bridges.joinsWord
    }

    /// Positions of the characters in `token` that stand in for letters: a leet digit or symbol
    /// next to a Latin letter, not part of a longer number ("20cm", "1.5kg"), not a count before
    /// a unit ("5kg", "7cm", "3pcs").
    func leetPositions(_ token: Range<Int>, _ text: NormalisedText) -> [Int] {
        var out: [Int] = []
        forEachLeet(token, text) { out.append($0) }
        return out
    }

    /// How many characters of `token` stand in for letters (without allocating).
    func leetCount(_ token: Range<Int>, _ text: NormalisedText) -> Int {
        var count = 0
        forEachLeet(token, text) { _ in count += 1 }
        return count
    }

    private func forEachLeet(_ token: Range<Int>, _ text: NormalisedText, _ body: (Int) -> Void) {
        let bytes = text.bytes
        @inline(__always) func isLetter(_ k: Int) -> Bool {
            guard token.contains(k) else { return false }
            let b = bytes[k]
            return (b >= 0x61 && b <= 0x7A)
        }
        @inline(__always) func isDigitish(_ k: Int) -> Bool {
            guard token.contains(k) else { return false }
            let b = bytes[k]
            return (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: ".") || b == UInt8(ascii: ",")
        }
        // A Cyrillic or Greek letter ends just before `k`, or starts at `k`.
        @inline(__always) func isForeignLetter(endingBefore k: Int) -> Bool {
            guard k > token.lowerBound, bytes[k - 1] >= 0x80 else { return false }
            var start = k - 1
            while start > token.lowerBound && bytes[start] & 0xC0 == 0x80 { start -= 1 }
            return bytes.withUnsafeBufferPointer { table.characterClass(of: Normaliser.decodeValid($0, at: start)).contains(.cyrillicOrGreek) }
        }
        @inline(__always) func isForeignLetter(at k: Int) -> Bool {
            guard k < token.upperBound, bytes[k] >= 0xC0 else { return false }
            return bytes.withUnsafeBufferPointer { table.characterClass(of: Normaliser.decodeValid($0, at: k)).contains(.cyrillicOrGreek) }
        }
        for k in token {
            let b = bytes[k]
            guard b < 0x80, Self.leet(b) != nil else { continue }
            let isDigit = b >= 0x30 && b <= 0x39
            // Inside a Russian or Greek word, a digit between two of its letters is read as one
            // too ("сл0н"); at a word's edge it is a count ("5кг"), as the unit list cannot say.
            if isDigit && isForeignLetter(endingBefore: k) && isForeignLetter(at: k + 1) {
                body(k)
                continue
            }
            guard isLetter(k - 1) || isLetter(k + 1) else { continue }
            // "!" after a word ends a sentence ("ivory!", "wow!!"); only inside one ("k!ng",
            // "!vory") does it stand for a letter.
            if b == UInt8(ascii: "!") && !isLetter(k + 1) { continue }
            if isDigit {
                // Part of a longer number, or a count followed by a unit.
                if (isDigitish(k - 1) && !isLetter(k - 1)) || (isDigitish(k + 1) && !isLetter(k + 1)) { continue }
                if !isLetter(k - 1) && Self.startsUnit(bytes, at: k + 1, in: token) { continue }
            }
            body(k)
        }
    }

    /// Units that follow a count: "kg", "cm", "pcs", "ml", "x", "k", "g", "m", "mm", "in", "ft", "lb".
    static func startsUnit(_ bytes: [UInt8], at k: Int, in token: Range<Int>) -> Bool {
        var end = k
        while end < token.upperBound, bytes[end] >= 0x61 && bytes[end] <= 0x7A { end += 1 }
        guard end > k, end - k <= 4 else { return false }
        // A unit is a whole word: "5kg" or "5kg," but not the "v" of "1v0ry".
        if end < token.upperBound, Normaliser.isASCIIWord(bytes[end] & 0x7F) || bytes[end] >= 0x80 { return false }
        let word = String(decoding: bytes[k..<end], as: UTF8.self)
        return Self.units.contains(word)
    }

    static let units: Set<String> = [
        "kg", "kgs", "g", "gr", "gram", "cm", "mm", "m", "km", "ml", "l", "pcs", "pc", "x", "k", "in", "ft",
        "lb", "lbs", "oz", "gb", "tb", "mb", "gsm", "yo", "yr", "yrs", "mo", "th", "st", "nd", "rd", "pm",
        "am", "s", "h", "hr", "hrs", "min", "d", "w", "ct", "mp", "v", "mah",
    ]

    /// What a rewrite drops from a token.
    private enum Dropped {
        case nothing
        /// Spreading punctuation; every leet character is decoded ("i.v.0.r.y").
        case spreaders
        /// Symbols that break a word (`SymbolBridges`); nothing is decoded.
        case bridges
    }

    /// Copies `token` with homoglyphs folded and leetspeak decoded (or spreading punctuation
    /// or word-breaking symbols dropped).
    private func rewrite(
        _ token: Range<Int>, _ text: NormalisedText, _ input: UnsafeBufferPointer<UInt8>, one: UInt8, drop: Dropped,
        intoCyrillic: Bool
    ) {
        // Trailing punctuation ("1v0ry!") is not part of the word; a trailing "$" or "@" can be
        // its last letter ("ng@").
        var upper = token.upperBound
        while upper > token.lowerBound, text.bytes[upper - 1] < 0x80,
            !Normaliser.isASCIIWord(text.bytes[upper - 1]), text.bytes[upper - 1] != UInt8(ascii: "$"),
            text.bytes[upper - 1] != UInt8(ascii: "@")
        {
            upper -= 1
        }
        // Collected first: the loop below appends to the same buffer it reads.
        var pieces: [(Int, Int, UInt32)] = []
        scalars(token.lowerBound..<upper, text) { pieces.append(($0, $1, $2)) }
        let leetAt: Set<Int> = switch drop {
        case .nothing: Set(leetPositions(token, text))
        case .spreaders: Set(token)
        case .bridges: []
        }
        for (k, length, scalar) in pieces {
            let origin = Int(text.originStart[k])..<Int(text.originEnd[k + length - 1])
            if scalar < 0x80 {
                var b = UInt8(scalar)
                if drop == .spreaders && Self.isSpreader(b) { continue }
                if drop == .bridges && SymbolBridges.isBridge(b) { continue }
                if let letter = Self.leet(b), leetAt.contains(k) { b = b == UInt8(ascii: "1") ? one : letter }
                // In a Russian word, every Latin letter (written or read from a digit) becomes
                // the Cyrillic letter it looks like ("сл0н", "с.л.о.н").
                if intoCyrillic, let cyrillic = cyrillicLookalikes[b] {
                    for byte in cyrillic { text.append(byte, from: origin) }
                } else {
                    text.append(b, from: origin)
                }
                continue
            }
            // A Russian word keeps its own letters; in a Latin one, a look-alike is looked up as
            // it was written (its shape), then as folded.
            let written = origin.lowerBound < input.count ? Normaliser.decodeValid(input, at: origin.lowerBound) : scalar
            if !intoCyrillic, let ascii = homoglyphs[written] ?? homoglyphs[scalar] {
                text.append(ascii, from: origin)
                continue
            }
            for offset in 0..<length {
                text.append(text.bytes[k + offset], from: origin)
            }
        }
    }
}

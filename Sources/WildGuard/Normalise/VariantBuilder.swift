/// Finds disguised words in the primary segment of a `NormalisedText` and appends an undisguised
/// copy of each as a variant segment: mixed-script words folded to Latin with the UTS #39
/// confusable skeleton, leetspeak decoded, and letters spread out with spaces or dots joined.
///
/// Words written wholly in one script are left alone, so real Russian or Greek is never mangled;
/// numbers (prices, weights, sizes) are never read as letters.
struct VariantBuilder: Sendable {
    let table: CharacterTable
    /// Cyrillic and Greek letters whose confusable skeleton is one Latin letter.
    let homoglyphs: [UInt32: UInt8]

    init(table: CharacterTable) {
        self.table = table
        var map: [UInt32: UInt8] = [:]
        for scalar in UInt32(0x0370)...UInt32(0x052F) {
            guard let s = Unicode.Scalar(scalar) else { continue }
            let folded = table.fold(String(Character(s)))
            guard folded.unicodeScalars.count == 1, let f = folded.unicodeScalars.first,
                table.characterClass(of: f.value).contains(.cyrillicOrGreek)
            else { continue }
            let skeleton = ICU.skeleton(folded).lowercased()
            if skeleton.utf8.count == 1, let b = skeleton.utf8.first, b >= 0x61 && b <= 0x7A {
                map[f.value] = b
            }
        }
        homoglyphs = map
    }

    /// Leetspeak substitutions: the letter each ASCII digit or symbol stands for (0 for none).
    static let leetTable: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 128)
        let pairs: [(Character, Character)] = [
            ("0", "o"), ("1", "i"), ("3", "e"), ("4", "a"), ("5", "s"), ("7", "t"), ("@", "a"), ("$", "s"),
            ("!", "i"), ("|", "l"),
        ]
        for (from, to) in pairs {
            if let f = from.asciiValue, let t = to.asciiValue { table[Int(f)] = t }
        }
        return table
    }()

    @inline(__always)
    static func leet(_ b: UInt8) -> UInt8? {
        guard b < 0x80 else { return nil }
        let letter = leetTable[Int(b)]
        return letter == 0 ? nil : letter
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

    func appendVariants(to text: NormalisedText) {
        let end = text.primaryEnd
        guard end > 0 else { return }
        var singleRunStart = -1  // start of a run of one-letter tokens
        var singleRunCount = 0
        var singleRunEnd = 0
        var i = 0
        while i < end {
            while i < end && text.bytes[i] == 0x20 { i += 1 }
            guard i < end else { break }
            var j = i
            while j < end && text.bytes[j] != 0x20 { j += 1 }
            let token = i..<j
            if isSingleLetter(token, text) {
                if singleRunStart < 0 { singleRunStart = i; singleRunCount = 0 }
                singleRunCount += 1
                singleRunEnd = j
            } else {
                if singleRunCount >= 3 { appendJoined(singleRunStart..<singleRunEnd, text) }
                singleRunStart = -1
                singleRunCount = 0
                examine(token, text)
            }
            i = j
        }
        if singleRunCount >= 3 { appendJoined(singleRunStart..<singleRunEnd, text) }
    }

    private func scalars(_ range: Range<Int>, _ text: NormalisedText, _ body: (Int, Int, UInt32) -> Void) {
        text.bytes.withUnsafeBufferPointer { buffer in
            var k = range.lowerBound
            while k < range.upperBound {
                let b = buffer[k]
                let length = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
                let scalar = Normaliser.decodeValid(buffer, at: k)
                body(k, min(length, range.upperBound - k), scalar)
                k += length
            }
        }
    }

    private func isSingleLetter(_ token: Range<Int>, _ text: NormalisedText) -> Bool {
        var count = 0
        var letter = false
        scalars(token, text) { _, _, scalar in
            count += 1
            let cls = table.characterClass(of: scalar)
            letter = cls.contains(.word) && cls.contains(.spaced) && !cls.contains(.digit)
        }
        return count == 1 && letter
    }

    /// Appends the letters of `range` without the spaces between them, as a hashtag: spaced-out
    /// phrases lose their word breaks ("r h i n o h o r n"), and multi-word terms match their
    /// run-together hashtag form ("#rhinohorn").
    private func appendJoined(_ range: Range<Int>, _ text: NormalisedText) {
        beginVariant(text, at: range.lowerBound)
        let start = text.bytes.count
        let origin = Int(text.originStart[range.lowerBound])
        text.append(UInt8(ascii: "#"), from: origin..<origin)
        for k in range where text.bytes[k] != 0x20 {
            text.append(text.bytes[k], from: Int(text.originStart[k])..<Int(text.originEnd[k]))
        }
        endVariant(text, start: start, kind: .spacing)
    }

    private func examine(_ token: Range<Int>, _ text: NormalisedText) {
        var latin = 0
        var foreign = 0
        var leet = 0
        var digits = 0
        var letters = 0
        var spreaders = 0
        var singleLettersBetweenSpreaders = true
        var lettersSinceSpreader = 0
        scalars(token, text) { k, _, scalar in
            let cls = table.characterClass(of: scalar)
            if cls.contains(.latin) { latin += 1; letters += 1; lettersSinceSpreader += 1 }
            if cls.contains(.cyrillicOrGreek) { foreign += 1; letters += 1; lettersSinceSpreader += 1 }
            if scalar < 0x80 {
                let b = UInt8(scalar)
                if Self.leet(b) != nil { leet += 1 }
                if cls.contains(.digit) { digits += 1 }
                if Self.isSpreader(b) {
                    spreaders += 1
                    if lettersSinceSpreader > 1 { singleLettersBetweenSpreaders = false }
                    lettersSinceSpreader = 0
                }
            }
        }
        if lettersSinceSpreader > 1 { singleLettersBetweenSpreaders = false }

        let mixed = latin > 0 && foreign > 0
        if mixed {
            text.evidence.append(.init(kind: .homoglyph, span: text.originalSpan(of: token)))
        }
        if spreaders >= 2 && letters >= 3 && singleLettersBetweenSpreaders && digits == 0 {
            appendRewritten(token, text, kind: .spacing, one: nil, dropSpreaders: true)
            return
        }
        let leetWorthy = leet > 0 && latin + foreign >= 2 && !looksLikeQuantity(token, text)
        if mixed || leetWorthy {
            let kind: EvasionKind = mixed ? .homoglyph : .leet
            appendRewritten(token, text, kind: kind, one: UInt8(ascii: "i"), dropSpreaders: false)
            if leetWorthy && text.bytes[token].contains(UInt8(ascii: "1")) {
                appendRewritten(token, text, kind: kind, one: UInt8(ascii: "l"), dropSpreaders: false)
            }
        }
    }

    /// "5kg", "10cm", "2x", "3pcs", "$500", "4k": digits with a short unit are quantities.
    private func looksLikeQuantity(_ token: Range<Int>, _ text: NormalisedText) -> Bool {
        var k = token.lowerBound
        while k < token.upperBound && (text.bytes[k] == UInt8(ascii: "$") || text.bytes[k] == UInt8(ascii: "@")) {
            k += 1
        }
        let digitStart = k
        while k < token.upperBound && text.bytes[k] >= 0x30 && text.bytes[k] <= 0x39 { k += 1 }
        guard k > digitStart else { return false }
        var letters = 0
        while k < token.upperBound && text.bytes[k] >= 0x61 && text.bytes[k] <= 0x7A { k += 1; letters += 1 }
        return k == token.upperBound && letters <= 3
    }

    private func appendRewritten(
        _ token: Range<Int>, _ text: NormalisedText, kind: EvasionKind, one: UInt8?, dropSpreaders: Bool
    ) {
        beginVariant(text, at: token.lowerBound)
        let start = text.bytes.count
        if dropSpreaders {
            let origin = Int(text.originStart[token.lowerBound])
            text.append(UInt8(ascii: "#"), from: origin..<origin)
        }
        // Trailing punctuation ("1v0ry!") is not part of the word.
        var upper = token.upperBound
        while upper > token.lowerBound, text.bytes[upper - 1] < 0x80,
            !Normaliser.asciiWord[Int(text.bytes[upper - 1])], text.bytes[upper - 1] != UInt8(ascii: "$")
        {
            upper -= 1
        }
        // Collected first: the loop below appends to the same buffer it reads.
        var pieces: [(Int, Int, UInt32)] = []
        scalars(token.lowerBound..<upper, text) { pieces.append(($0, $1, $2)) }
        for (k, length, scalar) in pieces {
            let origin = Int(text.originStart[k])..<Int(text.originEnd[k + length - 1])
            if scalar < 0x80 {
                let b = UInt8(scalar)
                if dropSpreaders && Self.isSpreader(b) { continue }
                if !dropSpreaders, var letter = Self.leet(b) {
                    if b == UInt8(ascii: "1"), let one { letter = one }
                    text.append(letter, from: origin)
                    continue
                }
                text.append(b, from: origin)
                continue
            }
            if let ascii = homoglyphs[scalar] {
                text.append(ascii, from: origin)
                continue
            }
            for offset in 0..<length {
                text.append(text.bytes[k + offset], from: origin)
            }
        }
        endVariant(text, start: start, kind: kind)
    }

    private func beginVariant(_ text: NormalisedText, at position: Int) {
        let origin = Int(text.originStart[position])
        text.append(0x0A, from: origin..<origin)
    }

    private func endVariant(_ text: NormalisedText, start: Int, kind: EvasionKind) {
        text.variants.append(.init(range: start..<text.bytes.count, kind: kind))
    }
}

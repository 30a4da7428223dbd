/// A quick look at a token before `VariantBuilder` examines it character by character: whether
/// anything in it could make the examination rewrite the token or note evidence.
///
/// The examination finds four disguises, and each needs something this filter looks for:
/// leetspeak needs a leet digit or symbol, spread-out letters need two spreading punctuation
/// marks, homoglyphs need a Cyrillic or Greek letter beside a Latin one (or a character that may
/// be Latin), and a word broken by a symbol (`SymbolBridges`) needs an asterisk, or a symbol
/// inside the token with a three-byte, Cyrillic or Greek character. A token with none of these (a
/// word with a comma after it, an accented word, a Russian word, a run of Thai or Chinese) is
/// kept as it is without the examination, which reads every character's class from the table.
struct DisguiseFilter: Sendable {
    /// Per ASCII byte: `leet`, `spreader` (as `VariantBuilder` counts them), `bridge`
    /// (`SymbolBridges`).
    private let flags: [UInt8]
    /// Per first two bytes of a UTF-8 sequence (`lead << 8 | second`): whether some character
    /// that starts with them is a Cyrillic or Greek letter (or might be: blocks the table does
    /// not cover are marked too).
    private let foreignStart: [Bool]

    private static let leet: UInt8 = 1
    private static let spreader: UInt8 = 2
    private static let bridge: UInt8 = 4

    init(table: CharacterTable) {
        var flags = [UInt8](repeating: 0, count: 128)
        for b in UInt8(0)..<0x80 {
            if VariantBuilder.leet(b) != nil { flags[Int(b)] |= Self.leet }
            // "|" is read as the letter l, not as punctuation between letters.
            if VariantBuilder.isSpreader(b) && b != UInt8(ascii: "|") { flags[Int(b)] |= Self.spreader }
            if SymbolBridges.isBridge(b) { flags[Int(b)] |= Self.bridge }
        }
        var foreign = [Bool](repeating: false, count: 0x10000)
        func mark(_ scalar: UInt32) {
            guard let s = Unicode.Scalar(scalar) else { return }
            let utf8 = Array(String(Character(s)).utf8)
            foreign[Int(utf8[0]) << 8 | Int(utf8[1])] = true
        }
        // Two- and three-byte sequences: every character of the basic plane, from the table.
        for scalar in UInt32(0x80)..<0x10000 where table.characterClass(of: scalar).contains(.cyrillicOrGreek) {
            mark(scalar)
        }
        // Four-byte sequences: the first two bytes name a block of 4,096 characters. The blocks
        // of mathematical letters and of emoji are looked up; any other is marked, as the
        // examination would see it (such characters are rare in listings).
        for lead in 0xF0...0xF4 {
            for second in 0x80...0xBF {
                let block = UInt32(lead & 0x07) << 18 | UInt32(second & 0x3F) << 12
                if block == 0x1D000 || block == 0x1F000 {
                    for scalar in block..<block + 0x1000 where table.characterClass(of: scalar).contains(.cyrillicOrGreek) {
                        mark(scalar)
                    }
                } else {
                    foreign[lead << 8 | second] = true
                }
            }
        }
        self.flags = flags
        foreignStart = foreign
    }

    /// From the start of a token, with no run of one-letter tokens under way: the start of the
    /// first token that the first reading of `VariantBuilder` has to look at, eight bytes at a
    /// time across token boundaries rather than token by token. The tokens before it are
    /// "quiet": ASCII with no leet character and no asterisk, at most one spreading mark and that
    /// at the end ("chicks,", "(used)", "size 28"), and not one letter long. The reading keeps
    /// such a token as it is and ends no run with it, so it has nothing to do there.
    ///
    /// Every token before the position returned is quiet. In the last eight bytes of the text
    /// it stops at the start of the token under way, quiet or not; and it stops at any token
    /// that starts with a lone letter ("a2"), one-letter or not.
    func skipQuietTokens(from start: Int, to end: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return start }
        return flags.withUnsafeBufferPointer { flagOf in
            let highs = ByteWord.highs
            // The start of the token that holds byte `j`.
            var tokenStart = start
            var j = start
            // In the high bit of byte 0: whether the byte before `j` ends a token (or `j` starts one).
            var endBefore: UInt64 = 0x80
            while j + 8 <= end {
                let w = ByteWord.load(base, j)
                let notLower = ByteWord.notLowercaseLetters(w)
                let spaces = ByteWord.bytes(w, equalTo: 0x20)
                let letters = ~notLower & highs
                // Whether the byte after each one ends its token; is an a to z letter.
                let next: UInt8 = j + 8 < end ? bytes[j + 8] : 0x20
                let endAfter = spaces >> 8 | (next == 0x20 ? 1 << 63 : 0)
                let letterAfter = letters >> 8 | (next &- UInt8(ascii: "a") < 26 ? 1 << 63 : 0)
                // A token that starts with a letter and no letter after it.
                var stop = letters & (spaces << 8 | endBefore) & ~letterAfter
                // Bytes other than a to z and space, in order, until the first that stops.
                var others = notLower & ~spaces
                while others != 0 {
                    let bit = others & (0 &- others)
                    let b = base[j + bit.trailingZeroBitCount / 8]
                    let flags = b < 0x80 ? flagOf[Int(b)] : Self.leet
                    let quiet = flags == 0 ? b &- UInt8(ascii: "A") >= 26
                        : flags & (Self.leet | Self.spreader) == Self.spreader && b != UInt8(ascii: "*") && endAfter & bit != 0
                    if !quiet {
                        stop |= bit
                        break
                    }
                    others &= others &- 1
                }
                if stop != 0 {
                    // The token of the first such byte starts after the last space before it.
                    let before = spaces & ((stop & (0 &- stop)) &- 1)
                    return before == 0 ? tokenStart : j + (63 - before.leadingZeroBitCount) / 8 + 1
                }
                if spaces != 0 { tokenStart = j + (63 - spaces.leadingZeroBitCount) / 8 + 1 }
                endBefore = spaces >> 56
                j += 8
            }
            return tokenStart
        }
    }

    /// Whether `token` (a token of the normalised text, valid UTF-8) holds a leet character,
    /// two spreading marks (or an asterisk, or a bridging symbol inside it with a three-byte, Cyrillic
    /// or Greek character), or a character that may be Cyrillic or Greek with one that may be Latin.
    @inline(__always)
    func mayBeDisguised(_ token: Range<Int>, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        flags.withUnsafeBufferPointer { flagOf in
            foreignStart.withUnsafeBufferPointer { foreignStart in
                var spreaders = 0
                // A word-breaking symbol inside the token, not at its start or end ("tiết." ends
                // with a full stop, which breaks no word).
                var innerBreaker = false
                var threeByte = false
                // A Cyrillic or Greek letter is a homoglyph only beside a Latin letter: a word
                // wholly in those scripts is left as it is ("почтой"). Any other non-ASCII
                // character may be a Latin letter ("ø", "ə").
                var foreign = false
                var mayBeLatin = false
                var k = token.lowerBound
                while k < token.upperBound {
                    let b = bytes[k]
                    if b < 0x80 {
                        if (b | 0x20) &- UInt8(ascii: "a") < 26 { mayBeLatin = true }
                        let flags = flagOf[Int(b)]
                        if flags != 0 {
                            if flags & Self.leet != 0 { return true }
                            if flags & Self.spreader != 0 {
                                spreaders += 1
                                // Two spread letters out; an asterisk may break a Latin word
                                // (`SymbolBridges`).
                                if spreaders >= 2 || b == UInt8(ascii: "*") { return true }
                            }
                            if flags & Self.bridge != 0 && k > token.lowerBound && k + 1 < token.upperBound {
                                innerBreaker = true
                            }
                        }
                    } else if b >= 0xC0 {
                        // Chinese, Japanese, Korean, Thai and the other scripts written without
                        // spaces are three-byte characters: with a symbol inside the token, the
                        // word may be broken (`SymbolBridges`).
                        if b & 0xF0 == 0xE0 { threeByte = true }
                        // A lead byte (its second byte is in the token, the text being valid UTF-8).
                        guard k + 1 < token.upperBound else { return true }
                        let isForeign = foreignStart[Int(b) << 8 | Int(bytes[k + 1])]
                        if isForeign { foreign = true }
                        // A four-byte character's block is marked as a whole, whatever it holds.
                        if !isForeign || b >= 0xF0 { mayBeLatin = true }
                    }
                    k += 1
                }
                return innerBreaker && (threeByte || foreign) || foreign && mayBeLatin
            }
        }
    }
}

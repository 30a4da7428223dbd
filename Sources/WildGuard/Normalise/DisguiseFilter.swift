/// A quick look at a token before `VariantBuilder` examines it character by character: whether
/// anything in it could make the examination rewrite the token or note evidence.
///
/// The examination finds four disguises, and each needs something this filter looks for:
/// leetspeak needs a leet digit or symbol, spread-out letters need two spreading punctuation
/// marks, homoglyphs need a Cyrillic or Greek letter, and a word broken by a symbol
/// (`SymbolBridges`) needs an asterisk, or a symbol inside the token with a three-byte character.
/// A token with none of these (a word with a comma after it, an accented word, a run of Thai or
/// Chinese) is kept as it is without the examination, which reads every character's class from
/// the table.
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

    /// Whether `token` (a token of the normalised text, valid UTF-8) holds a leet character,
    /// two spreading marks (or an asterisk, or one mark with a three-byte character), or a
    /// character that may be Cyrillic or Greek.
    @inline(__always)
    func mayBeDisguised(_ token: Range<Int>, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        flags.withUnsafeBufferPointer { flagOf in
            foreignStart.withUnsafeBufferPointer { foreignStart in
                var spreaders = 0
                // A word-breaking symbol inside the token, not at its start or end ("tiết." ends
                // with a full stop, which breaks no word).
                var innerBreaker = false
                var threeByte = false
                var k = token.lowerBound
                while k < token.upperBound {
                    let b = bytes[k]
                    if b < 0x80 {
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
                        if foreignStart[Int(b) << 8 | Int(bytes[k + 1])] { return true }
                    }
                    k += 1
                }
                return innerBreaker && threeByte
            }
        }
    }
}

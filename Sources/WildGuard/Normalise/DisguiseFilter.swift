/// A quick look at a token before `VariantBuilder` examines it character by character: whether
/// anything in it could make the examination rewrite the token or note evidence.
///
/// The examination finds three disguises, and each needs something this filter looks for:
/// leetspeak needs a leet digit or symbol, spread-out letters need two spreading punctuation
/// marks, and homoglyphs need a Cyrillic or Greek letter. A token with none of these (a word with
/// a comma after it, an accented word, a run of Thai or Chinese) is kept as it is without the
/// examination, which reads every character's class from the table.
struct DisguiseFilter: Sendable {
    /// Per ASCII byte: `leet`, `spreader` (as `VariantBuilder` counts them).
    private let ascii: [UInt8]
    /// Per first two bytes of a UTF-8 sequence (`lead << 8 | second`): whether some character
    /// that starts with them is a Cyrillic or Greek letter (or might be: blocks the table does
    /// not cover are marked too).
    private let foreignStart: [Bool]

    private static let leet: UInt8 = 1
    private static let spreader: UInt8 = 2

    init(table: CharacterTable) {
        var ascii = [UInt8](repeating: 0, count: 128)
        for b in UInt8(0)..<0x80 {
            if VariantBuilder.leet(b) != nil { ascii[Int(b)] |= Self.leet }
            // "|" is read as the letter l, not as punctuation between letters.
            if VariantBuilder.isSpreader(b) && b != UInt8(ascii: "|") { ascii[Int(b)] |= Self.spreader }
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
        self.ascii = ascii
        foreignStart = foreign
    }

    /// Whether `token` (a token of the normalised text, valid UTF-8) holds a leet character,
    /// two spreading marks, or a character that may be Cyrillic or Greek.
    @inline(__always)
    func mayBeDisguised(_ token: Range<Int>, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        ascii.withUnsafeBufferPointer { ascii in
            foreignStart.withUnsafeBufferPointer { foreignStart in
                var spreaders = 0
                var k = token.lowerBound
                while k < token.upperBound {
                    let b = bytes[k]
                    if b < 0x80 {
                        let flags = ascii[Int(b)]
                        if flags & Self.leet != 0 { return true }
                        if flags & Self.spreader != 0 {
                            spreaders += 1
                            if spreaders >= 2 { return true }
                        }
                    } else if b >= 0xC0 {
                        // A lead byte (its second byte is in the token, the text being valid UTF-8).
                        guard k + 1 < token.upperBound else { return true }
                        if foreignStart[Int(b) << 8 | Int(bytes[k + 1])] { return true }
                    }
                    k += 1
                }
                return false
            }
        }
    }
}

/// Reads a token for a word broken by symbols: "象*牙", "象.牙", "상.아" (a symbol between two
/// letters of a script written without spaces, or between Hangul syllables), "iv*ory" (an
/// asterisk between two Latin letters). Such a token is read again with the symbols dropped, as
/// letters spread out with dots are ("i.v.o.r.y").
///
/// Only symbols that have no use between two such letters count (`isBridge`): not a comma (it
/// stands for "，", which ends a clause, and dropping it would join two words: "大象，牙膏"), nor a
/// slash ("100元/克", per gram), nor an apostrophe. Between Latin letters only an asterisk
/// counts: dots are abbreviations and addresses ("e.g", "amazon.com"), not disguises.
struct SymbolBridges {
    /// What a character of the token is, for this rule.
    enum Kind {
        /// A letter of a script written without spaces, or a Hangul syllable.
        case joined
        case latin
        case other
    }

    private var before: Kind = .other
    /// Whether a character has been read: a symbol before the first one (a hashtag's "#") or
    /// after the last ("象.牙.") is not between letters, and is left out of the count.
    private var started = false
    /// The symbol after the last character, if any (and whether more than one came in a row).
    private var pending: UInt8?
    private var doubled = false
    private var bridged = 0
    private var unbridged = 0

    /// At least one symbol joins two letters, and every symbol between characters does.
    var joinsWord: Bool { bridged > 0 && unbridged == 0 }

    /// Symbols that break a word when they stand between two of its letters.
    static func isBridge(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "*"), UInt8(ascii: "."), UInt8(ascii: "@"), UInt8(ascii: "#"), UInt8(ascii: "~"),
            UInt8(ascii: "+"), UInt8(ascii: "="), UInt8(ascii: "|"), UInt8(ascii: "\\"), UInt8(ascii: "^"):
            return true
        default: return false
        }
    }

    static func kind(_ scalar: UInt32, _ cls: CharacterClass) -> Kind {
        if (0xAC00...0xD7A3).contains(scalar) { return .joined }
        if cls.contains(.unspaced) && cls.contains(.word) && !cls.contains(.digit) { return .joined }
        return cls.contains(.latin) ? .latin : .other
    }

    /// An ASCII symbol: a bridge, or (any other) a character that breaks no word.
    mutating func symbol(_ b: UInt8) {
        guard Self.isBridge(b) else {
            character(.other)
            return
        }
        guard started else { return }
        if pending != nil { doubled = true }
        pending = b
    }

    mutating func character(_ kind: Kind) {
        if let symbol = pending {
            let joins = !doubled && (
                (before == .joined && kind == .joined)
                || (before == .latin && kind == .latin && symbol == UInt8(ascii: "*")))
            if joins { bridged += 1 } else { unbridged += 1 }
            pending = nil
            doubled = false
        }
        before = kind
        started = true
    }
}

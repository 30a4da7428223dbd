/// Reads a token for a word broken by symbols: "象*牙", "象.牙", "상.아" (a symbol between two
/// letters of a script written without spaces, or between Hangul syllables), "iv*ory" (an
/// asterisk between two Latin letters). Such a token is read again with the symbols dropped, as
/// letters spread out with dots are ("i.v.o.r.y").
///
/// Only symbols that have no use between two such letters count (`isBridge`): not a comma (it
/// stands for "，", which ends a clause, and dropping it would join two words: "大象，牙膏"), nor a
/// slash ("100元/克", per gram), a vertical bar ("科普｜犀角…", a title's separator), a hash
/// (topic tags, "#保护大象#") or an apostrophe. Between Latin letters only an asterisk counts:
/// dots are abbreviations and addresses ("e.g", "amazon.com"), not disguises. Chinese, Japanese
/// and Thai are written without spaces, so a token can be a whole sentence: a symbol joins a
/// word only between two short runs of letters (`maxRun` each), as in "象*牙手镯", not between a
/// heading and a sentence.
struct SymbolBridges {
    /// What a character of the token is, for this rule.
    enum Kind {
        /// A letter of a script written without spaces, or a Hangul syllable.
        case joined
        case latin
        case other
    }

    /// The longest run of letters on either side of a symbol that still reads as one word.
    static let maxRun = 6

    private var before: Kind = .other
    /// Whether a character has been read: a symbol before the first one (a hashtag's "#") or
    /// after the last ("象.牙.") is not between letters, and is left out of the count.
    private var started = false
    /// The symbol after the last character, if any (and whether more than one came in a row).
    private var pending: UInt8?
    private var doubled = false
    /// Letters of a script without spaces read in a row, and that count when the pending
    /// symbol came.
    private var run = 0
    private var runBeforeSymbol = 0
    /// A symbol between two such letters whose run after it is still being read: the run
    /// before it.
    private var openRunBefore: Int?
    private var bridged = 0
    private var unbridged = 0

    /// At least one symbol joins two letters, and every symbol between characters does.
    var joinsWord: Bool {
        var finished = self
        finished.closeJoin()
        return finished.bridged > 0 && finished.unbridged == 0
    }

    /// Symbols that break a word when they stand between two of its letters.
    static func isBridge(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "*"), UInt8(ascii: "."), UInt8(ascii: "@"), UInt8(ascii: "~"), UInt8(ascii: "+"),
            UInt8(ascii: "="), UInt8(ascii: "\\"), UInt8(ascii: "^"):
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
        closeJoin()
        if pending != nil { doubled = true } else { runBeforeSymbol = run }
        pending = b
    }

    mutating func character(_ kind: Kind) {
        if let symbol = pending {
            if !doubled && before == .joined && kind == .joined {
                openRunBefore = runBeforeSymbol
            } else if !doubled && before == .latin && kind == .latin && symbol == UInt8(ascii: "*") {
                bridged += 1
            } else {
                unbridged += 1
            }
            pending = nil
            doubled = false
            run = 0
        }
        if kind == .joined {
            run += 1
        } else {
            closeJoin()
            run = 0
        }
        before = kind
        started = true
    }

    /// Decides an open join once the run of letters after its symbol has ended.
    private mutating func closeJoin() {
        guard let left = openRunBefore else { return }
        if left <= Self.maxRun && run <= Self.maxRun { bridged += 1 } else { unbridged += 1 }
        openRunBefore = nil
    }
}

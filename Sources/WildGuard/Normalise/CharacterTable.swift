/// Folding and classes for every code point the normaliser is likely to meet, computed once with
/// ICU (NFKC_Casefold, canonical decomposition, diacritic removal) so that normalising a listing
/// is a table lookup per code point instead of an ICU call.
///
/// Covers the Basic Multilingual Plane, Mathematical Alphanumeric Symbols (a favourite disguise)
/// and the main emoji blocks; anything else is folded with ICU on the spot.
final class CharacterTable: Sendable {
    static let shared = CharacterTable()

    private let classes: [UInt16]
    /// Per covered scalar: offset into `pool` (upper 24 bits) and byte length (lower 8 bits).
    private let folds: [UInt32]
    private let pool: [UInt8]
    /// Per covered scalar whose fold is at most four bytes (nearly all): those bytes packed,
    /// the first in the lowest byte, so the normaliser writes a fold with one store.
    private let shortFolds: [UInt32]

    private static let mathRange: Range<UInt32> = 0x1D400..<0x1D800
    private static let emojiRange: Range<UInt32> = 0x1F000..<0x1FB00
    private static let coveredCount = 0x10000 + mathRange.count + emojiRange.count

    private init() {
        var classes = [UInt16](repeating: 0, count: Self.coveredCount)
        var folds = [UInt32](repeating: 0, count: Self.coveredCount)
        var pool: [UInt8] = []
        pool.reserveCapacity(Self.coveredCount * 3)
        var scratch: [UInt8] = []
        func add(_ scalar: UInt32, at index: Int) {
            scratch.removeAll(keepingCapacity: true)
            let cls = Self.compute(scalar, into: &scratch)
            classes[index] = cls.rawValue
            folds[index] = UInt32(pool.count) << 8 | UInt32(scratch.count)
            pool.append(contentsOf: scratch)
        }
        for scalar in 0..<UInt32(0x10000) { add(scalar, at: Int(scalar)) }
        for (i, scalar) in Self.mathRange.enumerated() { add(scalar, at: 0x10000 + i) }
        for (i, scalar) in Self.emojiRange.enumerated() {
            add(scalar, at: 0x10000 + Self.mathRange.count + i)
        }
        self.classes = classes
        self.folds = folds
        self.pool = pool
        shortFolds = folds.map { entry in
            let start = Int(entry >> 8)
            let count = Int(entry & 0xFF)
            guard count <= 4 else { return 0 }
            var packed: UInt32 = 0
            for k in 0..<count { packed |= UInt32(pool[start + k]) << (8 * k) }
            return packed
        }
    }

    @inline(__always)
    private static func index(of scalar: UInt32) -> Int? {
        if scalar < 0x10000 { return Int(scalar) }
        if mathRange.contains(scalar) { return 0x10000 + Int(scalar - mathRange.lowerBound) }
        if emojiRange.contains(scalar) {
            return 0x10000 + mathRange.count + Int(scalar - emojiRange.lowerBound)
        }
        return nil
    }

    /// The class of a scalar.
    @inline(__always)
    func characterClass(of scalar: UInt32) -> CharacterClass {
        if let i = Self.index(of: scalar) { return CharacterClass(rawValue: classes[i]) }
        var ignored: [UInt8] = []
        return Self.compute(scalar, into: &ignored)
    }

    /// Appends the folded UTF-8 form of `scalar` to `output` and returns its class.
    @inline(__always)
    func fold(_ scalar: UInt32, into output: inout [UInt8]) -> CharacterClass {
        if let i = Self.index(of: scalar) {
            appendFold(at: i, into: &output)
            return CharacterClass(rawValue: classes[i])
        }
        return Self.compute(scalar, into: &output)
    }

    /// Where the table keeps `scalar`'s class and fold (for `appendFold(at:into:)`), nil for a
    /// scalar it does not cover.
    @inline(__always)
    func slot(of scalar: UInt32) -> Int? { Self.index(of: scalar) }

    /// The class kept at `slot`.
    @inline(__always)
    func characterClass(atSlot slot: Int) -> CharacterClass { CharacterClass(rawValue: classes[slot]) }

    /// Appends the folded bytes kept at `slot`.
    @inline(__always)
    func appendFold(at slot: Int, into output: inout [UInt8]) {
        let entry = folds[slot]
        let start = Int(entry >> 8)
        let count = Int(entry & 0xFF)
        // Byte by byte: a slice of the pool would retain it for every character, and a bulk
        // append costs more than the one to three bytes most folds are.
        for k in start..<start + count { output.append(pool[k]) }
    }

    /// The fold kept at `slot` when it is at most four bytes: its bytes packed (the first in the
    /// lowest byte) and how many there are; nil for a longer fold.
    @inline(__always)
    func shortFold(at slot: Int) -> (packed: UInt32, count: Int)? {
        let count = Int(folds[slot] & 0xFF)
        guard count <= 4 else { return nil }
        return (shortFolds[slot], count)
    }

    /// How many bytes the fold kept at `slot` has (at most 255).
    @inline(__always)
    func foldLength(at slot: Int) -> Int { Int(folds[slot] & 0xFF) }

    /// Writes the folded bytes kept at `slot` to `destination`, which has room for
    /// `foldLength(at:)` of them.
    @inline(__always)
    func copyFold(at slot: Int, to destination: UnsafeMutablePointer<UInt8>) {
        let entry = folds[slot]
        let start = Int(entry >> 8)
        let count = Int(entry & 0xFF)
        pool.withUnsafeBufferPointer { pool in
            for k in 0..<count { destination[k] = pool[start + k] }
        }
    }

    /// Folds a whole string the way listings are folded, for terms and patterns at compile time.
    func fold(_ text: String) -> String {
        var out: [UInt8] = []
        for scalar in text.unicodeScalars {
            let cls = fold(scalar.value, into: &out)
            if cls.contains(.space) { out.append(0x20) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Building

    private static let scriptsWithoutSpaces: Set<Int32> = [
        ICU.Script.han.rawValue, ICU.Script.hiragana.rawValue, ICU.Script.katakana.rawValue,
        ICU.Script.thai.rawValue, ICU.Script.lao.rawValue, ICU.Script.khmer.rawValue,
        ICU.Script.myanmar.rawValue, ICU.Script.bopomofo.rawValue,
        ICU.Script.yi.rawValue, ICU.Script.tibetan.rawValue,
    ]

    private static let decomposedScripts: Set<Int32> = [
        ICU.Script.latin.rawValue, ICU.Script.greek.rawValue, ICU.Script.cyrillic.rawValue,
        ICU.Script.common.rawValue, ICU.Script.inherited.rawValue,
    ]

    /// Letters that carry their diacritic in their shape rather than as a combining mark, so
    /// decomposition cannot remove it ("đ" in Vietnamese, "ł" in Polish).
    private static let letterFolds: [UInt32: String] = [
        0x0111: "d", 0x00F0: "d", 0x00F8: "o", 0x0142: "l", 0x00E6: "ae", 0x0153: "oe",
        0x0131: "i", 0x0127: "h", 0x0167: "t", 0x00FE: "th", 0x0180: "b", 0x01B6: "z",
    ]

    private static func compute(_ scalar: UInt32, into output: inout [UInt8]) -> CharacterClass {
        guard scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return .space }
        let category = ICU.category(scalar)
        if scalar == 0x200D { return [.invisible, .zeroWidthJoiner] }
        if scalar < 0x80 {
            return computeASCII(UInt8(scalar), into: &output)
        }
        if ICU.isWhiteSpace(scalar) || ICU.Category.separators.contains(category)
            || category == ICU.Category.control || category == ICU.Category.dash
        {
            return .space
        }
        if ICU.isDefaultIgnorable(scalar) || category == ICU.Category.format { return .invisible }
        let script = ICU.script(scalar)
        if category == ICU.Category.nonSpacingMark && script == ICU.Script.inherited.rawValue {
            return .droppedMark
        }

        let decompose = decomposedScripts.contains(script)
        var folded: [UInt32] = []
        for cp in ICU.fold(scalar, decompose: decompose) {
            if decompose && ICU.category(cp) == ICU.Category.nonSpacingMark { continue }
            // Every decimal digit ("٥", "५", "๕") becomes its ASCII digit: prices and weights
            // read the same in any script, and a pattern's `\d` only ever meets 0-9 (which lets
            // the prefilter expand `\d` next to a literal into ten literals).
            if cp >= 0x80, let digit = Self.asciiDigit(cp) {
                folded.append(digit)
                continue
            }
            if let replacement = letterFolds[cp] {
                folded.append(contentsOf: replacement.unicodeScalars.map(\.value))
            } else {
                folded.append(cp)
            }
        }
        // A character that folds to itself passed the checks above already.
        if folded != [scalar] { folded = refold(folded) }
        // Spacing accents ("´", "¨", "˝", Greek tonos, Arabic isolated harakat) fold to a space and
        // a mark: they separate words like a space, and must fold like one, or the text gets a
        // space the normaliser did not fold (doubled, leading, trailing).
        if folded.first == 0x20 { return .space }
        // A character that folds to nothing (a combining Cyrillic letter, whose decomposition is
        // its own mark) must leave no trace either: not even the pending space flushed before it.
        if folded.isEmpty { return .droppedMark }
        for cp in folded {
            guard let s = Unicode.Scalar(cp) else { continue }
            output.append(contentsOf: String(Character(s)).utf8)
        }

        var cls: CharacterClass = []
        if ICU.isEmoji(scalar) { cls.insert(.emoji) }
        let first = folded.first ?? scalar
        let foldedScript = ICU.script(first)
        let foldedCategory = ICU.category(first)
        // A symbol that folds to a letter ("⼛" -> "厶", "ⓘ" -> "i") is classed by that letter, as
        // the letter itself would be when the folded text is read again.
        let isLetterLike = ICU.Category.letters.contains(category)
            || ICU.Category.marks.contains(category) || category == ICU.Category.decimalDigit
            || ICU.Category.letters.contains(foldedCategory)
        if isLetterLike && !folded.isEmpty {
            cls.insert(.word)
            if foldedCategory == ICU.Category.decimalDigit {
                cls.insert([.digit, .spaced])
            } else if scriptsWithoutSpaces.contains(foldedScript)
                || (foldedScript == ICU.Script.common.rawValue && scriptsWithoutSpaces.contains { ICU.hasScript(first, $0) })
            {
                // A letter of a script written without spaces, or one those scripts share (the
                // kana length mark "ー" is Common, used with hiragana and katakana).
                cls.insert(.unspaced)
            } else if foldedScript != ICU.Script.common.rawValue && foldedScript != ICU.Script.inherited.rawValue {
                cls.insert(.spaced)
            }
            if foldedScript == ICU.Script.latin.rawValue { cls.insert(.latin) }
            if foldedScript == ICU.Script.cyrillic.rawValue || foldedScript == ICU.Script.greek.rawValue {
                cls.insert(.cyrillicOrGreek)
            }
        }
        return cls
    }

    /// The ASCII digit of a decimal digit of another script (general category Nd), nil for
    /// anything else.
    static func asciiDigit(_ cp: UInt32) -> UInt32? {
        guard let scalar = Unicode.Scalar(cp), scalar.properties.numericType == .decimal,
            let value = scalar.properties.numericValue, value >= 0, value <= 9
        else { return nil }
        return 0x30 + UInt32(value)
    }

    /// A fold as the normaliser would fold it if it met it in a listing: separators ("_" from
    /// "＿", spaces) become one space, invisible characters and dropped marks (the harakat of
    /// Arabic presentation forms) go, trailing separators too. Without this, folding is not
    /// idempotent, and a term written in folded form would not match what it was folded from.
    private static func refold(_ folded: [UInt32]) -> [UInt32] {
        var out: [UInt32] = []
        for cp in folded {
            let category = ICU.category(cp)
            let isSeparator = cp < 0x80
                ? cp <= 0x20 || cp == 0x7F || cp == UInt32(UInt8(ascii: "-")) || cp == UInt32(UInt8(ascii: "_"))
                : ICU.isWhiteSpace(cp) || ICU.Category.separators.contains(category)
                    || category == ICU.Category.control || category == ICU.Category.dash
            if isSeparator {
                if out.last != 0x20 { out.append(0x20) }
                continue
            }
            if cp >= 0x80, ICU.isDefaultIgnorable(cp) || category == ICU.Category.format
                || (category == ICU.Category.nonSpacingMark && ICU.script(cp) == ICU.Script.inherited.rawValue)
            {
                continue
            }
            out.append(cp)
        }
        while out.last == 0x20 { out.removeLast() }
        return out
    }

    private static func computeASCII(_ byte: UInt8, into output: inout [UInt8]) -> CharacterClass {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"):
            output.append(byte | 0x20)
            return [.word, .spaced, .latin]
        case UInt8(ascii: "a")...UInt8(ascii: "z"):
            output.append(byte)
            return [.word, .spaced, .latin]
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            output.append(byte)
            return [.word, .spaced, .digit]
        case 0x00...0x20, 0x7F, UInt8(ascii: "-"), UInt8(ascii: "_"):
            return .space
        default:
            output.append(byte)
            return []
        }
    }
}

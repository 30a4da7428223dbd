/// What the normaliser needs to know about one code point, precomputed from ICU properties.
struct CharacterClass: OptionSet, Sendable {
    let rawValue: UInt16

    /// A letter, mark or digit: part of a word.
    static let word = CharacterClass(rawValue: 1 << 0)
    /// A word character of a script that separates words with spaces (Latin, Cyrillic, Arabic...):
    /// terms that start or end with one need a word boundary there.
    static let spaced = CharacterClass(rawValue: 1 << 1)
    /// White space, separators, controls, dashes and `_`: folded into a single space.
    static let space = CharacterClass(rawValue: 1 << 2)
    /// Default-ignorable and format characters (zero-width space, soft hyphen, bidi controls,
    /// variation selectors): dropped, and noted when they sit inside a word.
    static let invisible = CharacterClass(rawValue: 1 << 3)
    /// Extended_Pictographic: emoji.
    static let emoji = CharacterClass(rawValue: 1 << 4)
    /// A decimal digit (after folding).
    static let digit = CharacterClass(rawValue: 1 << 5)
    /// A letter of the Latin script (after folding).
    static let latin = CharacterClass(rawValue: 1 << 6)
    /// A letter of the Cyrillic or Greek script (after folding): the usual homoglyph sources.
    static let cyrillicOrGreek = CharacterClass(rawValue: 1 << 7)
    /// A combining diacritic that folding drops.
    static let droppedMark = CharacterClass(rawValue: 1 << 8)
    /// Zero Width Joiner: kept between emoji, dropped elsewhere.
    static let zeroWidthJoiner = CharacterClass(rawValue: 1 << 9)
    /// A letter of a script written without spaces between words (Chinese, Japanese, Thai,
    /// Korean syllables...): a space between two of them carries no meaning and is dropped.
    static let unspaced = CharacterClass(rawValue: 1 << 10)
}

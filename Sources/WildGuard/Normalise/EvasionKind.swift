/// The disguises WildGuard sees through. Each one that fired is reported as evidence.
public enum EvasionKind: String, Sendable, CaseIterable, Codable {
    /// Letters of another script that look like Latin ones, inside a Latin word ("ivоry").
    case homoglyph
    /// Digits and symbols standing in for letters ("1v0ry", "p@ngolin").
    case leet
    /// Letters spread out with spaces or punctuation ("i v o r y", "i.v.o.r.y").
    case spacing
    /// Invisible characters inside a word (zero-width space, soft hyphen, bidi controls).
    case invisible
    /// A wildlife emoji standing for an animal ("🐘 tusk").
    case emoji
    /// A name written in another script's romanisation (pinyin "xiang ya", Latin Russian).
    case romanisation
}

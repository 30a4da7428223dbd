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

extension EvasionKind {
    /// How many kinds there are. `allCases` builds a new array on every use, which the per-listing
    /// path cannot afford.
    static let count = 6

    /// Position of the kind in `allCases`, for tables indexed by kind.
    var index: Int {
        switch self {
        case .homoglyph: 0
        case .leet: 1
        case .spacing: 2
        case .invisible: 3
        case .emoji: 4
        case .romanisation: 5
        }
    }

    /// The kind at `index` in `allCases` (`index` in `0..<count`).
    static func at(_ index: Int) -> EvasionKind {
        switch index {
        case 0: .homoglyph
        case 1: .leet
        case 2: .spacing
        case 3: .invisible
        case 4: .emoji
        default: .romanisation
        }
    }
}

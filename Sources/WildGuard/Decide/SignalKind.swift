/// The kinds of evidence a listing can carry. Each taxonomy entry raises signals of one kind; the
/// engine itself raises `evasion`, `limit` and `input` signals.
public enum SignalKind: String, Sendable, CaseIterable, Codable, Comparable {
    /// A species or higher taxon named (scientific or common name, or its emoji).
    case taxon
    /// A product or derivative (ivory, horn, scales, skin, bone, live specimen...).
    case product
    /// A trade code word or euphemism ("white plastic", "ox bone", "bekko").
    case codeword
    /// Sale or buy intent (price, "for sale", "DM", "WhatsApp", "WTB").
    case intent
    /// A context that makes wildlife words harmless (colour, brand, toy, news, conservation).
    case benign
    /// A claim that may make a trade legal or harmless (antique, pre-ban, certificate, mammoth, faux).
    case mitigating
    /// A disguise (homoglyphs, leetspeak, spacing, invisible characters, emoji, romanisation).
    case evasion
    /// A resource limit was hit while matching: the listing was not fully screened.
    case limit
    /// Something was wrong with the input itself (invalid UTF-8, truncated).
    case input

    public static func < (a: SignalKind, b: SignalKind) -> Bool { a.index < b.index }

    /// How many kinds there are (without building `allCases`, a new array on every use).
    static let count = 9

    /// Position of the kind in `allCases`, for tables indexed by kind.
    var index: Int {
        switch self {
        case .taxon: 0
        case .product: 1
        case .codeword: 2
        case .intent: 3
        case .benign: 4
        case .mitigating: 5
        case .evasion: 6
        case .limit: 7
        case .input: 8
        }
    }
}

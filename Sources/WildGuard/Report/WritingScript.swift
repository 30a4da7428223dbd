/// The writing system most of a listing's letters are in: what the report charts "by language"
/// when the listings carry no language field. Block ranges only, no ICU: good enough to tell
/// Latin from Han from Thai, not to tell French from German.
public enum WritingScript: String, Sendable, CaseIterable {
    case latin = "Latin"
    case cyrillic = "Cyrillic"
    case greek = "Greek"
    case arabic = "Arabic"
    case hebrew = "Hebrew"
    case devanagari = "Devanagari"
    case bengali = "Bengali"
    case thai = "Thai"
    case lao = "Lao"
    case khmer = "Khmer"
    case myanmar = "Myanmar"
    case han = "Han (Chinese)"
    case kana = "Japanese kana"
    case hangul = "Hangul"
    case other = "Other script"

    /// The script of one scalar, or nil for digits, punctuation, symbols, emoji and spaces.
    public static func of(_ scalar: Unicode.Scalar) -> WritingScript? {
        let v = scalar.value
        switch v {
        case 0x41...0x5A, 0x61...0x7A: return .latin
        case 0..<0xC0: return nil
        case 0xC0...0x24F where v != 0xD7 && v != 0xF7: return .latin
        case 0x1E00...0x1EFF: return .latin
        case 0x370...0x3FF, 0x1F00...0x1FFF: return .greek
        case 0x400...0x52F, 0x1C80...0x1C8F, 0x2DE0...0x2DFF, 0xA640...0xA69F: return .cyrillic
        case 0x590...0x5FF: return .hebrew
        case 0x600...0x6FF, 0x750...0x77F, 0x8A0...0x8FF, 0xFB50...0xFDFF, 0xFE70...0xFEFF: return .arabic
        case 0x900...0x97F: return .devanagari
        case 0x980...0x9FF: return .bengali
        case 0xE00...0xE7F: return .thai
        case 0xE80...0xEFF: return .lao
        case 0x1000...0x109F: return .myanmar
        case 0x1780...0x17FF: return .khmer
        case 0x1100...0x11FF, 0x3130...0x318F, 0xAC00...0xD7AF: return .hangul
        case 0x3040...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F: return .kana
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3134F: return .han
        default:
            return scalar.properties.isAlphabetic ? .other : nil
        }
    }

    /// The script most letters of `text` are in (Japanese when kana occur among Han), or nil
    /// when the text has no letters. Looks at the first `limit` scalars only.
    public static func dominant(in text: String, limit: Int = 2_000) -> WritingScript? {
        let all = allCases
        var counts = [Int](repeating: 0, count: all.count)
        var seen = 0
        for scalar in text.unicodeScalars {
            seen += 1
            if seen > limit { break }
            if let script = of(scalar), let index = all.firstIndex(of: script) { counts[index] += 1 }
        }
        if let kana = all.firstIndex(of: .kana), let han = all.firstIndex(of: .han), counts[kana] > 0 {
            counts[kana] += counts[han]
            counts[han] = 0
        }
        guard let best = counts.indices.max(by: { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }),
            counts[best] > 0
        else { return nil }
        return all[best]
    }
}

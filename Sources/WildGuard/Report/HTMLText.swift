/// Escaping for untrusted text (listing text, ids, sellers, anything read from input) on its way
/// into the report's HTML and SVG. Everything the report writes from input goes through here, as
/// element content or as a double-quoted attribute value; input never becomes markup, a URL, a
/// script, a style or an attribute name.
public enum HTMLText {
    /// `s` escaped for element content and double-quoted attribute values: `&`, `<`, `>`, `"`
    /// and `'` become character references, and control characters other than tab and line
    /// breaks (which no HTML text may hold) become U+FFFD.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        append(s, to: &out)
        return out
    }

    /// Appends `s`, escaped as `escape` does.
    public static func append(_ s: String, to out: inout String) {
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if isControl(scalar) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
    }

    /// Appends `s` for a reader to inspect: escaped, and with every invisible or control
    /// character (zero-width spaces, bidirectional overrides, soft hyphens, tag characters...)
    /// shown as a marked code point (`U+200B`) instead of being hidden or reordering the text.
    /// Joiners and variation selectors inside emoji sequences are kept.
    public static func appendVisible(_ s: String, to out: inout String) {
        var previous: Unicode.Scalar?
        var run = ""
        for scalar in s.unicodeScalars {
            defer { previous = scalar }
            if shouldReveal(scalar, after: previous) {
                if !run.isEmpty {
                    append(run, to: &out)
                    run = ""
                }
                let hex = String(scalar.value, radix: 16, uppercase: true)
                let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                out += "<span class=\"cc\" title=\"invisible character \(code)\">\(code)</span>"
            } else {
                run.unicodeScalars.append(scalar)
            }
        }
        if !run.isEmpty { append(run, to: &out) }
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0xFFFE || scalar.value == 0xFFFF
    }

    static func shouldReveal(_ scalar: Unicode.Scalar, after previous: Unicode.Scalar?) -> Bool {
        let v = scalar.value
        if v == 0x09 || v == 0x0A || v == 0x0D { return false }
        if isControl(scalar) { return true }
        // Variation selectors belong to the character before them (emoji and CJK variants).
        if (0xFE00...0xFE0F).contains(v) || (0xE0100...0xE01EF).contains(v) { return false }
        let emojiBefore = previous.map { $0.properties.isEmoji && $0.value > 0xFF || $0.value == 0xFE0F } ?? false
        // A zero-width joiner inside an emoji sequence (👩‍🔬).
        if v == 0x200D && emojiBefore { return false }
        // Tag characters spelling a subdivision flag after 🏴.
        if (0xE0020...0xE007F).contains(v), let p = previous, p.value == 0x1F3F4 || (0xE0020...0xE007F).contains(p.value) { return false }
        return scalar.properties.isDefaultIgnorableCodePoint || scalar.properties.generalCategory == .format
            || scalar.properties.generalCategory == .lineSeparator || scalar.properties.generalCategory == .paragraphSeparator
    }
}

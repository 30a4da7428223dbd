/// A listing's text as HTML with the evidence marked: each span a decision's reasons point at
/// (UTF-8 byte offsets into the original text) becomes a `<mark>` classed by the kind of
/// evidence, with the rules behind it as a tooltip. All text is escaped by `HTMLText`.
public enum EvidenceMarkup {
    /// Which kind wins the colour of text several reasons point at.
    static let precedence = ["taxon", "product", "codeword", "evasion", "limit", "input", "mitigating", "benign", "intent"]

    /// The text with evidence marked. Spans past the end of `text` (a cut text) are left out;
    /// spans that split a character are widened to whole characters.
    public static func html(_ text: String, reasons: [DecisionRecord.Reason]) -> String {
        let bytes = Array(text.utf8)
        var marks: [(range: Range<Int>, reason: DecisionRecord.Reason)] = []
        for reason in reasons where !reason.isRule {
            guard let span = reason.span, span.lowerBound < bytes.count, !span.isEmpty else { continue }
            var start = span.lowerBound
            var end = min(span.upperBound, bytes.count)
            while start > 0 && bytes[start] & 0xC0 == 0x80 { start -= 1 }
            while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
            marks.append((start..<end, reason))
        }
        var out = ""
        guard !marks.isEmpty else {
            HTMLText.appendVisible(text, to: &out)
            return out
        }
        var cuts = Set([0, bytes.count])
        for mark in marks {
            cuts.insert(mark.range.lowerBound)
            cuts.insert(mark.range.upperBound)
        }
        let points = cuts.sorted()
        // Segments between cuts, merged while the same reasons cover them.
        var segments: [(range: Range<Int>, cover: [Int])] = []
        for (a, b) in zip(points, points.dropFirst()) where a < b {
            let cover = marks.indices.filter { marks[$0].range.lowerBound <= a && b <= marks[$0].range.upperBound }
            if let last = segments.last, last.cover == cover, last.range.upperBound == a {
                segments[segments.count - 1].range = last.range.lowerBound..<b
            } else {
                segments.append((a..<b, cover))
            }
        }
        for segment in segments {
            let piece = String(decoding: bytes[segment.range], as: UTF8.self)
            guard !segment.cover.isEmpty else {
                HTMLText.appendVisible(piece, to: &out)
                continue
            }
            let kinds = segment.cover.map { marks[$0].reason.kind }
            let kind = precedence.first { kinds.contains($0) } ?? "other"
            var seenRules = Set<String>()
            let tooltip = segment.cover.compactMap { index -> String? in
                let reason = marks[index].reason
                guard seenRules.insert(reason.rule).inserted else { return nil }
                return "\(reason.kind): \(reason.rule)" + (reason.explanation.isEmpty ? "" : ": \(reason.explanation)")
            }.joined(separator: "\n")
            out += "<mark class=\"ev ev-\(kind)\" title=\""
            HTMLText.append(tooltip, to: &out)
            out += "\">"
            HTMLText.appendVisible(piece, to: &out)
            out += "</mark>"
        }
        return out
    }
}

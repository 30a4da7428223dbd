/// A flagged (block or review) decision with what the listing says about it: the text, seller,
/// language and category. The report's table and the CSV export hold one row per case.
public struct ReportCase: Sendable {
    /// 0-based position of the decision in its file.
    public var sequence: Int
    /// 1-based line of the decision in its file.
    public var line: Int
    /// `.block` or `.review`.
    public var action: Action
    /// The decision, without its extra fields.
    public var decision: DecisionRecord
    /// The listing text (at most `ReportOptions.maxTextBytes`), or nil when no listing was found.
    public var text: String?
    /// The full text's length in UTF-8 bytes (more than `text` holds when it was cut).
    public var textBytes: Int
    /// The seller, language and category fields of the listing (or the decision), if any.
    public var seller: String?
    public var language: String?
    public var category: String?

    public init(sequence: Int, line: Int, action: Action, decision: DecisionRecord, text: String?, textBytes: Int? = nil,
                seller: String? = nil, language: String? = nil, category: String? = nil) {
        self.sequence = sequence
        self.line = line
        self.action = action
        self.decision = decision
        self.text = text
        self.textBytes = textBytes ?? text?.utf8.count ?? 0
        self.seller = seller
        self.language = language
        self.category = category
    }

    /// Whether the text was cut to fit the report.
    public var isTextTruncated: Bool { (text?.utf8.count ?? 0) < textBytes }

    /// `text` cut to at most `maxBytes` UTF-8 bytes, on a scalar boundary.
    static func truncated(_ text: String, maxBytes: Int) -> String {
        let bytes = Array(text.utf8)
        guard bytes.count > maxBytes else { return text }
        var end = max(0, maxBytes)
        while end > 0 && bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return String(decoding: bytes[..<end], as: UTF8.self)
    }
}

/// How batch input is laid out.
public enum InputFormat: String, Sendable, CaseIterable {
    /// One JSON object per line.
    case jsonl
    /// Comma-separated values with a header line (RFC 4180 quoting).
    case csv
    /// One listing per line.
    case text
}

/// One listing read from batch input, or the reason it could not be read.
public struct InputRecord: Sendable {
    /// 1-based line (or record) number in its input.
    public var line: Int
    /// The record id as JSON text (a string id stays a string, a number a number).
    public var idJSON: String
    /// The listing text, or nil when the record is malformed.
    public var text: String?
    /// Why the record could not be read.
    public var error: String?
    /// Other fields of the record (for evaluation and reports).
    public var fields: [(key: String, value: JSONRecord.Value)]
    /// Invalid UTF-8 was replaced in the text.
    public var replacedInvalidUTF8: Bool

    public init(line: Int, idJSON: String, text: String?, error: String?,
                fields: [(key: String, value: JSONRecord.Value)], replacedInvalidUTF8: Bool) {
        self.line = line
        self.idJSON = idJSON
        self.text = text
        self.error = error
        self.fields = fields
        self.replacedInvalidUTF8 = replacedInvalidUTF8
    }
}

/// Turns one raw line of JSONL or text into an `InputRecord`. Pure and thread-safe, so the batch
/// path parses on its worker threads.
public struct RecordParser: Sendable {
    public var format: InputFormat
    public var textField: String
    public var idField: String

    public init(format: InputFormat, textField: String = "text", idField: String = "id") {
        self.format = format
        self.textField = textField
        self.idField = idField
    }

    /// The id and text of a JSONL record in the common shape (`LeanRecord`), nil for any other
    /// record or format: `parse` reads those.
    func lean(_ line: UnsafeBufferPointer<UInt8>) -> LeanRecord? {
        guard format == .jsonl, textField != idField else { return nil }
        var idField = idField
        var textField = textField
        return idField.withUTF8 { id in textField.withUTF8 { text in LeanRecord(line, idField: id, textField: text) } }
    }

    public func parse(_ line: UnsafeBufferPointer<UInt8>, number: Int) -> InputRecord {
        parse(line, number: number, borrowingText: false).record
    }

    /// The same, but a JSONL text without escapes is left in `line` (`text`, then, is an empty
    /// placeholder and `borrowedText` says where the text is, its UTF-8 not yet checked), and
    /// `fields` holds only the id and text fields.
    func parse(
        _ line: UnsafeBufferPointer<UInt8>, number: Int, borrowingText: Bool
    ) -> (record: InputRecord, borrowedText: Range<Int>?) {
        let lineID = String(number)
        switch format {
        case .text, .csv:
            let text = String(decoding: line, as: UTF8.self)
            var invalid = false
            if line.contains(where: { $0 >= 0x80 }) { invalid = !text.utf8.elementsEqual(line) }
            return (InputRecord(line: number, idJSON: lineID, text: text, error: nil, fields: [], replacedInvalidUTF8: invalid), nil)
        case .jsonl:
            do {
                // The id is read from the fields: a text that is also the id is decoded.
                let borrowing = borrowingText && textField != idField ? textField : nil
                let (record, invalid, borrowed) = try JSONRecord.parse(
                    line, borrowing: borrowing, keeping: borrowingText ? (idField, textField) : nil)
                let id = record[idField]
                let idJSON: String
                switch id {
                case .string(let s)?: idJSON = JSONWriter.quoted(s)
                case .raw(let r)? where r != "null" && !r.hasPrefix("{") && !r.hasPrefix("["): idJSON = r
                default: idJSON = lineID
                }
                guard let value = record[textField] else {
                    return (InputRecord(line: number, idJSON: idJSON, text: nil,
                                        error: "missing field '\(textField)'", fields: record.fields, replacedInvalidUTF8: invalid), nil)
                }
                guard case .string(let text) = value else {
                    return (InputRecord(line: number, idJSON: idJSON, text: nil,
                                        error: "field '\(textField)' is not a string", fields: record.fields, replacedInvalidUTF8: invalid), nil)
                }
                return (InputRecord(line: number, idJSON: idJSON, text: text, error: nil, fields: record.fields, replacedInvalidUTF8: invalid), borrowed)
            } catch {
                return (InputRecord(line: number, idJSON: lineID, text: nil, error: error.description, fields: [], replacedInvalidUTF8: false), nil)
            }
        }
    }
}

import Foundation
import WildGuard

/// Reads CSV (RFC 4180: comma-separated, double-quoted fields with "" for a quote, line breaks
/// allowed inside quotes) with a header line naming the fields.
final class CSVReader {
    private let reader: LineReader
    private var header: [String]?
    private var lineNumber = 0
    var idField = "id"

    init(reader: LineReader) { self.reader = reader }

    /// Splits one record, reading further lines while a quoted field is open. Returns nil at the
    /// end of input; `error` is set when the record's quoting is broken.
    private func readFields() -> (fields: [String], line: Int, error: String?)? {
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var started = false
        let firstLine = lineNumber + 1
        var error: String?
        while true {
            var line: [UInt8] = []
            guard reader.nextLine({ line = Array($0) }) else {
                if !started { return nil }
                error = "a quoted field is not closed before the end of the input"
                fields.append(String(decoding: field, as: UTF8.self))
                return (fields, firstLine, error)
            }
            lineNumber += 1
            if !started && !inQuotes && line.isEmpty { continue }
            started = true
            var i = 0
            while i < line.count {
                let c = line[i]
                if inQuotes {
                    if c == 0x22 {
                        if i + 1 < line.count && line[i + 1] == 0x22 { field.append(0x22); i += 2; continue }
                        inQuotes = false
                    } else {
                        field.append(c)
                    }
                } else if c == 0x22 && field.isEmpty {
                    inQuotes = true
                } else if c == UInt8(ascii: ",") {
                    fields.append(String(decoding: field, as: UTF8.self))
                    field.removeAll()
                } else {
                    field.append(c)
                }
                i += 1
            }
            if inQuotes {
                field.append(0x0A)
                continue
            }
            fields.append(String(decoding: field, as: UTF8.self))
            return (fields, firstLine, error)
        }
    }

    func nextRecord(textField: String) -> InputRecord? {
        if header == nil {
            guard let first = readFields() else { return nil }
            header = first.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        }
        guard let header, let (values, line, error) = readFields() else { return nil }
        var fields: [(key: String, value: JSONRecord.Value)] = []
        for (i, name) in header.enumerated() where i < values.count { fields.append((name, .string(values[i]))) }
        let id = fields.first { $0.key == idField }?.value.text
        let idJSON = id.map { JSONWriter.quoted($0) } ?? String(line)
        if let error {
            return InputRecord(line: line, idJSON: idJSON, text: nil, error: error, fields: fields, replacedInvalidUTF8: false)
        }
        if values.count != header.count {
            return InputRecord(line: line, idJSON: idJSON, text: nil,
                               error: "\(values.count) fields where the header has \(header.count)", fields: fields, replacedInvalidUTF8: false)
        }
        guard let text = fields.first(where: { $0.key == textField })?.value.text else {
            return InputRecord(line: line, idJSON: idJSON, text: nil, error: "missing field '\(textField)'", fields: fields, replacedInvalidUTF8: false)
        }
        return InputRecord(line: line, idJSON: idJSON, text: text, error: nil, fields: fields, replacedInvalidUTF8: false)
    }
}

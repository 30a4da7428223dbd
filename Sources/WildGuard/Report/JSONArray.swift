/// Reads the elements of a JSON array kept as raw text by `JSONRecord` (nested values such as a
/// decision's `reasons` or a reason's `span`), with the same strict scanner.
enum JSONArray {
    /// The array's elements: strings decoded, anything else as its JSON text. Throws when `raw`
    /// is not a well-formed array.
    static func elements(_ raw: String) throws(JSONError) -> [JSONRecord.Value] {
        var copy = raw
        return try copy.withUTF8 { bytes in Result { () throws(JSONError) in try elements(bytes) } }.get()
    }

    private static func elements(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONError) -> [JSONRecord.Value] {
        var scanner = JSONRecord.Scanner(bytes: bytes)
        scanner.skipSpace()
        guard scanner.peek == UInt8(ascii: "[") else { throw scanner.error("expected a JSON array '['") }
        scanner.i += 1
        var out: [JSONRecord.Value] = []
        scanner.skipSpace()
        if scanner.peek == UInt8(ascii: "]") {
            scanner.i += 1
        } else {
            while true {
                scanner.skipSpace()
                if scanner.peek == UInt8(ascii: "\"") {
                    out.append(.string(try scanner.string()))
                } else {
                    let start = scanner.i
                    try scanner.skipValue()
                    out.append(.raw(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<scanner.i]), as: UTF8.self)))
                }
                scanner.skipSpace()
                if scanner.peek == UInt8(ascii: ",") { scanner.i += 1; continue }
                if scanner.peek == UInt8(ascii: "]") { scanner.i += 1; break }
                throw scanner.error("expected ',' or ']'")
            }
        }
        scanner.skipSpace()
        guard scanner.atEnd else { throw scanner.error("unexpected text after the array") }
        return out
    }

    /// Parses a nested object kept as raw text.
    static func object(_ raw: String) throws(JSONError) -> JSONRecord {
        var copy = raw
        return try copy.withUTF8 { bytes in Result { () throws(JSONError) in try JSONRecord.parse(bytes).0 } }.get()
    }
}

/// The id and text of a JSONL record in the common shape, found without building its fields:
/// a flat object whose text is a string with no escapes, whose other strings are ASCII with no
/// escapes, and whose values are strings, numbers, `true`, `false` or `null`. Anything else
/// (nesting, escapes, non-ASCII outside the text, a missing or non-string text, an error) is
/// left to `RecordParser`, which reads every record; where both read a record, they read the
/// same id and text.
///
/// `RecordParser` builds a field list, strings for the names it keeps and for the id, and a
/// record to hold them: more than half of what reading a record cost (3,600 of 6,000
/// instructions on the benchmark corpus), and the only allocations left on the batch path.
struct LeanRecord {
    /// Where the id's JSON is in the line, as a decision writes it (a string with its quotes, a
    /// number or boolean as written); nil when the record has no id, or a null one (the line
    /// number stands in).
    var id: Range<Int>?
    /// Where the text's contents are in the line (between the quotes; UTF-8 not yet checked).
    var text: Range<Int>

    /// Reads `line` for the fields named `idField` and `textField` (different names; the first
    /// field of each name counts, as `JSONRecord`'s subscript reads it). Nil when the record is
    /// not in the common shape.
    init?(_ line: UnsafeBufferPointer<UInt8>, idField: UnsafeBufferPointer<UInt8>, textField: UnsafeBufferPointer<UInt8>) {
        var scanner = JSONRecord.Scanner(bytes: line)
        var id: Range<Int>?
        var idSeen = false
        var text: Range<Int>?
        scanner.skipSpace()
        guard scanner.peek == UInt8(ascii: "{") else { return nil }
        scanner.i += 1
        scanner.skipSpace()
        guard scanner.peek != UInt8(ascii: "}") else { return nil }
        while true {
            scanner.skipSpace()
            guard scanner.peek == UInt8(ascii: "\""), let (keyRange, keyEscaped) = try? scanner.scanString(),
                !keyEscaped, JSONRecord.Scanner.isASCII(UnsafeBufferPointer(rebasing: line[keyRange]))
            else { return nil }
            let key = UnsafeBufferPointer(rebasing: line[keyRange])
            let isText = text == nil && Self.equal(key, textField)
            let isID = !idSeen && Self.equal(key, idField)
            scanner.skipSpace()
            guard scanner.peek == UInt8(ascii: ":") else { return nil }
            scanner.i += 1
            scanner.skipSpace()
            guard let first = scanner.peek else { return nil }
            let start = scanner.i
            switch first {
            case UInt8(ascii: "\""):
                guard let (range, escaped) = try? scanner.scanString(), !escaped else { return nil }
                if isText {
                    text = range
                } else {
                    // ASCII, which cannot be invalid UTF-8 (the parser would check it and say
                    // so), and no DEL: an id is written as the parser re-quotes it, escaping DEL.
                    let value = UnsafeBufferPointer(rebasing: line[range])
                    guard JSONRecord.Scanner.isASCII(value), !value.contains(0x7F) else { return nil }
                    if isID { id = start..<scanner.i }
                }
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard !isText, (try? scanner.number()) != nil else { return nil }
                if isID { id = start..<scanner.i }
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                let word: StaticString = first == UInt8(ascii: "t") ? "true" : first == UInt8(ascii: "f") ? "false" : "null"
                guard !isText, (try? scanner.literal(word)) != nil else { return nil }
                if isID && first != UInt8(ascii: "n") { id = start..<scanner.i }
            default:
                return nil
            }
            if isID { idSeen = true }
            scanner.skipSpace()
            if scanner.peek == UInt8(ascii: ",") {
                scanner.i += 1
                continue
            }
            guard scanner.peek == UInt8(ascii: "}") else { return nil }
            scanner.i += 1
            break
        }
        scanner.skipSpace()
        guard scanner.atEnd, let text else { return nil }
        self.id = id
        self.text = text
    }

    private static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        for k in 0..<a.count where a[k] != b[k] { return false }
        return true
    }
}

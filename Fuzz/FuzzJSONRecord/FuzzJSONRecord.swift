import FuzzSupport
import WildGuard

/// Fuzzes the JSONL record parser and the record reader built on it.
///
/// Invariants:
/// - parsing never crashes; an error points at a byte within the record;
/// - a record that parses, written back out field by field (`JSONWriter`, `Value.json`), parses
///   again to the same keys and values, byte for byte, and no more invalid than it was;
/// - `RecordParser` gives every line either a text or an error, and an id that is JSON text.
@main
enum FuzzJSONRecord {
    static func main() { FuzzDriver.main(testOneInput) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    JSONRecordTarget.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}

enum JSONRecordTarget {
    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        checkRoundTrip(input)
        checkRecordParser(input)
    }

    static func checkRoundTrip(_ input: UnsafeBufferPointer<UInt8>) {
        let record: JSONRecord
        let wasInvalid: Bool
        do {
            (record, wasInvalid) = try JSONRecord.parse(input)
        } catch {
            fuzzCheck(error.offset >= 0 && error.offset <= input.count, "error offset \(error.offset) outside \(input.count) bytes")
            return
        }
        var writer = JSONWriter()
        writer.raw("{")
        for (i, field) in record.fields.enumerated() {
            if i > 0 { writer.raw(",") }
            writer.key(field.key)
            writer.raw(field.value.json)
        }
        writer.raw("}")
        let encoded = writer.bytes
        let reparsed: JSONRecord
        let invalid: Bool
        do {
            (reparsed, invalid) = try encoded.withUnsafeBufferPointer { buffer throws(JSONError) in try JSONRecord.parse(buffer) }
        } catch {
            fuzzCheck(false, "re-encoded record does not parse (\(error)): \(fuzzDescribe(encoded)) from \(fuzzDescribe(input))")
            return
        }
        // Strings come back valid; only a raw value (kept as written) can still hold an escaped
        // lone surrogate, and then the record was flagged the first time too.
        fuzzCheck(!invalid || wasInvalid, "re-encoding made the record invalid UTF-8: \(fuzzDescribe(encoded))")
        fuzzCheck(reparsed.fields.count == record.fields.count, "re-encoded record has \(reparsed.fields.count) fields, not \(record.fields.count)")
        for (a, b) in zip(record.fields, reparsed.fields) {
            fuzzCheck(Array(a.key.utf8) == Array(b.key.utf8), "key '\(a.key)' came back as '\(b.key)'")
            fuzzCheck(same(a.value, b.value), "field '\(a.key)': \(a.value) came back as \(b.value)")
        }
    }

    /// Equality byte for byte (`String ==` would call canonically equivalent text equal).
    static func same(_ a: JSONRecord.Value, _ b: JSONRecord.Value) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)), (.raw(let x), .raw(let y)): return Array(x.utf8) == Array(y.utf8)
        default: return false
        }
    }

    static let parsers = [
        RecordParser(format: .jsonl),
        RecordParser(format: .jsonl, textField: "body", idField: "listing_id"),
        RecordParser(format: .text),
        RecordParser(format: .csv),
    ]

    static func checkRecordParser(_ input: UnsafeBufferPointer<UInt8>) {
        for parser in parsers {
            let record = parser.parse(input, number: 7)
            fuzzCheck((record.text == nil) != (record.error == nil), "\(parser.format): a record needs exactly one of text and error")
            fuzzCheck(record.line == 7, "\(parser.format): line number changed")
            // The id goes into the output as JSON text: it must be a JSON value.
            let wrapped = Array("{\"id\":\(record.idJSON)}".utf8)
            let parses = wrapped.withUnsafeBufferPointer { buffer in (try? JSONRecord.parse(buffer)) != nil }
            fuzzCheck(parses, "\(parser.format): id \(record.idJSON) is not a JSON value; input \(fuzzDescribe(input))")
        }
    }
}

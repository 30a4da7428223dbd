import Testing
@testable import WildGuard

/// `JSONWriter.reserving` with a writer type appends straight into the buffer's spare capacity
/// (no zero-fill first): what it keeps must be exactly what was written, after what was there.
@Suite("JSONWriter room")
struct JSONWriterRoomTests {
    /// Writes `text` through the cursor.
    struct Text: JSONCursorWritable {
        let text: String
        func write(_ cursor: inout JSONCursor) {
            var copy = text
            copy.withUTF8 { cursor.bytes($0) }
        }
    }

    @Test func keepsWhatWasWrittenAfterWhatWasThere() {
        var writer = JSONWriter()
        writer.raw("{\"id\":")
        let kept = writer.reserving(64, Text(text: "\"a\"}"))
        #expect(kept)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "{\"id\":\"a\"}")
    }

    @Test func keepsNothingWhenTheRoomIsTooSmall() {
        var writer = JSONWriter()
        writer.raw("[1,")
        let tooSmall = writer.reserving(3, Text(text: "12345"))
        #expect(!tooSmall)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "[1,")
        let enough = writer.reserving(5, Text(text: "12345"))
        #expect(enough)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "[1,12345")
    }

    /// Room past the buffer's capacity is made, many times over, and a write of nothing keeps nothing.
    @Test func growsTheBufferAsWritesComeIn() {
        var writer = JSONWriter(capacity: 4)
        var expected = ""
        for k in 0..<200 {
            let piece = String(repeating: "x", count: k % 17) + ","
            let kept = writer.reserving(piece.utf8.count + k % 3, Text(text: piece))
            #expect(kept)
            expected += piece
        }
        let empty = writer.reserving(0, Text(text: ""))
        #expect(empty)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == expected)
    }
}

import Foundation
import Testing
@testable import WildGuard

/// `Classifier.writeDecision` writes decisions from pre-rendered pieces without building them;
/// `DecisionJSON.write` writes a built `Decision`. Both must give the same bytes for every
/// listing, or `wildguard classify` would say something other than the library's decision.
@Suite("Decision JSON written directly")
struct DecisionJSONTests {
    /// Both ways, for one listing given as bytes.
    static func bothWays(
        _ classifier: Classifier, _ bytes: [UInt8], id: String = "\"x\"", replacedInvalidUTF8: Bool = false
    ) -> (built: String, direct: String, action: Action, directAction: Action) {
        var decision = bytes.withUnsafeBufferPointer { classifier.classify(utf8: $0) }
        if replacedInvalidUTF8 { decision.noteInvalidUTF8() }
        var built = JSONWriter()
        DecisionJSON.write(decision, idJSON: id, into: &built)
        var direct = JSONWriter()
        let action = bytes.withUnsafeBufferPointer {
            classifier.writeDecision(utf8: $0, idJSON: id, replacedInvalidUTF8: replacedInvalidUTF8, into: &direct)
        }
        return (String(decoding: built.bytes, as: UTF8.self), String(decoding: direct.bytes, as: UTF8.self),
                decision.action, action)
    }

    /// Every example of every bundled entry and every listing of the development and holdout
    /// sets: together they raise every entry, disguise and policy rule the taxonomy has.
    @Test func sameBytesOnTheBundledExamplesAndLabelledSets() throws {
        let engine = try Fixtures.engine
        let classifier = engine.makeClassifier()
        var listings = engine.taxonomy.entries.flatMap { ($0.positiveExamples + $0.negativeExamples).map(\.text) }
        for file in ["devset.jsonl", "holdout.jsonl"] {
            let url = Fixtures.root.appendingPathComponent("Tests/Fixtures/\(file)")
            for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                if let text = object?["text"] as? String { listings.append(text) }
            }
        }
        #expect(listings.count > 1_000)
        var rules = Set<String>()
        for (i, listing) in listings.enumerated() {
            let result = Self.bothWays(classifier, Array(listing.utf8), id: "\(i)", replacedInvalidUTF8: i % 7 == 0)
            #expect(result.direct == result.built, "\(listing.debugDescription)")
            #expect(result.directAction == result.action)
            let decision = classifier.classify(listing)
            rules.formUnion(decision.reasons.map(\.rule))
        }
        // What the comparison covered: disguises, engine signals and policy rules, not only entries.
        #expect(rules.contains { $0.hasPrefix("evasion.") })
        #expect(rules.contains { $0.hasPrefix("WG_") })
    }

    /// Random listings built from pieces that need escaping, disguises, emoji, invalid UTF-8 and
    /// characters of several scripts, so that matched text, spans and repaired bytes are tested.
    @Test func sameBytesOnRandomListingsWithEscapesAndInvalidUTF8() throws {
        let classifier = try Fixtures.engine.makeClassifier()
        let pieces: [[UInt8]] = [
            "ivory", " ", "i v o r y", "1v0ry", "іvory", "象牙", "🐘", "🦏 horn", "\"", "\\", "\n", "\t", "\u{1}",
            "\u{200B}", "for sale", "$500", "WhatsApp", "pangolin scales", "穿山甲", "tiger bone", "tiger balm",
            "antique", "rhino", "sừng tê giác", "слоновая кость", "خرطوم", " 50g ", "é",
        ].map { Array($0.utf8) } + [[0xFF], [0xE8, 0xB1], [0x80], [0xC3]]
        var generator = SplitMix64(seed: 0xD1EC7)
        for round in 0..<1_500 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(generator.next() % 24) { bytes += pieces[Int(generator.next() % UInt64(pieces.count))] }
            let result = Self.bothWays(classifier, bytes, id: "{\"n\":\(round)}", replacedInvalidUTF8: round % 3 == 0)
            #expect(result.direct == result.built, "\(bytes)")
            #expect(result.directAction == result.action)
            // Valid JSON whatever the input held.
            #expect((try? JSONSerialization.jsonObject(with: Data(result.direct.utf8))) != nil, "\(bytes)")
        }
    }

    /// What `wildguard classify` wrote for a JSONL line before it classified text in place: the
    /// record parsed (its text decoded into a `String`), classified, and written.
    static func builtLine(_ classifier: Classifier, _ line: [UInt8], parser: RecordParser) -> [UInt8] {
        let record = line.withUnsafeBufferPointer { parser.parse($0, number: 7) }
        var writer = JSONWriter()
        if let text = record.text {
            var decision = classifier.classify(text)
            if record.replacedInvalidUTF8 { decision.noteInvalidUTF8() }
            DecisionJSON.write(decision, idJSON: record.idJSON, into: &writer)
        } else {
            DecisionJSON.writeError(idJSON: record.idJSON, line: 7, message: record.error ?? "", into: &writer)
        }
        return writer.bytes
    }

    /// JSONL lines whose text is classified where it lies in the line: raw invalid UTF-8 in the
    /// text or in other fields, escapes, a text field given twice or first as a number, broken
    /// records, and a text field that is also the id. Fields other than the id and the text are
    /// read but not kept on this path: bad escapes and invalid UTF-8 in them, nested values, an
    /// escaped or non-ASCII field name and names that start like "id" or "text" must not change
    /// what is written.
    @Test func sameBytesForLinesClassifiedInPlace() throws {
        let engine = try Fixtures.engine
        let classifier = engine.makeClassifier()
        let pieces: [[UInt8]] = [
            "ivory", " ", "i v o r y", "1v0ry", "іvory", "象牙", "🐘", "for sale", "$500", "WhatsApp", "pangolin scales",
            "\\n", "\\\"", "\\u00e9", "\\ud800", "tiger balm", "rhino horn",
        ].map { Array($0.utf8) } + [[0xFF], [0xE8, 0xB1], [0x80], [0xC3], [0xED, 0xA0, 0x80], [0xC0, 0xAF]]
        var generator = SplitMix64(seed: 0x7E47)
        var borrowed = 0
        var borrowedInvalid = 0
        var leanRead = 0
        for round in 0..<1_500 {
            var text: [UInt8] = []
            for _ in 0..<Int(generator.next() % 14) { text += pieces[Int(generator.next() % UInt64(pieces.count))] }
            let id = Array("\(round)".utf8)
            let shapes: [[UInt8]] = [
                Array("{\"id\":".utf8) + id + Array(",\"text\":\"".utf8) + text + Array("\"}".utf8),
                Array("{\"text\":\"".utf8) + text + Array("\",\"id\":\"x\",\"text\":\"other\"}".utf8),
                Array("{\"id\":\"".utf8) + [0xFF] + id + Array("\",\"text\":\"".utf8) + text + Array("\"}".utf8),
                Array("{\"id\":1,\"text\":5,\"text\":\"".utf8) + text + Array("\"}".utf8),
                Array("{\"id\":1,\"text\":\"".utf8) + text,
                // Other fields: read (their errors and invalid UTF-8 count) but not kept.
                Array("{\"lang\":\"".utf8) + [0xFF] + Array("\",\"id\":".utf8) + id + Array(",\"text\":\"".utf8) + text + Array("\"}".utf8),
                Array("{\"note\":\"bad \\q\",\"id\":1,\"text\":\"".utf8) + text + Array("\"}".utf8),
                Array("{\"t\\u0065xt\":\"".utf8) + text + Array("\",\"id\":2}".utf8),
                Array("{\"meta\":{\"a\":[1,\"\\u00e9\",{\"b\":\"".utf8) + [0xC3] + Array("\"}]},\"id\":\"é-".utf8) + id
                    + Array("\",\"text\":\"".utf8) + text + Array("\",\"tags\":[\"x\"],\"n\":-1.5e3}".utf8),
                Array("{\"idx\":1,\"textual\":\"y\",\"id\":3,\"text\":\"".utf8) + text + Array("\"}".utf8),
                Array("{\"ид\":\"x\",\"id\":4,\"text\":\"".utf8) + text + Array("\",\"extra\":tru}".utf8),
                // The common shapes that `LeanRecord` reads, and near misses it leaves to the parser.
                Array(" { \"id\" : \"a-".utf8) + id + Array("\" , \"text\" : \"".utf8) + text + Array("\" , \"lang\":\"en\", \"n\": -3.5 } ".utf8),
                Array("{\"id\":null,\"text\":\"".utf8) + text + Array("\",\"ok\":false}".utf8),
                Array("{\"id\":true,\"text\":\"".utf8) + text + Array("\"}".utf8),
                Array("{\"id\":\"x".utf8) + [0x7F] + id + Array("\",\"text\":\"".utf8) + text + Array("\"}".utf8),
                Array("{\"id\":\"".utf8) + id + Array("\",\"id\":\"second\",\"text\":\"".utf8) + text + Array("\",\"text\":\"x\"}".utf8),
                Array("{\"text\":\"".utf8) + text + Array("\",\"title\":\"Ivory\"}".utf8),
                Array("{\"id\":7,\"text\":\"".utf8) + text + Array("\"}x".utf8),
            ]
            let line = shapes[round % shapes.count]
            for parser in [RecordParser(format: .jsonl), RecordParser(format: .jsonl, textField: "id")] {
                let expected = Self.builtLine(classifier, line, parser: parser)
                var writer = JSONWriter()
                let action = line.withUnsafeBufferPointer {
                    classifier.writeDecision(line: $0, number: 7, parser: parser, into: &writer)
                }
                #expect(String(decoding: writer.bytes, as: UTF8.self) == String(decoding: expected, as: UTF8.self), "\(line)")
                let isError = String(decoding: expected, as: UTF8.self).contains("\"decision\":\"error\"")
                #expect((action == nil) == isError)
            }
            let parsed = line.withUnsafeBufferPointer { RecordParser(format: .jsonl).parse($0, number: 1, borrowingText: true) }
            #expect(parsed.record.fields.allSatisfy { $0.key == "id" || $0.key == "text" })
            // Where the lean reading takes a record, it finds what the parser does.
            if let lean = line.withUnsafeBufferPointer({ RecordParser(format: .jsonl).lean($0) }) {
                leanRead += 1
                #expect(lean.text == parsed.borrowedText, "\(line)")
                #expect(lean.id.map { String(decoding: line[$0], as: UTF8.self) } ?? "1" == parsed.record.idJSON, "\(line)")
                #expect(!parsed.record.replacedInvalidUTF8 && parsed.record.error == nil, "\(line)")
            }
            if let range = parsed.borrowedText {
                borrowed += 1
                if String(validating: line[range], as: UTF8.self) == nil { borrowedInvalid += 1 }
            }
        }
        // Both the in-place path and its fallback for invalid UTF-8 were taken, and often; so
        // was the lean reading, and the parser without it.
        #expect(borrowed - borrowedInvalid > 100 && borrowedInvalid > 100, "\(borrowed), \(borrowedInvalid) invalid")
        #expect(leanRead > 150 && borrowed - leanRead > 80, "\(leanRead) of \(borrowed)")
    }

    /// Listings cut at the engine's length limit carry the engine's `input.truncated` signal.
    @Test func sameBytesWhenListingsAreCut() throws {
        var options = Engine.Options()
        options.maxListingBytes = 24
        let base = try Fixtures.engine
        let engine = try Engine(taxonomy: base.taxonomy, policy: base.policy, options: options)
        let classifier = engine.makeClassifier()
        for listing in ["Carved ivory bangle, 45g, WhatsApp for price", "象牙手镯 出售 微信 价格 包邮 全国 象牙", "ok"] {
            let result = Self.bothWays(classifier, Array(listing.utf8))
            #expect(result.direct == result.built, "\(listing)")
        }
        let cut = Self.bothWays(classifier, Array("Carved ivory bangle, 45g, WhatsApp for price".utf8))
        #expect(cut.direct.contains("\"input.truncated\""))
    }

    /// The same classifier, many listings in a row: nothing of one listing is left for the next.
    @Test func noStateLeaksBetweenListings() throws {
        let classifier = try Fixtures.engine.makeClassifier()
        let fresh = try Fixtures.engine.makeClassifier()
        let listings = ["Carved ivory bangle, WhatsApp for price", "hello", "1v0ry 🐘 for sale", "", "tiger balm"]
        for listing in listings + listings.reversed() {
            var used = JSONWriter()
            var clean = JSONWriter()
            var copy = listing
            copy.withUTF8 { _ = classifier.writeDecision(utf8: $0, idJSON: "1", into: &used) }
            copy.withUTF8 { _ = fresh.writeDecision(utf8: $0, idJSON: "1", into: &clean) }
            _ = fresh.classify("pangolin scales for sale")  // dirty `fresh` for the next round
            #expect(used.bytes == clean.bytes, "\(listing)")
        }
    }
}

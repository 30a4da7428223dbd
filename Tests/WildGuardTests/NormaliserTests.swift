import Testing
@testable import WildGuard

@Suite("Normaliser")
struct NormaliserTests {
    @Test("folds case, accents and width", arguments: [
        ("Ngà Voi", "nga voi"),
        ("Sừng Tê Giác", "sung te giac"),
        ("ＩＶＯＲＹ", "ivory"),
        ("ÉLÉPHANT", "elephant"),
        ("Straße", "strasse"),
        ("Đồi mồi", "doi moi"),
        ("𝐢𝐯𝐨𝐫𝐲", "ivory"),
        ("Elfenbein-Schnitzerei", "elfenbein schnitzerei"),
    ])
    func folding(input: String, expected: String) {
        #expect(Fixtures.normalised(input).primaryText == expected)
    }

    @Test func foldsWhitespaceRunsAndTrims() {
        #expect(Fixtures.normalised("  ivory \t\n\n  bangle  ").primaryText == "ivory bangle")
    }

    @Test func mapsEveryByteBackToTheOriginal() {
        let original = "Bán NGÀ voi"
        let text = Fixtures.normalised(original)
        #expect(text.primaryText == "ban nga voi")
        // "nga" starts at normalised offset 4.
        let span = text.originalSpan(of: 4..<7)
        let utf8 = Array(original.utf8)
        #expect(String(decoding: utf8[span], as: UTF8.self) == "NGÀ")
    }

    @Test func dropsInvisibleCharactersAndNotesThemInsideWords() {
        let text = Fixtures.normalised("iv\u{200B}ory and soft\u{00AD}hyphen")
        #expect(text.primaryText == "ivory and softhyphen")
        #expect(text.evidence.contains { $0.kind == .invisible })
        let clean = Fixtures.normalised("plain words here")
        #expect(clean.evidence.isEmpty)
    }

    @Test func keepsZeroWidthJoinerInsideEmojiSequences() {
        let family = "👨\u{200D}👩\u{200D}👧"
        #expect(Fixtures.normalised(family).primaryText == family)
        #expect(Fixtures.normalised("a\u{200D}b").primaryText == "ab")
    }

    @Test func replacesInvalidUTF8AndCountsIt() {
        let bytes: [UInt8] = Array("ivory ".utf8) + [0xFF, 0xC3] + Array(" tusk".utf8)
        let out = NormalisedText()
        bytes.withUnsafeBufferPointer { Normaliser().normalise($0, into: out) }
        #expect(out.invalidSequences == 2)
        #expect(out.primaryText == "ivory tusk")
    }

    @Test func nulBytesAndControlsAreSeparators() {
        #expect(Fixtures.normalised("ivory\u{0}tusk\u{7}x").primaryText == "ivory tusk x")
    }

    @Test func leavesWordsOfOneScriptAlone() {
        let text = Fixtures.normalised("слоновая кость")
        #expect(text.primaryText == "слоновая кость")
        #expect(text.variants.isEmpty)
    }

    @Test("undoes disguises in variant segments", arguments: [
        ("ivоry", EvasionKind.homoglyph, "ivory"),
        ("rhіno", EvasionKind.homoglyph, "rhino"),
        ("1v0ry", EvasionKind.leet, "ivory"),
        ("p@ngolin", EvasionKind.leet, "pangolin"),
        ("i v o r y", EvasionKind.spacing, "#ivory"),
        ("i.v.o.r.y", EvasionKind.spacing, "#ivory"),
        ("r-h-i-n-o", EvasionKind.spacing, "#rhino"),
    ])
    func variants(input: String, kind: EvasionKind, expected: String) {
        let text = Fixtures.normalised(input)
        let found = text.variants.contains { v in
            v.kind == kind && String(decoding: text.bytes[v.range], as: UTF8.self) == expected
        }
        #expect(found, "variants of \(input): \(text.variants.map { String(decoding: text.bytes[$0.range], as: UTF8.self) })")
    }

    @Test("reads quantities as numbers, not letters", arguments: ["5kg", "10cm", "$500", "2024", "3pcs", "4x4"])
    func quantities(input: String) {
        let text = Fixtures.normalised("bangle \(input) ok")
        #expect(!text.variants.contains { $0.kind == .leet })
    }

    @Test func variantSpansPointAtTheDisguisedWord() {
        let original = "selling 1v0ry now"
        let text = Fixtures.normalised(original)
        let variant = text.variants.first { $0.kind == .leet }!
        let span = text.originalSpan(of: variant.range)
        #expect(String(decoding: Array(original.utf8)[span], as: UTF8.self) == "1v0ry")
    }

    @Test func handlesAHugeListing() {
        let big = String(repeating: "ivory bangle for sale ", count: 50_000)  // 1.1 MB
        let text = Fixtures.normalised(big)
        #expect(text.primaryEnd > 1_000_000)
    }
}

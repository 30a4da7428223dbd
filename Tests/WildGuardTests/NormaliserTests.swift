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
        // Decimal digits of every script become ASCII digits.
        ("٥٠٠ غرام", "500 غرام"),
        ("۱۲۳ تومان", "123 تومان"),
        ("५० ग्राम", "50 ग्राम"),
        ("๕๐๐ บาท", "500 บาท"),
        ("৳৫০০", "৳500"),
    ])
    func folding(input: String, expected: String) {
        #expect(Fixtures.normalised(input).primaryText == expected)
    }

    /// Runs of plain ASCII are found eight bytes at a time; on random bytes (letters, spaces
    /// single and double, separators, controls, DEL, bytes of non-ASCII characters) every run
    /// must end where a byte-by-byte reading ends it.
    @Test func plainASCIIRunsEndAsByteByByte() {
        func plain(_ b: UInt8) -> Bool { b > 0x20 && b < 0x7F && b != UInt8(ascii: "-") && b != UInt8(ascii: "_") }
        let alphabet: [UInt8] = Array("abcdefXYZ09.,  -_~".utf8) + [0x09, 0x7F, 0xC3, 0xA9]
        var generator = SplitMix64(seed: 0xA5C11)
        var lengths = Set<Int>()
        for _ in 0..<6_000 {
            let text = (0..<1 + Int(generator.next() % 40)).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            text.withUnsafeBufferPointer { bytes in
                for start in bytes.indices {
                    var j = start
                    if plain(bytes[j]) {
                        j += 1
                        while j < bytes.count {
                            if plain(bytes[j]) { j += 1 } else if bytes[j] == 0x20, j + 1 < bytes.count, plain(bytes[j + 1]) { j += 2 } else { break }
                        }
                    }
                    #expect(Normaliser.plainASCIIRunEnd(bytes, from: start) == j, "\(text) from \(start)")
                    lengths.insert(min(j - start, 20))
                }
            }
        }
        // Runs of every length from none to past two words of eight bytes.
        #expect(lengths.isSuperset(of: 0...17), "\(lengths.sorted())")
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

    /// Spaces inside Japanese text carry no word boundary, and the kana length mark "ー" (a
    /// Common-script letter used with hiragana and katakana) is read as kana: a spread-out name
    /// joins up whole, in full-width and half-width katakana.
    @Test func joinsSpreadOutKatakanaAcrossTheLengthMark() {
        #expect(Fixtures.normalised("ス ロ ー ロ リ ス").primaryText == "スローロリス")
        #expect(Fixtures.normalised("ｽ ﾛ ｰ ﾛ ﾘ ｽ").primaryText == "スローロリス")
        #expect(Fixtures.normalised("ー the end").primaryText == "ー the end")
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
        ("k!ng cobra", EvasionKind.leet, "king"),
        ("ng@ v0i", EvasionKind.leet, "nga"),
        ("i v o r y", EvasionKind.spacing, "#ivory"),
        ("i.v.o.r.y", EvasionKind.spacing, "#ivory"),
        ("r-h-i-n-o", EvasionKind.spacing, "#rhino"),
        // One symbol breaking a word: between Chinese, Japanese, Thai or Hangul letters, or an
        // asterisk between Latin letters (`SymbolBridges`).
        ("象*牙手镯", EvasionKind.spacing, "#象牙手镯"),
        ("象@牙", EvasionKind.spacing, "#象牙"),
        ("상.아 팔찌", EvasionKind.spacing, "#상아"),
        ("犀.角杯.", EvasionKind.spacing, "#犀角杯"),
        ("iv*ory bangle", EvasionKind.spacing, "#ivory"),
        ("象^牙^手镯", EvasionKind.spacing, "#象牙手镯"),
        // A Russian word stays Russian: spread out with dots, broken by a symbol, or with leet
        // digits between its letters (a digit at its edge is a count: "5кг").
        ("с.л.о.н.о.в.а.я", EvasionKind.spacing, "#слоновая"),
        ("к*о*с*т*ь", EvasionKind.spacing, "#кость"),
        ("сл0н0вая к0сть", EvasionKind.leet, "слоновая"),
        ("н0сорог", EvasionKind.leet, "носорог"),
    ])
    func variants(input: String, kind: EvasionKind, expected: String) {
        let text = Fixtures.normalised(input)
        let found = text.variants.contains { v in
            v.kind == kind && String(decoding: text.bytes[v.range], as: UTF8.self) == expected
        }
        #expect(found, "variants of \(input): \(text.variants.map { String(decoding: text.bytes[$0.range], as: UTF8.self) })")
    }

    /// Symbols that are written between words, not to break one: a comma between Chinese
    /// characters ends a clause ("大象，牙膏"), dots between Latin letters are abbreviations and
    /// addresses, and digits on either side are numbers.
    @Test("leaves symbols between words alone", arguments: ["大象，牙膏", "象牙 100元/克", "科普｜犀角和水牛角怎么区分", "中药里早就禁用了.犀角和水牛角", "#保护大象#不买象牙", "e.g. ivory", "amazon.com ivory", "5*10cm", "象牙.100元", "#象牙", "f**k"])
    func symbolsBetweenWords(input: String) {
        let text = Fixtures.normalised(input)
        #expect(!text.variants.contains { $0.kind == .spacing }, "\(text.variants.map { String(decoding: text.bytes[$0.range], as: UTF8.self) })")
    }

    @Test("reads quantities as numbers, not letters", arguments: ["5kg", "10cm", "$500", "2024", "3pcs", "4x4", "5кг", "10см", "2шт"])
    func quantities(input: String) {
        let text = Fixtures.normalised("bangle \(input) ok")
        #expect(!text.variants.contains { $0.kind == .leet })
    }

    /// "!" ends sentences: after a word it is punctuation, and a listing that shouts is not
    /// disguised (news and awareness posts would otherwise lose their benign reading).
    @Test("reads a closing exclamation mark as punctuation", arguments: ["ivory!", "elephant!!", "wow!! tiger", "(rhino horn!)"])
    func exclamations(input: String) {
        let text = Fixtures.normalised("seized \(input) today")
        #expect(text.variants.isEmpty, "\(text.variants)")
    }

    @Test func variantSpansPointAtTheDisguisedWord() {
        let original = "selling 1v0ry now"
        let text = Fixtures.normalised(original)
        let variant = text.variants.first { $0.kind == .leet }!
        let span = text.originalSpan(of: variant.range)
        #expect(String(decoding: Array(original.utf8)[span], as: UTF8.self) == "1v0ry")
    }

    /// ASCII is folded in runs (copied at once) rather than byte by byte: on random ASCII, with
    /// separators of every kind and a few non-ASCII and invisible characters between runs, the
    /// text and the origin of every byte are those of a byte-by-byte model of the rules.
    @Test func foldsASCIIRunsAsTheRulesSay() {
        let pieces: [String] = ["a", "B", "z", "Q", "0", "7", "$", "!", ".", "|", " ", " ", "  ", "\t", "-", "_", "\u{7F}",
                                "\u{0}", "é", "象", "\u{200B}"]
        var generator = SplitMix64(seed: 0x5EED)
        for round in 0..<800 {
            var listing = ""
            // Long runs too, so that whole eight-byte words of them are read at once.
            let length = round % 2 == 0 ? Int(generator.next() % 40) : Int(generator.next() % 200)
            for _ in 0..<length { listing += pieces[Int(generator.next() % UInt64(pieces.count))] }
            let text = Normaliser(detectsEvasions: false).normalisedForTest(listing)
            let expected = Self.modelFold(listing)
            #expect(Array(text.bytes[0..<text.primaryEnd]) == expected.bytes, "\(listing.debugDescription)")
            #expect(Array(text.originStart[0..<text.primaryEnd]) == expected.start, "\(listing.debugDescription)")
            #expect(Array(text.originEnd[0..<text.primaryEnd]) == expected.end, "\(listing.debugDescription)")
        }
    }

    /// The folding rules one byte at a time, for text of ASCII plus "é", "象" and a zero-width space.
    private static func modelFold(_ listing: String) -> (bytes: [UInt8], start: [Int32], end: [Int32]) {
        var bytes: [UInt8] = [], start: [Int32] = [], end: [Int32] = []
        var pendingSpace: Int32? = nil
        var lastWasHan = false
        var offset = 0
        for scalar in listing.unicodeScalars {
            let length = String(scalar).utf8.count
            defer { offset += length }
            let value = scalar.value
            if value == 0x200B { continue }
            let separator = value <= 0x20 || value == 0x7F || value == 0x2D || value == 0x5F
            if separator {
                if pendingSpace == nil && !bytes.isEmpty { pendingSpace = Int32(offset) }
                continue
            }
            // Spaces between two Chinese characters carry no word boundary and are dropped.
            if value == 0x8C61 && lastWasHan { pendingSpace = nil }
            lastWasHan = value == 0x8C61
            if let space = pendingSpace {
                bytes.append(0x20); start.append(space); end.append(space + 1)
                pendingSpace = nil
            }
            let folded: [UInt8] = value == 0xE9 ? [UInt8(ascii: "e")] : Array(String(scalar).lowercased().utf8)
            for byte in folded {
                bytes.append(byte); start.append(Int32(offset)); end.append(Int32(offset + length))
            }
        }
        return (bytes, start, end)
    }

    /// The normaliser writes into a fixed stage and copies it into the text's arrays whenever it
    /// fills: where those copies fall must change nothing. Random listings of many scripts, folds
    /// of several characters, disguises and invisible characters, some far longer than the stage,
    /// normalise to the same bytes, origins, variants and evidence with the smallest stage and the
    /// usual one.
    @Test func whereTheStageIsCopiedChangesNothing() {
        let pieces: [String] = ["ivory ", "1v0ry ", "і", "v", "о", "r", "у", " ", "  ", "-", "象牙", "слоновая кость ",
                                "㋁", "ﷺ", "ﬃ", "𝐢𝐯𝐨𝐫𝐲", "👍🏽", "👨\u{200D}👩", "\u{200B}", "é", "Ngà Voi ", "i.v.o.r.y ",
                                "r h i n o ", "\u{FE0F}", "ÅNGSTRÖM ", "٥٠٠", "\u{1F600}", "a", "B"]
        let normaliser = Normaliser()
        var generator = SplitMix64(seed: 0x57A6E)
        var longest = 0
        for round in 0..<300 {
            var listing = ""
            let count = round % 3 == 0 ? Int(generator.next() % 600) : Int(generator.next() % 60)
            for _ in 0..<count { listing += pieces[Int(generator.next() % UInt64(pieces.count))] }
            let small = NormalisedText(stageCapacity: 0)
            let usual = NormalisedText()
            normaliser.normalise(listing, into: small)
            normaliser.normalise(listing, into: usual)
            longest = max(longest, usual.bytes.count)
            #expect(small.bytes == usual.bytes, "\(listing.debugDescription)")
            #expect(small.originStart == usual.originStart && small.originEnd == usual.originEnd, "\(listing.debugDescription)")
            #expect(small.primaryEnd == usual.primaryEnd)
            #expect(small.variants.map { "\($0.kind)\($0.range)" } == usual.variants.map { "\($0.kind)\($0.range)" })
            #expect(small.evidence.map { "\($0.kind)\($0.span)" } == usual.evidence.map { "\($0.kind)\($0.span)" })
        }
        // Some listings fill the usual stage too.
        #expect(longest > NormalisedText().stage.capacity)
    }

    /// Most characters take an inline path that skips what cannot apply to them (a pending
    /// space, an invisible character before them); on random listings of many scripts with
    /// invisible characters, marks, spaces and folds of several characters, it must write what
    /// the general rule writes: the same bytes, origins, variants and evidence.
    @Test func theInlinePathWritesWhatTheGeneralRuleWrites() {
        let pieces: [String] = ["слон", "о", "в", "і", "α", "β", "é", "ß", "象", "牙", "ก", "가", "ㄱ", "\u{200B}", "\u{00AD}",
                                "\u{200C}", "\u{0301}", "\u{200D}", "👍", "🏽", " ", "  ", "-", "㋁", "ﬃ", "ﷺ", "𝐢", "١",
                                "a", "1", "!", ".", "\u{FE0F}", "\u{3000}", "ｉ"]
        let inline = Normaliser()
        let general = Normaliser(detectsEvasions: true, takesPlainPath: false)
        var generator = SplitMix64(seed: 0x1A71E)
        var invisibleNoted = 0
        for _ in 0..<3_000 {
            var listing = ""
            for _ in 0..<Int(generator.next() % 30) { listing += pieces[Int(generator.next() % UInt64(pieces.count))] }
            let fast = NormalisedText()
            let slow = NormalisedText()
            inline.normalise(listing, into: fast)
            general.normalise(listing, into: slow)
            #expect(fast.bytes == slow.bytes, "\(listing.debugDescription)")
            #expect(fast.originStart == slow.originStart && fast.originEnd == slow.originEnd, "\(listing.debugDescription)")
            #expect(fast.variants.map { "\($0.kind)\($0.range)" } == slow.variants.map { "\($0.kind)\($0.range)" })
            #expect(fast.evidence.map { "\($0.kind)\($0.span)" } == slow.evidence.map { "\($0.kind)\($0.span)" },
                    "\(listing.debugDescription)")
            if slow.evidence.contains(where: { $0.kind == .invisible }) { invisibleNoted += 1 }
        }
        #expect(invisibleNoted > 100)
    }

    @Test func handlesAHugeListing() {
        let big = String(repeating: "ivory bangle for sale ", count: 50_000)  // 1.1 MB
        let text = Fixtures.normalised(big)
        #expect(text.primaryEnd > 1_000_000)
    }
}

@Suite("Disguise detection")
struct DisguiseRuleTests {
    /// A token of ASCII only is examined without the character table; on random tokens of
    /// letters, leet digits and symbols and spreading punctuation it must decide as the general,
    /// table-driven rule does.
    @Test func asciiTokensAreExaminedAsTheGeneralRuleSays() {
        let builder = VariantBuilder(table: .shared)
        let normaliser = Normaliser(detectsEvasions: false)
        let alphabet = Array("abeilostvxy01345789!@$|.*,/-_'".utf8)
        var generator = SplitMix64(seed: 0xA5C11)
        var compared = 0
        var rewritten = Set<String>()
        for _ in 0..<4_000 {
            let token = (0..<(1 + Int(generator.next() % 9))).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            let text = NormalisedText()
            normaliser.normalise(String(decoding: token, as: UTF8.self), into: text)
            let range = 0..<text.primaryEnd
            guard !range.isEmpty, text.bytes[range].allSatisfy({ $0 < 0x80 && $0 != 0x20 }) else { continue }
            text.bytes.withUnsafeBufferPointer { bytes in
                let fast = builder.examineASCII(range, text, bytes)
                let general = builder.examineScalars(range, text, bytes)
                #expect(fast == general, "\(String(decoding: token, as: UTF8.self))")
                rewritten.insert("\(fast)")
            }
            compared += 1
        }
        // Every outcome was reached, on thousands of tokens.
        #expect(compared > 3_000)
        #expect(rewritten == ["keep", "unspread", "bridge", "decode(WildGuard.EvasionKind.leet)"], "\(rewritten)")
    }
    /// Tokens are scanned eight bytes at a time; on random text of letters, spaces, digits,
    /// punctuation and bytes of non-ASCII characters, the end and the kind of every token must
    /// be those a byte-by-byte reading gives.
    @Test func tokensAreScannedAsByteByByte() {
        let alphabet: [UInt8] = Array("abcxyz z  `{@[0189.-".utf8) + [0x80, 0xC3, 0xA9, 0xE8, 0xB1, 0xA1, 0x7F, 0x1F]
        var generator = SplitMix64(seed: 0x70CE)
        var kinds = Set<String>()
        for _ in 0..<5_000 {
            let text = (0..<Int(generator.next() % 40)).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            text.withUnsafeBufferPointer { bytes in
                let end = Int(generator.next() % UInt64(text.count + 1))
                var start = 0
                while start < end {
                    let scanned = VariantBuilder.scanToken(from: start, to: end, bytes)
                    var j = start
                    while j < end && bytes[j] != 0x20 { j += 1 }
                    let token = bytes[start..<j]
                    #expect(scanned.end == j, "\(text) from \(start)")
                    #expect(scanned.allLower == token.allSatisfy { $0 >= 0x61 && $0 <= 0x7A }, "\(text) from \(start)")
                    #expect(scanned.allASCII == token.allSatisfy { $0 < 0x80 }, "\(text) from \(start)")
                    kinds.insert("\(scanned.allLower)\(scanned.allASCII)\(j - start >= 8)")
                    start = j + 1
                }
            }
        }
        // Lower-case, other ASCII and non-ASCII tokens, short and long.
        #expect(kinds.count >= 5, "\(kinds)")
    }

    /// The first reading skips quiet tokens eight bytes at a time; on random text it must stop no
    /// later than the first token it would look at token by token (one-letter, or neither plain
    /// lower case nor passed by the disguise filter), at the start of a token, and - short of the
    /// last eight bytes - at that token itself.
    @Test func quietTokensAreSkippedAsTokenByToken() {
        let builder = VariantBuilder(table: .shared)
        let alphabet: [UInt8] = Array("abcxyzmnopqrstuv     ,.(*1 2/A|".utf8) + [0xC3, 0xA9]
        var generator = SplitMix64(seed: 0x5C1F)
        var cases = 0
        var skipped = 0
        for _ in 0..<8_000 {
            let text = (0..<Int(generator.next() % 48)).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            // Whole UTF-8 characters only, as in normalised text.
            let valid = Array(String(decoding: text, as: UTF8.self).utf8)
            valid.withUnsafeBufferPointer { bytes in
                let end = bytes.count
                var start = 0
                while start < end && bytes[start] == 0x20 { start += 1 }
                guard start < end else { return }
                var firstLooked = end
                var k = start
                while k < end {
                    let scanned = VariantBuilder.scanToken(from: k, to: end, bytes)
                    let token = k..<scanned.end
                    if builder.isSingleLetter(token, bytes) || !(scanned.allLower || !builder.filter.mayBeDisguised(token, bytes)) {
                        firstLooked = k
                        break
                    }
                    k = scanned.end
                    while k < end && bytes[k] == 0x20 { k += 1 }
                }
                let stop = builder.filter.skipQuietTokens(from: start, to: end, bytes)
                let shown = String(decoding: valid, as: UTF8.self)
                #expect(stop >= start && stop <= firstLooked, "'\(shown)': \(stop), not \(firstLooked)")
                #expect(stop == start || stop == end || bytes[stop - 1] == 0x20, "'\(shown)': \(stop)")
                if firstLooked + 8 <= end, stop != firstLooked {
                    // It may stop early, where it does not tell quiet from not: at a token with a
                    // byte that is not ASCII, a capital or a spreading mark before its end, or one
                    // that starts with a letter and no letter after it.
                    let token = bytes[stop..<VariantBuilder.scanToken(from: stop, to: end, bytes).end]
                    let spreadInside = token.dropLast().contains { VariantBuilder.isSpreader($0) }
                    let loneLetter = token[stop] &- 0x61 < 26 && (token.count == 1 || !(token[stop + 1] &- 0x61 < 26))
                    let unsure = token.contains { $0 >= 0x80 || $0 &- 0x41 < 26 } || spreadInside || loneLetter
                    #expect(unsure, "'\(shown)': \(stop), not \(firstLooked)")
                }
                if firstLooked + 8 <= end {
                    cases += 1
                    if stop > start && stop == firstLooked { skipped += 1 }
                }
            }
        }
        // Many times: quiet tokens skipped up to the very token to stop at.
        #expect(cases > 1_000 && skipped > 300, "\(cases), \(skipped)")
    }

    /// `examineScalars` reads ASCII bytes without the character table; on random tokens mixing
    /// Latin, Cyrillic and Greek letters (some homoglyphs), other scripts, leet digits and symbols
    /// and spreading punctuation, it must decide as the rule does with every character looked up
    /// in the table, and note the same evidence.
    @Test func mixedTokensAreExaminedAsTheTableSays() {
        let builder = VariantBuilder(table: .shared)
        let alphabet = ["a", "e", "i", "o", "v", "r", "y", "x", "0", "1", "3", "4", "7", "!", "@", "$", "|", ".", "*", ",",
                        "і", "о", "у", "р", "с", "л", "ж", "α", "ο", "ν", "ŋ", "ə", "象", "牙", "ก", "가", "٥"]
        var outcomes = Set<String>()
        let compared = Self.forEachRandomToken(of: alphabet, seed: 0x3C0FFEE, count: 4_000, maxPieces: 9) {
            token, text, range, bytes in
            let rewrite = builder.examineScalars(range, text, bytes)
            let noted = text.evidence.count
            text.evidence.removeAll()
            let expected = Self.modelExamine(range, text, bytes, builder)
            #expect(rewrite == expected, "\(token)")
            #expect(noted == text.evidence.count, "\(token)")
            outcomes.insert("\(rewrite)")
        }
        #expect(compared > 3_000)
        #expect(outcomes.count == 5, "\(outcomes)")
    }

    /// `DisguiseFilter` spares most tokens the examination; it must never spare one the
    /// examination would rewrite or note evidence on. Random tokens mix letters of many scripts
    /// (Cyrillic and Greek among them, Greek Extended, Vietnamese, emoji, mathematical letters),
    /// leet digits and symbols, and punctuation.
    @Test func theFilterSparesOnlyTokensTheExaminationKeeps() {
        let builder = VariantBuilder(table: .shared)
        let alphabet = ["a", "v", "r", "y", "k", "0", "1", "2", "4", "8", "!", "@", "$", "|", ".", ",", ":", "-", "(", "?", "*", "^", "#",
                        "é", "ạ", "ơ", "ñ", "ß", "і", "о", "ж", "α", "ο", "ἀ", "ϐ", "µ", "Ω", "ꙮ", "ᲀ", "𝐚", "𝛂", "🐘", "€",
                        "象", "牙", "ก", "가", "ع", "٥", "ה", "क"]
        var spared = 0
        var examined = 0
        var outcomes = Set<String>()
        Self.forEachRandomToken(of: alphabet, seed: 0xF117E5, count: 6_000, maxPieces: 7) { token, text, range, bytes in
            let rewrite = builder.examineScalars(range, text, bytes)
            outcomes.insert("\(rewrite)")
            let mayBeDisguised = builder.filter.mayBeDisguised(range, bytes)
            if mayBeDisguised {
                examined += 1
            } else {
                spared += 1
                #expect(rewrite == .keep, "\(token)")
                #expect(text.evidence.isEmpty, "\(token)")
            }
        }
        #expect(spared > 1_000 && examined > 1_000, "spared \(spared), examined \(examined)")
        #expect(outcomes.count == 5, "\(outcomes)")
    }

    /// A word broken by one symbol is examined (`SymbolBridges`); a symbol that ends a word, or
    /// one that is no word-breaking symbol, is not reason enough.
    @Test func theFilterExaminesWordsBrokenBySymbols() {
        let builder = VariantBuilder(table: .shared)
        for (token, examined) in [("象^牙", true), ("상.아", true), ("犀+角", true), ("iv*ory", true), ("ก~ข", true),
                                  ("tiết.", false), ("元/克", false), ("大象,", false), ("#象牙", false)] {
            let bytes = Array(token.utf8)
            bytes.withUnsafeBufferPointer { #expect(builder.filter.mayBeDisguised(0..<$0.count, $0) == examined, "\(token)") }
        }
    }

    /// A word wholly in Cyrillic or Greek is spared (it cannot be a homoglyph disguise); beside a
    /// Latin letter, a character that may be Latin, a leet digit or a symbol inside it, it is not.
    @Test func theFilterSparesWordsWhollyInCyrillicOrGreek() {
        let builder = VariantBuilder(table: .shared)
        for (token, examined) in [("почтой", false), ("слоновая,", false), ("ελεφαντοστό", false), ("(кость)", false),
                                  ("слoн", true), ("kость", true), ("слøн", true), ("сл0н", true), ("сл.он", true),
                                  ("сл*он", true), ("слон𝐚", true), ("ivоry", true)] {
            let bytes = Array(token.utf8)
            bytes.withUnsafeBufferPointer { #expect(builder.filter.mayBeDisguised(0..<$0.count, $0) == examined, "\(token)") }
        }
    }

    /// Every Cyrillic or Greek letter of the basic plane beside a Latin one makes a token worth
    /// examining.
    @Test func theFilterExaminesEveryCyrillicOrGreekLetter() {
        let builder = VariantBuilder(table: .shared)
        var checked = 0
        for value in UInt32(0x80)..<0x10000 {
            guard let scalar = Unicode.Scalar(value), CharacterTable.shared.characterClass(of: value).contains(.cyrillicOrGreek)
            else { continue }
            let token = Array("a\(Character(scalar))".utf8)
            token.withUnsafeBufferPointer { bytes in
                let examined = builder.filter.mayBeDisguised(0..<bytes.count, bytes)
                #expect(examined, "U+\(String(value, radix: 16))")
            }
            checked += 1
        }
        #expect(checked > 500)
    }

    /// Tokens of 1 to `maxPieces` random pieces of `alphabet`, normalised (without evasion
    /// rewriting): calls `body` with each that stays one word, and returns how many did.
    @discardableResult
    private static func forEachRandomToken(
        of alphabet: [String], seed: UInt64, count: Int, maxPieces: Int,
        _ body: (String, NormalisedText, Range<Int>, UnsafeBufferPointer<UInt8>) -> Void
    ) -> Int {
        let normaliser = Normaliser(detectsEvasions: false)
        var generator = SplitMix64(seed: seed)
        var called = 0
        for _ in 0..<count {
            let pieces = 1 + Int(generator.next() % UInt64(maxPieces))
            let token = (0..<pieces).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }.joined()
            let text = NormalisedText()
            normaliser.normalise(token, into: text)
            let range = 0..<text.primaryEnd
            guard !range.isEmpty, !text.bytes[range].contains(0x20) else { continue }
            text.bytes.withUnsafeBufferPointer { body(token, text, range, $0) }
            called += 1
        }
        return called
    }

    /// The disguise rule with the character table consulted for every character.
    private static func modelExamine(
        _ token: Range<Int>, _ text: NormalisedText, _ bytes: UnsafeBufferPointer<UInt8>, _ builder: VariantBuilder
    ) -> VariantBuilder.Rewrite {
        var latin = 0, foreign = 0, letters = 0, spreaders = 0, sinceSpreader = 0
        var singleBetweenSpreaders = true
        // Symbols between two characters, and the characters on either side of each.
        let scalars = Array(String(decoding: bytes[token], as: UTF8.self).unicodeScalars)
        func isSymbol(_ s: Unicode.Scalar) -> Bool { s.isASCII && SymbolBridges.isBridge(UInt8(s.value)) }
        func joined(_ s: Unicode.Scalar) -> Bool {
            let cls = CharacterTable.shared.characterClass(of: s.value)
            return (0xAC00...0xD7A3).contains(s.value) || (cls.contains(.unspaced) && cls.contains(.word) && !cls.contains(.digit))
        }
        func latinLetter(_ s: Unicode.Scalar) -> Bool { CharacterTable.shared.characterClass(of: s.value).contains(.latin) }
        var bridged = 0, unbridged = 0
        if let first = scalars.firstIndex(where: { !isSymbol($0) }), let last = scalars.lastIndex(where: { !isSymbol($0) }) {
            var k = first
            while k < last {
                guard isSymbol(scalars[k]) else { k += 1; continue }
                var end = k
                while isSymbol(scalars[end]) { end += 1 }
                let (l, r, symbol) = (scalars[k - 1], scalars[end], scalars[k])
                // Runs of letters written without spaces on either side, up to a symbol or another character.
                var left = 0, right = 0
                while k - 1 - left >= 0 && joined(scalars[k - 1 - left]) { left += 1 }
                while end + right < scalars.count && joined(scalars[end + right]) { right += 1 }
                let shortRuns = left <= SymbolBridges.maxRun && right <= SymbolBridges.maxRun
                if end == k + 1 && ((joined(l) && joined(r) && shortRuns) || (latinLetter(l) && latinLetter(r) && symbol == "*")) {
                    bridged += 1
                } else {
                    unbridged += 1
                }
                k = end
            }
        }
        for scalar in scalars {
            let cls = CharacterTable.shared.characterClass(of: scalar.value)
            if cls.contains(.latin) { latin += 1; letters += 1; sinceSpreader += 1 }
            if cls.contains(.cyrillicOrGreek) { foreign += 1; letters += 1; sinceSpreader += 1 }
            guard scalar.isASCII else { continue }
            let b = UInt8(scalar.value)
            if VariantBuilder.leet(b) != nil && cls.contains(.digit) { sinceSpreader += 1 }
            if VariantBuilder.isSpreader(b) && b != UInt8(ascii: "|") {
                spreaders += 1
                if sinceSpreader > 1 { singleBetweenSpreaders = false }
                sinceSpreader = 0
            }
        }
        if sinceSpreader > 1 { singleBetweenSpreaders = false }
        let leet = builder.leetCount(token, text)
        let mixed = latin > 0 && foreign > 0
        if mixed { text.evidence.append(.init(kind: .homoglyph, span: text.originalSpan(of: token))) }
        if spreaders >= 2 && letters >= 2 && singleBetweenSpreaders && letters + leet >= 3 { return .unspread }
        if bridged > 0 && unbridged == 0 { return .bridge }
        if mixed { return .decode(.homoglyph) }
        if leet > 0 && latin + foreign >= 2 { return .decode(.leet) }
        return .keep
    }
}

/// A small seeded generator (SplitMix64), so that random tests fail the same way every run.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Normaliser {
    fileprivate func normalisedForTest(_ listing: String) -> NormalisedText {
        let text = NormalisedText()
        normalise(listing, into: text)
        return text
    }
}

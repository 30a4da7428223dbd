import Foundation
import Testing
@testable import WildGuard

/// Reading decisions back, counting them, choosing and ordering the cases, and joining listings.
@Suite("Report aggregation")
struct ReportAggregationTests {
    static func decision(_ id: String, _ action: Action?, score: Double = 10, taxon: String? = nil, appendix: String = "I",
                         seller: String? = nil) -> DecisionRecord {
        var reasons: [DecisionRecord.Reason] = []
        if let taxon {
            reasons.append(DecisionRecord.Reason(
                rule: taxon.lowercased(), kind: "taxon", matched: taxon, span: 0..<3,
                taxon: DecisionRecord.Taxon(scientificName: taxon, commonName: nil, appendix: appendix, group: "g")))
        }
        return DecisionRecord(idJSON: JSONWriter.quoted(id), action: action, score: score, reasons: reasons,
                              fields: seller.map { [("seller", .string($0))] } ?? [])
    }

    static func parse(_ line: String) throws -> DecisionRecord {
        try Array(line.utf8).withUnsafeBufferPointer { bytes throws(JSONError) in try DecisionRecord.parse(bytes) }
    }

    @Test func readsWhatClassifyWrites() throws {
        let engine = try Fixtures.engine
        let decision = engine.classify("Carved ivory bangle from a tiger tooth, 45g, WhatsApp for price")
        var w = JSONWriter()
        DecisionJSON.write(decision, idJSON: "\"x-1\"", into: &w)
        let record = try Self.parse(String(decoding: w.bytes, as: UTF8.self))
        #expect(record.id == "x-1" && record.idJSON == "\"x-1\"")
        #expect(record.action == decision.action)
        #expect(record.score == (decision.score * 100).rounded() / 100 || record.score == decision.score)
        #expect(record.reasons.count == decision.reasons.count)
        #expect(record.decidingRule == decision.decidingRule)
        #expect(record.policy == decision.policy && record.taxonomyVersion == decision.taxonomyVersion)
        for (read, original) in zip(record.reasons, decision.reasons) {
            #expect(read.rule == original.rule && read.kind == original.kind && read.matched == original.matched)
            #expect(read.span == original.span)
            #expect(read.taxon?.scientificName == original.taxon?.scientificName)
            #expect(read.taxon?.appendix == original.taxon?.appendix.rawValue)
            #expect(read.tags == original.tags)
        }
    }

    @Test func readsErrorRecordsAndNumericIds() throws {
        let record = try Self.parse(#"{"id":13,"decision":"error","line":13,"error":"bad","reasons":[]}"#)
        #expect(record.action == nil && record.outcome == "error" && record.error == "bad")
        #expect(record.idJSON == "13" && record.id == "13")
        #expect(throws: JSONError.self) { try Self.parse(#"{"decision":"block"}"#) }
        #expect(throws: JSONError.self) { try Self.parse(#"{"id":1}"#) }
        #expect(throws: JSONError.self) { try Self.parse(#"{"id":1,"decision":"block","reasons":[1]}"#) }
        #expect(throws: JSONError.self) { try Self.parse("not json") }
    }

    @Test func countsEveryDecisionAndListsTheFlaggedOnes() {
        var builder = ReportBuilder()
        builder.add(Self.decision("a", .block, taxon: "Manidae"), line: 1)
        builder.add(Self.decision("b", .review, taxon: "Manidae", appendix: "I"), line: 2)
        builder.add(Self.decision("c", .allow), line: 3)
        builder.add(Self.decision("d", nil), line: 4)
        builder.addUnreadable(line: 5, message: "invalid JSON")
        let report = builder.finish()
        #expect(report.totals == DecisionCounts(block: 1, review: 1, allow: 1, error: 1))
        #expect(report.unreadable == 1)
        #expect(report.cases.map(\.decision.id) == ["a", "b"])
        let taxon = report.charts.first { $0.id == "taxon" }
        #expect(taxon?.rows.first?.label == "Manidae" && taxon?.rows.first?.counts.flagged == 2)
        let appendix = report.charts.first { $0.id == "appendix" }
        #expect(appendix?.rows.map(\.label) == ["Appendix I", "no taxon named"])
    }

    @Test func keepsTheMostUrgentCasesUpToTheCapAndCountsTheRest() {
        var options = ReportOptions()
        options.maxCases = 3
        var builder = ReportBuilder(options: options)
        for i in 0..<100 { builder.add(Self.decision("r\(i)", .review, score: Double(i)), line: i + 1) }
        builder.add(Self.decision("b-low", .block, score: 1), line: 101)
        let report = builder.finish()
        #expect(report.cases.map(\.decision.id) == ["b-low", "r99", "r98"])
        #expect(report.flagged.flagged == 101)
        #expect(report.omitted == DecisionCounts(block: 0, review: 98))
        let html = ReportHTML.render(report)
        #expect(html.contains("The table lists the 3 most urgent"))
        #expect(html.contains("98 more (0 block, 98 review)"))
    }

    @Test func groupsBySellerWithRepeatSellersFirst() {
        var builder = ReportBuilder()
        builder.add(Self.decision("one-off", .block, score: 50, seller: "alice"), line: 1)
        builder.add(Self.decision("x1", .review, score: 5, seller: "bob"), line: 2)
        builder.add(Self.decision("nobody", .block, score: 99), line: 3)
        builder.add(Self.decision("x2", .block, score: 7, seller: "bob"), line: 4)
        builder.add(Self.decision("x3", .review, score: 6, seller: "bob"), line: 5)
        builder.add(Self.decision("fine", .allow, seller: "carol"), line: 6)
        let report = builder.finish()
        #expect(report.sellerField == "seller")
        #expect(report.sellers.map(\.seller) == ["bob", "alice"])
        #expect(report.repeatSellers == 1 && report.sellerCount == 2)
        #expect(report.cases.map(\.decision.id) == ["x2", "x3", "x1", "one-off", "nobody"])
        let html = ReportHTML.render(report)
        #expect(html.contains("Seller <b>bob</b> · 3 flagged (1 block, 2 review)<span class=\"repeat\">repeat seller</span>"))
        #expect(html.contains("<tbody id=\"g-0\">") && html.contains("<tbody id=\"g-2\">") && html.contains("No seller given"))
    }

    @Test func sellerCountsStayWithinTheirCapacity() {
        var sellers = SellerCounts(capacity: 100)
        for i in 0..<10_000 { sellers.add("s\(i)", .review, score: 1) }
        for _ in 0..<5 { sellers.add("busy", .block, score: 9) }
        #expect(sellers.count <= 100)
        #expect(!sellers.isExact && sellers.uncertainty == 1)
        #expect(sellers.ranked().first?.seller == "busy" && sellers["busy"]?.counts.block == 5)
    }

    @Test func talliesFoldNewValuesOnceFull() {
        var tally = DecisionTally(capacity: 3)
        for key in ["a", "b", "c", "d", "e"] { tally.add(key, .block) }
        tally.add("a", .review)
        #expect(tally.counts.count == 4 && tally.counts[DecisionTally.otherKey]?.block == 2)
        let rows = tally.rows(limit: 3)
        #expect(rows.map(\.key) == ["a", "b", "2+ other values"])
        #expect(rows[2].counts.block == 3)
    }

    static func listing(_ id: String, _ text: String) -> InputRecord {
        InputRecord(line: 0, idJSON: JSONWriter.quoted(id), text: text, error: nil, fields: [], replacedInvalidUTF8: false)
    }

    static func join(_ ids: [String], window: Int = 4) -> ListingJoin {
        var queue = ids[...]
        return ListingJoin(window: window) { queue.popFirst().map { listing($0, "text of \($0)") } }
    }

    @Test func joinsListingsInOrderOutOfOrderAndMissing() {
        var join = Self.join(["a", "b", "c", "d", "e", "f"])
        #expect(join.listing(for: "\"a\"")?.text == "text of a")
        #expect(join.listing(for: "\"c\"")?.text == "text of c")  // b held
        #expect(join.listing(for: "\"b\"")?.text == "text of b")
        #expect(join.listing(for: "\"zz\"") == nil)  // reads d, e, f ahead
        #expect(join.listing(for: "\"e\"")?.text == "text of e")
        #expect(join.listing(for: "\"d\"")?.text == "text of d")
        #expect(join.listing(for: "\"f\"")?.text == "text of f")
        #expect(join.unmatched == 1 && join.held == 0)
    }

    @Test func theJoinHoldsAtMostItsWindow() {
        let ids = (0..<1_000).map { "l\($0)" }
        var join = Self.join(ids, window: 8)
        for i in stride(from: 999, through: 0, by: -1) { _ = join.listing(for: JSONWriter.quoted("l\(i)")) }
        #expect(join.held <= 8)
        #expect(join.dropped > 0)
    }

    @Test func theTextOfACaseIsCutOnACharacterBoundary() {
        #expect(ReportCase.truncated("象牙象牙", maxBytes: 7) == "象牙")
        #expect(ReportCase.truncated("ivory", maxBytes: 10) == "ivory")
        var options = ReportOptions()
        options.maxTextBytes = 10
        var builder = ReportBuilder(options: options)
        let c = builder.add(Self.decision("a", .block), line: 1, listing: Self.listing("a", String(repeating: "ivory ", count: 10)))
        #expect(c?.text == "ivory ivor" && c?.isTextTruncated == true && c?.textBytes == 60)
    }

    @Test func writingScripts() {
        #expect(WritingScript.dominant(in: "Продам клык тигра") == .cyrillic)
        #expect(WritingScript.dominant(in: "出售老象牙烟嘴一支") == .han)
        #expect(WritingScript.dominant(in: "象牙かどうか分からない") == .kana)
        #expect(WritingScript.dominant(in: "กำไลกระดองเต่า") == .thai)
        #expect(WritingScript.dominant(in: "Bán đũa ngà voi") == .latin)
        #expect(WritingScript.dominant(in: "123 $$ 🐘") == nil)
    }

    @Test func sha256KnownAnswers() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(String(repeating: "a", count: 1_000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        #expect(SHA256.base64("abc") == "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")
    }

    @Test func numberFormats() {
        #expect(ReportFormat.count(1_000_000) == "1,000,000" && ReportFormat.count(999) == "999" && ReportFormat.count(-1234) == "-1,234")
        #expect(ReportFormat.percent(1, of: 3) == "33.3%" && ReportFormat.percent(0, of: 0) == "0%")
        #expect(ReportFormat.score(19.5) == "19.5" && ReportFormat.score(8) == "8" && ReportFormat.score(-3.25) == "-3.25")
        #expect(ReportFormat.score(0.05) == "0.05")
    }
}

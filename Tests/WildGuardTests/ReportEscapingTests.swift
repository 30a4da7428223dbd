import Foundation
import Testing
@testable import WildGuard

/// Listing text, ids and sellers are untrusted: whatever they hold, the report must show them as
/// text and run nothing but its own script.
@Suite("Report escaping")
struct ReportEscapingTests {
    static let allowedTags: Set<String> = [
        "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "p", "main", "section", "div", "span",
        "figure", "figcaption", "small", "svg", "g", "text", "tspan", "rect", "table", "thead", "tbody", "tr", "th", "td",
        "button", "label", "input", "select", "option", "output", "ul", "li", "i", "b", "code", "mark", "a", "details",
        "summary", "footer", "script",
    ]
    static let allowedAttributes: Set<String> = [
        "lang", "charset", "http-equiv", "content", "name", "class", "id", "xmlns", "viewbox", "width", "height", "role",
        "aria-labelledby", "x", "y", "dx", "text-anchor", "font-style", "colspan", "scope", "data-key", "aria-sort",
        "type", "placeholder", "value", "checked", "data-decision", "data-score", "data-order", "data-group", "data-id",
        "data-seller", "data-taxon", "data-app", "title", "dir", "href",
    ]

    /// Every tag and attribute in the page, read with a small tokenizer that knows quoted
    /// attribute values and the raw text of `<script>` and `<style>` (so that nothing escaped can
    /// hide a tag, and nothing unescaped can go unseen).
    static func markup(_ html: String) -> (tags: [String], attributes: [(tag: String, name: String, value: String)]) {
        var tags: [String] = []
        var attributes: [(tag: String, name: String, value: String)] = []
        let s = Array(html.unicodeScalars)
        func starts(_ prefix: String, at i: Int) -> Bool {
            let p = Array(prefix.unicodeScalars)
            return i + p.count <= s.count && zip(s[i...], p).allSatisfy { Character($0).lowercased() == Character($1).lowercased() }
        }
        var i = 0
        var rawText: String?
        while i < s.count {
            guard s[i] == "<" else { i += 1; continue }
            if let raw = rawText {
                guard starts("</" + raw, at: i) else { i += 1; continue }
                rawText = nil
            }
            i += 1
            if i < s.count && s[i] == "!" {
                while i < s.count && s[i] != ">" { i += 1 }
                continue
            }
            var isEnd = false
            if i < s.count && s[i] == "/" { isEnd = true; i += 1 }
            var name = ""
            while i < s.count && (s[i].properties.isAlphabetic || ("0"..."9").contains(s[i])) { name.unicodeScalars.append(s[i]); i += 1 }
            guard !name.isEmpty else { continue }
            name = name.lowercased()
            tags.append(name)
            while i < s.count && s[i] != ">" {
                if s[i] == " " || s[i] == "\n" || s[i] == "/" { i += 1; continue }
                var attribute = ""
                while i < s.count && s[i] != "=" && s[i] != " " && s[i] != ">" { attribute.unicodeScalars.append(s[i]); i += 1 }
                var value = ""
                if i < s.count && s[i] == "=" {
                    i += 1
                    if i < s.count && s[i] == "\"" {
                        i += 1
                        while i < s.count && s[i] != "\"" { value.unicodeScalars.append(s[i]); i += 1 }
                        i += 1
                    } else {
                        while i < s.count && s[i] != " " && s[i] != ">" { value.unicodeScalars.append(s[i]); i += 1 }
                    }
                }
                if !attribute.isEmpty { attributes.append((name, attribute.lowercased(), value)) }
            }
            i += 1
            if !isEnd && (name == "script" || name == "style") { rawText = name }
        }
        return (tags, attributes)
    }

    @Test func theReportHoldsOnlyItsOwnMarkup() throws {
        let (report, _) = try ReportFixtures.build(decisions: "decisions.jsonl", listings: "listings.jsonl")
        let html = ReportHTML.render(report)
        let (tags, attributes) = Self.markup(html)
        #expect(Set(tags).subtracting(Self.allowedTags).isEmpty, "unexpected tags: \(Set(tags).subtracting(Self.allowedTags))")
        let names = Set(attributes.map(\.name))
        #expect(names.subtracting(Self.allowedAttributes).isEmpty, "unexpected attributes: \(names.subtracting(Self.allowedAttributes))")
        #expect(!names.contains { $0.hasPrefix("on") })
        #expect(tags.filter { $0 == "script" }.count == 2, "one <script> element (open and close tags)")
        // Links only go to the page's own anchors.
        for attribute in attributes where attribute.name == "href" {
            #expect(attribute.value.hasPrefix("#g-"), "href=\(attribute.value)")
        }
        // The hostile listings are there, as text.
        #expect(html.contains("&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;"))
        #expect(html.contains("&lt;img src=x onerror=&quot;document.title=&#39;PWNED&#39;&quot;&gt;"))
        #expect(html.contains("&lt;a href=&quot;javascript:document.title=&#39;PWNED&#39;&quot;&gt;"))
        #expect(html.contains("&lt;/title&gt;&lt;/textarea&gt;"))
        #expect(html.contains("&lt;b onmouseover="))
        #expect(!html.contains("<script>document"))
        #expect(!html.contains("<img"))
    }

    @Test func thePolicyAllowsOnlyTheReportsOwnScriptAndStyle() throws {
        let (report, _) = try ReportFixtures.build(decisions: "decisions.jsonl", listings: nil)
        let html = ReportHTML.render(report)
        let csp = ReportHTML.contentSecurityPolicy
        #expect(csp.hasPrefix("default-src 'none'; script-src 'sha256-"))
        #expect(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"))
        #expect(html.contains("<script>\(ReportAssets.script)</script>"))
        #expect(html.contains("<style>\(ReportAssets.style)</style>"))
        #expect(csp.contains("'sha256-\(SHA256.base64(ReportAssets.script))'"))
        #expect(!html.contains(" src="))
    }

    @Test("HTML escaping", arguments: [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("\" onmouseover=\"x", "&quot; onmouseover=&quot;x"),
        ("a & b 'c'", "a &amp; b &#39;c&#39;"),
        ("nul\u{0}bell\u{7}", "nul\u{FFFD}bell\u{FFFD}"),
        ("line\nbreak\ttab", "line\nbreak\ttab"),
    ])
    func escaping(input: String, expected: String) {
        #expect(HTMLText.escape(input) == expected)
    }

    @Test func invisibleAndBidiCharactersAreShownAsCodePoints() {
        var out = ""
        HTMLText.appendVisible("iv\u{200B}ory \u{202E}esolc\u{202C} \u{AD}x", to: &out)
        #expect(out.contains("iv<span class=\"cc\" title=\"invisible character U+200B\">U+200B</span>ory"))
        #expect(out.contains(">U+202E</span>esolc<span"))
        #expect(out.contains(">U+202C</span>"))
        #expect(out.contains(">U+00AD</span>x"))
        #expect(!out.unicodeScalars.contains { $0.value == 0x202E || $0.value == 0x200B })
    }

    @Test func emojiSequencesAreKept() {
        var out = ""
        HTMLText.appendVisible("👩\u{200D}🔬 ❤\u{FE0F}", to: &out)
        #expect(out == "👩\u{200D}🔬 ❤\u{FE0F}")
    }

    @Test func csvCellsCannotBecomeFormulas() throws {
        let (_, csv) = try ReportFixtures.build(decisions: "decisions.jsonl", listings: "listings.jsonl")
        #expect(csv.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\""))
        #expect(csv.contains(",'=cmd|' /C calc'!A0 ivory netsuke for sale $50,"))
        #expect(ReportCSV.safe("-5") == "-5")
        #expect(ReportCSV.safe("-x") == "'-x")
        #expect(ReportCSV.safe("@SUM(A1)") == "'@SUM(A1)")
        #expect(ReportCSV.safe("+1-2") == "'+1-2")
        #expect(ReportCSV.safe("plain") == "plain")
    }

    @Test func evidenceSpansAreMarkedOnWholeCharacters() {
        let text = "出售象牙 <b>ivory</b>"
        // 象牙 is bytes 6..<12; a span cut inside a character is widened to it.
        let reasons = [
            DecisionRecord.Reason(rule: "product.ivory", kind: "product", explanation: "ivory <x>", matched: "象牙", span: 7..<12),
            DecisionRecord.Reason(rule: "product.ivory", kind: "product", matched: "ivory", span: 16..<21),
            DecisionRecord.Reason(rule: "intent.sale", kind: "intent", matched: "出售", span: 0..<6),
            DecisionRecord.Reason(rule: "past.the.end", kind: "taxon", matched: "?", span: 400..<410),
            DecisionRecord.Reason(rule: "WG_RULE", kind: "rule"),
        ]
        let html = EvidenceMarkup.html(text, reasons: reasons)
        #expect(html == "<mark class=\"ev ev-intent\" title=\"intent: intent.sale\">出售</mark>"
            + "<mark class=\"ev ev-product\" title=\"product: product.ivory: ivory &lt;x&gt;\">象牙</mark> &lt;b&gt;"
            + "<mark class=\"ev ev-product\" title=\"product: product.ivory\">ivory</mark>&lt;/b&gt;")
    }

    @Test func overlappingSpansTakeTheStrongerKind() {
        let reasons = [
            DecisionRecord.Reason(rule: "intent.x", kind: "intent", span: 0..<10),
            DecisionRecord.Reason(rule: "taxon.y", kind: "taxon", span: 4..<8),
        ]
        let html = EvidenceMarkup.html("abcdefghij", reasons: reasons)
        #expect(html == "<mark class=\"ev ev-intent\" title=\"intent: intent.x\">abcd</mark>"
            + "<mark class=\"ev ev-taxon\" title=\"intent: intent.x\ntaxon: taxon.y\">efgh</mark>"
            + "<mark class=\"ev ev-intent\" title=\"intent: intent.x\">ij</mark>")
    }
}

/// Renders an `AnalystReport` as one self-contained HTML page: totals, inline SVG charts, the
/// sellers with flagged listings, and a sortable, filterable table of the flagged cases with the
/// evidence marked in the listing text.
///
/// The page loads nothing (no network, no external script, style or font) and its
/// Content-Security-Policy allows only its own script and style sheet, pinned by hash. Text from
/// input is always escaped by `HTMLText`, so a listing holding `<script>`, an event handler or a
/// `javascript:` URL shows as text. The output depends only on the report (no clock, no random
/// numbers), so the same input gives the same bytes.
public enum ReportHTML {
    /// The Content-Security-Policy of every report.
    public static var contentSecurityPolicy: String {
        "default-src 'none'; script-src 'sha256-\(SHA256.base64(ReportAssets.script))'; "
            + "style-src 'sha256-\(SHA256.base64(ReportAssets.style))'; img-src data:; base-uri 'none'; form-action 'none'"
    }

    /// The whole page.
    public static func render(_ report: AnalystReport) -> String {
        var out = ""
        out.reserveCapacity(64 * 1024 + report.cases.count * 2048)
        head(report, &out)
        out += "<body>\n"
        header(report, &out)
        out += "<main>\n"
        summary(report, &out)
        charts(report, &out)
        if !report.sellers.isEmpty { sellers(report, &out) }
        cases(report, &out)
        out += "</main>\n<footer>Made with <code>wildguard report</code>. Listing text is untrusted input: it is shown as text only, "
        out += "and this page runs no script but its own. Evidence spans are marked in the listing text; invisible characters show as code points.</footer>\n"
        out += "<script>\(ReportAssets.script)</script>\n</body>\n</html>\n"
        return out
    }

    private static func head(_ report: AnalystReport, _ out: inout String) {
        out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"\(contentSecurityPolicy)\">\n"
        out += "<meta name=\"referrer\" content=\"no-referrer\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<meta name=\"generator\" content=\"wildguard report\">\n"
        out += "<title>"
        HTMLText.append(report.options.title, to: &out)
        out += "</title>\n<style>\(ReportAssets.style)</style>\n</head>\n"
    }

    private static func header(_ report: AnalystReport, _ out: inout String) {
        out += "<header><h1>"
        HTMLText.append(report.options.title, to: &out)
        out += "</h1><p>"
        var parts: [String] = []
        if let source = report.options.source { parts.append("decisions: \(source)") }
        if let listings = report.options.listings { parts.append("listings: \(listings)") }
        parts.append("\(ReportFormat.count(report.totals.total)) decisions")
        if !report.policies.isEmpty { parts.append("policy " + report.policies.joined(separator: ", ")) }
        if !report.taxonomyVersions.isEmpty { parts.append("taxonomy " + report.taxonomyVersions.joined(separator: ", ")) }
        HTMLText.append(parts.joined(separator: " · "), to: &out)
        out += "</p></header>\n"
    }

    private static func summary(_ report: AnalystReport, _ out: inout String) {
        let t = report.totals
        out += "<section id=\"summary\">\n<h2>Summary</h2>\n<div class=\"cards\">"
        card("total", "Decisions", t.total, nil, &out)
        card("block", "Block", t.block, t.total, &out)
        card("review", "Review", t.review, t.total, &out)
        card("allow", "Allow", t.allow, t.total, &out)
        if t.error > 0 { card("error", "Error", t.error, t.total, &out) }
        if report.sellerField != nil && report.sellerCount > 0 {
            out += "<div class=\"card sellers\"><span class=\"n\">\(ReportFormat.count(report.repeatSellers))</span>"
            out += "<span class=\"p\">repeat sellers (of \(ReportFormat.count(report.sellerCount)) with flagged listings)</span></div>"
        }
        out += "</div>\n"
        if report.unreadable > 0 {
            out += "<p class=\"warn\">\(ReportFormat.count(report.unreadable)) line(s) of the decisions file could not be read and are not counted"
            let examples = report.unreadableExamples.map { "line \($0.line): \($0.message)" }.joined(separator: "; ")
            out += " ("
            HTMLText.append(examples, to: &out)
            out += report.unreadable > report.unreadableExamples.count ? "; …)" : ")"
            out += ".</p>\n"
        }
        if let unmatched = report.unmatchedListings, unmatched > 0 {
            out += "<p class=\"warn\">\(ReportFormat.count(unmatched)) decision(s) had no listing with the same id in the listings file "
            out += "(or not near the same place in it): their text, seller, language and category are unknown.</p>\n"
        }
        out += "</section>\n"
    }

    private static func card(_ kind: String, _ label: String, _ n: Int, _ total: Int?, _ out: inout String) {
        out += "<div class=\"card \(kind)\"><span class=\"n\">\(ReportFormat.count(n))</span><span class=\"p\">\(label)"
        if let total { out += " · \(ReportFormat.percent(n, of: total))" }
        out += "</span></div>"
    }

    private static func charts(_ report: AnalystReport, _ out: inout String) {
        out += "<section id=\"charts\">\n<h2>Charts</h2>\n"
        out += "<div class=\"legend\"><span><i class=\"block\"></i>block</span><span><i class=\"review\"></i>review</span>"
        out += "<span><i class=\"allow\"></i>allow</span>"
        if report.totals.error > 0 { out += "<span><i class=\"error\"></i>error</span>" }
        out += "</div>\n<div class=\"charts\">\n"
        for chart in report.charts {
            out += "<figure id=\"chart-\(HTMLText.escape(chart.id))\"><figcaption>"
            HTMLText.append(chart.title, to: &out)
            out += "<small>"
            HTMLText.append(chart.note, to: &out)
            out += "</small></figcaption>"
            out += BarChartSVG.svg(chart)
            out += "</figure>\n"
        }
        out += "</div>\n</section>\n"
    }

    /// Groups of the table: consecutive cases with the same seller (cases are already in order).
    private static func groups(_ report: AnalystReport) -> [(seller: String?, cases: ArraySlice<ReportCase>)] {
        guard report.groupsBySeller else { return [(nil, report.cases[...])] }
        var out: [(seller: String?, cases: ArraySlice<ReportCase>)] = []
        var start = 0
        for i in report.cases.indices where i == report.cases.count - 1 || report.cases[i + 1].seller != report.cases[i].seller {
            out.append((report.cases[i].seller, report.cases[start...i]))
            start = i + 1
        }
        return out
    }

    private static func sellers(_ report: AnalystReport, _ out: inout String) {
        let groups = groups(report)
        var groupOf: [String: Int] = [:]
        var taxaOf: [String: [String]] = [:]
        for (i, group) in groups.enumerated() {
            guard let seller = group.seller else { continue }
            groupOf[seller] = i
            var names: [String] = []
            for c in group.cases { for taxon in c.decision.taxa where !names.contains(taxon.scientificName) { names.append(taxon.scientificName) } }
            taxaOf[seller] = names
        }
        out += "<section id=\"sellers\">\n<h2>Sellers with flagged listings</h2>\n<p class=\"note\">"
        out += "From the field '\(HTMLText.escape(report.sellerField ?? ""))'. \(ReportFormat.count(report.sellerCount)) sellers had flagged listings, "
        out += "\(ReportFormat.count(report.repeatSellers)) of them more than one (repeat sellers, listed first)."
        if report.sellers.count < report.sellerCount { out += " The \(report.sellers.count) with the most are shown." }
        if !report.sellerCountsExact {
            out += " There were too many sellers to count exactly: a count may be short by up to \(report.sellerUncertainty)."
        }
        out += "</p>\n<table id=\"seller-table\"><thead><tr><th>Seller</th><th>Flagged</th><th>Block</th><th>Review</th><th>Top score</th><th>Taxa in the listed cases</th></tr></thead>\n<tbody>\n"
        for entry in report.sellers {
            out += "<tr><td>"
            if let group = groupOf[entry.seller] {
                out += "<a href=\"#g-\(group)\">"
                HTMLText.appendVisible(entry.seller, to: &out)
                out += "</a>"
            } else {
                HTMLText.appendVisible(entry.seller, to: &out)
            }
            if entry.counts.flagged > 1 { out += "<span class=\"repeat\">repeat</span>" }
            out += "</td><td class=\"num\">\(ReportFormat.count(entry.counts.flagged))</td><td class=\"num\">\(ReportFormat.count(entry.counts.block))</td>"
            out += "<td class=\"num\">\(ReportFormat.count(entry.counts.review))</td><td class=\"num\">\(ReportFormat.score(entry.topScore))</td><td>"
            for (i, name) in (taxaOf[entry.seller] ?? []).enumerated() {
                if i > 0 { out += ", " }
                out += "<i>"
                HTMLText.append(name, to: &out)
                out += "</i>"
            }
            out += "</td></tr>\n"
        }
        out += "</tbody></table>\n</section>\n"
    }

    private static func cases(_ report: AnalystReport, _ out: inout String) {
        let grouped = report.groupsBySeller
        let columns = grouped ? 8 : 7
        out += "<section id=\"cases\">\n<h2>Flagged cases</h2>\n"
        let shown = report.cases.count
        out += "<p class=\"note\">\(ReportFormat.count(report.flagged.flagged)) flagged decisions "
        out += "(\(ReportFormat.count(report.flagged.block)) block, \(ReportFormat.count(report.flagged.review)) review)"
        if report.omitted.flagged > 0 {
            out += ". The table lists the \(ReportFormat.count(shown)) most urgent (block first, then by score); "
            out += "\(ReportFormat.count(report.omitted.flagged)) more (\(ReportFormat.count(report.omitted.block)) block, "
            out += "\(ReportFormat.count(report.omitted.review)) review) are counted in the totals and charts but not listed here."
        } else {
            out += ", all listed."
        }
        if grouped { out += " Grouped by seller, sellers with the most flagged listings first." }
        out += "</p>\n"
        out += "<div class=\"legend\"><span><mark class=\"ev ev-taxon\">taxon</mark></span><span><mark class=\"ev ev-product\">product</mark></span>"
        out += "<span><mark class=\"ev ev-codeword\">code word</mark></span><span><mark class=\"ev ev-evasion\">evasion</mark></span>"
        out += "<span><mark class=\"ev ev-intent\">trade intent</mark></span><span><mark class=\"ev ev-mitigating\">benign or mitigating</mark></span>"
        out += "<span><span class=\"cc\">U+200B</span> invisible character</span></div>\n"
        out += "<div class=\"controls\" role=\"search\"><label>Search <input type=\"search\" id=\"f-search\" placeholder=\"text, id, taxon, rule, seller\"></label>"
        out += "<label><input type=\"checkbox\" name=\"f-decision\" value=\"block\" checked> block</label>"
        out += "<label><input type=\"checkbox\" name=\"f-decision\" value=\"review\" checked> review</label>"
        out += "<label>CITES <select id=\"f-app\"><option value=\"\">any appendix</option><option value=\"I\">I</option>"
        out += "<option value=\"I/II\">I/II</option><option value=\"II\">II</option><option value=\"III\">III</option>"
        out += "<option value=\"none\">not listed</option></select></label>"
        if grouped { out += "<label><input type=\"checkbox\" id=\"f-group\" checked> group by seller</label>" }
        out += "<output id=\"f-count\">\(ReportFormat.count(shown)) of \(ReportFormat.count(shown)) cases shown</output></div>\n"
        out += "<table id=\"case-table\">\n<thead><tr>"
        out += "<th data-key=\"decision\" aria-sort=\"none\"><button type=\"button\">Decision</button></th>"
        out += "<th data-key=\"score\" aria-sort=\"none\"><button type=\"button\">Score</button></th>"
        out += "<th data-key=\"id\" aria-sort=\"none\"><button type=\"button\">ID</button></th>"
        if grouped { out += "<th data-key=\"seller\" aria-sort=\"none\"><button type=\"button\">Seller</button></th>" }
        out += "<th>Listing (evidence marked)</th>"
        out += "<th data-key=\"taxon\" aria-sort=\"none\"><button type=\"button\">Taxon · CITES</button></th>"
        out += "<th>Evidence</th><th>Rules fired</th></tr></thead>\n"
        var order = 0
        if grouped {
            for (index, group) in groups(report).enumerated() {
                out += "<tbody id=\"g-\(index)\">\n"
                groupHeader(report, group.seller, group.cases, columns: columns, &out)
                for c in group.cases {
                    row(c, group: String(index), order: order, grouped: true, &out)
                    order += 1
                }
                out += "</tbody>\n"
            }
            out += "<tbody id=\"g-all\"></tbody>\n"
        } else {
            out += "<tbody id=\"g-all\">\n"
            for c in report.cases {
                row(c, group: "all", order: order, grouped: false, &out)
                order += 1
            }
            out += "</tbody>\n"
        }
        out += "</table>\n"
        if report.cases.isEmpty { out += "<p class=\"note\">No flagged cases.</p>\n" }
        out += "</section>\n"
    }

    private static func groupHeader(_ report: AnalystReport, _ seller: String?, _ cases: ArraySlice<ReportCase>, columns: Int, _ out: inout String) {
        out += "<tr class=\"group\"><th colspan=\"\(columns)\" scope=\"rowgroup\">"
        guard let seller else {
            out += "No seller given · \(ReportFormat.count(cases.count)) listed</th></tr>\n"
            return
        }
        var counts = DecisionCounts()
        for c in cases { counts.add(c.action) }
        let entry = report.sellers.first { $0.seller == seller }
        let total = entry?.counts ?? counts
        out += "Seller <b>"
        HTMLText.appendVisible(seller, to: &out)
        out += "</b> · \(ReportFormat.count(total.flagged)) flagged (\(ReportFormat.count(total.block)) block, \(ReportFormat.count(total.review)) review)"
        if total.flagged > cases.count { out += " · \(ReportFormat.count(cases.count)) listed here" }
        if total.flagged > 1 { out += "<span class=\"repeat\">repeat seller</span>" }
        out += "</th></tr>\n"
    }

    private static func appendixClass(_ appendix: String) -> String {
        switch appendix {
        case "I", "I/II": "a1"
        case "II": "a2"
        case "III": "a3"
        default: "a0"
        }
    }

    private static func row(_ c: ReportCase, group: String, order: Int, grouped: Bool, _ out: inout String) {
        let d = c.decision
        let taxa = d.taxa
        let action = c.action.rawValue
        out += "<tr class=\"case\" data-decision=\"\(action)\" data-score=\"\(ReportFormat.score(d.score))\" data-order=\"\(order)\" data-group=\"\(group)\" data-id=\""
        HTMLText.append(d.id, to: &out)
        out += "\""
        if let seller = c.seller {
            out += " data-seller=\""
            HTMLText.append(seller, to: &out)
            out += "\""
        }
        out += " data-taxon=\""
        HTMLText.append(taxa.first?.scientificName ?? "", to: &out)
        out += "\" data-app=\""
        HTMLText.append(Array(Set(taxa.map(\.appendix))).sorted().joined(separator: " "), to: &out)
        out += "\">"
        out += "<td><span class=\"badge \(action)\">\(action)</span></td>"
        out += "<td class=\"num\">\(ReportFormat.score(d.score))</td>"
        out += "<td class=\"id\"><code>"
        HTMLText.appendVisible(d.id, to: &out)
        out += "</code><div class=\"line\">line \(c.line)</div></td>"
        if grouped {
            out += "<td>"
            if let seller = c.seller { HTMLText.appendVisible(seller, to: &out) }
            out += "</td>"
        }
        out += "<td class=\"listing\">"
        if let text = c.text {
            out += "<div class=\"text\" dir=\"auto\">"
            out += EvidenceMarkup.html(text, reasons: d.reasons)
            out += "</div>"
            if c.isTextTruncated {
                out += "<div class=\"note\">cut at \(ReportFormat.count(text.utf8.count)) of \(ReportFormat.count(c.textBytes)) bytes</div>"
            }
        } else {
            out += "<span class=\"missing\">listing text not available</span>"
        }
        var extras: [String] = []
        if let language = c.language { extras.append("language \(language)") }
        if let category = c.category { extras.append("category \(category)") }
        if !extras.isEmpty {
            out += "<div class=\"line\">"
            HTMLText.append(extras.joined(separator: " · "), to: &out)
            out += "</div>"
        }
        out += "</td><td><ul class=\"plain\">"
        for taxon in taxa {
            out += "<li><i>"
            HTMLText.append(taxon.scientificName, to: &out)
            out += "</i>"
            if let common = taxon.commonName {
                out += " <span class=\"common\">("
                HTMLText.append(common, to: &out)
                out += ")</span>"
            }
            out += "<span class=\"app \(appendixClass(taxon.appendix))\">"
            out += taxon.appendix == "none" ? "not CITES-listed" : "App. \(HTMLText.escape(taxon.appendix))"
            out += "</span></li>"
        }
        if taxa.isEmpty { out += "<li class=\"missing\">no taxon named</li>" }
        out += "</ul></td><td class=\"small\"><ul class=\"plain evidence\">"
        for reason in d.reasons where !reason.isRule {
            out += "<li><span class=\"k\">"
            HTMLText.append(reason.kind, to: &out)
            out += "</span> "
            if !reason.matched.isEmpty {
                out += "«"
                HTMLText.appendVisible(reason.matched, to: &out)
                out += "» "
            }
            out += "<code title=\""
            HTMLText.append(reason.explanation, to: &out)
            out += "\">"
            HTMLText.append(reason.rule, to: &out)
            out += "</code>"
            if let evasion = reason.evasion, reason.kind != "evasion" {
                out += " <span class=\"sc\">via "
                HTMLText.append(evasion, to: &out)
                out += "</span>"
            }
            out += " <span class=\"sc\">\(reason.score >= 0 ? "+" : "")\(ReportFormat.score(reason.score))</span></li>"
        }
        out += "</ul></td><td class=\"small\"><ul class=\"plain rules\">"
        let rules = d.reasons.filter(\.isRule)
        let ordered = rules.filter { $0.rule == d.decidingRule } + rules.filter { $0.rule != d.decidingRule && $0.score != 0 }
            + rules.filter { $0.rule != d.decidingRule && $0.score == 0 }
        let major = ordered.filter { $0.rule == d.decidingRule || $0.score != 0 }
        let minor = ordered.filter { $0.rule != d.decidingRule && $0.score == 0 }
        for rule in major { ruleItem(rule, deciding: rule.rule == d.decidingRule, &out) }
        if d.decidingRule == nil { out += "<li class=\"minor\">decided by the score thresholds</li>" }
        out += "</ul>"
        if !minor.isEmpty {
            out += "<details><summary>\(minor.count) more matched</summary><ul class=\"plain rules\">"
            for rule in minor { ruleItem(rule, deciding: false, &out) }
            out += "</ul></details>"
        }
        out += "</td></tr>\n"
    }

    private static func ruleItem(_ rule: DecisionRecord.Reason, deciding: Bool, _ out: inout String) {
        out += deciding ? "<li class=\"deciding\">" : rule.score == 0 ? "<li class=\"minor\">" : "<li>"
        out += "<code title=\""
        HTMLText.append(rule.explanation, to: &out)
        out += "\">"
        HTMLText.append(rule.rule, to: &out)
        out += "</code>"
        if rule.score != 0 { out += " <span class=\"sc\">\(rule.score > 0 ? "+" : "")\(ReportFormat.score(rule.score))</span>" }
        if deciding { out += " <span class=\"sc\">decided</span>" }
        out += "</li>"
    }
}

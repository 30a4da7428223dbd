/// Reads decisions one at a time and keeps what a report needs, in memory bounded by the
/// options rather than by the number of decisions: counts by outcome and per chart dimension,
/// flagged listings per seller, and the most urgent flagged cases up to `maxCases`.
///
/// ```swift
/// var builder = ReportBuilder(options: ReportOptions())
/// for (number, line) in decisionLines.enumerated() {
///     let decision = try DecisionRecord.parse(line)
///     builder.add(decision, line: number + 1, listing: join.listing(for: decision.idJSON))
/// }
/// let html = ReportHTML.render(builder.finish())
/// ```
public struct ReportBuilder {
    /// What the report shows and keeps.
    public let options: ReportOptions

    private(set) var totals = DecisionCounts()
    private var flaggedTotals = DecisionCounts()
    private var heap: CaseHeap
    private var sellers: SellerCounts
    private var categories: DecisionTally
    private var groups: DecisionTally
    private var languages: DecisionTally
    private var scripts: DecisionTally
    private var taxa: DecisionTally
    private var appendices: DecisionTally
    private var codewords: DecisionTally
    private var evasions: DecisionTally
    private var decidingRules: DecisionTally
    /// Facts for each taxon counted in `taxa`.
    private var taxonFacts: [String: DecisionRecord.Taxon] = [:]
    private let fieldPicker: ListingFields
    private var sellerField: String?
    private var languageField: String?
    private var categoryField: String?
    private var sawText = false
    private var unreadable = 0
    private var unreadableExamples: [(line: Int, message: String)] = []
    private var policies: [String] = []
    private var taxonomyVersions: [String] = []
    private var sequence = 0

    public init(options: ReportOptions = ReportOptions()) {
        self.options = options
        fieldPicker = ListingFields(options: options)
        heap = CaseHeap(capacity: options.maxCases)
        sellers = SellerCounts(capacity: options.sellerCapacity)
        let cap = options.maxDistinctValues
        categories = DecisionTally(capacity: cap)
        groups = DecisionTally(capacity: cap)
        languages = DecisionTally(capacity: cap)
        scripts = DecisionTally(capacity: cap)
        taxa = DecisionTally(capacity: cap)
        appendices = DecisionTally(capacity: cap)
        codewords = DecisionTally(capacity: cap)
        evasions = DecisionTally(capacity: cap)
        decidingRules = DecisionTally(capacity: cap)
    }

    /// Decisions read so far (readable ones).
    public var count: Int { totals.total }

    /// Counts a line of the decisions file that could not be read.
    public mutating func addUnreadable(line: Int, message: String) {
        unreadable += 1
        if unreadableExamples.count < 5 { unreadableExamples.append((line, message)) }
    }

    /// Counts one decision; `listing` is its listing, if one was found. Returns the flagged case
    /// (block or review), for a caller that streams the cases out (the CSV export), or nil.
    @discardableResult
    public mutating func add(_ decision: DecisionRecord, line: Int, listing: InputRecord? = nil) -> ReportCase? {
        let action = decision.action
        let order = sequence
        sequence += 1
        totals.add(action)
        Self.note(decision.policy.map { p in decision.policyVersion.map { "\(p) \($0)" } ?? p }, in: &policies)
        Self.note(decision.taxonomyVersion, in: &taxonomyVersions)

        let text = listing?.text ?? decision.field("text")
        if text != nil { sawText = true }
        let picked = fieldPicker.values(listing: listing?.fields, decision: decision.fields)
        let seller = picked.seller, language = picked.language, category = picked.category
        noteFieldNames(picked)

        categories.add(category ?? "(no category)", action)
        languages.add(language ?? "(no language)", action)
        if let text {
            scripts.add(WritingScript.dominant(in: text)?.rawValue ?? "(no letters)", action)
        } else {
            scripts.add("(no listing text)", action)
        }
        let named = decision.taxa
        if named.isEmpty {
            groups.add("(no taxon named)", action)
            appendices.add("no taxon named", action)
        }
        var seenGroups = Set<String>()
        var seenAppendices = Set<String>()
        for taxon in named {
            if seenGroups.insert(taxon.group).inserted { groups.add(taxon.group.isEmpty ? "(no group)" : taxon.group, action) }
            if seenAppendices.insert(taxon.appendix).inserted { appendices.add(taxon.appendix, action) }
            taxa.add(taxon.scientificName, action)
            if taxonFacts[taxon.scientificName] == nil && taxonFacts.count < options.maxDistinctValues {
                taxonFacts[taxon.scientificName] = taxon
            }
        }
        var seenCodewords = Set<String>()
        var seenEvasions = Set<String>()
        for reason in decision.reasons where !reason.isRule {
            if reason.kind == "codeword" && seenCodewords.insert(reason.rule).inserted { codewords.add(reason.rule, action) }
            let evasion = reason.evasion ?? (reason.kind == "evasion" ? reason.tags.first ?? reason.rule : nil)
            if let evasion, seenEvasions.insert(evasion).inserted { evasions.add(evasion, action) }
        }
        if action != nil { decidingRules.add(decision.decidingRule ?? "(score thresholds)", action) }

        guard let action, action != .allow else { return nil }
        flaggedTotals.add(action)
        if let seller { sellers.add(seller, action, score: decision.score) }
        var stripped = decision
        stripped.fields = []
        let kept = text.map { ReportCase.truncated($0, maxBytes: options.maxTextBytes) }
        let flagged = ReportCase(sequence: order, line: line, action: action, decision: stripped, text: kept,
                                 textBytes: text?.utf8.count, seller: seller, language: language, category: category)
        heap.insert(flagged)
        return flagged
    }

    /// Ids (as JSON text) of the kept cases that have no listing text yet.
    public var idsWithoutListing: Set<String> {
        Set(heap.items.lazy.filter { $0.text == nil }.map(\.decision.idJSON))
    }

    /// Gives kept cases without a listing the one found later (by a second read of the
    /// listings). The charts keep the counts made without it.
    public mutating func attach(_ listing: InputRecord) {
        guard let text = listing.text else { return }
        let maxBytes = options.maxTextBytes
        let picked = fieldPicker.values(listing: listing.fields, decision: [])
        var attached = false
        heap.update { c in
            guard c.text == nil, c.decision.idJSON == listing.idJSON else { return }
            c.text = ReportCase.truncated(text, maxBytes: maxBytes)
            c.textBytes = text.utf8.count
            c.seller = c.seller ?? picked.seller
            c.language = c.language ?? picked.language
            c.category = c.category ?? picked.category
            attached = true
        }
        if attached { noteFieldNames(picked) }
    }

    private mutating func noteFieldNames(_ picked: ListingFields.Values) {
        if sellerField == nil { sellerField = picked.names[.seller] }
        if languageField == nil { languageField = picked.names[.language] }
        if categoryField == nil { categoryField = picked.names[.category] }
    }

    /// The report: what was counted, and the kept cases in the order the table shows them
    /// (grouped by seller, sellers with the most flagged listings first, when there are sellers).
    /// `unmatchedListings` is how many decisions had no listing (when a listings file was given).
    public func finish(unmatchedListings: Int? = nil) -> AnalystReport {
        let rankedSellers = sellers.ranked()
        var rank: [String: Int] = [:]
        for (i, entry) in rankedSellers.enumerated() { rank[entry.seller] = i }
        var cases = heap.items.sorted(by: CaseHeap.moreUrgent)
        let hasSellers = cases.contains { $0.seller != nil }
        if hasSellers {
            // Sellers in rank order; a seller no longer counted (dropped) after those; no seller last.
            func key(_ c: ReportCase) -> (Int, String) {
                guard let seller = c.seller else { return (Int.max, "") }
                return (rank[seller] ?? Int.max - 1, seller)
            }
            cases = cases.enumerated().sorted { a, b in
                let ka = key(a.element), kb = key(b.element)
                if ka != kb { return ka < kb }
                return a.offset < b.offset
            }.map(\.element)
        }
        var kept = DecisionCounts()
        for c in cases { kept.add(c.action) }
        var omitted = flaggedTotals
        omitted.block -= kept.block
        omitted.review -= kept.review

        return AnalystReport(
            options: options, totals: totals, flagged: flaggedTotals, omitted: omitted, cases: cases,
            sellers: Array(rankedSellers.prefix(options.maxSellerRows)), sellerCount: sellers.count,
            repeatSellers: rankedSellers.filter { $0.counts.flagged > 1 }.count, sellerCountsExact: sellers.isExact,
            sellerUncertainty: sellers.uncertainty, sellerField: sellerField, languageField: languageField,
            categoryField: categoryField, charts: charts(), unreadable: unreadable, unreadableExamples: unreadableExamples,
            unmatchedListings: unmatchedListings, policies: policies, taxonomyVersions: taxonomyVersions)
    }

    private func charts() -> [ReportChart] {
        let limit = max(2, options.chartRows)
        func plain(_ tally: DecisionTally) -> [ReportChart.Row] {
            tally.rows(limit: limit).map { ReportChart.Row(label: $0.key, counts: $0.counts) }
        }
        var out: [ReportChart] = []
        let outcomes: [(String, Action?)] = [("Block", .block), ("Review", .review), ("Allow", .allow), ("Error", nil)]
        out.append(ReportChart(
            id: "decisions", title: "Decisions", note: "every record in the decisions file",
            rows: outcomes.compactMap { label, action in
                var counts = DecisionCounts()
                counts.add(action, count: totals[action])
                return action == nil && counts.total == 0 ? nil : ReportChart.Row(label: label, counts: counts)
            }))
        if let categoryField {
            out.append(ReportChart(id: "category", title: "By category", note: "listing field '\(categoryField)'", rows: plain(categories)))
        } else {
            out.append(ReportChart(id: "category", title: "By category (taxon group)",
                                   note: "no category field: taxonomy groups of the taxa named", rows: plain(groups)))
        }
        let taxonRows = taxa.rows(limit: limit).map { row -> ReportChart.Row in
            guard let facts = taxonFacts[row.key] else { return ReportChart.Row(label: row.key, counts: row.counts) }
            let appendix = facts.appendix == "none" ? "not CITES-listed" : "CITES Appendix \(facts.appendix)"
            let common = facts.commonName.map { "\($0), " } ?? ""
            return ReportChart.Row(label: row.key, italic: true, badge: facts.appendix == "none" ? nil : facts.appendix,
                                   detail: "\(common)\(facts.scientificName), \(appendix), group \(facts.group)", counts: row.counts)
        }
        out.append(ReportChart(id: "taxon", title: "By taxon", note: "records naming each taxon (scientific name, CITES appendix)", rows: taxonRows))
        let appendixOrder = ["I", "I/II", "II", "III", "none", "no taxon named"]
        let appendixRows = appendices.counts.sorted { a, b in
            (appendixOrder.firstIndex(of: a.key) ?? appendixOrder.count, a.key) < (appendixOrder.firstIndex(of: b.key) ?? appendixOrder.count, b.key)
        }.map { key, counts in
            ReportChart.Row(label: ["I", "I/II", "II", "III"].contains(key) ? "Appendix \(key)" : key == "none" ? "not listed" : key, counts: counts)
        }
        out.append(ReportChart(id: "appendix", title: "By CITES appendix", note: "records naming a taxon of each listing", rows: appendixRows))
        if let languageField {
            out.append(ReportChart(id: "language", title: "By language", note: "listing field '\(languageField)'", rows: plain(languages)))
        } else if sawText {
            out.append(ReportChart(id: "language", title: "By language (script)",
                                   note: "no language field: the writing system of the listing text", rows: plain(scripts)))
        } else {
            out.append(ReportChart(id: "language", title: "By language", note: "no language field and no listing text", rows: []))
        }
        out.append(ReportChart(id: "codewords", title: "Code words seen", note: "records using each trade code word", rows: plain(codewords)))
        out.append(ReportChart(id: "evasions", title: "Evasions seen", note: "records with each disguise", rows: plain(evasions)))
        out.append(ReportChart(id: "rules", title: "Deciding rules", note: "the policy rule that chose the outcome", rows: plain(decidingRules)))
        return out
    }

    private static func note(_ value: String?, in list: inout [String]) {
        guard let value, list.count < 20, !list.contains(value) else { return }
        list.append(value)
    }
}

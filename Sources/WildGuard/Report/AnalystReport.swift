/// What a batch run comes to, for the people who act on it: counts, charts, sellers and the
/// flagged cases, as `ReportBuilder.finish()` returns it. `ReportHTML` and `ReportCSV` render it.
public struct AnalystReport: Sendable {
    /// The options the report was built with.
    public var options: ReportOptions
    /// Every readable decision, by outcome.
    public var totals: DecisionCounts
    /// Block and review decisions (all of them, listed or not).
    public var flagged: DecisionCounts
    /// Flagged decisions the table does not list (over `maxCases`).
    public var omitted: DecisionCounts
    /// The flagged cases the table lists, in table order: grouped by seller (most flagged
    /// sellers first) when the listings name sellers, else block first and by score.
    public var cases: [ReportCase]
    /// Sellers with the most flagged listings (at most `maxSellerRows`).
    public var sellers: [SellerCounts.Entry]
    /// Sellers with flagged listings counted.
    public var sellerCount: Int
    /// Sellers with more than one flagged listing.
    public var repeatSellers: Int
    /// False when there were too many sellers to count exactly.
    public var sellerCountsExact: Bool
    /// How much a seller's count may be short when the counts are not exact.
    public var sellerUncertainty: Int
    /// The field the sellers, languages and categories came from (nil when none was present).
    public var sellerField: String?
    public var languageField: String?
    public var categoryField: String?
    /// The charts, in page order.
    public var charts: [ReportChart]
    /// Lines of the decisions file that could not be read, with the first few reasons.
    public var unreadable: Int
    /// The first few unreadable lines and why.
    public var unreadableExamples: [(line: Int, message: String)]
    /// Decisions with no listing in the listings file (nil when no listings file was given).
    public var unmatchedListings: Int?
    /// Policy profiles and versions seen (`strict-marketplace 1.4.0`), and taxonomy versions.
    public var policies: [String]
    /// Taxonomy versions seen.
    public var taxonomyVersions: [String]

    public init(options: ReportOptions, totals: DecisionCounts, flagged: DecisionCounts, omitted: DecisionCounts,
                cases: [ReportCase], sellers: [SellerCounts.Entry], sellerCount: Int, repeatSellers: Int,
                sellerCountsExact: Bool, sellerUncertainty: Int, sellerField: String?, languageField: String?,
                categoryField: String?, charts: [ReportChart], unreadable: Int, unreadableExamples: [(line: Int, message: String)],
                unmatchedListings: Int?, policies: [String], taxonomyVersions: [String]) {
        self.options = options
        self.totals = totals
        self.flagged = flagged
        self.omitted = omitted
        self.cases = cases
        self.sellers = sellers
        self.sellerCount = sellerCount
        self.repeatSellers = repeatSellers
        self.sellerCountsExact = sellerCountsExact
        self.sellerUncertainty = sellerUncertainty
        self.sellerField = sellerField
        self.languageField = languageField
        self.categoryField = categoryField
        self.charts = charts
        self.unreadable = unreadable
        self.unreadableExamples = unreadableExamples
        self.unmatchedListings = unmatchedListings
        self.policies = policies
        self.taxonomyVersions = taxonomyVersions
    }

    /// Whether the table is grouped by seller.
    public var groupsBySeller: Bool { cases.contains { $0.seller != nil } }
}

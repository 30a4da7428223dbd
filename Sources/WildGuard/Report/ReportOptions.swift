/// What a report shows and how much it keeps in memory.
public struct ReportOptions: Sendable {
    /// The page title and heading.
    public var title = "WildGuard report"
    /// The name of the decisions file, shown in the header (nil: not shown).
    public var source: String?
    /// The name of the listings file, shown in the header (nil: none was given).
    public var listings: String?
    /// The most flagged cases the table holds; the others are counted and summarised.
    public var maxCases = 2_000
    /// Listing text kept per case, in UTF-8 bytes (longer text is cut, and says so).
    public var maxTextBytes = 8_192
    /// Fields that name the seller or account, tried in order on the listing and then on the
    /// decision record. The first present one is used.
    public var sellerFields = ["seller", "seller_id", "account", "account_id", "user", "user_id", "username", "shop", "vendor"]
    /// Fields that give the listing's language.
    public var languageFields = ["lang", "language", "locale"]
    /// Fields that give the listing's category.
    public var categoryFields = ["category"]
    /// Sellers counted exactly before the least flagged ones are dropped (see `SellerCounts`).
    public var sellerCapacity = 10_000
    /// Distinct values per chart dimension before new ones are counted together.
    public var maxDistinctValues = 1_000
    /// Rows per chart (the rest is summed into one row).
    public var chartRows = 12
    /// Sellers listed in the sellers table.
    public var maxSellerRows = 100

    public init() {}
}

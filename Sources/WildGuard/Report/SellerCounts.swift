/// Flagged listings counted per seller, in bounded memory. Up to `capacity` sellers the counts
/// are exact; past it, the sellers with the fewest flagged listings are dropped (half of the
/// table at a time) and `uncertainty` says by how much a count may then be short: a seller
/// dropped once and seen again starts over from zero.
public struct SellerCounts: Sendable {
    /// One seller's flagged listings.
    public struct Entry: Sendable, Equatable {
        /// The seller or account, as the listing gives it.
        public var seller: String
        /// Flagged listings by outcome.
        public var counts: DecisionCounts
        /// The highest score among the seller's flagged listings.
        public var topScore: Double
    }

    /// Sellers counted before the least flagged are dropped.
    public let capacity: Int
    private var table: [String: Entry] = [:]
    /// The most flagged listings any dropped seller had: every count may be short by this much.
    public private(set) var uncertainty = 0
    /// Sellers dropped to stay within `capacity`.
    public private(set) var dropped = 0

    public init(capacity: Int = 10_000) { self.capacity = max(2, capacity) }

    /// Whether no seller was counted.
    public var isEmpty: Bool { table.isEmpty }
    /// Sellers currently counted.
    public var count: Int { table.count }
    /// Whether every count is exact.
    public var isExact: Bool { dropped == 0 }

    /// Counts one flagged listing of `seller`.
    public mutating func add(_ seller: String, _ action: Action, score: Double) {
        if var entry = table[seller] {
            entry.counts.add(action)
            entry.topScore = max(entry.topScore, score)
            table[seller] = entry
            return
        }
        if table.count >= capacity { shrink() }
        var counts = DecisionCounts()
        counts.add(action)
        table[seller] = Entry(seller: seller, counts: counts, topScore: score)
    }

    /// A seller's counts, if it is counted.
    public subscript(seller: String) -> Entry? { table[seller] }

    /// Sellers with the most flagged listings first (then more blocks, then the higher score,
    /// then by name).
    public func ranked() -> [Entry] {
        table.values.sorted { a, b in
            if a.counts.flagged != b.counts.flagged { return a.counts.flagged > b.counts.flagged }
            if a.counts.block != b.counts.block { return a.counts.block > b.counts.block }
            if a.topScore != b.topScore { return a.topScore > b.topScore }
            return a.seller < b.seller
        }
    }

    private mutating func shrink() {
        let ranked = ranked()
        let keep = capacity / 2
        for entry in ranked[keep...] {
            uncertainty = max(uncertainty, entry.counts.flagged)
            table[entry.seller] = nil
            dropped += 1
        }
    }
}

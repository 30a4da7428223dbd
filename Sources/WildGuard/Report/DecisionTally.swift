/// Decisions counted by one dimension (a taxon, a language, a code word...), in bounded memory:
/// after `capacity` distinct values, further new values are counted under `otherKey`.
public struct DecisionTally: Sendable {
    /// The value new keys fall into once the tally is full.
    public static let otherKey = "(other values)"

    /// Counts per value (`otherKey` holds the values that did not fit).
    public private(set) var counts: [String: DecisionCounts] = [:]
    /// Distinct values that did not fit and were counted under `otherKey`.
    public private(set) var overflowed = false
    /// Distinct values counted separately.
    public let capacity: Int

    public init(capacity: Int = 1_000) {
        self.capacity = max(1, capacity)
    }

    /// Counts one record under `key`.
    public mutating func add(_ key: String, _ action: Action?) {
        if counts[key] == nil && counts.count >= capacity {
            overflowed = true
            counts[Self.otherKey, default: DecisionCounts()].add(action)
            return
        }
        counts[key, default: DecisionCounts()].add(action)
    }

    /// Whether nothing was counted.
    public var isEmpty: Bool { counts.isEmpty }

    /// The values, most flagged first (then most records, then by name), the first `limit` of
    /// them and everything else summed into one row labelled with how many values it holds.
    public func rows(limit: Int) -> [(key: String, counts: DecisionCounts)] {
        let sorted = counts.sorted { a, b in
            if a.key == Self.otherKey { return false }
            if b.key == Self.otherKey { return true }
            if a.value.flagged != b.value.flagged { return a.value.flagged > b.value.flagged }
            if a.value.total != b.value.total { return a.value.total > b.value.total }
            return a.key < b.key
        }
        guard sorted.count > limit, limit > 0 else { return sorted.map { ($0.key, $0.value) } }
        var rest = DecisionCounts()
        var restValues = 0
        var restHasOverflow = false
        for (key, value) in sorted[(limit - 1)...] {
            rest.add(value)
            if key == Self.otherKey { restHasOverflow = true } else { restValues += 1 }
        }
        // The overflow row stands for at least one value, maybe many.
        let label = restHasOverflow ? "\(restValues + 1)+ other values" : "\(restValues) other values"
        return sorted[..<(limit - 1)].map { ($0.key, $0.value) } + [(label, rest)]
    }
}

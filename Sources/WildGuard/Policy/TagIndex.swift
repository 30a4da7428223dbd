/// Interns the words selectors test (tags, groups, appendices, evasions) as bit positions, so
/// that policy evaluation compares bits instead of strings.
struct TagIndex: Sendable {
    private(set) var ids: [String: Int] = [:]
    static let capacity = TagSet.capacity

    /// The bit for `word`, added if new; nil when the index is full.
    mutating func intern(_ word: String) -> Int? {
        if let id = ids[word] { return id }
        guard ids.count < Self.capacity else { return nil }
        ids[word] = ids.count
        return ids.count - 1
    }

    func id(_ word: String) -> Int? { ids[word] }

    /// The set of a signal's words: its tags, `group:` and `appendix:` of its taxon, `evasion:`.
    mutating func set(tags: [String], taxon: TaxonFacts?, evasion: EvasionKind?) -> TagSet {
        var set = TagSet()
        for tag in tags { if let id = intern("tag:" + tag) { set.insert(id) } }
        if let taxon {
            if let id = intern("group:" + taxon.group) { set.insert(id) }
            for appendix in CITESAppendix.allCases where taxon.appendix.includes(appendix) {
                if let id = intern("appendix:" + appendix.rawValue) { set.insert(id) }
            }
        }
        if let evasion, let id = intern("evasion:" + evasion.rawValue) { set.insert(id) }
        return set
    }
}

/// A fixed-size bit set of interned words (256 bits, no allocation).
struct TagSet: Sendable, Equatable {
    static let capacity = 256
    private var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0

    mutating func insert(_ bit: Int) {
        let mask = UInt64(1) << UInt64(bit & 63)
        switch bit >> 6 {
        case 0: w0 |= mask
        case 1: w1 |= mask
        case 2: w2 |= mask
        default: w3 |= mask
        }
    }

    @inline(__always)
    func intersects(_ other: TagSet) -> Bool {
        (w0 & other.w0) | (w1 & other.w1) | (w2 & other.w2) | (w3 & other.w3) != 0
    }

    static func | (a: TagSet, b: TagSet) -> TagSet {
        var r = a
        r.w0 |= b.w0; r.w1 |= b.w1; r.w2 |= b.w2; r.w3 |= b.w3
        return r
    }

    var isEmpty: Bool { w0 | w1 | w2 | w3 == 0 }
}

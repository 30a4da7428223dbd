/// Keeps the `capacity` most urgent flagged cases seen so far (block before review, then the
/// higher score, then the earlier record), in memory proportional to `capacity` however many
/// cases stream past.
struct CaseHeap {
    let capacity: Int
    /// A min-heap on urgency: the root is the least urgent case kept.
    private(set) var items: [ReportCase] = []

    init(capacity: Int) { self.capacity = max(0, capacity) }

    var count: Int { items.count }

    /// Whether `a` should be shown before `b`.
    static func moreUrgent(_ a: ReportCase, _ b: ReportCase) -> Bool {
        if a.action != b.action { return a.action > b.action }
        if a.decision.score != b.decision.score { return a.decision.score > b.decision.score }
        return a.sequence < b.sequence
    }

    /// Offers a case; returns the case that no longer fits (the offered one or an evicted one).
    @discardableResult
    mutating func insert(_ c: ReportCase) -> ReportCase? {
        guard capacity > 0 else { return c }
        if items.count < capacity {
            items.append(c)
            siftUp(items.count - 1)
            return nil
        }
        guard let least = items.first, Self.moreUrgent(c, least) else { return c }
        items[0] = c
        siftDown(0)
        return least
    }

    /// Replaces kept cases in place (to attach listings found later).
    mutating func update(_ body: (inout ReportCase) -> Void) {
        for i in items.indices { body(&items[i]) }
    }

    private mutating func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.moreUrgent(items[parent], items[child]) else { break }
            items.swapAt(parent, child)
            child = parent
        }
    }

    private mutating func siftDown(_ index: Int) {
        var parent = index
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var least = parent
            if left < items.count && Self.moreUrgent(items[least], items[left]) { least = left }
            if right < items.count && Self.moreUrgent(items[least], items[right]) { least = right }
            guard least != parent else { return }
            items.swapAt(parent, least)
            parent = least
        }
    }
}

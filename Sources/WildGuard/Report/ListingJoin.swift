/// Joins decisions to their listings by id while both files stream, in bounded memory.
///
/// `wildguard classify` writes one decision per listing in input order, so the listing a
/// decision needs is nearly always the next one read. When it is not, the join reads ahead and
/// holds the listings it passes (at most `window` of them, the oldest dropped first) until their
/// decisions come. A decision whose listing is not within reach stays unmatched. Ids are compared
/// as JSON text, as `RecordParser` and classify write them (`"a"`, `7`; a listing without an id
/// has its line number, and so has its decision).
public struct ListingJoin {
    /// Listings read ahead and not yet claimed, per id in file order, with their read number.
    private var pending: [String: [(number: Int, record: InputRecord)]] = [:]
    /// Read numbers and ids of held listings, oldest first (claimed ones are skipped lazily).
    private var order: [(number: Int, id: String)] = []
    private var orderHead = 0
    private var pendingCount = 0
    private var readCount = 0
    private let window: Int
    private let next: () -> InputRecord?
    private var exhausted = false

    /// Decisions for which no listing was found.
    public private(set) var unmatched = 0
    /// Listings dropped from the read-ahead window unclaimed.
    public private(set) var dropped = 0

    /// `next` returns the listings in file order, and nil at the end.
    public init(window: Int = 4_096, next: @escaping () -> InputRecord?) {
        self.window = max(1, window)
        self.next = next
    }

    /// The listing for the decision with this id, or nil.
    public mutating func listing(for idJSON: String) -> InputRecord? {
        if let found = takePending(idJSON) { return found }
        var readAhead = 0
        while !exhausted && readAhead < window {
            guard let record = next() else {
                exhausted = true
                break
            }
            readCount += 1
            if record.idJSON == idJSON { return record }
            hold(record)
            readAhead += 1
        }
        unmatched += 1
        return nil
    }

    /// Listings held now (at most `window`).
    public var held: Int { pendingCount }

    private mutating func takePending(_ id: String) -> InputRecord? {
        guard var queue = pending[id], !queue.isEmpty else { return nil }
        let first = queue.removeFirst()
        pending[id] = queue.isEmpty ? nil : queue
        pendingCount -= 1
        return first.record
    }

    private mutating func hold(_ record: InputRecord) {
        pending[record.idJSON, default: []].append((readCount, record))
        order.append((readCount, record.idJSON))
        pendingCount += 1
        while pendingCount > window && orderHead < order.count {
            let oldest = order[orderHead]
            orderHead += 1
            if var queue = pending[oldest.id], let first = queue.first, first.number == oldest.number {
                queue.removeFirst()
                pending[oldest.id] = queue.isEmpty ? nil : queue
                pendingCount -= 1
                dropped += 1
            }
        }
        // Claimed listings leave stale entries in `order`: rebuild it from what is held when
        // they outnumber the live ones, so that it stays within a few times the window.
        if order.count - orderHead > 2 * window + 64 {
            order = pending.flatMap { id, queue in queue.map { (number: $0.number, id: id) } }.sorted { $0.number < $1.number }
            orderHead = 0
        }
    }
}

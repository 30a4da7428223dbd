/// How many records came out block, review, allow and error.
public struct DecisionCounts: Sendable, Equatable {
    /// Records decided block.
    public var block = 0
    /// Records decided review.
    public var review = 0
    /// Records decided allow.
    public var allow = 0
    /// Records that could not be classified (`"decision":"error"`) or had an unknown outcome.
    public var error = 0

    public init(block: Int = 0, review: Int = 0, allow: Int = 0, error: Int = 0) {
        self.block = block
        self.review = review
        self.allow = allow
        self.error = error
    }

    /// Every record counted.
    public var total: Int { block + review + allow + error }
    /// Block and review: the cases someone has to look at.
    public var flagged: Int { block + review }

    /// The count for one outcome.
    public subscript(action: Action?) -> Int {
        switch action {
        case .block?: block
        case .review?: review
        case .allow?: allow
        case nil: error
        }
    }

    /// Counts one record.
    public mutating func add(_ action: Action?, count: Int = 1) {
        switch action {
        case .block?: block += count
        case .review?: review += count
        case .allow?: allow += count
        case nil: error += count
        }
    }

    /// Adds another set of counts.
    public mutating func add(_ other: DecisionCounts) {
        block += other.block
        review += other.review
        allow += other.allow
        error += other.error
    }
}

/// One chart of a report: decisions counted by one dimension, as horizontal bars stacked by
/// outcome (block, review, allow, error).
public struct ReportChart: Sendable {
    /// One bar.
    public struct Row: Sendable {
        /// What the bar counts (a taxon, a language, a rule...).
        public var label: String
        /// Set the label in italics (scientific names).
        public var italic: Bool
        /// A short tag after the label (the CITES appendix of a taxon).
        public var badge: String?
        /// More about the row, shown as a tooltip.
        public var detail: String?
        /// The records counted, by outcome.
        public var counts: DecisionCounts

        public init(label: String, italic: Bool = false, badge: String? = nil, detail: String? = nil, counts: DecisionCounts) {
            self.label = label
            self.italic = italic
            self.badge = badge
            self.detail = detail
            self.counts = counts
        }
    }

    /// Unique in the page (used for element ids).
    public var id: String
    /// The chart's heading.
    public var title: String
    /// What is counted (one line under the title).
    public var note: String
    /// The bars, top to bottom.
    public var rows: [Row]

    public init(id: String, title: String, note: String, rows: [Row]) {
        self.id = id
        self.title = title
        self.note = note
        self.rows = rows
    }
}

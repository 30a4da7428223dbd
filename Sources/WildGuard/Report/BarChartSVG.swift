/// Draws a `ReportChart` as an inline SVG: one horizontal bar per row, stacked by outcome
/// (block, review, allow, error), the row's label on the left and its total on the right, with
/// the breakdown as a tooltip. No script, no external resources; colours come from the page's
/// style sheet through classes.
public enum BarChartSVG {
    static let width = 560
    static let labelWidth = 210
    static let countWidth = 64
    static let rowHeight = 22
    static let barHeight = 14
    /// Longest label drawn, in characters (the full label is in the tooltip).
    static let labelCharacters = 30

    /// The chart's `<svg>` element.
    public static func svg(_ chart: ReportChart) -> String {
        let rows = chart.rows
        let height = max(1, rows.count) * rowHeight + 8
        let barX = labelWidth + 8
        let barSpace = width - barX - countWidth
        let maxTotal = max(1, rows.map(\.counts.total).max() ?? 1)
        let cid = HTMLText.escape(chart.id)
        var out = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-labelledby=\"chart-\(cid)-title\">"
        out += "<title id=\"chart-\(cid)-title\">"
        HTMLText.append(chart.title, to: &out)
        out += "</title>"
        if rows.isEmpty {
            out += "<text class=\"empty\" x=\"\(width / 2)\" y=\"\(height / 2 + 4)\" text-anchor=\"middle\">nothing to show</text></svg>"
            return out
        }
        for (i, row) in rows.enumerated() {
            let y = 4 + i * rowHeight
            let baseline = y + rowHeight / 2 + 4
            out += "<g class=\"row\"><title>"
            HTMLText.append(tooltip(row), to: &out)
            out += "</title>"
            out += "<text class=\"label\" x=\"\(labelWidth)\" y=\"\(baseline)\" text-anchor=\"end\">"
            out += row.italic ? "<tspan font-style=\"italic\">" : "<tspan>"
            HTMLText.append(shortened(row.label, by: row.badge.map { $0.count + 1 } ?? 0), to: &out)
            out += "</tspan>"
            if let badge = row.badge {
                out += "<tspan class=\"badge\" dx=\"4\">"
                HTMLText.append(badge, to: &out)
                out += "</tspan>"
            }
            out += "</text>"
            var x = Double(barX)
            let segments: [(String, Int)] = [("block", row.counts.block), ("review", row.counts.review),
                                             ("allow", row.counts.allow), ("error", row.counts.error)]
            for (name, n) in segments where n > 0 {
                let w = max(1.0, Double(barSpace) * Double(n) / Double(maxTotal))
                out += "<rect class=\"bar \(name)\" x=\"\(fixed(x))\" y=\"\(y + (rowHeight - barHeight) / 2)\" width=\"\(fixed(w))\" height=\"\(barHeight)\"></rect>"
                x += w
            }
            out += "<text class=\"count\" x=\"\(fixed(x + 6))\" y=\"\(baseline)\">\(ReportFormat.count(row.counts.total))</text></g>"
        }
        out += "</svg>"
        return out
    }

    static func tooltip(_ row: ReportChart.Row) -> String {
        var parts: [String] = []
        if row.counts.block > 0 { parts.append("block \(ReportFormat.count(row.counts.block))") }
        if row.counts.review > 0 { parts.append("review \(ReportFormat.count(row.counts.review))") }
        if row.counts.allow > 0 { parts.append("allow \(ReportFormat.count(row.counts.allow))") }
        if row.counts.error > 0 { parts.append("error \(ReportFormat.count(row.counts.error))") }
        let head = row.detail ?? row.label
        return "\(head): \(parts.joined(separator: ", "))"
    }

    static func shortened(_ label: String, by reserve: Int) -> String {
        let limit = max(8, labelCharacters - reserve)
        return label.count > limit ? String(label.prefix(limit - 1)) + "…" : label
    }

    /// One decimal, no locale.
    static func fixed(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
    }
}

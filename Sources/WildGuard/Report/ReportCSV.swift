/// The flagged cases as CSV, for case-management tools: one row per case with the listing text,
/// seller, taxa (scientific and common names, CITES appendices), evidence and rules.
///
/// RFC 4180 quoting. Cells that come from input and start with `=`, `+`, `-`, `@`, a tab or a
/// carriage return get a leading `'`, so that a spreadsheet shows them as text and never runs
/// them as formulas (plain numbers, such as an id of `-5`, are left alone).
public enum ReportCSV {
    /// The column names.
    public static let columns = [
        "id", "line", "decision", "score", "seller", "language", "category", "scientific_names", "common_names",
        "cites_appendices", "taxon_groups", "deciding_rule", "rules", "evidence", "matched", "evasions", "text", "text_truncated",
    ]

    /// The header line, with its line break.
    public static var header: String { row(columns) }

    /// One case's line, with its line break.
    public static func line(_ c: ReportCase) -> String {
        let d = c.decision
        let taxa = d.taxa
        let evidence = d.reasons.filter { !$0.isRule }
        var evasions: [String] = []
        for reason in evidence {
            if let evasion = reason.evasion ?? (reason.kind == "evasion" ? reason.tags.first : nil), !evasions.contains(evasion) {
                evasions.append(evasion)
            }
        }
        return row([
            safe(d.id), String(c.line), c.action.rawValue, ReportFormat.score(d.score), safe(c.seller ?? ""),
            safe(c.language ?? ""), safe(c.category ?? ""),
            safe(taxa.map(\.scientificName).joined(separator: "; ")),
            safe(taxa.map { $0.commonName ?? "" }.joined(separator: "; ")),
            safe(taxa.map(\.appendix).joined(separator: "; ")),
            safe(taxa.map(\.group).joined(separator: "; ")),
            safe(d.decidingRule ?? ""),
            safe(d.reasons.filter(\.isRule).map(\.rule).joined(separator: "; ")),
            safe(evidence.map { "\($0.kind):\($0.rule)" }.joined(separator: "; ")),
            safe(evidence.compactMap { $0.matched.isEmpty ? nil : $0.matched }.joined(separator: "; ")),
            safe(evasions.joined(separator: "; ")),
            safe(c.text ?? ""),
            c.isTextTruncated ? "yes" : "",
        ])
    }

    /// The whole export for a report's listed cases.
    public static func render(_ report: AnalystReport) -> String {
        var out = header
        for c in report.cases { out += line(c) }
        return out
    }

    /// One CSV line with RFC 4180 quoting and a trailing line break.
    static func row(_ fields: [String]) -> String {
        var out = ""
        for (i, field) in fields.enumerated() {
            if i > 0 { out += "," }
            if field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
                out += "\""
                for scalar in field.unicodeScalars {
                    if scalar == "\"" { out += "\"\"" } else { out.unicodeScalars.append(scalar) }
                }
                out += "\""
            } else {
                out += field
            }
        }
        return out + "\n"
    }

    /// An input value made safe from spreadsheet formula injection.
    static func safe(_ value: String) -> String {
        guard let first = value.unicodeScalars.first else { return value }
        switch first {
        case "=", "+", "-", "@", "\t", "\r", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}":
            if Double(value) != nil && !value.contains(where: { $0.isLetter }) { return value }
            return "'" + value
        default:
            return value
        }
    }
}

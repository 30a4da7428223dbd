import Foundation
import Testing
@testable import WildGuard

/// Builds reports from the files under Tests/Fixtures/report the way `wildguard report` does:
/// decisions streamed line by line, joined to the listings by id.
enum ReportFixtures {
    static let directory = Fixtures.root.appendingPathComponent("Tests/Fixtures/report")
    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func lines(_ name: String) throws -> [String] {
        let text = try String(contentsOfFile: path(name), encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The report of `decisions` (and `listings`), with the CSV lines streamed out as the CLI
    /// writes them.
    static func build(decisions: String, listings: String?, options: ReportOptions = ReportOptions())
        throws -> (report: AnalystReport, csv: String)
    {
        var options = options
        options.source = decisions
        options.listings = listings
        var builder = ReportBuilder(options: options)
        var join: ListingJoin?
        if let listings {
            let listingLines = try lines(listings)
            var index = 0
            let parser = RecordParser(format: .jsonl)
            join = ListingJoin {
                while index < listingLines.count {
                    index += 1
                    let line = Array(listingLines[index - 1].utf8)
                    if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                    let number = index
                    return line.withUnsafeBufferPointer { parser.parse($0, number: number) }
                }
                return nil
            }
        }
        var csv = ReportCSV.header
        for (i, line) in try lines(decisions).enumerated() {
            guard !line.allSatisfy({ $0 == " " || $0 == "\t" }) else { continue }
            do {
                let decision = try Array(line.utf8).withUnsafeBufferPointer { bytes throws(JSONError) in try DecisionRecord.parse(bytes) }
                if let flagged = builder.add(decision, line: i + 1, listing: join?.listing(for: decision.idJSON)) {
                    csv += ReportCSV.line(flagged)
                }
            } catch {
                builder.addUnreadable(line: i + 1, message: error.description)
            }
        }
        return (builder.finish(unmatchedListings: join?.unmatched), csv)
    }

    /// Compares `actual` with a golden file; WILDGUARD_UPDATE_GOLDEN=1 rewrites the file instead.
    static func expectGolden(_ actual: String, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let file = path(name)
        if ProcessInfo.processInfo.environment["WILDGUARD_UPDATE_GOLDEN"] == "1" {
            try actual.write(toFile: file, atomically: true, encoding: .utf8)
            return
        }
        let golden = try String(contentsOfFile: file, encoding: .utf8)
        if actual != golden {
            let a = actual.components(separatedBy: "\n"), g = golden.components(separatedBy: "\n")
            let first = zip(a, g).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, g.count)
            Issue.record("""
                \(name) differs from the golden file at line \(first + 1) (rerun with WILDGUARD_UPDATE_GOLDEN=1 to accept):
                  golden: \(first < g.count ? g[first] : "<end>")
                  actual: \(first < a.count ? a[first] : "<end>")
                """, sourceLocation: sourceLocation)
        }
    }
}

@Suite("Report golden files")
struct ReportGoldenTests {
    @Test func htmlWithListingsMatchesTheGoldenFile() throws {
        let (report, _) = try ReportFixtures.build(decisions: "decisions.jsonl", listings: "listings.jsonl")
        try ReportFixtures.expectGolden(ReportHTML.render(report), "golden/report.html")
    }

    @Test func csvMatchesTheGoldenFile() throws {
        let (_, csv) = try ReportFixtures.build(decisions: "decisions.jsonl", listings: "listings.jsonl")
        try ReportFixtures.expectGolden(csv, "golden/cases.csv")
    }

    @Test func htmlFromDecisionsAloneMatchesTheGoldenFile() throws {
        let (report, _) = try ReportFixtures.build(decisions: "decisions.jsonl", listings: nil)
        try ReportFixtures.expectGolden(ReportHTML.render(report), "golden/report-decisions-only.html")
    }

    @Test func theSameInputGivesTheSameBytes() throws {
        let a = try ReportFixtures.build(decisions: "decisions.jsonl", listings: "listings.jsonl")
        let b = try ReportFixtures.build(decisions: "decisions.jsonl", listings: "listings.jsonl")
        #expect(ReportHTML.render(a.report) == ReportHTML.render(b.report))
        #expect(ReportCSV.render(a.report) == ReportCSV.render(b.report))
    }
}

import Foundation
import Testing

/// Paths for the report tests: fixtures shared with the library's golden tests.
enum ReportFixture {
    static let directory = CLI.root.appendingPathComponent("Tests/Fixtures/report")
    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
    static func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    /// A fresh temporary directory for one test.
    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wg-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

@Suite("wildguard report", .serialized)
struct ReportCLITests {
    @Test func writesTheGoldenHTMLAndCSV() throws {
        let dir = try ReportFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = dir.appendingPathComponent("report.html").path
        let csv = dir.appendingPathComponent("cases.csv").path
        let r = try CLI.run(["report", ReportFixture.path("decisions.jsonl"), "--listings", ReportFixture.path("listings.jsonl"),
                             "-o", html, "--csv", csv])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(try ReportFixture.read(html) == ReportFixture.read(ReportFixture.path("golden/report.html")))
        #expect(try ReportFixture.read(csv) == ReportFixture.read(ReportFixture.path("golden/cases.csv")))
        #expect(r.stderr.contains("13 decisions (block 6, review 4, allow 2, error 1), 10 cases listed, 1 unreadable lines, 1 without a listing"),
                "\(r.stderr)")
    }

    @Test func readsStandardInputAndWritesStandardOutput() throws {
        let decisions = try ReportFixture.read(ReportFixture.path("decisions.jsonl"))
        let r = try CLI.run(["report", "-", "-q"], stdin: decisions)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("<!DOCTYPE html>"))
        #expect(r.stdout.hasSuffix("</html>\n"))
        #expect(r.stderr.isEmpty)
        // Without listings there is no text, but every flagged case is listed with its evidence.
        #expect(r.stdout.contains("listing text not available"))
        #expect(r.stdout.contains("<code>r-09</code>"))
    }

    @Test func reportsTheBundledSampleEndToEnd() throws {
        let dir = try ReportFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let decisions = dir.appendingPathComponent("decisions.jsonl").path
        let sample = CLI.root.appendingPathComponent("Examples/sample-listings.jsonl").path
        let c = try CLI.run(["classify", "-q", sample, "-o", decisions])
        #expect(c.status == 0, "\(c.stderr)")
        let html = dir.appendingPathComponent("report.html").path
        let csv = dir.appendingPathComponent("cases.csv").path
        let r = try CLI.run(["report", decisions, "--listings", sample, "-o", html, "--csv", csv, "--title", "Sample <batch>"])
        #expect(r.status == 0, "\(r.stderr)")
        let page = try ReportFixture.read(html)
        let flagged = try ReportFixture.read(decisions).split(separator: "\n").filter {
            $0.contains("\"decision\":\"block\"") || $0.contains("\"decision\":\"review\"")
        }
        #expect(!flagged.isEmpty)
        #expect(try ReportFixture.read(csv).split(separator: "\n").count == flagged.count + 1)
        #expect(page.contains("<title>Sample &lt;batch&gt;</title>"))
        #expect(page.contains("By language (script)"))
        #expect(page.contains("<mark class=\"ev ev-product\""))
        #expect(!page.contains("listing text not available"))
    }

    @Test("usage and configuration errors exit 2 naming the problem", arguments: [
        (["report", "/nonexistent/decisions.jsonl"], "/nonexistent/decisions.jsonl"),
        (["report", "DECISIONS", "--listings", "/nonexistent/listings.jsonl"], "/nonexistent/listings.jsonl"),
        (["report", "DECISIONS", "-o", "/nonexistent/dir/report.html"], "/nonexistent/dir/report.html"),
        (["report", "DECISIONS", "--max-cases", "-1"], "--max-cases"),
        (["report", "-", "--listings", "-"], "standard input"),
    ])
    func errors(arguments: [String], mentions: String) throws {
        let args = arguments.map { $0 == "DECISIONS" ? ReportFixture.path("decisions.jsonl") : $0 }
        let r = try CLI.run(args, stdin: "")
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains(mentions), "\(r.stderr)")
    }

    @Test func helpHasExamples() throws {
        let r = try CLI.run(["report", "--help"])
        #expect(r.stdout.contains("Examples:") && r.stdout.contains("--listings"))
    }

    /// A million decisions (2% block and 3% review, as in a marketplace batch, each with a taxon
    /// and one of 20,011 sellers: more than the 10,000 counted exactly) stream through in bounded
    /// memory: the table keeps --max-cases cases, the CSV all flagged ones. About a minute with a
    /// debug build; WILDGUARD_REPORT_SCALE sets another count.
    @Test func aMillionDecisionsInBoundedMemory() throws {
        let count = Int(ProcessInfo.processInfo.environment["WILDGUARD_REPORT_SCALE"] ?? "") ?? 1_000_000
        let dir = try ReportFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = dir.appendingPathComponent("big.html").path
        let csv = dir.appendingPathComponent("big.csv").path
        let generator = """
            BEGIN { for (i = 0; i < \(count); i++) {
              k = i % 100
              if (k < 5) {
                d = (k < 2) ? "block" : "review"
                printf "{\\"id\\":\\"d-%d\\",\\"decision\\":\\"%s\\",\\"score\\":%d.5,\\"reasons\\":[{\\"rule\\":\\"manidae\\",\\"kind\\":\\"taxon\\",\\"explanation\\":\\"names pangolin\\",\\"matched\\":\\"pangolin\\",\\"span\\":[0,8],\\"score\\":2,\\"taxon\\":{\\"scientific_name\\":\\"Manidae\\",\\"common_name\\":\\"pangolin\\",\\"cites_appendix\\":\\"I\\",\\"group\\":\\"pangolin\\"}},{\\"rule\\":\\"WG_X\\",\\"kind\\":\\"rule\\",\\"explanation\\":\\"x\\",\\"matched\\":\\"\\",\\"span\\":null,\\"score\\":8}],\\"deciding_rule\\":\\"WG_X\\",\\"policy\\":\\"p\\",\\"policy_version\\":\\"1\\",\\"taxonomy_version\\":\\"t\\",\\"fingerprint\\":\\"f\\",\\"seller\\":\\"s-%d\\"}\\n", i, d, i % 40, i % 20011
              } else {
                printf "{\\"id\\":\\"d-%d\\",\\"decision\\":\\"allow\\",\\"score\\":0,\\"reasons\\":[],\\"deciding_rule\\":null,\\"policy\\":\\"p\\",\\"policy_version\\":\\"1\\",\\"taxonomy_version\\":\\"t\\",\\"fingerprint\\":\\"f\\"}\\n", i
              }
            } }
            """
        let awk = dir.appendingPathComponent("gen.awk").path
        try generator.write(toFile: awk, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "awk -f '\(awk)' | '\(CLI.binary.path)' report - -o '\(html)' --csv '\(csv)' --max-cases 2000"]
        let err = Pipe()
        process.standardError = err
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(stderr)")
        let block = (0..<2).map { (count + 99 - $0) / 100 }.reduce(0, +)
        let review = (2..<5).map { (count + 99 - $0) / 100 }.reduce(0, +)
        #expect(stderr.contains("\(count) decisions (block \(block), review \(review), allow \(count - block - review), error 0), 2000 cases listed"),
                "\(stderr)")
        // Peak memory as the command reports it (getrusage): bounded by the cap, not by the input.
        let peak = stderr.components(separatedBy: "peak memory ").last.flatMap { Int($0.prefix { $0.isNumber }) }
        #expect(peak != nil && peak! < 200, "peak memory \(peak ?? -1) MB")
        let page = try ReportFixture.read(html)
        #expect(page.components(separatedBy: "<tr class=\"case\"").count - 1 == 2000)
        #expect(page.utf8.count < 8_000_000)
        #expect(page.contains("more (") && page.contains("are counted in the totals and charts but not listed here"))
        if count >= 1_000_000 {
            #expect(page.contains("There were too many sellers to count exactly"))
            let sellerTable = page.components(separatedBy: "id=\"seller-table\"").last?.components(separatedBy: "</table>").first ?? ""
            #expect(sellerTable.components(separatedBy: "<tr><td>").count - 1 == 100, "the 100 sellers with the most flagged listings")
        }
        // The CSV holds every flagged case.
        var lines = 0
        let data = try Data(contentsOf: URL(fileURLWithPath: csv))
        data.withUnsafeBytes { for b in $0 where b == 0x0A { lines += 1 } }
        #expect(lines == block + review + 1)
    }
}

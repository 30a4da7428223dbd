import ArgumentParser
import Foundation
import WildGuard

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Turn classify's decisions into one self-contained HTML report (and a CSV of the flagged cases).",
        discussion: """
            DECISIONS is the JSONL that 'wildguard classify' writes. With --listings, each decision \
            is joined by id to its listing (JSONL with the text and any seller, account, lang or \
            category fields), so that the report shows the text with the evidence marked and groups \
            the cases by seller. The listings file is read alongside the decisions: keep it in the \
            order it was classified in.

            Examples:
              wildguard classify listings.jsonl -o decisions.jsonl
              wildguard report decisions.jsonl --listings listings.jsonl -o report.html
              wildguard report decisions.jsonl -o report.html --csv cases.csv

            The report loads nothing from the network and runs no script but its own; listing text \
            is shown as text only. Memory stays bounded however many decisions there are: the table \
            lists the --max-cases most urgent flagged cases and counts the rest; the CSV holds every \
            flagged case.
            """)

    @Argument(help: "Decisions JSONL from 'wildguard classify', or - for standard input.")
    var decisions: String

    @Option(name: .long, help: "Listings JSONL to join on id (text, and seller/lang/category fields if any).")
    var listings: String?

    @Option(name: .shortAndLong, help: "Write the HTML report to this file (default: standard output).")
    var output: String?

    @Option(name: .long, help: "Also write every flagged case as CSV to this file.")
    var csv: String?

    @Option(name: .long, help: "Title of the report.")
    var title = "WildGuard report"

    @Option(name: .customLong("max-cases"), help: "Most flagged cases listed in the HTML table.")
    var maxCases = 2_000

    @Option(name: .customLong("seller-field"), help: "Field naming the seller or account (default: seller, account, user... whichever is present).")
    var sellerField: String?

    @Option(name: .customLong("lang-field"), help: "Field giving the listing's language (default: lang, language or locale).")
    var languageField: String?

    @Option(name: .customLong("category-field"), help: "Field giving the listing's category (default: category).")
    var categoryField: String?

    @Option(name: .customLong("text-field"), help: "Field of the listings holding the text.")
    var textField = "text"

    @Option(name: .customLong("id-field"), help: "Field of the listings holding the id (as given to classify).")
    var idField = "id"

    @Flag(name: .shortAndLong, help: "No progress or summary on standard error.")
    var quiet = false

    func validate() throws {
        if maxCases < 0 { throw ValidationError("--max-cases must be 0 or more") }
        if listings == "-" && decisions == "-" { throw ValidationError("the decisions and the listings cannot both be standard input") }
    }

    func run() throws {
        var options = ReportOptions()
        options.title = title
        options.maxCases = maxCases
        options.source = decisions == "-" ? nil : URL(fileURLWithPath: decisions).lastPathComponent
        options.listings = listings.map { $0 == "-" ? "standard input" : URL(fileURLWithPath: $0).lastPathComponent }
        if let sellerField { options.sellerFields = [sellerField] }
        if let languageField { options.languageFields = [languageField] }
        if let categoryField { options.categoryFields = [categoryField] }

        let decisionReader: LineReader
        var join: ListingJoin?
        var csvFile: CSVFile?
        var reportFile: FileHandle?
        do {
            decisionReader = try LineReader(path: decisions)
            if let listings {
                let reader = try LineReader(path: listings)
                let parser = RecordParser(format: .jsonl, textField: textField, idField: idField)
                var number = 0
                join = ListingJoin { nextListing(reader, parser, &number) }
            }
            if let csv { csvFile = try CSVFile(path: csv) }
            // Fail before reading anything when the report cannot be written.
            if let output, output != "-" { reportFile = try OutputFile.open(output, what: "report file") }
        } catch {
            exitWithConfigurationError(error)
        }

        var builder = ReportBuilder(options: options)
        let progress = Progress(enabled: !quiet)
        let started = Date()
        var lineNumber = 0
        csvFile?.write(ReportCSV.header)
        while decisionReader.nextLine({ line in
            lineNumber += 1
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
            let parsed = line.withUnsafeBufferPointer { bytes in Result { () throws(JSONError) in try DecisionRecord.parse(bytes) } }
            switch parsed {
            case .success(let decision):
                let listing = join?.listing(for: decision.idJSON)
                if let flagged = builder.add(decision, line: lineNumber, listing: listing) { csvFile?.write(ReportCSV.line(flagged)) }
            case .failure(let error):
                builder.addUnreadable(line: lineNumber, message: error.description)
            }
            if lineNumber % 4096 == 0 {
                progress.update(records: lineNumber, bytes: decisionReader.bytesRead, total: decisionReader.totalBytes, started: started)
            }
        }) {}
        progress.clear()

        // Listings found out of order, past the join's reach: one more read of the listings file
        // for the cases the table lists (only a regular file can be read twice).
        if let listings, listings != "-" {
            let missing = builder.idsWithoutListing
            if !missing.isEmpty, let reader = try? LineReader(path: listings), reader.totalBytes != nil {
                let parser = RecordParser(format: .jsonl, textField: textField, idField: idField)
                var number = 0
                while let record = nextListing(reader, parser, &number) {
                    if missing.contains(record.idJSON) { builder.attach(record) }
                }
            }
        }

        let report = builder.finish(unmatchedListings: join?.unmatched)
        var html = ReportHTML.render(report)
        let fd = reportFile?.fileDescriptor ?? STDOUT_FILENO
        let written = html.withUTF8 { bytes in writeAll(bytes, to: fd) }
        if !written { exitWithConfigurationError(CLIError.configuration("\(output ?? "standard output"): cannot write the report")) }
        if let csvFile, !csvFile.finish() {
            exitWithConfigurationError(CLIError.configuration("\(csv ?? ""): cannot write the CSV file"))
        }
        if !quiet { printSummary(report) }
    }

    private func printSummary(_ report: AnalystReport) {
        let t = report.totals
        var line = "wildguard: \(output ?? "report"): \(t.total) decisions (block \(t.block), review \(t.review), allow \(t.allow), error \(t.error))"
        line += ", \(report.cases.count) cases listed"
        if report.omitted.flagged > 0 { line += ", \(report.omitted.flagged) more counted" }
        if report.unreadable > 0 { line += ", \(report.unreadable) unreadable lines" }
        if let unmatched = report.unmatchedListings, unmatched > 0 { line += ", \(unmatched) without a listing" }
        var usage = rusage()
        if getrusage(RUSAGE_SELF.rawValue, &usage) == 0 { line += "; peak memory \(usage.ru_maxrss / 1024) MB" }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// Writes `bytes` to `fd` without copying them.
private func writeAll(_ bytes: UnsafeBufferPointer<UInt8>, to fd: Int32) -> Bool {
    var offset = 0
    while offset < bytes.count {
        let n = write(fd, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
        if n < 0 {
            if errno == EINTR { continue }
            return false
        }
        offset += n
    }
    return true
}

/// The next listing record of a JSONL file (blank lines are not records but count as lines).
private func nextListing(_ reader: LineReader, _ parser: RecordParser, _ number: inout Int) -> InputRecord? {
    var record: InputRecord?
    while record == nil {
        var blank = true
        var bytes: [UInt8] = []
        guard reader.nextLine({ line in
            blank = !line.contains { $0 != 0x20 && $0 != 0x09 }
            if !blank { bytes = Array(line) }
        }) else { return nil }
        number += 1
        if blank { continue }
        let n = number
        record = bytes.withUnsafeBufferPointer { parser.parse($0, number: n) }
    }
    return record
}

/// A CSV file written in large blocks.
private final class CSVFile {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var failed = false

    init(path: String) throws {
        handle = try OutputFile.open(path, what: "CSV file")
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    private func flush() {
        guard !buffer.isEmpty, !failed else { return }
        do { try handle.write(contentsOf: buffer) } catch { failed = true }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is left and closes the file; false when a write failed.
    func finish() -> Bool {
        flush()
        try? handle.close()
        return !failed
    }
}

import ArgumentParser
import Foundation
import WildGuard

struct Classify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Classify listings in batch: one decision per input record, in input order.",
        discussion: """
            Reads JSONL ({"id":…,"text":…} per line), CSV with a header, or plain text (one listing
            per line) from files or standard input, and writes one decision per record.

            Examples:
              wildguard classify Examples/sample-listings.jsonl
              wildguard classify --format table listings.csv
              zcat big.jsonl.gz | wildguard classify --jobs 2 -o decisions.jsonl

            A record that cannot be read (bad JSON, no text field) gets a decision of "error" with
            the reason and its line; the run goes on. Exit codes: 0 when every record was read
            (errors included), 2 for usage and configuration errors.
            """)

    @Argument(help: "Input files, or - for standard input (the default).")
    var inputs: [String] = ["-"]

    @Option(name: .customLong("input-format"), help: "jsonl, csv or text (default: from the file extension; jsonl for stdin).")
    var inputFormat: InputFormat?

    @Option(name: .customLong("text-field"), help: "Field holding the listing text.")
    var textField = "text"

    @Option(name: .customLong("id-field"), help: "Field holding the record id (default: the line number when missing).")
    var idField = "id"

    @Option(name: .long, help: "Output format: jsonl, csv or table.")
    var format: OutputFormat = .jsonl

    @Option(name: .shortAndLong, help: "Write decisions to this file instead of standard output.")
    var output: String?

    @Option(name: .long, help: "Worker threads (default: all cores).")
    var jobs: Int?

    @Flag(name: .shortAndLong, help: "No progress or summary on standard error.")
    var quiet = false

    @OptionGroup var engineOptions: EngineOptions

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        // A closed pipe downstream ends the run cleanly instead of killing it.
        signal(SIGPIPE, SIG_IGN)
        Interruption.install()
        let engine: Engine
        let sink: OutputSink
        do {
            engine = try engineOptions.loadEngine()
            sink = try OutputSink(path: output, format: format)
        } catch {
            exitWithConfigurationError(error)
        }
        var summary = RunSummary()
        let progress = Progress(enabled: !quiet)
        for input in inputs where !Interruption.requested {
            let format = inputFormat ?? InputFormat.guess(for: input)
            let parser = RecordParser(format: format, textField: textField, idField: idField)
            let source: RecordSource
            do {
                source = try RecordSource(path: input, format: format, textField: textField, idField: idField)
            } catch {
                exitWithConfigurationError(error)
            }
            let pipeline = BatchPipeline(engine: engine, parser: parser, jobs: jobs)
            pipeline.run(source: source, sink: sink, summary: &summary, progress: progress)
        }
        sink.finish()
        progress.clear()
        if !quiet { summary.print() }
        if Interruption.requested {
            FileHandle.standardError.write(Data(
                "wildguard: interrupted: \(summary.records) records written, stopped after input line \(summary.lastLine)\n".utf8))
            throw ExitCode(130)
        }
    }
}

extension InputFormat: ExpressibleByArgument {
    static func guess(for path: String) -> InputFormat {
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".txt") { return .text }
        return .jsonl
    }
}

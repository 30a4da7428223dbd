import ArgumentParser
import Foundation
import WildGuard

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score decisions against labelled listings: confusion matrix, precision/recall/F1, macro-F1.",
        discussion: """
            LABELLED is JSONL with a text field and a label field (block, review or allow).

            Examples:
              wildguard evaluate Tests/Fixtures/devset.jsonl
              wildguard evaluate Tests/Fixtures/devset.jsonl --by lang --by category
              wildguard evaluate data.jsonl --json --fail-under macro_f1=0.9 --errors misses.jsonl

            Metrics for --fail-under: macro_f1, accuracy, block_flagged, benign_not_blocked, and
            block_precision, review_recall, allow_f1 and so on.
            """)

    @Argument(help: "Labelled JSONL file.")
    var labelled: String

    @Option(name: .customLong("label-field")) var labelField = "label"
    @Option(name: .customLong("text-field")) var textField = "text"
    @Option(name: .customLong("id-field")) var idField = "id"

    @Option(name: .customLong("by"), help: "Break results down by this field (repeatable).")
    var groupBy: [String] = []

    @Flag(name: .long, help: "Print the report as JSON.") var json = false

    @Option(name: .customLong("fail-under"), help: "METRIC=VALUE: exit 1 when the metric is below VALUE (repeatable).")
    var failUnder: [String] = []

    @Option(name: .long, help: "Write misclassified records with their reasons to this JSONL file.")
    var errors: String?

    @Option(name: .long, help: "Worker threads (default: all cores).") var jobs: Int?

    @OptionGroup var engineOptions: EngineOptions

    func run() throws {
        var thresholds: [(String, Double)] = []
        for item in failUnder {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = Double(parts[1]) else {
                exitWithConfigurationError(CLIError.usage("--fail-under takes METRIC=VALUE, not '\(item)'"))
            }
            thresholds.append((parts[0], value))
        }
        let engine: Engine
        let source: RecordSource
        do {
            engine = try engineOptions.loadEngine()
            source = try RecordSource(path: labelled, format: .jsonl, textField: textField, idField: idField)
        } catch {
            exitWithConfigurationError(error)
        }
        var overall = EvaluationReport()
        var groups: [String: [String: EvaluationReport]] = [:]
        var misses = JSONWriter()
        var unlabelled = 0
        var summary = RunSummary()
        var pipeline = BatchPipeline(engine: engine, parser: RecordParser(format: .jsonl, textField: textField, idField: idField), jobs: jobs)
        pipeline.keepText = errors != nil
        pipeline.run(source: source, sink: nil, summary: &summary, progress: Progress(enabled: true)) { record in
            guard let label = record.fields.first(where: { $0.key == labelField })?.value.text?.lowercased(),
                EvaluationReport.classes.contains(label)
            else {
                unlabelled += 1
                return
            }
            let predicted = record.decision?.action.rawValue ?? "error"
            overall.add(label: label, predicted: predicted)
            for field in groupBy {
                let value = record.fields.first { $0.key == field }?.value.text ?? "(none)"
                groups[field, default: [:]][value, default: EvaluationReport()].add(label: label, predicted: predicted)
            }
            if errors != nil && label != predicted {
                misses.raw("{\"id\":\(record.idJSON),\"line\":\(record.line),\"label\":")
                misses.string(label)
                misses.raw(",\"predicted\":")
                misses.string(predicted)
                misses.raw(",\"text\":")
                misses.string(record.text ?? "")
                if let decision = record.decision {
                    misses.raw(",\"decision\":")
                    DecisionJSON.write(decision, idJSON: record.idJSON, into: &misses)
                } else {
                    misses.raw(",\"error\":")
                    misses.string(record.error ?? "")
                }
                misses.raw("}\n")
            }
        }
        if let errors {
            do {
                let handle = try OutputFile.open(errors, what: "errors file")
                try handle.write(contentsOf: misses.bytes)
            } catch {
                exitWithConfigurationError(error)
            }
        }
        if json {
            print(EvaluationPrinter.json(overall, groups: groups, unlabelled: unlabelled))
        } else {
            print(EvaluationPrinter.text(overall, groups: groups, unlabelled: unlabelled))
        }
        var failed = false
        for (metric, value) in thresholds {
            guard let actual = overall.metrics[metric] else {
                exitWithConfigurationError(CLIError.usage("unknown metric '\(metric)' (known: \(overall.metrics.keys.sorted().joined(separator: ", ")))"))
            }
            if actual < value {
                FileHandle.standardError.write(Data(String(format: "wildguard: %@ = %.4f is below %.4f\n", metric, actual, value).utf8))
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}

enum EvaluationPrinter {
    static func text(_ r: EvaluationReport, groups: [String: [String: EvaluationReport]], unlabelled: Int) -> String {
        var out: [String] = []
        out.append("records: \(r.total)" + (unlabelled > 0 ? " (\(unlabelled) without a valid label skipped)" : ""))
        out.append("")
        out.append("confusion (rows: label, columns: decision)")
        let columns = EvaluationReport.classes + ["error"]
        out.append("          " + columns.map { pad($0, 8) }.joined())
        for label in EvaluationReport.classes {
            out.append(pad(label, 10) + columns.map { pad(String(r.count(label: label, predicted: $0)), 8) }.joined())
        }
        out.append("")
        out.append("          precision recall  f1      support")
        for cls in EvaluationReport.classes {
            let s = r.scores(for: cls)
            out.append(pad(cls, 10) + [s.precision, s.recall, s.f1].map { pad(String(format: "%.3f", $0), 8) }.joined() + String(s.support))
        }
        out.append("")
        out.append(String(format: "macro-F1 %.3f   accuracy %.3f   block flagged %.1f%%   benign blocked %.2f%%",
                          r.macroF1, r.accuracy, r.blockFlaggedRate * 100, r.benignBlockedRate * 100))
        for (field, values) in groups.sorted(by: { $0.key < $1.key }) {
            out.append("")
            out.append("by \(field):")
            out.append("  " + pad(field, 22) + pad("n", 7) + pad("macro-F1", 10) + pad("accuracy", 10) + pad("blk-flag", 10) + "benign-blocked")
            for (value, report) in values.sorted(by: { $0.key < $1.key }) {
                out.append("  " + pad(value, 22) + pad(String(report.total), 7)
                           + pad(String(format: "%.3f", report.macroF1), 10) + pad(String(format: "%.3f", report.accuracy), 10)
                           + pad(String(format: "%.1f%%", report.blockFlaggedRate * 100), 10)
                           + String(format: "%.2f%%", report.benignBlockedRate * 100))
            }
        }
        return out.joined(separator: "\n")
    }

    static func json(_ r: EvaluationReport, groups: [String: [String: EvaluationReport]], unlabelled: Int) -> String {
        var w = JSONWriter()
        func report(_ r: EvaluationReport) {
            w.raw("{\"records\":\(r.total),\"metrics\":{")
            for (i, (k, v)) in r.metrics.sorted(by: { $0.key < $1.key }).enumerated() {
                if i > 0 { w.raw(",") }
                w.key(k)
                w.raw(String(format: "%.4f", v))
            }
            w.raw("},\"confusion\":{")
            for (i, label) in EvaluationReport.classes.enumerated() {
                if i > 0 { w.raw(",") }
                w.key(label)
                w.raw("{")
                for (j, p) in (EvaluationReport.classes + ["error"]).enumerated() {
                    if j > 0 { w.raw(",") }
                    w.key(p)
                    w.raw(String(r.count(label: label, predicted: p)))
                }
                w.raw("}")
            }
            w.raw("}}")
        }
        w.raw("{\"overall\":")
        report(r)
        w.raw(",\"unlabelled\":\(unlabelled),\"groups\":{")
        for (i, (field, values)) in groups.sorted(by: { $0.key < $1.key }).enumerated() {
            if i > 0 { w.raw(",") }
            w.key(field)
            w.raw("{")
            for (j, (value, rep)) in values.sorted(by: { $0.key < $1.key }).enumerated() {
                if j > 0 { w.raw(",") }
                w.key(value)
                report(rep)
            }
            w.raw("}")
        }
        w.raw("}}")
        return String(decoding: w.bytes, as: UTF8.self)
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}

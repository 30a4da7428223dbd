import ArgumentParser
import Foundation
import WildGuard

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain one decision: normalised text, evidence with spans, rules and thresholds.",
        discussion: """
            Examples:
              wildguard explain "Carved ivory bangle, 45g, WhatsApp for price"
              wildguard explain --file Examples/sample-listings.jsonl --id s-007
            """)

    @Argument(help: "The listing text (omit it with --file and --id).")
    var text: String?

    @Option(name: .long, help: "A JSONL file to take the listing from (with --id).")
    var file: String?

    @Option(name: .long, help: "The id of the record to explain (with --file).")
    var id: String?

    @Option(name: .customLong("text-field")) var textField = "text"
    @Option(name: .customLong("id-field")) var idField = "id"

    @Flag(name: .long, help: "Never use colour.") var noColor = false

    @OptionGroup var engineOptions: EngineOptions

    func validate() throws {
        if text == nil && (file == nil || id == nil) {
            throw ValidationError("give the listing TEXT, or --file FILE --id ID")
        }
    }

    func run() throws {
        let listing: String
        do {
            listing = try text ?? findRecord()
        } catch {
            exitWithConfigurationError(error)
        }
        let engine: Engine
        do { engine = try engineOptions.loadEngine() } catch { exitWithConfigurationError(error) }
        let explanation = Explanation(engine: engine, listing: listing, colour: !noColor && isatty(1) == 1)
        print(explanation.render())
    }

    private func findRecord() throws -> String {
        guard let file, let id else { throw CLIError.usage("give --file and --id") }
        let reader = try LineReader(path: file)
        let parser = RecordParser(format: .jsonl, textField: textField, idField: idField)
        var number = 0
        var found: String?
        while found == nil, reader.nextLine({ line in
            number += 1
            let record = Array(line).withUnsafeBufferPointer { parser.parse($0, number: number) }
            let plain = record.fields.first { $0.key == idField }?.value.text ?? String(number)
            if plain == id { found = record.text ?? "" }
        }) {}
        guard let found else { throw CLIError.configuration("\(file): no record with id '\(id)'") }
        return found
    }
}

/// The human-readable account `explain` prints.
struct Explanation {
    let engine: Engine
    let listing: String
    let colour: Bool

    func render() -> String {
        let decision = engine.classify(listing)
        var out: [String] = []
        let action = decision.action.rawValue.uppercased()
        out.append("decision: \(paint(action, decision.action)) (score \(formatScore(decision.score)); review at \(formatScore(engine.policy.reviewThreshold)), block at \(formatScore(engine.policy.blockThreshold)); policy \(decision.policy) \(decision.policyVersion))")
        if let rule = decision.decidingRule { out.append("decided by: \(rule)") }
        out.append("")
        out.append("original:   \(highlight(decision))")
        out.append("normalised: \(engine.normalisedText(of: listing))")
        out.append("")
        let signals = decision.reasons.filter { $0.kind != "rule" }
        out.append(signals.isEmpty ? "evidence: none" : "evidence:")
        for r in signals {
            var line = "  [\(r.kind)] \(r.rule): \(r.explanation)"
            if let span = r.span { line += " — «\(r.matched)» at bytes \(span.lowerBound)..<\(span.upperBound)" }
            line += " (score \(formatScore(r.score)))"
            out.append(line)
        }
        let rules = decision.reasons.filter { $0.kind == "rule" }
        out.append(rules.isEmpty ? "rules: none fired" : "rules:")
        for r in rules {
            let action = r.tags.first.map { " -> \($0)" } ?? ""
            out.append("  \(r.rule): \(r.explanation) (score \(formatScore(r.score)))\(action)")
        }
        return out.joined(separator: "\n")
    }

    private func paint(_ text: String, _ action: Action) -> String {
        guard colour else { return text }
        let code = action == .block ? "31" : action == .review ? "33" : "32"
        return "\u{1B}[1;\(code)m\(text)\u{1B}[0m"
    }

    /// The listing with evidence spans marked: bold on a terminal, [[brackets]] otherwise.
    private func highlight(_ decision: Decision) -> String {
        let bytes = Array(listing.utf8)
        var marks = [Bool](repeating: false, count: bytes.count)
        for r in decision.reasons { if let span = r.span { for i in span where i < marks.count { marks[i] = true } } }
        var out: [UInt8] = []
        var inside = false
        let open = colour ? Array("\u{1B}[1;4m".utf8) : Array("[[".utf8)
        let close = colour ? Array("\u{1B}[0m".utf8) : Array("]]".utf8)
        for (i, b) in bytes.enumerated() {
            if marks[i] != inside {
                out += marks[i] ? open : close
                inside = marks[i]
            }
            out.append(b)
        }
        if inside { out += close }
        return String(decoding: out, as: UTF8.self)
    }
}

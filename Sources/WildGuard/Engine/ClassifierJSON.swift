extension Classifier {
    /// Classifies a record read by `RecordParser` and appends its decision as JSON (no line
    /// break), or the error record of a record that could not be read: what `wildguard classify`
    /// writes for each input line.
    ///
    /// - Returns: The action decided, or nil for a record that could not be read.
    @discardableResult
    public func writeDecision(for record: InputRecord, into writer: inout JSONWriter) -> Action? {
        guard var text = record.text else {
            DecisionJSON.writeError(
                idJSON: record.idJSON, line: record.line, message: record.error ?? "unreadable record", into: &writer)
            return nil
        }
        return text.withUTF8 { utf8 in
            writeDecision(utf8: utf8, idJSON: record.idJSON, replacedInvalidUTF8: record.replacedInvalidUTF8, into: &writer)
        }
    }

    /// Classifies one listing and appends its decision to `writer` as one JSON object, without
    /// building the `Decision`: the bytes are those of
    /// `DecisionJSON.write(classify(utf8:), idJSON:into:)` (after `noteInvalidUTF8()` when
    /// `replacedInvalidUTF8`), written from the engine's pre-rendered pieces. This is the batch
    /// path of `wildguard classify`; use it when the JSON is all a pipeline keeps.
    ///
    /// - Parameters:
    ///   - input: The listing text as UTF-8 (invalid sequences are replaced and reported).
    ///   - idJSON: The record id as JSON text, written as it is.
    ///   - replacedInvalidUTF8: The caller already replaced invalid UTF-8 in the text (a JSON
    ///     reader does): the decision says so, as `Decision.noteInvalidUTF8()` would.
    ///   - writer: Where the JSON object is appended (no line break after it).
    /// - Returns: The action decided.
    @discardableResult
    public func writeDecision(
        utf8 input: UnsafeBufferPointer<UInt8>, idJSON: String, replacedInvalidUTF8: Bool = false,
        into writer: inout JSONWriter
    ) -> Action {
        guard let screened = screen(input) else {
            var decision = classify(utf8: input)
            if replacedInvalidUTF8 { decision.noteInvalidUTF8() }
            DecisionJSON.write(decision, idJSON: idJSON, into: &writer)
            return decision.action
        }
        return writeScreened(screened, idJSON: idJSON, replacedInvalidUTF8: replacedInvalidUTF8, into: &writer)
    }

    /// Reads one JSONL record (or text or CSV line) with `parser` and appends its decision: the
    /// same bytes as `writeDecision(for: parser.parse(line, number: number), into:)`, but a
    /// listing text without escapes is classified where it is in `line`, without building a
    /// `String` of it (which checks every byte again, a tenth of the time per record).
    ///
    /// - Returns: The action decided, or nil for a record that could not be read.
    @discardableResult
    public func writeDecision(
        line: UnsafeBufferPointer<UInt8>, number: Int, parser: RecordParser, into writer: inout JSONWriter
    ) -> Action? {
        if let lean = parser.lean(line) {
            let text = UnsafeBufferPointer(rebasing: line[lean.text])
            if text.count <= engine.options.maxListingBytes, let screened = screen(text), !screenedInvalidUTF8 {
                let idJSON = lean.id.map { String(decoding: UnsafeBufferPointer(rebasing: line[$0]), as: UTF8.self) } ?? String(number)
                return writeScreened(screened, idJSON: idJSON, replacedInvalidUTF8: false, into: &writer)
            }
        }
        let (record, borrowed) = parser.parse(line, number: number, borrowingText: true)
        guard let borrowed else { return writeDecision(for: record, into: &writer) }
        let text = UnsafeBufferPointer(rebasing: line[borrowed])
        // Text that is not valid UTF-8 (which the normaliser reports) is decoded as the parser
        // decodes it, and screened again; so is text past the length limit, whose cut-off part
        // the normaliser never reads.
        if text.count <= engine.options.maxListingBytes, let screened = screen(text), !screenedInvalidUTF8 {
            return writeScreened(screened, idJSON: record.idJSON, replacedInvalidUTF8: record.replacedInvalidUTF8, into: &writer)
        }
        var (decoded, replaced) = JSONRecord.decoded(text)
        return decoded.withUTF8 { utf8 in
            writeDecision(
                utf8: utf8, idJSON: record.idJSON, replacedInvalidUTF8: record.replacedInvalidUTF8 || replaced, into: &writer)
        }
    }

    /// Writes the decision on the listing just screened (`screened` is what `screen` returned).
    private func writeScreened(
        _ screened: UnsafeBufferPointer<UInt8>, idJSON: String, replacedInvalidUTF8: Bool, into writer: inout JSONWriter
    ) -> Action {
        let outcome = evaluateFindings(limitExceeded: scratch?.limitExceeded ?? false)
        let noteInvalid = replacedInvalidUTF8 && !others.contains { $0.id == Reason.invalidUTF8.rule }
        // Others are rare (engine signals): their reasons are built as a decision's are (the
        // score is set when they are written).
        let otherReasons: [Reason] = others.isEmpty ? [] : others.map { reason(for: $0, score: 0) }
        let fragments = engine.fragments
        let writing = DecisionWriting(
            idJSON: idJSON, action: outcome.action, score: outcome.score, decidingRule: outcome.decidingRule,
            input: screened, checkMatched: screenedInvalidUTF8, noteInvalid: noteInvalid)
        findings.withUnsafeBufferPointer { findings in
            signalScores.withUnsafeBufferPointer { scores in
                order.withUnsafeBufferPointer { order in
                    firedRules.withUnsafeBufferPointer { fired in
                        let parts = DecisionWriting.Parts(
                            findings: findings, scores: scores, order: order, firedRules: fired,
                            others: otherReasons, fragments: fragments)
                        var room = writing.expectedCount(parts)
                        room += room / 8 + 64
                        while !writer.reserving(room, WrittenDecision(writing: writing, parts: parts)) { room *= 2 }
                    }
                }
            }
        }
        return outcome.action
    }
}

/// A decision and its parts, as `JSONWriter.reserving` takes them.
private struct WrittenDecision: JSONCursorWritable {
    let writing: DecisionWriting
    let parts: DecisionWriting.Parts

    func write(_ cursor: inout JSONCursor) { writing.write(parts, &cursor) }
}

/// One decision written from a classifier's findings and the engine's fragments.
private struct DecisionWriting {
    let idJSON: String
    let action: Action
    let score: Double
    let decidingRule: String?
    /// The screened listing, which spans index.
    let input: UnsafeBufferPointer<UInt8>
    /// The listing held invalid UTF-8: matched text is decoded (and repaired) before it is written.
    let checkMatched: Bool
    /// Whether to add the reason `Decision.noteInvalidUTF8()` adds.
    let noteInvalid: Bool

    /// What the listing's findings are, read in place.
    struct Parts {
        let findings: UnsafeBufferPointer<Finding>
        let scores: UnsafeBufferPointer<Double>
        let order: UnsafeBufferPointer<Int>
        let firedRules: UnsafeBufferPointer<Int>
        /// The reasons of findings of source `other`, by their index.
        let others: [Reason]
        let fragments: DecisionFragments
    }

    /// The record's length but for escapes in matched text and numbers longer than usual.
    func expectedCount(_ parts: Parts) -> Int {
        let fragments = parts.fragments
        var count = DecisionJSON.recordKeys + idJSON.utf8.count + (decidingRule?.utf8.count ?? 0)
            + fragments.recordTail.count + parts.findings.count + parts.firedRules.count
        for finding in parts.findings {
            // Matched text, span and score, with their keys.
            count += 48 + finding.span.count
            switch finding.source {
            case .entry(let e):
                count += fragments.entryHead(Int(e)).count + fragments.entryTail(Int(e)).count + 40
            case .evasion(let kind, let attached):
                let slot = DecisionFragments.evasionSlot(kind, attached: attached)
                count += fragments.evasionHead(slot).count + fragments.evasionTail(slot).count
            case .other(let index):
                count += parts.others[Int(index)].expectedJSONCount
            }
        }
        for rule in parts.firedRules { count += fragments.rule(rule).count }
        if noteInvalid { count += Reason.invalidUTF8.expectedJSONCount }
        return count
    }

    func write(_ parts: Parts, _ c: inout JSONCursor) {
        let fragments = parts.fragments
        DecisionJSON.writeRecordHead(idJSON: idJSON, action: action, score: score, &c)
        var listed = false
        for i in parts.order {
            if listed { c.byte(UInt8(ascii: ",")) }
            listed = true
            let finding = parts.findings[i]
            let score = parts.scores[i]
            switch finding.source {
            case .entry(let e):
                c.bytes(fragments.entryHead(Int(e)))
                if let evasion = finding.evasion, finding.kind != .evasion {
                    c.bytes(fragments.writtenAs(evasion.index))
                } else {
                    c.byte(UInt8(ascii: "\""))
                }
                writeEvidence(finding.span, score, &c)
                c.bytes(fragments.entryTail(Int(e)))
                if let evasion = finding.evasion {
                    c.bytes(fragments.evasionEnd(evasion.index))
                } else {
                    c.byte(UInt8(ascii: "}"))
                }
            case .evasion(let kind, let attached):
                let slot = DecisionFragments.evasionSlot(kind, attached: attached)
                c.bytes(fragments.evasionHead(slot))
                writeEvidence(finding.span, score, &c)
                c.bytes(fragments.evasionTail(slot))
            case .other(let index):
                var reason = parts.others[Int(index)]
                reason.score = score
                withUnsafePointer(to: reason) { DecisionJSON.writeReason($0, into: &c) }
            }
        }
        for rule in parts.firedRules {
            if listed { c.byte(UInt8(ascii: ",")) }
            listed = true
            c.bytes(fragments.rule(rule))
        }
        if noteInvalid {
            if listed { c.byte(UInt8(ascii: ",")) }
            withUnsafePointer(to: Reason.invalidUTF8) { DecisionJSON.writeReason($0, into: &c) }
        }
        DecisionJSON.writeDecidingRule(decidingRule, &c)
        c.bytes(fragments.recordTail)
    }

    /// The matched text, span and score of a finding: the original bytes at its span, as
    /// `Classifier.original` reads them.
    private func writeEvidence(_ span: Range<Int>, _ score: Double, _ c: inout JSONCursor) {
        let clamped = span.clamped(to: 0..<input.count)
        let shown: Range<Int>? = span.isEmpty ? nil : span
        // A span that starts or ends inside a character, or text that held invalid UTF-8, is
        // decoded first, as a `String` would repair it.
        let splits = (clamped.lowerBound < input.count && input[clamped.lowerBound] & 0xC0 == 0x80)
            || (clamped.upperBound < input.count && input[clamped.upperBound] & 0xC0 == 0x80)
        if checkMatched || splits {
            var repaired = Classifier.original(input, span)
            repaired.withUTF8 { DecisionJSON.writeEvidence(matched: $0, span: shown, score: score, &c) }
        } else {
            DecisionJSON.writeEvidence(
                matched: UnsafeBufferPointer(rebasing: input[clamped]), span: shown, score: score, &c)
        }
    }
}

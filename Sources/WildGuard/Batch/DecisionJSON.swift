/// The JSON form of decisions, one object per record, as `wildguard classify` writes it:
/// `{"id":…,"decision":"block","score":…,"reasons":[{"rule":…,"kind":…,"explanation":…,
/// "matched":…,"span":[start,end]}…],"policy":…,"policy_version":…,"taxonomy_version":…,
/// "fingerprint":…}`. Spans are UTF-8 byte offsets into the original text.
public enum DecisionJSON {
    /// Appends one decision record. `idJSON` is the record id as JSON text (kept as given).
    public static func write(_ decision: Decision, idJSON: String, into w: inout JSONWriter) {
        // Reasons are read in place through a pointer: `reasons[i]` would copy each one
        // (retaining every string and array in it) only to read it. The whole record is written
        // into memory reserved at once, sized from its strings.
        decision.reasons.withUnsafeBufferPointer { reasons in
            // Sized from the strings' lengths, with room for some escaping; the rare record that
            // needs more is written again with twice the room, until it fits.
            var count = recordKeys + idJSON.utf8.count + decision.action.rawValue.utf8.count
                + (decision.decidingRule?.utf8.count ?? 0) + decision.policy.utf8.count
                + decision.policyVersion.utf8.count + decision.taxonomyVersion.utf8.count
                + decision.fingerprint.utf8.count + reasons.count
            if let first = reasons.baseAddress {
                for i in reasons.indices { count += (first + i).pointee.expectedJSONCount }
            }
            // Slack for escapes and for numbers longer than expected.
            var room = count + count / 8 + 64
            while !w.reserving(room, { write(decision, idJSON, reasons, &$0) }) { room *= 2 }
        }
    }

    private static func write(
        _ decision: Decision, _ idJSON: String, _ reasons: UnsafeBufferPointer<Reason>, _ c: inout JSONCursor
    ) {
        writeRecordHead(idJSON: idJSON, action: decision.action, score: decision.score, &c)
        if let first = reasons.baseAddress {
            for i in reasons.indices {
                if i > 0 { c.byte(UInt8(ascii: ",")) }
                writeReason(first + i, into: &c)
            }
        }
        writeDecidingRule(decision.decidingRule, &c)
        writeRecordTail(
            policy: decision.policy, policyVersion: decision.policyVersion,
            taxonomyVersion: decision.taxonomyVersion, fingerprint: decision.fingerprint, &c)
    }

    /// A record's keys, punctuation and score (at its usual length), without its reasons.
    static var recordKeys: Int { 150 }

    static func string(_ s: String, _ c: inout JSONCursor) {
        JSONWriter.withUTF8(s) { c.string($0) }
    }

    // The pieces of a record, in order. `DecisionFragments` renders the pieces that depend only
    // on the engine with these same functions, so both ways of writing a decision agree.

    /// `{"id":…,"decision":…,"score":…,"reasons":[`
    static func writeRecordHead(idJSON: String, action: Action, score: Double, _ c: inout JSONCursor) {
        c.fragment("{\"id\":")
        JSONWriter.withUTF8(idJSON) { c.bytes($0) }
        c.fragment(",\"decision\":")
        string(action.rawValue, &c)
        c.fragment(",\"score\":")
        c.number(score)
        c.fragment(",\"reasons\":[")
    }

    /// `],"deciding_rule":…`
    static func writeDecidingRule(_ rule: String?, _ c: inout JSONCursor) {
        c.fragment("],\"deciding_rule\":")
        if let rule { string(rule, &c) } else { c.fragment("null") }
    }

    /// `,"policy":…,"policy_version":…,"taxonomy_version":…,"fingerprint":…}`
    static func writeRecordTail(
        policy: String, policyVersion: String, taxonomyVersion: String, fingerprint: String, _ c: inout JSONCursor
    ) {
        c.fragment(",\"policy\":")
        string(policy, &c)
        c.fragment(",\"policy_version\":")
        string(policyVersion, &c)
        c.fragment(",\"taxonomy_version\":")
        string(taxonomyVersion, &c)
        c.fragment(",\"fingerprint\":")
        string(fingerprint, &c)
        c.fragment("}")
    }

    static func writeReason(_ reason: UnsafePointer<Reason>, into c: inout JSONCursor) {
        writeReasonHead(rule: reason.pointee.rule, kind: reason.pointee.kind, &c)
        string(reason.pointee.explanation, &c)
        JSONWriter.withUTF8(reason.pointee.matched) { matched in
            writeEvidence(matched: matched, span: reason.pointee.span, score: reason.pointee.score, &c)
        }
        writeReasonTail(tags: reason.pointee.tags, taxon: reason.pointee.taxon, &c)
        writeReasonEnd(evasion: reason.pointee.evasion, &c)
    }

    /// `{"rule":…,"kind":…,"explanation":` (the explanation follows)
    static func writeReasonHead(rule: String, kind: String, _ c: inout JSONCursor) {
        c.fragment("{\"rule\":")
        string(rule, &c)
        c.fragment(",\"kind\":")
        string(kind, &c)
        c.fragment(",\"explanation\":")
    }

    /// `,"matched":…,"span":…,"score":…`: what differs from listing to listing.
    static func writeEvidence(matched: UnsafeBufferPointer<UInt8>, span: Range<Int>?, score: Double, _ c: inout JSONCursor) {
        c.fragment(",\"matched\":")
        c.string(matched)
        c.fragment(",\"span\":")
        if let span {
            c.byte(UInt8(ascii: "["))
            c.integer(span.lowerBound)
            c.byte(UInt8(ascii: ","))
            c.integer(span.upperBound)
            c.byte(UInt8(ascii: "]"))
        } else {
            c.fragment("null")
        }
        c.fragment(",\"score\":")
        c.hundredths(of: score)
    }

    /// `,"tags":[…],"taxon":{…}`, each when there is one.
    static func writeReasonTail(tags: [String], taxon: TaxonFacts?, _ c: inout JSONCursor) {
        if !tags.isEmpty {
            c.fragment(",\"tags\":[")
            for (i, tag) in tags.enumerated() {
                if i > 0 { c.byte(UInt8(ascii: ",")) }
                string(tag, &c)
            }
            c.byte(UInt8(ascii: "]"))
        }
        if let taxon {
            c.fragment(",\"taxon\":{\"scientific_name\":")
            string(taxon.scientificName, &c)
            c.fragment(",\"common_name\":")
            if let common = taxon.commonName { string(common, &c) } else { c.fragment("null") }
            c.fragment(",\"cites_appendix\":")
            string(taxon.appendix.rawValue, &c)
            c.fragment(",\"group\":")
            string(taxon.group, &c)
            c.byte(UInt8(ascii: "}"))
        }
    }

    /// `,"evasion":…}` or `}`
    static func writeReasonEnd(evasion: EvasionKind?, _ c: inout JSONCursor) {
        if let evasion {
            c.fragment(",\"evasion\":")
            string(evasion.rawValue, &c)
        }
        c.byte(UInt8(ascii: "}"))
    }

    /// Appends the record written for input that could not be classified.
    public static func writeError(idJSON: String, line: Int, message: String, into w: inout JSONWriter) {
        w.fragment("{\"id\":")
        w.raw(idJSON)
        w.fragment(",\"decision\":\"error\",\"line\":")
        w.integer(line)
        w.fragment(",\"error\":")
        w.string(message)
        w.fragment(",\"reasons\":[]}")
    }
}

extension Reason {
    /// How many bytes its JSON usually takes: exact but for escapes and a score longer than
    /// four characters.
    var expectedJSONCount: Int {
        // {"rule":"","kind":"","explanation":"","matched":"","span":,"score":}
        var count = 66 + rule.utf8.count + kind.utf8.count + explanation.utf8.count + matched.utf8.count + 4
        if let span {
            count += 3 + String.decimalDigits(span.lowerBound) + String.decimalDigits(span.upperBound)
        } else {
            count += 4
        }
        if !tags.isEmpty {
            // ,"tags":[] and each tag quoted, with commas between
            count += 10 + 3 * tags.count - 1
            for tag in tags { count += tag.utf8.count }
        }
        if let taxon {
            // ,"taxon":{"scientific_name":"","common_name":"","cites_appendix":"","group":""}
            count += 80 + taxon.scientificName.utf8.count + (taxon.commonName?.utf8.count ?? 2)
                + taxon.appendix.rawValue.utf8.count + taxon.group.utf8.count
        }
        if let evasion {
            // ,"evasion":""
            count += 13 + evasion.rawValue.utf8.count
        }
        return count
    }
}

extension String {
    /// The number of characters of `value` written in decimal.
    fileprivate static func decimalDigits(_ value: Int) -> Int {
        guard value > 0 else { return value == 0 ? 1 : 20 }
        var digits = 0
        var n = value
        while n > 0 { digits += 1; n /= 10 }
        return digits
    }
}

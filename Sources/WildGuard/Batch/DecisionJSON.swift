/// The JSON form of decisions, one object per record, as `wildguard classify` writes it:
/// `{"id":…,"decision":"block","score":…,"reasons":[{"rule":…,"kind":…,"explanation":…,
/// "matched":…,"span":[start,end]}…],"policy":…,"policy_version":…,"taxonomy_version":…,
/// "fingerprint":…}`. Spans are UTF-8 byte offsets into the original text.
public enum DecisionJSON {
    /// Appends one decision record. `idJSON` is the record id as JSON text (kept as given).
    public static func write(_ decision: Decision, idJSON: String, into w: inout JSONWriter) {
        w.raw("{\"id\":")
        w.raw(idJSON)
        w.raw(",\"decision\":")
        w.string(decision.action.rawValue)
        w.raw(",\"score\":")
        w.number(decision.score)
        w.raw(",\"reasons\":[")
        for i in decision.reasons.indices {
            if i > 0 { w.raw(",") }
            writeReason(decision.reasons[i], into: &w)
        }
        w.raw("],\"deciding_rule\":")
        if let rule = decision.decidingRule { w.string(rule) } else { w.raw("null") }
        w.raw(",\"policy\":")
        w.string(decision.policy)
        w.raw(",\"policy_version\":")
        w.string(decision.policyVersion)
        w.raw(",\"taxonomy_version\":")
        w.string(decision.taxonomyVersion)
        w.raw(",\"fingerprint\":")
        w.string(decision.fingerprint)
        w.raw("}")
    }

    static func writeReason(_ reason: Reason, into w: inout JSONWriter) {
        w.raw("{\"rule\":")
        w.string(reason.rule)
        w.raw(",\"kind\":")
        w.string(reason.kind)
        w.raw(",\"explanation\":")
        w.string(reason.explanation)
        w.raw(",\"matched\":")
        w.string(reason.matched)
        w.raw(",\"span\":")
        if let span = reason.span {
            w.raw("[")
            w.integer(span.lowerBound)
            w.raw(",")
            w.integer(span.upperBound)
            w.raw("]")
        } else {
            w.raw("null")
        }
        w.raw(",\"score\":")
        w.number((reason.score * 100).rounded() / 100)
        if !reason.tags.isEmpty {
            w.raw(",\"tags\":[")
            for (i, tag) in reason.tags.enumerated() {
                if i > 0 { w.raw(",") }
                w.string(tag)
            }
            w.raw("]")
        }
        if let taxon = reason.taxon {
            w.raw(",\"taxon\":{\"scientific_name\":")
            w.string(taxon.scientificName)
            w.raw(",\"common_name\":")
            if let common = taxon.commonName { w.string(common) } else { w.raw("null") }
            w.raw(",\"cites_appendix\":")
            w.string(taxon.appendix.rawValue)
            w.raw(",\"group\":")
            w.string(taxon.group)
            w.raw("}")
        }
        if let evasion = reason.evasion {
            w.raw(",\"evasion\":")
            w.string(evasion.rawValue)
        }
        w.raw("}")
    }

    /// Appends the record written for input that could not be classified.
    public static func writeError(idJSON: String, line: Int, message: String, into w: inout JSONWriter) {
        w.raw("{\"id\":")
        w.raw(idJSON)
        w.raw(",\"decision\":\"error\",\"line\":")
        w.integer(line)
        w.raw(",\"error\":")
        w.string(message)
        w.raw(",\"reasons\":[]}")
    }
}

/// One line of decisions JSONL, as `wildguard classify` writes it (see `DecisionJSON`), read back
/// for a report. Fields the report does not know are kept in `fields`, so that a decisions file
/// that also carries a seller, a language or the listing text can be reported without a
/// separate listings file.
public struct DecisionRecord: Sendable {
    /// The record id as JSON text, exactly as written (a string id in quotes, a number bare).
    public var idJSON: String
    /// The record id as plain text.
    public var id: String
    /// `block`, `review` or `allow`; nil for an `error` record or an unknown outcome.
    public var action: Action?
    /// The `decision` field as written (`error` for records classify could not read).
    public var outcome: String
    /// The policy score.
    public var score: Double
    /// Evidence first, then the policy rules that fired (`kind == "rule"`).
    public var reasons: [Reason]
    /// The policy rule that chose the outcome, or nil when the score thresholds did.
    public var decidingRule: String?
    /// The policy profile, its version and the taxonomy version that decided.
    public var policy: String?
    public var policyVersion: String?
    public var taxonomyVersion: String?
    /// For an `error` record: why classify could not read the listing.
    public var error: String?
    /// Every top-level field but `reasons`, with its value (strings decoded, other values as JSON
    /// text).
    public var fields: [(key: String, value: JSONRecord.Value)]

    /// One entry of a decision's `reasons`.
    public struct Reason: Sendable {
        /// A taxonomy entry id (`product.ivory`) or a policy rule id (`WG_PROTECTED_TRADE`).
        public var rule: String
        /// `taxon`, `product`, `codeword`, `intent`, `benign`, `mitigating`, `evasion`, `limit`,
        /// `input`, or `rule` for a policy rule.
        public var kind: String
        /// One line for a moderator.
        public var explanation: String
        /// The original text that matched (empty for policy rules).
        public var matched: String
        /// UTF-8 byte offsets into the listing text.
        public var span: Range<Int>?
        /// What this reason added to the score.
        public var score: Double
        /// The taxonomy entry's tags (for a rule, the action it sets).
        public var tags: [String]
        /// Species facts when the reason names a taxon.
        public var taxon: Taxon?
        /// The disguise the evidence was found through (`homoglyph`, `leet`...).
        public var evasion: String?

        public init(rule: String, kind: String, explanation: String = "", matched: String = "", span: Range<Int>? = nil,
                    score: Double = 0, tags: [String] = [], taxon: Taxon? = nil, evasion: String? = nil) {
            self.rule = rule
            self.kind = kind
            self.explanation = explanation
            self.matched = matched
            self.span = span
            self.score = score
            self.tags = tags
            self.taxon = taxon
            self.evasion = evasion
        }

        /// Whether this is a policy rule rather than a piece of evidence.
        public var isRule: Bool { kind == "rule" }
    }

    /// The species facts a reason carries.
    public struct Taxon: Sendable, Hashable {
        /// The scientific name (`Loxodonta africana`, `Manidae`).
        public var scientificName: String
        /// A common name, when the taxonomy gives one.
        public var commonName: String?
        /// `I`, `II`, `III`, `I/II` or `none`.
        public var appendix: String
        /// The taxonomy's group (`elephant`, `pangolin`, `parrot`...).
        public var group: String

        public init(scientificName: String, commonName: String?, appendix: String, group: String) {
            self.scientificName = scientificName
            self.commonName = commonName
            self.appendix = appendix
            self.group = group
        }
    }

    public init(idJSON: String, action: Action?, outcome: String? = nil, score: Double, reasons: [Reason],
                decidingRule: String? = nil, policy: String? = nil, policyVersion: String? = nil,
                taxonomyVersion: String? = nil, error: String? = nil, fields: [(key: String, value: JSONRecord.Value)] = []) {
        self.idJSON = idJSON
        self.id = DecisionRecord.plainID(idJSON)
        self.action = action
        self.outcome = outcome ?? action?.rawValue ?? "error"
        self.score = score
        self.reasons = reasons
        self.decidingRule = decidingRule
        self.policy = policy
        self.policyVersion = policyVersion
        self.taxonomyVersion = taxonomyVersion
        self.error = error
        self.fields = fields
    }

    /// The value of a top-level field as text (nil when absent or null).
    public func field(_ name: String) -> String? { fields.first { $0.key == name }?.value.text }

    /// The distinct taxa the evidence names, in order of appearance.
    public var taxa: [Taxon] {
        var seen = Set<Taxon>()
        var out: [Taxon] = []
        for reason in reasons {
            if let taxon = reason.taxon, seen.insert(taxon).inserted { out.append(taxon) }
        }
        return out
    }

    /// Parses one line of decisions JSONL. Throws when the line is not JSON or has no `id` or
    /// `decision` field.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONError) -> DecisionRecord {
        // One pass: the reasons are read in place rather than kept as text and parsed again.
        var scanner = JSONRecord.Scanner(bytes: bytes)
        scanner.skipSpace()
        guard scanner.peek == UInt8(ascii: "{") else { throw scanner.error("expected a JSON object '{'") }
        scanner.i += 1
        var fields: [(key: String, value: JSONRecord.Value)] = []
        var reasons: [Reason] = []
        scanner.skipSpace()
        if scanner.peek == UInt8(ascii: "}") {
            scanner.i += 1
        } else {
            while true {
                scanner.skipSpace()
                guard scanner.peek == UInt8(ascii: "\"") else { throw scanner.error("expected a field name in quotes") }
                let key = try scanner.string()
                try scanner.expect(UInt8(ascii: ":"), "':' after a field name")
                scanner.skipSpace()
                if key == "reasons" && scanner.peek == UInt8(ascii: "[") {
                    reasons = try readReasons(&scanner)
                } else if scanner.peek == UInt8(ascii: "\"") {
                    fields.append((key, .string(try scanner.string())))
                } else {
                    let start = scanner.i
                    try scanner.skipValue()
                    fields.append((key, .raw(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<scanner.i]), as: UTF8.self))))
                }
                scanner.skipSpace()
                if scanner.peek == UInt8(ascii: ",") { scanner.i += 1; continue }
                if scanner.peek == UInt8(ascii: "}") { scanner.i += 1; break }
                throw scanner.error("expected ',' or '}'")
            }
        }
        scanner.skipSpace()
        guard scanner.atEnd else { throw scanner.error("unexpected text after the object") }
        var id: JSONRecord.Value?
        var outcome: String?
        var score = 0.0
        var decidingRule: String?, policy: String?, policyVersion: String?, taxonomyVersion: String?, error: String?
        for (key, value) in fields {
            switch key {
            case "id": id = id ?? value
            case "decision": if outcome == nil, case .string(let s) = value { outcome = s }
            case "score": score = value.text.flatMap(Double.init) ?? 0
            case "deciding_rule": decidingRule = value.text
            case "policy": policy = value.text
            case "policy_version": policyVersion = value.text
            case "taxonomy_version": taxonomyVersion = value.text
            case "error": error = value.text
            default: break
            }
        }
        let idJSON: String
        switch id {
        case .string(let s)?: idJSON = JSONWriter.quoted(s)
        case .raw(let r)? where r != "null" && !r.hasPrefix("{") && !r.hasPrefix("["): idJSON = r
        default: throw JSONError(message: "no 'id' field", offset: 0)
        }
        guard let outcome else {
            throw JSONError(message: "no 'decision' field (is this the output of 'wildguard classify'?)", offset: 0)
        }
        return DecisionRecord(
            idJSON: idJSON, action: Action(rawValue: outcome), outcome: outcome, score: score, reasons: reasons,
            decidingRule: decidingRule, policy: policy, policyVersion: policyVersion, taxonomyVersion: taxonomyVersion,
            error: error, fields: fields)
    }

    private static func readReasons(_ scanner: inout JSONRecord.Scanner) throws(JSONError) -> [Reason] {
        scanner.i += 1  // [
        var out: [Reason] = []
        scanner.skipSpace()
        if scanner.peek == UInt8(ascii: "]") {
            scanner.i += 1
            return out
        }
        while true {
            scanner.skipSpace()
            guard scanner.peek == UInt8(ascii: "{") else { throw scanner.error("a reason is not an object") }
            out.append(try reason(scanner.object()))
            scanner.skipSpace()
            if scanner.peek == UInt8(ascii: ",") { scanner.i += 1; continue }
            if scanner.peek == UInt8(ascii: "]") { scanner.i += 1; return out }
            throw scanner.error("expected ',' or ']'")
        }
    }

    private static func reason(_ fields: [(key: String, value: JSONRecord.Value)]) throws(JSONError) -> Reason {
        var reason = Reason(rule: "", kind: "")
        for (key, value) in fields {
            switch key {
            case "rule": reason.rule = value.text ?? ""
            case "kind": reason.kind = value.text ?? ""
            case "explanation": reason.explanation = value.text ?? ""
            case "matched": reason.matched = value.text ?? ""
            case "score": reason.score = value.text.flatMap(Double.init) ?? 0
            case "evasion": reason.evasion = value.text
            case "span":
                guard case .raw(let raw) = value, raw != "null" else { continue }
                let bounds = try JSONArray.elements(raw).compactMap { $0.text.flatMap(Int.init) }
                if bounds.count == 2, bounds[0] >= 0, bounds[0] <= bounds[1] { reason.span = bounds[0]..<bounds[1] }
            case "tags":
                guard case .raw(let raw) = value, raw != "null" else { continue }
                reason.tags = try JSONArray.elements(raw).compactMap { $0.text }
            case "taxon":
                guard case .raw(let raw) = value, raw.hasPrefix("{") else { continue }
                let t = try JSONArray.object(raw)
                if let name = t["scientific_name"]?.text {
                    reason.taxon = Taxon(scientificName: name, commonName: t["common_name"]?.text,
                                         appendix: t["cites_appendix"]?.text ?? "none", group: t["group"]?.text ?? "")
                }
            default: break
            }
        }
        return reason
    }

    /// A JSON id as plain text: a string id decoded, a number as written.
    static func plainID(_ json: String) -> String {
        guard json.hasPrefix("\"") else { return json }
        if let value = try? JSONArray.elements("[" + json + "]").first, case .string(let s) = value { return s }
        return json
    }
}

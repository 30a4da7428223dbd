/// The parts of a decision's JSON that depend only on the engine, rendered once at load: each
/// entry's rule, kind, explanation, tags and taxon, each disguise signal's, each policy rule's
/// whole reason, and the record's closing policy and version fields. Writing a decision then
/// copies these and renders only what the listing adds (its matched text, spans and scores).
///
/// Rendered with `DecisionJSON`'s own piece writers, so the bytes are those of
/// `DecisionJSON.write` by construction.
final class DecisionFragments: Sendable {
    /// Per taxonomy entry: `{"rule":…,"kind":…,"explanation":"…` with the explanation's
    /// closing quote left off (a disguise may extend it).
    let entryHeads: [[UInt8]]
    /// Per taxonomy entry: `,"tags":[…],"taxon":{…}`.
    let entryTails: [[UInt8]]
    /// Per disguise: `, written as leet"`, what closes an entry's explanation when the entry was
    /// found through that disguise.
    let writtenAs: [[UInt8]]
    /// Per disguise, unattached then attached: the evasion signal's head, with its explanation.
    let evasionHeads: [[UInt8]]
    /// Per disguise, unattached then attached: its tags, `,"evasion":…` and the closing brace.
    let evasionTails: [[UInt8]]
    /// Per disguise: `,"evasion":…}`, what closes an entry's reason found through it.
    let evasionEnds: [[UInt8]]
    /// Per policy rule: its whole reason.
    let rules: [[UInt8]]
    /// `,"policy":…,"fingerprint":…}`
    let recordTail: [UInt8]

    init(taxonomy: Taxonomy, explanations: [String], ruleReasons: [Reason], policy: Policy, fingerprint: String) {
        let entries = taxonomy.entries
        entryHeads = entries.indices.map { e in
            var head = Self.render { c in
                DecisionJSON.writeReasonHead(rule: entries[e].id, kind: entries[e].kind.rawValue, &c)
                DecisionJSON.string(explanations[e], &c)
            }
            head.removeLast()
            return head
        }
        entryTails = entries.map { entry in
            Self.render { DecisionJSON.writeReasonTail(tags: entry.tags, taxon: entry.taxon, &$0) }
        }
        let evasions = (0..<EvasionKind.count).map(EvasionKind.at)
        writtenAs = evasions.map { kind in
            Array(Self.render { DecisionJSON.string(", written as \(kind.rawValue)", &$0) }.dropFirst())
        }
        evasionEnds = evasions.map { kind in Self.render { DecisionJSON.writeReasonEnd(evasion: kind, &$0) } }
        var heads: [[UInt8]] = []
        var tails: [[UInt8]] = []
        for kind in evasions {
            for attached in [false, true] {
                let signal = Finding.evasionSignal(kind, attached: attached, weight: 0, span: 0..<0, matched: "", words: TagSet())
                heads.append(Self.render { c in
                    DecisionJSON.writeReasonHead(rule: signal.id, kind: signal.kind.rawValue, &c)
                    DecisionJSON.string(signal.explanation, &c)
                })
                tails.append(Self.render { c in
                    DecisionJSON.writeReasonTail(tags: signal.tags, taxon: nil, &c)
                    DecisionJSON.writeReasonEnd(evasion: kind, &c)
                })
            }
        }
        evasionHeads = heads
        evasionTails = tails
        rules = ruleReasons.map { reason in
            Self.render { c in withUnsafePointer(to: reason) { DecisionJSON.writeReason($0, into: &c) } }
        }
        recordTail = Self.render { c in
            DecisionJSON.writeRecordTail(
                policy: policy.name, policyVersion: policy.version, taxonomyVersion: taxonomy.version,
                fingerprint: fingerprint, &c)
        }
    }

    /// Index into `evasionHeads` and `evasionTails`.
    static func evasionSlot(_ kind: EvasionKind, attached: Bool) -> Int { kind.index * 2 + (attached ? 1 : 0) }

    private static func render(_ body: (inout JSONCursor) -> Void) -> [UInt8] {
        var writer = JSONWriter()
        var room = 256
        while !writer.reserving(room, body) { room *= 2 }
        return writer.bytes
    }
}

/// The parts of a decision's JSON that depend only on the engine, rendered once at load: each
/// entry's rule, kind, explanation, tags and taxon, each disguise signal's, each policy rule's
/// whole reason, and the record's closing policy and version fields. Writing a decision then
/// copies these and renders only what the listing adds (its matched text, spans and scores).
///
/// Rendered with `DecisionJSON`'s own piece writers, so the bytes are those of
/// `DecisionJSON.write` by construction.
///
/// The pieces lie back to back in one block of memory this object owns and never changes after
/// `init`: reading one is arithmetic on a pointer. (Kept as arrays of arrays, every piece read
/// retained and released its array: twenty times per decision.)
final class DecisionFragments: @unchecked Sendable {
    /// Every piece, back to back.
    private let storage: UnsafeMutableBufferPointer<UInt8>
    /// Per piece: where it starts in `storage`; the next piece's start is where it ends.
    private let starts: UnsafeMutableBufferPointer<Int>
    /// Where each group's pieces are numbered from.
    private let entryTailBase: Int
    private let writtenAsBase: Int
    private let evasionHeadBase: Int
    private let evasionTailBase: Int
    private let evasionEndBase: Int
    private let ruleBase: Int
    private let recordTailIndex: Int

    /// Per taxonomy entry: `{"rule":…,"kind":…,"explanation":"…` with the explanation's
    /// closing quote left off (a disguise may extend it).
    func entryHead(_ entry: Int) -> UnsafeBufferPointer<UInt8> { piece(entry) }
    /// Per taxonomy entry: `,"tags":[…],"taxon":{…}`.
    func entryTail(_ entry: Int) -> UnsafeBufferPointer<UInt8> { piece(entryTailBase + entry) }
    /// Per disguise: `, written as leet"`, what closes an entry's explanation when the entry was
    /// found through that disguise.
    func writtenAs(_ evasion: Int) -> UnsafeBufferPointer<UInt8> { piece(writtenAsBase + evasion) }
    /// Per disguise slot (`evasionSlot`): the evasion signal's head, with its explanation.
    func evasionHead(_ slot: Int) -> UnsafeBufferPointer<UInt8> { piece(evasionHeadBase + slot) }
    /// Per disguise slot: its tags, `,"evasion":…` and the closing brace.
    func evasionTail(_ slot: Int) -> UnsafeBufferPointer<UInt8> { piece(evasionTailBase + slot) }
    /// Per disguise: `,"evasion":…}`, what closes an entry's reason found through it.
    func evasionEnd(_ evasion: Int) -> UnsafeBufferPointer<UInt8> { piece(evasionEndBase + evasion) }
    /// Per policy rule: its whole reason.
    func rule(_ index: Int) -> UnsafeBufferPointer<UInt8> { piece(ruleBase + index) }
    /// `,"policy":…,"fingerprint":…}`
    var recordTail: UnsafeBufferPointer<UInt8> { piece(recordTailIndex) }

    @inline(__always)
    private func piece(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: storage[starts[index]..<starts[index + 1]])
    }

    init(taxonomy: Taxonomy, explanations: [String], ruleReasons: [Reason], policy: Policy, fingerprint: String) {
        let entries = taxonomy.entries
        let entryHeads = entries.indices.map { e in
            var head = Self.render { c in
                DecisionJSON.writeReasonHead(rule: entries[e].id, kind: entries[e].kind.rawValue, &c)
                DecisionJSON.string(explanations[e], &c)
            }
            head.removeLast()
            return head
        }
        let entryTails = entries.map { entry in
            Self.render { DecisionJSON.writeReasonTail(tags: entry.tags, taxon: entry.taxon, &$0) }
        }
        let evasions = (0..<EvasionKind.count).map(EvasionKind.at)
        let writtenAs = evasions.map { kind in
            Array(Self.render { DecisionJSON.string(", written as \(kind.rawValue)", &$0) }.dropFirst())
        }
        let evasionEnds = evasions.map { kind in Self.render { DecisionJSON.writeReasonEnd(evasion: kind, &$0) } }
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
        let rules = ruleReasons.map { reason in
            Self.render { c in withUnsafePointer(to: reason) { DecisionJSON.writeReason($0, into: &c) } }
        }
        let recordTail = Self.render { c in
            DecisionJSON.writeRecordTail(
                policy: policy.name, policyVersion: policy.version, taxonomyVersion: taxonomy.version,
                fingerprint: fingerprint, &c)
        }
        // In the order the bases above number them.
        let groups = [entryHeads, entryTails, writtenAs, heads, tails, evasionEnds, rules, [recordTail]]
        var bases: [Int] = []
        var pieceStarts: [Int] = []
        var bytes: [UInt8] = []
        for group in groups {
            bases.append(pieceStarts.count)
            for piece in group {
                pieceStarts.append(bytes.count)
                bytes += piece
            }
        }
        pieceStarts.append(bytes.count)
        entryTailBase = bases[1]
        writtenAsBase = bases[2]
        evasionHeadBase = bases[3]
        evasionTailBase = bases[4]
        evasionEndBase = bases[5]
        ruleBase = bases[6]
        recordTailIndex = bases[7]
        storage = .allocate(capacity: max(1, bytes.count))
        _ = storage.initialize(from: bytes)
        starts = .allocate(capacity: pieceStarts.count)
        _ = starts.initialize(from: pieceStarts)
    }

    deinit {
        storage.deallocate()
        starts.deallocate()
    }

    /// The slot of a disguise signal, as `evasionHead(_:)` and `evasionTail(_:)` take it.
    static func evasionSlot(_ kind: EvasionKind, attached: Bool) -> Int { kind.index * 2 + (attached ? 1 : 0) }

    private static func render(_ body: (inout JSONCursor) -> Void) -> [UInt8] {
        var writer = JSONWriter()
        var room = 256
        while !writer.reserving(room, body) { room *= 2 }
        return writer.bytes
    }
}

/// Classifies listings on one thread with an `Engine`, reusing its normalisation and matching
/// buffers from listing to listing. Make one per thread with `Engine.makeClassifier()`.
///
/// Its buffers are `@exclusivity(unchecked)`, like `NormalisedText`'s: a classifier belongs to one
/// thread, and the run-time exclusivity check on each access was a measurable part of the hot path.
public final class Classifier {
    public let engine: Engine
    private let text = NormalisedText()
    private let scratch: MatchScratch?
    /// For each taxonomy entry: the index of its signal in the listing being classified, or -1.
    @exclusivity(unchecked) private var firstHit: [Int32]
    @exclusivity(unchecked) private var touched: [Int32] = []
    /// Indices of hits that a longer hit contains, reused from listing to listing.
    @exclusivity(unchecked) private var dropped: [Int] = []
    /// The decide stage's buffers, reused from listing to listing.
    @exclusivity(unchecked) private var signalScores: [Double] = []
    @exclusivity(unchecked) private var firedRules: [Int] = []
    @exclusivity(unchecked) private var order: [Int] = []

    init(engine: Engine) {
        self.engine = engine
        compiled = engine.evaluator.compiled
        firstHit = [Int32](repeating: -1, count: engine.taxonomy.entries.count)
        scratch = engine.matcher.makeScratch(limits: engine.options.regexLimits)
    }

    /// Classifies one listing.
    public func classify(_ listing: String) -> Decision {
        var copy = listing
        return copy.withUTF8 { classify(utf8: $0) }
    }

    /// Classifies one listing given as UTF-8 bytes (invalid sequences are replaced and reported).
    public func classify(utf8 input: UnsafeBufferPointer<UInt8>) -> Decision {
        var engineSignals: [Signal] = []
        var bytes = input
        if input.count > engine.options.maxListingBytes {
            var cut = engine.options.maxListingBytes
            while cut > 0 && input[cut] & 0xC0 == 0x80 { cut -= 1 }
            bytes = UnsafeBufferPointer(rebasing: input[0..<cut])
            engineSignals.append(Signal(
                kind: .input, id: "input.truncated", tags: ["truncated"], weight: 1, span: cut..<input.count,
                matched: "", evasion: nil, taxon: nil, count: 1, location: nil))
        }
        engine.normaliser.normalise(bytes, into: text)
        guard let scratch else {
            return limitDecision(reason: "could not allocate PCRE2 match state", input: bytes)
        }
        engine.matcher.match(text, scratch: scratch)
        var signals = collectSignals(scratch: scratch, input: bytes)
        signals += engineSignals
        if text.invalidSequences > 0 {
            signals.append(Signal(
                kind: .input, id: "input.invalid-utf8", tags: ["invalid-utf8"], weight: 1, span: 0..<0,
                matched: "", evasion: nil, taxon: nil, count: text.invalidSequences, location: nil))
        }
        if scratch.limitExceeded {
            signals.append(Signal(
                kind: .limit, id: "limit.pcre2", tags: ["match-limit"], weight: 1, span: 0..<0,
                matched: "", evasion: nil, taxon: nil, count: 1, location: nil))
        }
        return decide(signals, limitExceeded: scratch.limitExceeded)
    }

    /// The engine's compiled policy, copied once: reading it through the engine on every use
    /// would copy (retain and release) all of its tables each time.
    private let compiled: CompiledPolicy

    private func explanation(of signal: Signal) -> String {
        guard signal.entryIndex >= 0, signal.evasion == nil || signal.kind == .evasion else { return signal.explanation }
        return engine.explanations[Int(signal.entryIndex)]
    }

    /// Drops a hit that lies inside a longer hit of the same kind from another entry: the longer
    /// name is the more specific one ("Caméléon panthère" is a chameleon, not a leopard; "Indian
    /// star tortoise" needs no separate "tortoise"). A hit inside a longer benign phrase is dropped
    /// whatever its kind: the phrase explains the word ("ivory" in "vegetable ivory", "tiger" in
    /// "Tiger Balm").
    private func dropContainedHits(_ scratch: MatchScratch) {
        guard scratch.hits.count > 1 else { return }
        let entries = engine.taxonomy.entries
        // Worked on outside the objects (moved out and back): every access to a class's stored
        // property is checked for exclusivity at run time.
        var hits: [Hit] = []
        var dropped: [Int] = []
        swap(&hits, &scratch.found.hits)
        swap(&dropped, &self.dropped)
        defer {
            swap(&hits, &scratch.found.hits)
            swap(&dropped, &self.dropped)
        }
        dropped.removeAll(keepingCapacity: true)
        let count = hits.count
        hits.withUnsafeBufferPointer { hits in
            for i in 0..<count {
                let a = hits[i]
                var kind: SignalKind?
                for j in 0..<count {
                    // Containment first: it rules out almost every pair without reading an entry.
                    let b = hits[j]
                    guard b.range.count > a.range.count, b.range.lowerBound <= a.range.lowerBound,
                        b.range.upperBound >= a.range.upperBound, b.entry != a.entry
                    else { continue }
                    let other = entries[Int(b.entry)].kind
                    if kind == nil { kind = entries[Int(a.entry)].kind }
                    guard other == kind || other == .benign else { continue }
                    dropped.append(i)
                    break
                }
            }
        }
        guard !dropped.isEmpty else { return }
        // Compacted in place: the hit buffer keeps its capacity from listing to listing.
        var k = 0
        var write = 0
        for read in 0..<count {
            if k < dropped.count && dropped[k] == read { k += 1; continue }
            hits[write] = hits[read]
            write += 1
        }
        hits.removeLast(count - write)
    }

    /// Ids of the entries whose terms or patterns match `listing` (before overlapping hits are
    /// resolved): what an entry's examples are checked against.
    public func matchingEntries(_ listing: String) -> Set<String> {
        var copy = listing
        return copy.withUTF8 { input in
            engine.normaliser.normalise(input, into: text)
            guard let scratch else { return [] }
            engine.matcher.match(text, scratch: scratch)
            return Set(scratch.hits.map { engine.taxonomy.entries[Int($0.entry)].id })
        }
    }

    private func evasionWords(_ kind: EvasionKind) -> TagSet {
        compiled.evasionWords[kind.index]
    }

    private func attachedEvasionWords(_ kind: EvasionKind) -> TagSet {
        compiled.attachedEvasionWords[kind.index]
    }

    /// Kinds of signal that name wildlife (what a disguise matters on).
    static func isWildlife(_ kind: SignalKind) -> Bool { kind == .taxon || kind == .product || kind == .codeword }

    private func original(_ input: UnsafeBufferPointer<UInt8>, _ span: Range<Int>) -> String {
        let clamped = span.clamped(to: 0..<input.count)
        return String(decoding: UnsafeBufferPointer(rebasing: input[clamped]), as: UTF8.self)
    }

    private func collectSignals(scratch: MatchScratch, input: UnsafeBufferPointer<UInt8>) -> [Signal] {
        // The per-entry index, worked on outside the object (see `dropContainedHits`).
        var firstHit: [Int32] = []
        var touched: [Int32] = []
        swap(&firstHit, &self.firstHit)
        swap(&touched, &self.touched)
        defer {
            swap(&firstHit, &self.firstHit)
            swap(&touched, &self.touched)
        }
        var signals: [Signal] = []
        // Room for every hit, every kind of disguise and the engine's own signals: one allocation.
        signals.reserveCapacity(scratch.hits.count + EvasionKind.count + 3)
        for entry in touched { firstHit[Int(entry)] = -1 }
        touched.removeAll(keepingCapacity: true)
        var evasions = EvasionSlots()
        let entries = engine.taxonomy.entries
        // Whether disguise evidence touches wildlife words is judged on every hit, before a benign
        // phrase absorbs the words inside it.
        for evidence in text.evidence {
            let attached = scratch.hits.contains { hit in
                Self.isWildlife(entries[Int(hit.entry)].kind) && text.originalSpan(of: hit.range).overlaps(evidence.span)
            }
            evasions.see(evidence.kind, evidence.span, attached: attached)
        }
        dropContainedHits(scratch)
        for hit in scratch.hits {
            let span = text.originalSpan(of: hit.range)
            if let evasion = hit.evasion {
                evasions.see(evasion, span, attached: Self.isWildlife(entries[Int(hit.entry)].kind))
            }
            let emoji = hit.evasion == .emoji
            let seen = Int(firstHit[Int(hit.entry)])
            if seen >= 0 {
                let index = seen
                signals[index].count += 1
                // A word outranks an emoji for the same entry.
                if signals[index].evasion == .emoji && !emoji {
                    signals[index].span = span
                    signals[index].matched = original(input, span)
                    signals[index].evasion = hit.evasion
                    signals[index].weight = entries[Int(hit.entry)].weight
                    signals[index].words = compiled.entryWords[Int(hit.entry)] | (hit.evasion.map(evasionWords) ?? TagSet())
                }
                continue
            }
            // Fields read one by one: binding the entry would copy (retain) all of it, examples
            // and terms included.
            let e = Int(hit.entry)
            firstHit[e] = Int32(signals.count)
            touched.append(hit.entry)
            var words = compiled.entryWords[e]
            if let evasion = hit.evasion { words = words | evasionWords(evasion) }
            signals.append(Signal(
                kind: entries[e].kind, id: entries[e].id, tags: entries[e].tags,
                weight: entries[e].weight * (emoji ? engine.policy.emojiFactor : 1),
                span: span, matched: original(input, span), evasion: hit.evasion, taxon: entries[e].taxon,
                count: 1, location: entries[e].location, words: words, entryIndex: hit.entry))
        }
        for index in 0..<EvasionKind.count {
            let kind = EvasionKind.at(index)
            guard let (span, attached) = evasions[kind] else { continue }
            signals.append(Signal(
                kind: .evasion, id: "evasion.\(kind.rawValue)", tags: attached ? [kind.rawValue, "attached"] : [kind.rawValue],
                weight: attached ? 1 : 0.25, span: span, matched: original(input, span), evasion: kind, taxon: nil,
                count: 1, location: nil, words: attached ? attachedEvasionWords(kind) : evasionWords(kind)))
        }
        return signals
    }

    private func decide(_ signals: [Signal], limitExceeded: Bool) -> Decision {
        let outcome = engine.evaluator.evaluate(signals, signalScores: &signalScores, firedRules: &firedRules)
        var action = outcome.action
        var deciding = outcome.decidingRule
        // A listing that was not fully screened is never simply let through.
        if limitExceeded && action == .allow {
            action = .review
            deciding = "limit.pcre2"
        }
        order.removeAll(keepingCapacity: true)
        order.append(contentsOf: signals.indices)
        // Compared in place: binding whole signals would copy (retain) every string in them.
        order.sort { a, b in
            if signals[a].kind != signals[b].kind { return signals[a].kind < signals[b].kind }
            return signals[a].span.lowerBound < signals[b].span.lowerBound
        }
        var reasons: [Reason] = []
        reasons.reserveCapacity(signals.count + firedRules.count)
        for i in order {
            reasons.append(Reason(
                rule: signals[i].id, kind: signals[i].kind.rawValue, explanation: explanation(of: signals[i]),
                matched: signals[i].matched, span: signals[i].span.isEmpty ? nil : signals[i].span,
                score: signalScores[i], taxon: signals[i].taxon, evasion: signals[i].evasion, tags: signals[i].tags))
        }
        // Fields read through the engine one by one: a local copy of the policy would retain
        // every table in it.
        for index in firedRules {
            reasons.append(Reason(
                rule: engine.policy.rules[index].id, kind: "rule", explanation: engine.policy.rules[index].explanation,
                matched: "", span: nil, score: engine.policy.rules[index].score, taxon: nil, evasion: nil,
                tags: compiled.rules[index].tags))
        }
        return Decision(
            action: action, score: outcome.score, reasons: reasons, policy: engine.policy.name,
            policyVersion: engine.policy.version, taxonomyVersion: engine.taxonomy.version,
            fingerprint: engine.fingerprint, decidingRule: deciding, signals: signals)
    }

    private func limitDecision(reason: String, input: UnsafeBufferPointer<UInt8>) -> Decision {
        let signal = Signal(
            kind: .limit, id: "limit.resources", tags: ["resources"], weight: 1, span: 0..<0, matched: "",
            evasion: nil, taxon: nil, count: 1, location: nil)
        return decide([signal], limitExceeded: true)
    }
}

extension Classifier {
    /// The normalise stage alone (for benchmarks and diagnostics): the listing's folded text.
    public func normaliseOnly(_ input: UnsafeBufferPointer<UInt8>) -> NormalisedText {
        engine.normaliser.normalise(input, into: text)
        return text
    }

    /// The normalise and match stages (for benchmarks and diagnostics): the number of hits.
    public func matchOnly(_ input: UnsafeBufferPointer<UInt8>) -> Int {
        engine.normaliser.normalise(input, into: text)
        guard let scratch else { return 0 }
        engine.matcher.match(text, scratch: scratch)
        return scratch.hits.count
    }

    /// The signals of a listing, before the policy decides.
    public func signals(of listing: String) -> [Signal] {
        var copy = listing
        return copy.withUTF8 { input in
            engine.normaliser.normalise(input, into: text)
            guard let scratch else { return [] }
            engine.matcher.match(text, scratch: scratch)
            return collectSignals(scratch: scratch, input: input)
        }
    }

    /// The decide stage alone: applies the engine's policy to signals.
    public func decide(signals: [Signal]) -> Decision { decide(signals, limitExceeded: false) }
}

/// Where each disguise was first seen in a listing, and whether it touched wildlife words: one
/// slot per `EvasionKind`, no allocation.
struct EvasionSlots {
    private var slots: (Slot?, Slot?, Slot?, Slot?, Slot?, Slot?) = (nil, nil, nil, nil, nil, nil)
    typealias Slot = (span: Range<Int>, attached: Bool)

    subscript(kind: EvasionKind) -> Slot? {
        get {
            switch kind {
            case .homoglyph: slots.0
            case .leet: slots.1
            case .spacing: slots.2
            case .invisible: slots.3
            case .emoji: slots.4
            case .romanisation: slots.5
            }
        }
        set {
            switch kind {
            case .homoglyph: slots.0 = newValue
            case .leet: slots.1 = newValue
            case .spacing: slots.2 = newValue
            case .invisible: slots.3 = newValue
            case .emoji: slots.4 = newValue
            case .romanisation: slots.5 = newValue
            }
        }
    }

    /// Records a sighting; an attached one replaces an unattached one.
    mutating func see(_ kind: EvasionKind, _ span: Range<Int>, attached: Bool) {
        if let current = self[kind], current.attached || !attached { return }
        self[kind] = (span, attached)
    }
}

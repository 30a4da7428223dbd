/// Classifies listings on one thread with an `Engine`, reusing its normalisation and matching
/// buffers from listing to listing. Make one per thread with `Engine.makeClassifier()`.
///
/// Its buffers are `@exclusivity(unchecked)`, like `NormalisedText`'s: a classifier belongs to one
/// thread, and the run-time exclusivity check on each access was a measurable part of the hot path.
public final class Classifier {
    public let engine: Engine
    private let text = NormalisedText()
    let scratch: MatchScratch?
    /// For each taxonomy entry: the index of its signal in the listing being classified, or -1.
    @exclusivity(unchecked) private var firstHit: [Int32]
    @exclusivity(unchecked) private var touched: [Int32] = []
    /// The listing's hits in order of their start, and which of them a longer hit contains;
    /// reused from listing to listing.
    @exclusivity(unchecked) private var byStart: [Int32] = []
    @exclusivity(unchecked) private var dropped: [Bool] = []
    /// The decide stage's buffers, reused from listing to listing.
    @exclusivity(unchecked) var signalScores: [Double] = []
    @exclusivity(unchecked) var firedRules: [Int] = []
    /// Indices of `findings` in the order their reasons are listed.
    @exclusivity(unchecked) var order: [Int] = []
    /// The listing's signals as plain values, reused from listing to listing.
    @exclusivity(unchecked) var findings: [Finding] = []
    /// The signals that `findings` of source `other` stand for.
    @exclusivity(unchecked) var others: [Signal] = []

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
        guard let screened = screen(input) else {
            return limitDecision(reason: "could not allocate PCRE2 match state", input: input)
        }
        return decide(input: screened, limitExceeded: scratch?.limitExceeded ?? false)
    }

    /// Normalises and matches a listing and collects its `findings` (and `others`). Returns the
    /// bytes that were screened (the input, cut at `maxListingBytes`), or nil when there is no
    /// match state to screen with.
    func screen(_ input: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        guard let scratch else { return nil }
        var bytes = input
        var truncated: Signal?
        if input.count > engine.options.maxListingBytes {
            var cut = engine.options.maxListingBytes
            while cut > 0 && input[cut] & 0xC0 == 0x80 { cut -= 1 }
            bytes = UnsafeBufferPointer(rebasing: input[0..<cut])
            truncated = Signal(
                kind: .input, id: "input.truncated", tags: ["truncated"], weight: 1, span: cut..<input.count,
                matched: "", evasion: nil, taxon: nil, count: 1, location: nil)
        }
        engine.normalise(bytes, into: text)
        engine.matcher.match(text, scratch: scratch)
        collectFindings(scratch: scratch)
        if let truncated { addOther(truncated) }
        if text.invalidSequences > 0 {
            addOther(Signal(
                kind: .input, id: "input.invalid-utf8", tags: ["invalid-utf8"], weight: 1, span: 0..<0,
                matched: "", evasion: nil, taxon: nil, count: text.invalidSequences, location: nil))
        }
        if scratch.limitExceeded {
            addOther(Signal(
                kind: .limit, id: "limit.pcre2", tags: ["match-limit"], weight: 1, span: 0..<0,
                matched: "", evasion: nil, taxon: nil, count: 1, location: nil))
        }
        return bytes
    }

    /// Whether the listing just screened held invalid UTF-8 (replaced before matching).
    var screenedInvalidUTF8: Bool { text.invalidSequences > 0 }

    private func addOther(_ signal: Signal) {
        let words = signal.words.isEmpty ? compiled.words(for: signal) : signal.words
        findings.append(Finding(
            source: .other(Int32(others.count)), kind: signal.kind, evasion: signal.evasion, weight: signal.weight,
            words: words, span: signal.span, count: signal.count, entry: signal.entryIndex))
        others.append(signal)
    }

    /// The engine's compiled policy, copied once: reading it through the engine on every use
    /// would copy (retain and release) all of its tables each time.
    private let compiled: CompiledPolicy

    private func explanation(of signal: Signal) -> String {
        guard signal.entryIndex >= 0, signal.evasion == nil || signal.kind == .evasion else { return signal.explanation }
        return engine.explanations[Int(signal.entryIndex)]
    }

    /// The reason a decision lists for `signal`, which added `score`.
    func reason(for signal: Signal, score: Double) -> Reason {
        Reason(
            rule: signal.id, kind: signal.kind.rawValue, explanation: explanation(of: signal), matched: signal.matched,
            span: signal.span.isEmpty ? nil : signal.span, score: score, taxon: signal.taxon, evasion: signal.evasion,
            tags: signal.tags)
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
        var byStart: [Int32] = []
        var dropped: [Bool] = []
        swap(&hits, &scratch.found.hits)
        swap(&byStart, &self.byStart)
        swap(&dropped, &self.dropped)
        defer {
            swap(&hits, &scratch.found.hits)
            swap(&byStart, &self.byStart)
            swap(&dropped, &self.dropped)
        }
        let count = hits.count
        byStart.removeAll(keepingCapacity: true)
        byStart.append(contentsOf: 0..<Int32(count))
        dropped.removeAll(keepingCapacity: true)
        dropped.append(contentsOf: repeatElement(false, count: count))
        var anyDropped = false
        hits.withUnsafeBufferPointer { hits in
            byStart.withUnsafeMutableBufferPointer { order in
                // By start, the longer first of two that start together: every hit that contains
                // another then comes before it. Sorted by insertion: the scan finds hits nearly
                // in that order already.
                func precedes(_ x: Int32, _ y: Int32) -> Bool {
                    let a = hits[Int(x)].range
                    let b = hits[Int(y)].range
                    return a.lowerBound < b.lowerBound || (a.lowerBound == b.lowerBound && a.upperBound > b.upperBound)
                }
                for k in 1..<count {
                    let x = order[k]
                    var j = k
                    while j > 0 && precedes(x, order[j - 1]) {
                        order[j] = order[j - 1]
                        j -= 1
                    }
                    order[j] = x
                }
                // The furthest end of the hits before: a hit that ends further is in none of them.
                var furthestEnd = Int.min
                for p in 0..<count {
                    let a = hits[Int(order[p])]
                    let reaches = furthestEnd >= a.range.upperBound
                    furthestEnd = max(furthestEnd, a.range.upperBound)
                    guard reaches else { continue }
                    var kind: SignalKind?
                    for q in 0..<p {
                        let b = hits[Int(order[q])]
                        guard b.range.upperBound >= a.range.upperBound, b.range.count > a.range.count, b.entry != a.entry
                        else { continue }
                        let other = entries[Int(b.entry)].kind
                        if kind == nil { kind = entries[Int(a.entry)].kind }
                        guard other == kind || other == .benign else { continue }
                        dropped[Int(order[p])] = true
                        anyDropped = true
                        break
                    }
                }
            }
        }
        guard anyDropped else { return }
        // Compacted in place, in their order: the hit buffer keeps its capacity from listing to
        // listing.
        var write = 0
        for read in 0..<count where !dropped[read] {
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
            engine.normalise(input, into: text)
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

    /// The original text at `span` (clamped to the input), invalid UTF-8 repaired: a signal's
    /// `matched`, and what the JSON path writes when it cannot copy the bytes as they are.
    static func original(_ input: UnsafeBufferPointer<UInt8>, _ span: Range<Int>) -> String {
        let clamped = span.clamped(to: 0..<input.count)
        return String(decoding: UnsafeBufferPointer(rebasing: input[clamped]), as: UTF8.self)
    }

    /// Turns the listing's hits into `findings`: one per entry (counted, its first match kept,
    /// a word preferred to an emoji), then one per disguise seen.
    private func collectFindings(scratch: MatchScratch) {
        // The per-entry index and the findings, worked on outside the object (see
        // `dropContainedHits`).
        var firstHit: [Int32] = []
        var touched: [Int32] = []
        var findings: [Finding] = []
        swap(&firstHit, &self.firstHit)
        swap(&touched, &self.touched)
        swap(&findings, &self.findings)
        defer {
            swap(&firstHit, &self.firstHit)
            swap(&touched, &self.touched)
            swap(&findings, &self.findings)
        }
        findings.removeAll(keepingCapacity: true)
        others.removeAll(keepingCapacity: true)
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
            let e = Int(hit.entry)
            if let evasion = hit.evasion {
                evasions.see(evasion, span, attached: Self.isWildlife(entries[e].kind))
            }
            let emoji = hit.evasion == .emoji
            let seen = Int(firstHit[e])
            if seen >= 0 {
                findings[seen].count += 1
                // A word outranks an emoji for the same entry.
                if findings[seen].evasion == .emoji && !emoji {
                    findings[seen].span = span
                    findings[seen].evasion = hit.evasion
                    findings[seen].weight = entries[e].weight
                    findings[seen].words = compiled.entryWords[e] | (hit.evasion.map(evasionWords) ?? TagSet())
                }
                continue
            }
            firstHit[e] = Int32(findings.count)
            touched.append(hit.entry)
            var words = compiled.entryWords[e]
            if let evasion = hit.evasion { words = words | evasionWords(evasion) }
            // Fields read one by one: binding the entry would copy (retain) all of it, examples
            // and terms included.
            findings.append(Finding(
                source: .entry(hit.entry), kind: entries[e].kind, evasion: hit.evasion,
                weight: entries[e].weight * (emoji ? engine.policy.emojiFactor : 1), words: words,
                span: span, count: 1, entry: hit.entry))
        }
        for index in 0..<EvasionKind.count {
            let kind = EvasionKind.at(index)
            guard let (span, attached) = evasions[kind] else { continue }
            findings.append(Finding(
                source: .evasion(kind, attached: attached), kind: .evasion, evasion: kind, weight: attached ? 1 : 0.25,
                words: attached ? attachedEvasionWords(kind) : evasionWords(kind), span: span, count: 1, entry: -1))
        }
    }

    /// The public form of a finding of the listing `input`. (`entries` is the taxonomy's, bound
    /// once by the caller: reading it through the engine retains it each time.)
    @inline(__always)
    private func signal(for finding: Finding, input: UnsafeBufferPointer<UInt8>, entries: [TaxonomyEntry]) -> Signal {
        switch finding.source {
        case .entry(let index):
            let e = Int(index)
            return Signal(
                kind: finding.kind, id: entries[e].id, tags: entries[e].tags, weight: finding.weight,
                span: finding.span, matched: Self.original(input, finding.span), evasion: finding.evasion,
                taxon: entries[e].taxon, count: finding.count, location: entries[e].location, words: finding.words,
                entryIndex: index)
        case .evasion(let kind, let attached):
            return Finding.evasionSignal(
                kind, attached: attached, weight: finding.weight, span: finding.span,
                matched: Self.original(input, finding.span), words: finding.words)
        case .other(let index):
            return others[Int(index)]
        }
    }

    /// Applies the policy to `findings` and puts them in reason order (`order`): the action,
    /// the score and the rule that decided, with `signalScores` and `firedRules` filled in.
    func evaluateFindings(limitExceeded: Bool) -> (action: Action, score: Double, decidingRule: String?) {
        let outcome = engine.evaluator.evaluate(findings, signalScores: &signalScores, firedRules: &firedRules)
        var action = outcome.action
        var deciding = outcome.decidingRule
        // A listing that was not fully screened is never simply let through.
        if limitExceeded && action == .allow {
            action = .review
            deciding = "limit.pcre2"
        }
        order.removeAll(keepingCapacity: true)
        order.append(contentsOf: findings.indices)
        findings.withUnsafeBufferPointer { findings in
            order.sort { a, b in
                if findings[a].kind != findings[b].kind { return findings[a].kind < findings[b].kind }
                return findings[a].span.lowerBound < findings[b].span.lowerBound
            }
        }
        return (action, outcome.score, deciding)
    }

    /// The decision on the `findings` of `input`; `given` are their signals when the caller
    /// has them already.
    private func decide(input: UnsafeBufferPointer<UInt8>, limitExceeded: Bool, given: [Signal]? = nil) -> Decision {
        let outcome = evaluateFindings(limitExceeded: limitExceeded)
        var signals: [Signal] = given ?? []
        if given == nil {
            signals.reserveCapacity(findings.count)
            let entries = engine.taxonomy.entries
            findings.withUnsafeBufferPointer { findings in
                for finding in findings { signals.append(signal(for: finding, input: input, entries: entries)) }
            }
        }
        var reasons: [Reason] = []
        reasons.reserveCapacity(signals.count + firedRules.count)
        // Signals read in place: binding `signals[i]` would copy (retain) every string in it.
        signals.withUnsafeBufferPointer { signals in
            for i in order { reasons.append(reason(for: signals[i], score: signalScores[i])) }
        }
        for index in firedRules { reasons.append(engine.ruleReasons[index]) }
        return Decision(
            action: outcome.action, score: outcome.score, reasons: reasons, policy: engine.policy.name,
            policyVersion: engine.policy.version, taxonomyVersion: engine.taxonomy.version,
            fingerprint: engine.fingerprint, decidingRule: outcome.decidingRule, signals: signals)
    }

    /// Decides on signals made elsewhere (`decide(signals:)`, the resource-limit decision).
    private func decide(_ signals: [Signal], limitExceeded: Bool) -> Decision {
        findings.removeAll(keepingCapacity: true)
        engine.evaluator.appendFindings(of: signals, to: &findings)
        others = signals
        return decide(input: UnsafeBufferPointer(start: nil, count: 0), limitExceeded: limitExceeded, given: signals)
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
        engine.normalise(input, into: text)
        return text
    }

    /// The normalise and match stages (for benchmarks and diagnostics): the number of hits.
    public func matchOnly(_ input: UnsafeBufferPointer<UInt8>) -> Int {
        engine.normalise(input, into: text)
        guard let scratch else { return 0 }
        engine.matcher.match(text, scratch: scratch)
        return scratch.hits.count
    }

    /// The signals of a listing, before the policy decides.
    public func signals(of listing: String) -> [Signal] {
        var copy = listing
        return copy.withUTF8 { input in
            guard let screened = screen(input) else { return [] }
            let entries = engine.taxonomy.entries
            return findings.map { signal(for: $0, input: screened, entries: entries) }
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

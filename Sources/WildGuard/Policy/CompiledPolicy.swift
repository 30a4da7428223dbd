/// A policy with its selectors compiled against one taxonomy: tags, groups, appendices and
/// evasions become bit sets, entry ids become entry indices, `rule:` references become rule
/// indices. Evaluating it compares bits; no strings on the hot path.
struct CompiledPolicy: Sendable {
    struct Test: Sendable {
        enum Kind: Sendable {
            case kinds(UInt16)
            case words(TagSet)
            case entries([Int32])
            /// A selector word no signal can carry (an unknown tag): never matches.
            case impossible
        }
        var kind: Kind
        var negated: Bool
    }

    /// A selector's tests, folded into what a signal must have: one mask of kinds, up to two
    /// word sets it must meet inline (more in `moreWords`, rare), one set of words it must not
    /// have. Testing a signal is a few masks, not a walk over the tests with a switch on each.
    struct CompiledSelector: Sendable {
        /// For `rule:ID`: the index of that rule.
        var rule: Int?
        /// The kinds a matching signal can have: those every kind test allows, less those a
        /// negated kind test names.
        private(set) var kinds: UInt16 = .max
        /// Word sets a matching signal must meet each of; empty when unused.
        private(set) var words1 = TagSet()
        private(set) var words2 = TagSet()
        private(set) var moreWords: [TagSet] = []
        /// Words a matching signal must not have (the negated word tests together).
        private(set) var forbidden = TagSet()
        /// Entry tests: the signal's entry must be (or, negated, must not be) one of `ids`.
        private(set) var entryTests: [(ids: [Int32], negated: Bool)] = []
        /// A test no signal can pass (a word no signal carries, not negated).
        private(set) var impossible = false

        init(tests: [Test], rule: Int?) {
            self.rule = rule
            for test in tests {
                switch (test.kind, test.negated) {
                case (.kinds(let mask), false): kinds &= mask
                case (.kinds(let mask), true): kinds &= ~mask
                case (.words(let set), false):
                    if words1.isEmpty { words1 = set } else if words2.isEmpty { words2 = set } else { moreWords.append(set) }
                case (.words(let set), true): forbidden = forbidden | set
                case (.entries(let ids), let negated): entryTests.append((ids, negated))
                case (.impossible, false): impossible = true
                case (.impossible, true): break
                }
            }
        }
    }

    struct CompiledRule: Sendable {
        var all: [CompiledSelector]
        var any: [CompiledSelector]
        var none: [CompiledSelector]
        var score: Double
        var action: Action?
        /// The tags of the rule's reason (its action, if any), made once rather than per listing.
        var tags: [String]
    }

    let rules: [CompiledRule]
    /// The policy's score for each signal kind, indexed by `SignalKind.index`.
    let kindScores: [Policy.KindScore?]
    /// Per taxonomy entry: the bits of its tags, group and appendix.
    let entryWords: [TagSet]
    /// Per evasion kind (in `EvasionKind.allCases` order): its bit set.
    let evasionWords: [TagSet]
    /// The same, for a disguise that touches wildlife words (tag `attached`).
    let attachedEvasionWords: [TagSet]
    /// Per engine signal tag ("match-limit", "invalid-utf8"...): bits, looked up when signals are made.
    let index: TagIndex

    init(policy: Policy, taxonomy: Taxonomy) {
        var index = TagIndex()
        var entryWords: [TagSet] = []
        entryWords.reserveCapacity(taxonomy.entries.count)
        for entry in taxonomy.entries {
            entryWords.append(index.set(tags: entry.tags, taxon: entry.taxon, evasion: nil))
        }
        var evasionWords: [TagSet] = []
        var attachedEvasionWords: [TagSet] = []
        for kind in EvasionKind.allCases {
            evasionWords.append(index.set(tags: [kind.rawValue], taxon: nil, evasion: kind))
            attachedEvasionWords.append(index.set(tags: [kind.rawValue, "attached"], taxon: nil, evasion: kind))
        }
        var entryIndex: [String: Int32] = [:]
        for (i, entry) in taxonomy.entries.enumerated() { entryIndex[entry.id] = Int32(i) }
        var ruleIndex: [String: Int] = [:]
        for (i, rule) in policy.rules.enumerated() { ruleIndex[rule.id] = i }

        func compile(_ selector: Selector) -> CompiledSelector {
            if let ref = selector.referencedRule { return CompiledSelector(tests: [], rule: ruleIndex[ref]) }
            var tests: [Test] = []
            for (test, negated) in selector.tests {
                func words(_ prefix: String, _ values: [String]) -> Test.Kind {
                    var set = TagSet()
                    for v in values { if let id = index.intern(prefix + v) { set.insert(id) } }
                    return set.isEmpty ? .impossible : .words(set)
                }
                let kind: Test.Kind
                switch test {
                case .kind(let kinds):
                    kind = .kinds(kinds.reduce(0) { $0 | SignalKind.bit($1) })
                case .tag(let tags): kind = words("tag:", tags)
                case .group(let groups): kind = words("group:", groups)
                case .appendix(let appendices): kind = words("appendix:", appendices.map(\.rawValue))
                case .evasion(let kinds): kind = words("evasion:", kinds.map(\.rawValue))
                case .entry(let ids):
                    let found = ids.compactMap { entryIndex[$0] }
                    kind = found.isEmpty ? .impossible : .entries(found)
                case .rule: kind = .impossible
                }
                tests.append(Test(kind: kind, negated: negated))
            }
            return CompiledSelector(tests: tests, rule: nil)
        }
        kindScores = SignalKind.allCases.map { policy.kindScores[$0] }
        rules = policy.rules.map { CompiledRule(all: $0.all.map(compile), any: $0.any.map(compile), none: $0.none.map(compile), score: $0.score, action: $0.action, tags: $0.action.map { [$0.rawValue] } ?? []) }
        self.entryWords = entryWords
        self.evasionWords = evasionWords
        self.attachedEvasionWords = attachedEvasionWords
        self.index = index
    }

    /// The bits of a signal that came without them (engine signals, hand-made ones in tests).
    func words(for signal: Signal) -> TagSet {
        if signal.entryIndex >= 0 && Int(signal.entryIndex) < entryWords.count { return entryWords[Int(signal.entryIndex)] }
        var set = TagSet()
        for tag in signal.tags { if let id = index.id("tag:" + tag) { set.insert(id) } }
        if let taxon = signal.taxon {
            if let id = index.id("group:" + taxon.group) { set.insert(id) }
            for appendix in CITESAppendix.allCases where taxon.appendix.includes(appendix) {
                if let id = index.id("appendix:" + appendix.rawValue) { set.insert(id) }
            }
        }
        if let evasion = signal.evasion, let id = index.id("evasion:" + evasion.rawValue) { set.insert(id) }
        return set
    }
}

extension CompiledPolicy.CompiledSelector {
    /// Whether a signal could match, given the kinds and words of all signals together: false
    /// when the selector needs a kind or a word none of them has (or can never hold). Negated
    /// word tests and entry tests are left to `matches`.
    @inline(__always)
    func mayMatch(anyKind: UInt16, anyWords: TagSet) -> Bool {
        guard !impossible, kinds & anyKind != 0 else { return false }
        if !words1.isEmpty && !words1.intersects(anyWords) { return false }
        if !words2.isEmpty && !words2.intersects(anyWords) { return false }
        for set in moreWords where !set.intersects(anyWords) { return false }
        return true
    }

    @inline(__always)
    func matches(kind: SignalKind, words: TagSet, entry: Int32) -> Bool {
        guard !impossible, kinds & SignalKind.bit(kind) != 0, !forbidden.intersects(words) else { return false }
        if !words1.isEmpty && !words1.intersects(words) { return false }
        if !words2.isEmpty && !words2.intersects(words) { return false }
        for set in moreWords where !set.intersects(words) { return false }
        for test in entryTests where test.ids.contains(entry) == test.negated { return false }
        return true
    }
}

extension SignalKind {
    static func bit(_ kind: SignalKind) -> UInt16 { UInt16(1) << UInt16(kind.index) }
}

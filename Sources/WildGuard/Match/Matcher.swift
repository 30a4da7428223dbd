/// Every term and pattern of a taxonomy compiled into one immutable matcher: an Aho-Corasick
/// automaton over all literals (terms, and the atoms of every regular expression) finds term hits
/// and candidate patterns in one pass; PCRE2 then runs only the candidate patterns. The cost per
/// listing therefore follows the listing's length and what it contains, not the taxonomy's size.
///
/// Shared by all threads; each thread brings a `MatchScratch`.
final class Matcher: Sendable {
    struct TermTarget: Sendable {
        var entry: Int32
        var leftBoundary: Bool
        var rightBoundary: Bool
        var evasion: EvasionKind?
        /// Index into `phrases` for an inflected term (its literal is the first stem), else -1.
        var phrase: Int32
    }

    /// An inflected-language term as stems: each may be followed by a short ending (up to three
    /// letters) when `openEnding`, and the words are separated by single spaces (the normalised
    /// text has no other separators).
    struct StemPhrase: Sendable {
        var stems: [[UInt8]]
        var openEnding: [Bool]
    }

    enum Action: Sendable {
        case term(Int32)
        case atom(Int32)
    }

    struct RegexRule: Sendable {
        let regex: CompiledRegex
        /// `regex.code`, read from the table without retaining `regex` (which keeps it valid).
        /// Unchecked: read-only PCRE2 code, as `CompiledRegex` documents.
        nonisolated(unsafe) let code: OpaquePointer
        var entry: Int32
        var isUnless: Bool
        /// The most bytes a match has before its atom (`PatternAnalysis.atomOffset`), or -1 when
        /// that is not bounded.
        var atomOffset: Int32
        /// The bytes a match can have before its atom (`PatternAnalysis.prefixBytes`), for a
        /// pattern whose `atomOffset` is unbounded.
        var prefix: ByteSet?

        init(regex: CompiledRegex, entry: Int32, isUnless: Bool, atomOffset: Int32, prefix: ByteSet?) {
            self.regex = regex
            self.code = regex.code
            self.entry = entry
            self.isUnless = isUnless
            self.atomOffset = atomOffset
            self.prefix = prefix
        }

        /// Where a search for this pattern can start, given where its first atom starts in the
        /// text: no match starts earlier, so the result is the same as from the beginning.
        func searchStart(firstAtom: Int, in text: UnsafeBufferPointer<UInt8>) -> Int {
            if atomOffset >= 0 { return max(0, firstAtom - Int(atomOffset)) }
            guard let prefix else { return 0 }
            // The start of the run of prefix bytes that ends at the atom.
            var start = min(firstAtom, text.count)
            while start > 0 && prefix.contains(text[start - 1]) { start -= 1 }
            return start
        }
    }

    let automaton: AhoCorasick
    let actionStart: [Int32]
    let actions: [Action]
    let terms: [TermTarget]
    let phrases: [StemPhrase]
    let regexes: [RegexRule]
    let table: CharacterTable
    /// Every literal, for export and statistics.
    let literals: [[UInt8]]

    init(
        literals: [[UInt8]], actionsPerLiteral: [[Action]], terms: [TermTarget], phrases: [StemPhrase], regexes: [RegexRule],
        sample: [[UInt8]] = []
    ) {
        // A literal none of whose uses can hold next to an ASCII letter or digit (words that
        // need a boundary there) is not reported there: the boundary checks below would drop
        // every action, and most occurrences of short words are inside longer ones.
        let fences = actionsPerLiteral.map { list -> AhoCorasick.Fence in
            var fence: AhoCorasick.Fence = list.isEmpty ? [] : [.before, .after]
            for action in list {
                guard case .term(let t) = action else { return [] }
                let target = terms[Int(t)]
                // An inflected phrase checks its start, and its end only after its last stem.
                if target.phrase >= 0 { fence.remove(.after); continue }
                if !target.leftBoundary { fence.remove(.before) }
                if !target.rightBoundary { fence.remove(.after) }
            }
            return fence
        }
        automaton = AhoCorasick(
            literals: literals, fences: fences, fenceBytes: ByteSet((0...127).filter { Normaliser.isASCIIWord($0) }),
            sample: sample)
        var start: [Int32] = []
        var flat: [Action] = []
        for list in actionsPerLiteral {
            start.append(Int32(flat.count))
            flat += list
        }
        start.append(Int32(flat.count))
        actionStart = start
        actions = flat
        self.terms = terms
        self.phrases = phrases
        self.regexes = regexes
        table = .shared
        self.literals = literals
    }

    func makeScratch(limits: RegexScratch.Limits) -> MatchScratch? {
        guard let regex = RegexScratch(limits: limits) else { return nil }
        return MatchScratch(regexCount: regexes.count, regex: regex)
    }

    /// Finds every hit in `text` and leaves them in `scratch.hits`.
    func match(_ text: NormalisedText, scratch: MatchScratch) {
        scratch.reset()
        // The scan calls back for every literal occurrence. The callback works on state moved
        // out of the class instances (and moved back at the end): every access to a class's
        // stored property is checked for exclusivity at run time, and that was a fifth of the
        // matching time.
        var found = MatchScratch.Found()
        swap(&found, &scratch.found)
        defer { swap(&found, &scratch.found) }
        let variants = text.variantIndex
        text.bytes.withUnsafeBufferPointer { buffer in
            // The tables read for every literal found, in place: no bounds check, and no retain
            // of a phrase's stems for each occurrence.
            automaton.lengths.withUnsafeBufferPointer { lengths in
            actionStart.withUnsafeBufferPointer { actionStart in
            actions.withUnsafeBufferPointer { actions in
            terms.withUnsafeBufferPointer { terms in
            phrases.withUnsafeBufferPointer { phrases in
            automaton.scan(buffer) { literal, end in
                let start = end - Int(lengths[literal])
                var k = Int(actionStart[literal])
                let upper = Int(actionStart[literal + 1])
                while k < upper {
                    switch actions[k] {
                    case .term(let t):
                        let target = terms[Int(t)]
                        if target.phrase >= 0 {
                            if isBoundary(before: start, buffer),
                                let phraseEnd = matchPhrase(phrases, Int(target.phrase), stemEnd: end, buffer),
                                !variants.isRepeat(start..<phraseEnd)
                            {
                                found.hits.append(Hit(entry: target.entry, range: start..<phraseEnd,
                                                      evasion: variants.evasion(in: start..<phraseEnd)))
                            }
                        } else if (!target.leftBoundary || isBoundary(before: start, buffer))
                            && (!target.rightBoundary || isBoundary(at: end, buffer)) && !variants.isRepeat(start..<end)
                        {
                            found.hits.append(Hit(entry: target.entry, range: start..<end,
                                                  evasion: target.evasion ?? variants.evasion(in: start..<end)))
                        }
                    case .atom(let r):
                        found.markCandidate(Int(r), atomStart: start)
                    }
                    k += 1
                }
            }
            }}}}}
            guard !found.candidates.isEmpty else { return }
            runPatterns(buffer, variants: variants, scratch: scratch, found: &found)
        }
    }

    /// Runs the candidate patterns (those whose atoms the scan found), then their `unless`
    /// patterns. Rules are read in place and patterns run through their handles: copying a rule
    /// out of the table, or calling its pattern object, retains and releases it on every run.
    @inline(never)  // Kept out of `match`, whose scan loop it would crowd.
    private func runPatterns(
        _ buffer: UnsafeBufferPointer<UInt8>, variants: VariantIndex, scratch: MatchScratch, found: inout MatchScratch.Found
    ) {
        let matchData = scratch.regex.handle
        regexes.withUnsafeBufferPointer { rules in
            var k = 0
            while k < found.candidates.count {
                let r = Int(found.candidates[k])
                k += 1
                if !rules[r].isUnless {
                    runRegex(rules, r, buffer, variants: variants, matchData: matchData, scratch: scratch, found: &found)
                }
            }
            applyUnless(rules, buffer, matchData: matchData, scratch: scratch, found: &found)
        }
    }

    private func runRegex(
        _ rules: UnsafeBufferPointer<RegexRule>, _ r: Int, _ buffer: UnsafeBufferPointer<UInt8>, variants: VariantIndex,
        matchData: OpaquePointer, scratch: MatchScratch, found: inout MatchScratch.Found
    ) {
        var position = rules[r].searchStart(firstAtom: found.firstAtomStart(r), in: buffer)
        let startLimit = found.lastAtomStart(r)
        while position <= startLimit {
            switch CompiledRegex.firstMatch(code: rules[r].code, in: buffer, from: position, startLimit: startLimit, matchData: matchData) {
            case .match(let range):
                if !range.isEmpty && !variants.isRepeat(range) {
                    found.hits.append(Hit(entry: rules[r].entry, range: range, evasion: variants.evasion(in: range)))
                }
                position = range.isEmpty ? range.upperBound + 1 : range.upperBound
            case .noMatch:
                return
            case .limitExceeded, .failed:
                scratch.limitExceeded = true
                return
            }
        }
    }

    /// Drops hits that an `unless` pattern of their own entry overlaps.
    private func applyUnless(
        _ rules: UnsafeBufferPointer<RegexRule>, _ buffer: UnsafeBufferPointer<UInt8>, matchData: OpaquePointer,
        scratch: MatchScratch, found: inout MatchScratch.Found
    ) {
        var vetoes: [(entry: Int32, range: Range<Int>)] = []
        var k = 0
        while k < found.candidates.count {
            let r = Int(found.candidates[k])
            k += 1
            guard rules[r].isUnless else { continue }
            let entry = rules[r].entry
            guard found.hits.contains(where: { $0.entry == entry }) else { continue }
            var position = rules[r].searchStart(firstAtom: found.firstAtomStart(r), in: buffer)
            let startLimit = found.lastAtomStart(r)
            matching: while position <= startLimit {
                switch CompiledRegex.firstMatch(code: rules[r].code, in: buffer, from: position, startLimit: startLimit, matchData: matchData) {
                case .match(let range):
                    vetoes.append((entry, range))
                    position = range.isEmpty ? range.upperBound + 1 : range.upperBound
                case .noMatch:
                    break matching
                case .limitExceeded, .failed:
                    scratch.limitExceeded = true
                    break matching
                }
            }
        }
        guard !vetoes.isEmpty else { return }
        found.hits.removeAll { hit in
            vetoes.contains { $0.entry == hit.entry && $0.range.overlaps(hit.range) }
        }
    }

    /// Where an inflected phrase whose first stem ends at `stemEnd` ends, or nil when the rest
    /// of the phrase is not there.
    private func matchPhrase(
        _ phrases: UnsafeBufferPointer<StemPhrase>, _ p: Int, stemEnd: Int, _ buffer: UnsafeBufferPointer<UInt8>
    ) -> Int? {
        var position = stemEnd
        for index in phrases[p].stems.indices {
            if index > 0 {
                guard position < buffer.count, buffer[position] == 0x20 else { return nil }
                position += 1
                let count = phrases[p].stems[index].count
                guard position + count <= buffer.count else { return nil }
                for k in 0..<count where buffer[position + k] != phrases[p].stems[index][k] { return nil }
                position += count
            }
            if phrases[p].openEnding[index] {
                // Up to three more letters of the same word.
                var letters = 0
                while letters < 3, position < buffer.count, !isBoundary(at: position, buffer) {
                    let b = buffer[position]
                    position += b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
                    letters += 1
                }
            }
            guard isBoundary(at: min(position, buffer.count), buffer) else { return nil }
        }
        return min(position, buffer.count)
    }

    @inline(__always)
    private func isBoundary(before start: Int, _ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard start > 0 else { return true }
        let previous = buffer[start - 1]
        if previous < 0x80 { return !Normaliser.isASCIIWord(UInt8(truncatingIfNeeded: previous)) }
        var k = start - 1
        while k > 0 && buffer[k] & 0xC0 == 0x80 { k -= 1 }
        let scalar = Normaliser.decodeValid(buffer, at: k)
        return !table.characterClass(of: scalar).contains(.spaced)
    }

    @inline(__always)
    private func isBoundary(at end: Int, _ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard end < buffer.count else { return true }
        let next = buffer[end]
        if next < 0x80 { return !Normaliser.isASCIIWord(UInt8(truncatingIfNeeded: next)) }
        let scalar = Normaliser.decodeValid(buffer, at: end)
        return !table.characterClass(of: scalar).contains(.spaced)
    }
}

/// Per-thread matching state, reused from listing to listing.
final class MatchScratch {
    /// What one listing's scan found. A value, so that the matcher can move it out of the class
    /// while it works on it.
    struct Found {
        var hits: [Hit] = []
        private(set) var candidates: [Int32] = []
        /// Per pattern: where the first and the last of its atoms start in the text, while it is
        /// a candidate (`first` is -1 while it is not). One array, so that marking a candidate
        /// writes (and checks the uniqueness of) one buffer.
        private var atoms: [AtomStarts] = []

        struct AtomStarts {
            var first: Int32
            var last: Int32
            static let none = AtomStarts(first: -1, last: -1)
        }

        init() {}

        init(regexCount: Int) {
            atoms = [AtomStarts](repeating: .none, count: regexCount)
            hits.reserveCapacity(64)
            candidates.reserveCapacity(16)
        }

        /// Notes an occurrence of one of pattern `r`'s atoms at `atomStart`.
        @inline(__always)
        mutating func markCandidate(_ r: Int, atomStart: Int) {
            let start = Int32(truncatingIfNeeded: atomStart)
            var starts = atoms[r]
            if starts.first < 0 {
                starts = AtomStarts(first: start, last: start)
                candidates.append(Int32(r))
            } else {
                // Occurrences come by end: a longer atom ending later can start earlier.
                starts.first = min(starts.first, start)
                starts.last = max(starts.last, start)
            }
            atoms[r] = starts
        }

        /// Where the first atom of candidate pattern `r` starts.
        func firstAtomStart(_ r: Int) -> Int { Int(atoms[r].first) }

        /// Where the last atom of candidate pattern `r` starts: every match holds an atom, so no
        /// match starts after it.
        func lastAtomStart(_ r: Int) -> Int { Int(atoms[r].last) }

        mutating func reset() {
            hits.removeAll(keepingCapacity: true)
            for r in candidates { atoms[Int(r)] = .none }
            candidates.removeAll(keepingCapacity: true)
        }
    }

    // Unchecked exclusivity: one scratch per thread, accessed per listing on the hot path.
    @exclusivity(unchecked) var found: Found
    let regex: RegexScratch
    @exclusivity(unchecked) var limitExceeded = false

    /// The hits of the last listing matched.
    var hits: [Hit] {
        get { found.hits }
        _modify { yield &found.hits }
    }

    init(regexCount: Int, regex: RegexScratch) {
        found = Found(regexCount: regexCount)
        self.regex = regex
    }

    func reset() {
        found.reset()
        limitExceeded = false
    }
}

/// What WildGuard learns about a regular expression before compiling it: the literals that every
/// match must contain (its *atoms*, fed to the Aho-Corasick prefilter so that the regex only runs
/// on listings that contain one of them), and whether it risks catastrophic backtracking.
///
/// This is the approach YARA takes with its atoms, simplified: it reads the pattern's structure
/// (branches, groups, quantifiers), never its meaning, and errs on the side of "no atom", which
/// makes the loader reject the pattern rather than miss matches.
struct PatternAnalysis: Sendable, Equatable {
    /// Literals (lower case) of which every match contains at least one; nil when none was found.
    var atoms: [String]?
    /// The most UTF-8 bytes a match can have before the atom it contains; nil when that is not
    /// bounded. A match therefore starts no earlier than this before the first atom in the text,
    /// and the search can start there instead of at the beginning.
    var atomOffset: Int?
    /// The bytes a match can have before the atom it contains, when they are few and plain (ASCII
    /// digits, punctuation and spaces, as in `\d[\d.,]* ?usd`); nil otherwise. Even when
    /// `atomOffset` is unbounded, a match then starts inside the run of these bytes that ends
    /// where the first atom in the text starts.
    var prefixBytes: ByteSet?
    /// A group with an unbounded quantifier inside, itself repeated without bound: `(a+)+`.
    var hasNestedQuantifier: Bool

    init(_ pattern: String) {
        var parser = Parser(Array(pattern.unicodeScalars))
        let result = parser.alternation()
        atoms = result.atoms.map { $0.map { $0.lowercased() } }
        atomOffset = result.atoms == nil ? nil : result.atomOffset
        prefixBytes = result.atoms == nil ? nil : result.prefixBytes
        hasNestedQuantifier = parser.nestedQuantifier
    }

    private struct Result {
        var atoms: [String]?
        var unbounded: Bool
        /// The most bytes before the atoms in a match (nil: unbounded or unknown).
        var atomOffset: Int? = nil
        /// What a match can have before the atoms (nil: other characters, or unknown).
        var prefixBytes: ByteSet? = nil
        /// Every byte a match can have, when all are plain (see `prefixBytes`; nil otherwise).
        var allBytes: ByteSet? = nil
        /// The most bytes a match of the whole (nil: unbounded).
        var width: Int? = nil
        /// Every text a match can have, when that is a small finite set (`(?:g|gr|grs)`).
        var exact: [Choice]? = nil
    }

    /// One text an element or a group can match (UTF-8), and whether any of it is literal text
    /// of the pattern (rather than only a member of a class such as `\d`: a pattern whose every
    /// match must contain a digit has no literal the prefilter can look for on its own).
    private struct Choice: Hashable {
        var bytes: [UInt8]
        var literal: Bool

        init(_ text: String, literal: Bool) {
            bytes = Array(text.utf8)
            self.literal = literal
        }

        init(bytes: [UInt8], literal: Bool) {
            self.bytes = bytes
            self.literal = literal
        }
    }

    /// A string (UTF-8) the text of every match contains, with the most bytes a match can have
    /// before it (nil: unbounded).
    private struct Piece {
        var bytes: [UInt8]
        var offset: Int?
        var literal: Bool
        /// The bytes a match can have before it (see `prefixBytes`; nil: others too).
        var before: ByteSet?
    }

    /// The most strings a run or an exact set holds: beyond it the prefilter gets too many literals.
    private static let setLimit = 64

    /// Both sets of bytes; nil (unknown) wins.
    private static func union(_ a: ByteSet?, _ b: ByteSet?) -> ByteSet? {
        guard let a, let b else { return nil }
        return a.union(b)
    }

    /// The bytes of `choices` when all are ASCII digits, punctuation, spaces or symbols, else nil.
    /// Letters are left out: a caseless match of a letter can be another character ("k" matches
    /// the Kelvin sign), and so can anything outside ASCII.
    private static func plainBytes(_ choices: [Choice]) -> ByteSet? {
        var bytes = ByteSet()
        for choice in choices {
            guard let plain = plainBytes(choice.bytes[...]) else { return nil }
            bytes = bytes.union(plain)
        }
        return bytes
    }

    private static func plainBytes(_ text: ArraySlice<UInt8>) -> ByteSet? {
        var bytes = ByteSet()
        for b in text {
            guard b >= 0x20 && b < 0x7F && !((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A) else { return nil }
            bytes.insert(b)
        }
        return bytes
    }

    /// The larger of two bounds; nil (unbounded) wins.
    private static func maximum(_ a: Int?, _ b: Int?) -> Int? {
        guard let a, let b else { return nil }
        return max(a, b)
    }

    /// Every choice of `a` followed by every choice of `b`, nil when there would be too many.
    private static func product(_ a: [Choice], _ b: [Choice]) -> [Choice]? {
        guard a.count * b.count <= setLimit else { return nil }
        return a.flatMap { x in b.map { Choice(bytes: x.bytes + $0.bytes, literal: x.literal || $0.literal) } }
    }

    /// The run after an element that matches one of `choices`. A run is what the text of a match
    /// ends with at the current position: every string of the run followed by every choice (a
    /// string that ends with a shorter one is dropped); when that is too many, the choices alone
    /// (starting `offsetAlone` bytes into the match); when still too many, nothing.
    /// `joined` says whether the run went on (its strings only grew) or started again.
    private static func extend(
        _ run: [Piece], with choices: [Choice], offsetAlone: Int?, beforeAlone: ByteSet?
    ) -> (run: [Piece], joined: Bool) {
        // One string and one more character, the common case: nothing to drop.
        if run.count == 1, choices.count == 1 {
            var one = run
            one[0].bytes += choices[0].bytes
            one[0].literal = one[0].literal || choices[0].literal
            return (one, true)
        }
        if run.count * choices.count <= setLimit * 8, let joined = minimised(run.flatMap { piece in
            choices.map {
                Piece(bytes: piece.bytes + $0.bytes, offset: piece.offset, literal: piece.literal || $0.literal, before: piece.before)
            }
        }, suffixesOnly: true) {
            return (joined, true)
        }
        let alone = choices.map { Piece(bytes: $0.bytes, offset: offsetAlone, literal: $0.literal, before: beforeAlone) }
        return (minimised(alone, suffixesOnly: true) ?? [Piece(bytes: [], offset: nil, literal: false, before: nil)], false)
    }

    /// `pieces` without those that contain a shorter one (`suffixesOnly`: that end with one), or
    /// nil when more than `setLimit` remain. The shorter one is in every text the longer one is
    /// in, further in by as many bytes as it starts into the longer one; its bound grows by that.
    private static func minimised(_ pieces: [Piece], suffixesOnly: Bool) -> [Piece]? {
        var kept: [Piece] = []
        let sorted = pieces.sorted {
            $0.bytes.count != $1.bytes.count ? $0.bytes.count < $1.bytes.count : $0.bytes.lexicographicallyPrecedes($1.bytes)
        }
        for piece in sorted {
            var contained = false
            for k in kept.indices {
                guard let into = position(of: kept[k].bytes, in: piece.bytes, suffixOnly: suffixesOnly) else { continue }
                kept[k].offset = maximum(kept[k].offset, add(piece.offset, into))
                kept[k].before = union(kept[k].before, union(piece.before, plainBytes(piece.bytes[..<into])))
                contained = true
                break
            }
            if !contained {
                guard kept.count < setLimit else { return nil }
                kept.append(piece)
            }
        }
        return kept
    }

    /// Where `needle` first occurs in `haystack` (`suffixOnly`: only as its end), nil if not.
    private static func position(of needle: [UInt8], in haystack: [UInt8], suffixOnly: Bool) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        let last = haystack.count - needle.count
        for start in (suffixOnly ? last : 0)...last {
            var k = 0
            while k < needle.count && haystack[start + k] == needle[k] { k += 1 }
            if k == needle.count { return start }
        }
        return nil
    }

    private struct Quantifier {
        var allowsZero: Bool
        var unbounded: Bool
        var repeats: Bool
        /// The most repetitions (nil: unbounded).
        var most: Int? { unbounded ? nil : upper }
        var upper = 1
    }

    /// The most UTF-8 bytes one character can take (a case-insensitive match of a literal may
    /// be another character of another length).
    private static let characterWidth = 4

    /// `a + b`, nil when either is unbounded.
    private static func add(_ a: Int?, _ b: Int?) -> Int? {
        guard let a, let b else { return nil }
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : sum
    }

    /// `width` repeated `count` times.
    private static func repeated(_ width: Int?, _ count: Int) -> Int? {
        guard let width else { return nil }
        let (product, overflow) = width.multipliedReportingOverflow(by: count)
        return overflow ? nil : product
    }

    /// `width` repeated as `quantifier` allows (at most once without one).
    private static func repeated(_ width: Int?, _ quantifier: Quantifier?) -> Int? {
        guard let quantifier else { return width }
        guard let most = quantifier.most else { return nil }
        return repeated(width, most)
    }

    private struct Parser {
        let s: [Unicode.Scalar]
        var i = 0
        var nestedQuantifier = false

        init(_ s: [Unicode.Scalar]) { self.s = s }

        mutating func alternation() -> Result {
            var branches: [Result] = []
            while true {
                branches.append(sequence())
                if i < s.count && s[i] == "|" { i += 1; continue }
                break
            }
            let unbounded = branches.contains { $0.unbounded }
            var width: Int? = 0
            for branch in branches {
                guard let w = branch.width, let current = width else { width = nil; break }
                width = max(current, w)
            }
            var exact: [Choice]? = []
            for branch in branches {
                guard let texts = branch.exact, let current = exact, current.count + texts.count <= PatternAnalysis.setLimit else {
                    exact = nil
                    break
                }
                exact = current + texts
            }
            exact = exact.map { Array(Set($0)).sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) } }
            var union: [String] = []
            var offset: Int? = 0
            var prefix: ByteSet? = ByteSet()
            let all = branches.reduce(ByteSet() as ByteSet?) { PatternAnalysis.union($0, $1.allBytes) }
            for branch in branches {
                guard let atoms = branch.atoms else {
                    return Result(atoms: nil, unbounded: unbounded, allBytes: all, width: width, exact: exact)
                }
                union.append(contentsOf: atoms)
                if let o = branch.atomOffset, let current = offset { offset = max(current, o) } else { offset = nil }
                prefix = PatternAnalysis.union(prefix, branch.prefixBytes)
            }
            return Result(atoms: Array(Set(union)).sorted(), unbounded: unbounded, atomOffset: offset, prefixBytes: prefix,
                          allBytes: all, width: width, exact: exact)
        }

        private static func score(_ atoms: [String]) -> (Int, Int) {
            (atoms.map { $0.utf8.count }.min() ?? 0, -atoms.count)
        }

        mutating func sequence() -> Result {
            var best: [String]?
            var bestOffset: Int?
            var bestPrefix: ByteSet?
            // The bytes the elements read so far can match, while all are plain (see
            // `prefixBytes`).
            var bytesSoFar: ByteSet? = ByteSet()
            // Bytes a match can have before the current element.
            var width: Int? = 0
            var unbounded = false
            // What the text of a match ends with at the current position: one of these strings.
            var run = [Piece(bytes: [], offset: 0, literal: false, before: ByteSet())]
            // Every text the sequence so far can match, while that is a small finite set.
            var exact: [Choice]? = [Choice("", literal: false)]
            func consider(_ candidates: [Piece]) {
                guard !candidates.isEmpty, !candidates.contains(where: { $0.bytes.isEmpty || !$0.literal }) else { return }
                // Dropping strings that contain others leaves the shortest: a set whose shortest
                // string is shorter than the best one's cannot win.
                let shortest = candidates.map(\.bytes.count).min() ?? 0
                if let current = best, shortest < Self.score(current).0 { return }
                guard let pieces = PatternAnalysis.minimised(candidates, suffixesOnly: false),
                    !pieces.contains(where: { !$0.literal })
                else { return }
                let atoms = pieces.map { String(decoding: $0.bytes, as: UTF8.self) }
                if let current = best, Self.score(current) >= Self.score(atoms) { return }
                best = atoms
                bestOffset = pieces.reduce(0 as Int?) { PatternAnalysis.maximum($0, $1.offset) }
                bestPrefix = pieces.reduce(ByteSet() as ByteSet?) { PatternAnalysis.union($0, $1.before) }
            }
            // A run is weighed when it ends (its strings only grow while it goes on).
            func restart() {
                consider(run)
                run = [Piece(bytes: [], offset: width, literal: false, before: bytesSoFar)]
            }
            /// An element that matches one of `choices` (small and finite), repeated as `q` allows.
            func element(_ choices: [Choice], _ q: Quantifier?, elementWidth: Int?) {
                let bytesBefore = bytesSoFar
                bytesSoFar = PatternAnalysis.union(bytesSoFar, PatternAnalysis.plainBytes(choices))
                let before = width
                width = PatternAnalysis.add(width, PatternAnalysis.repeated(elementWidth, q))
                if let q, q.unbounded { unbounded = true }
                let once = q == nil || q?.allowsZero == false && q?.repeats == false
                let optional = q?.allowsZero == true && q?.repeats == false
                if once || optional {
                    let options = optional ? choices + [Choice("", literal: false)] : choices
                    let next = PatternAnalysis.extend(run, with: options, offsetAlone: before, beforeAlone: bytesBefore)
                    if !next.joined { consider(run) }
                    run = next.run
                    exact = exact.flatMap { PatternAnalysis.product($0, options) }
                } else if let q, !q.allowsZero {
                    // Repeated: the first repetition follows what came before, the last one
                    // precedes what comes next.
                    consider(PatternAnalysis.extend(run, with: choices, offsetAlone: before, beforeAlone: bytesBefore).run)
                    let lastStart = q.most.flatMap { PatternAnalysis.add(before, PatternAnalysis.repeated(elementWidth, $0 - 1)) }
                    // Earlier repetitions come before the last one.
                    run = PatternAnalysis.extend(
                        [Piece(bytes: [], offset: lastStart, literal: false, before: bytesSoFar)], with: choices,
                        offsetAlone: lastStart, beforeAlone: bytesSoFar
                    ).run
                    exact = nil
                } else {
                    restart()
                    exact = nil
                }
            }
            /// An element the prefilter cannot spell out (`.`, `\w`, a large class, a group with
            /// no small set of texts), whose bytes are `bytes` when known and plain.
            func opaque(_ q: Quantifier?, elementWidth: Int?, bytes: ByteSet? = nil) {
                if q?.unbounded == true { unbounded = true }
                width = PatternAnalysis.add(width, PatternAnalysis.repeated(elementWidth, q))
                // The next run starts after it.
                bytesSoFar = PatternAnalysis.union(bytesSoFar, bytes)
                restart()
                exact = nil
            }
            while i < s.count {
                let c = s[i]
                if c == "|" || c == ")" { break }
                switch c {
                case "\\":
                    i += 1
                    guard i < s.count else { break }
                    let e = s[i]
                    i += 1
                    if "bBAzZG".unicodeScalars.contains(e) { continue }
                    if e == "d" {
                        // Listings have only ASCII digits: the normaliser folds the others.
                        element(Self.digits, quantifier(), elementWidth: PatternAnalysis.characterWidth)
                        continue
                    }
                    if "pPxogk".unicodeScalars.contains(e), i < s.count, s[i] == "{" || s[i] == "<" {
                        let close: Unicode.Scalar = s[i] == "{" ? "}" : ">"
                        while i < s.count && s[i] != close { i += 1 }
                        i += 1
                    }
                    if e.properties.isAlphabetic || ("0"..."9").contains(e) {
                        // A class of one character, but a back reference, a grapheme cluster
                        // or a line break sequence can be longer.
                        let one: Int? = "XRgk123456789".unicodeScalars.contains(e) ? nil : PatternAnalysis.characterWidth
                        opaque(quantifier(), elementWidth: one)
                        continue
                    }
                    element([Choice(String(Character(e)), literal: true)], quantifier(), elementWidth: PatternAnalysis.characterWidth)
                case ".":
                    i += 1
                    opaque(quantifier(), elementWidth: PatternAnalysis.characterWidth)
                case "[":
                    let members = smallClass()
                    skipClass()
                    let q = quantifier()
                    if let members {
                        element(members, q, elementWidth: PatternAnalysis.characterWidth)
                    } else {
                        opaque(q, elementWidth: PatternAnalysis.characterWidth)
                    }
                case "^", "$":
                    i += 1
                case "(":
                    let before = width
                    let group = self.group()
                    let q = quantifier()
                    if let q, q.unbounded, group.inner.unbounded { nestedQuantifier = true }
                    if group.inner.unbounded || q?.unbounded == true { unbounded = true }
                    if !group.consumes {
                        // A lookaround or an option setting takes no room and leaves the run as it
                        // is; a call or a condition can match anything.
                        if group.inner.width != 0 { opaque(nil, elementWidth: nil) }
                        continue
                    }
                    if q?.allowsZero != true {
                        // The group's atoms: what comes before the group, and before them inside it.
                        let inside = PatternAnalysis.union(bytesSoFar, group.inner.prefixBytes)
                        consider(group.inner.atoms.map { atoms in
                            atoms.map {
                                Piece(bytes: Array($0.utf8), offset: PatternAnalysis.add(before, group.inner.atomOffset), literal: true,
                                      before: inside)
                            }
                        } ?? [])
                    }
                    if let texts = group.inner.exact {
                        element(texts, q, elementWidth: group.inner.width)
                    } else {
                        opaque(q, elementWidth: group.inner.width, bytes: group.inner.allBytes)
                    }
                default:
                    i += 1
                    element([Choice(String(Character(c)), literal: true)], quantifier(), elementWidth: PatternAnalysis.characterWidth)
                }
            }
            consider(run)
            return Result(atoms: best, unbounded: unbounded, atomOffset: best == nil ? nil : bestOffset,
                          prefixBytes: best == nil ? nil : bestPrefix, allBytes: bytesSoFar, width: width, exact: exact)
        }

        private static let digits = (0...9).map { Choice(String($0), literal: false) }

        /// The members of a character class at the current position when it is a small set of
        /// ASCII digits and punctuation (`[.,]`, `[0-9]`, `[\d ]`), nil otherwise. Letters are
        /// left out: caseless matching gives them more than one form.
        private func smallClass() -> [Choice]? {
            var k = i + 1
            guard k < s.count, s[k] != "^" else { return nil }
            var members: [Unicode.Scalar] = []
            func plain(_ c: Unicode.Scalar) -> Bool {
                c.isASCII && c.value >= 0x20 && !c.properties.isAlphabetic
            }
            var first = true
            while k < s.count && (s[k] != "]" || first) {
                first = false
                var c = s[k]
                if c == "[" { return nil }
                if c == "\\" {
                    k += 1
                    guard k < s.count else { return nil }
                    c = s[k]
                    if c == "d" {
                        members += (0...9).map { Unicode.Scalar(UInt8(0x30 + $0)) }
                        k += 1
                        continue
                    }
                    guard !c.properties.isAlphabetic, !("0"..."9").contains(c) else { return nil }
                }
                guard plain(c) else { return nil }
                if k + 2 < s.count, s[k + 1] == "-", s[k + 2] != "]" {
                    let upper = s[k + 2]
                    guard upper != "\\", plain(upper), upper.value >= c.value, upper.value - c.value < 16 else { return nil }
                    for v in c.value...upper.value {
                        guard let m = Unicode.Scalar(v), plain(m) else { return nil }
                        members.append(m)
                    }
                    k += 3
                    continue
                }
                members.append(c)
                k += 1
            }
            guard k < s.count, !members.isEmpty else { return nil }
            let unique = Array(Set(members.map { String(Character($0)) })).sorted()
            return unique.count <= 16 ? unique.map { Choice($0, literal: false) } : nil
        }

        private mutating func group() -> (inner: Result, consumes: Bool) {
            i += 1  // (
            var consumes = true
            if i < s.count && s[i] == "?" {
                i += 1
                guard i < s.count else { return (Result(atoms: nil, unbounded: false, width: nil), false) }
                switch s[i] {
                case "#":
                    while i < s.count && s[i] != ")" { i += 1 }
                    i += 1
                    return (Result(atoms: nil, unbounded: false, width: 0), false)
                case "=", "!":
                    consumes = false
                    i += 1
                case "<" where i + 1 < s.count && (s[i + 1] == "=" || s[i + 1] == "!"):
                    consumes = false
                    i += 2
                case ":", ">", "|":
                    i += 1
                case "P" where i + 1 < s.count && (s[i + 1] == "=" || s[i + 1] == ">"):
                    // A back reference or a call by name: any width.
                    while i < s.count && s[i] != ")" { i += 1 }
                    i += 1
                    return (Result(atoms: nil, unbounded: false, width: nil), false)
                case "<", "P", "'":
                    while i < s.count && s[i] != ">" && s[i] != "'" { i += 1 }
                    i += 1
                default:
                    // Inline options: "(?i)" changes flags only, "(?i:...)" is a group. Anything
                    // else here (a subroutine call, recursion, a condition) can match any width.
                    let first = i
                    while i < s.count && s[i] != ":" && s[i] != ")" { i += 1 }
                    let onlyFlags = s[first..<i].allSatisfy { "imnsxJU-^".unicodeScalars.contains($0) }
                    if i < s.count && s[i] == ")" {
                        i += 1
                        return (Result(atoms: nil, unbounded: false, width: onlyFlags ? 0 : nil), false)
                    }
                    i += 1
                }
            }
            var inner = alternation()
            if i < s.count && s[i] == ")" { i += 1 }
            // A lookaround takes no room in the match.
            if !consumes { inner.width = 0 }
            return (inner, consumes)
        }

        private mutating func skipClass() {
            i += 1  // [
            if i < s.count && s[i] == "^" { i += 1 }
            if i < s.count && s[i] == "]" { i += 1 }
            while i < s.count && s[i] != "]" {
                if s[i] == "\\" { i += 1 }
                else if s[i] == "[" && i + 1 < s.count && s[i + 1] == ":" {
                    while i < s.count && !(s[i] == ":" && i + 1 < s.count && s[i + 1] == "]") { i += 1 }
                    i += 1
                }
                i += 1
            }
            i += 1
        }

        private mutating func quantifier() -> Quantifier? {
            guard i < s.count else { return nil }
            var q: Quantifier
            switch s[i] {
            case "?": q = Quantifier(allowsZero: true, unbounded: false, repeats: false, upper: 1); i += 1
            case "*": q = Quantifier(allowsZero: true, unbounded: true, repeats: true); i += 1
            case "+": q = Quantifier(allowsZero: false, unbounded: true, repeats: true); i += 1
            case "{":
                var j = i + 1
                var lower = ""
                while j < s.count && ("0"..."9").contains(s[j]) { lower.unicodeScalars.append(s[j]); j += 1 }
                guard !lower.isEmpty, j < s.count else { return nil }
                var upper: String? = nil
                if s[j] == "," {
                    j += 1
                    var u = ""
                    while j < s.count && ("0"..."9").contains(s[j]) { u.unicodeScalars.append(s[j]); j += 1 }
                    upper = u
                } else {
                    upper = lower
                }
                guard j < s.count && s[j] == "}" else { return nil }
                i = j + 1
                let low = Int(lower) ?? 0
                let high = upper.flatMap { Int($0) }
                q = Quantifier(allowsZero: low == 0, unbounded: high == nil, repeats: (high ?? 2) > 1, upper: high ?? 1)
            default:
                return nil
            }
            if i < s.count && (s[i] == "?" || s[i] == "+") { i += 1 }
            return q
        }
    }
}

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
    /// A group with an unbounded quantifier inside, itself repeated without bound: `(a+)+`.
    var hasNestedQuantifier: Bool

    init(_ pattern: String) {
        var parser = Parser(Array(pattern.unicodeScalars))
        let result = parser.alternation()
        atoms = result.atoms.map { $0.map { $0.lowercased() } }
        atomOffset = result.atoms == nil ? nil : result.atomOffset
        hasNestedQuantifier = parser.nestedQuantifier
    }

    private struct Result {
        var atoms: [String]?
        var unbounded: Bool
        /// The most bytes before the atoms in a match (nil: unbounded or unknown).
        var atomOffset: Int? = nil
        /// The most bytes a match of the whole (nil: unbounded).
        var width: Int? = nil
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

    /// `width` repeated as `quantifier` allows (at most once without one).
    private static func repeated(_ width: Int?, _ quantifier: Quantifier?) -> Int? {
        guard let quantifier else { return width }
        guard let width, let most = quantifier.most else { return nil }
        let (product, overflow) = width.multipliedReportingOverflow(by: most)
        return overflow ? nil : product
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
            var union: [String] = []
            var offset: Int? = 0
            for branch in branches {
                guard let atoms = branch.atoms else { return Result(atoms: nil, unbounded: unbounded, width: width) }
                union.append(contentsOf: atoms)
                if let o = branch.atomOffset, let current = offset { offset = max(current, o) } else { offset = nil }
            }
            return Result(atoms: Array(Set(union)).sorted(), unbounded: unbounded, atomOffset: offset, width: width)
        }

        private static func score(_ atoms: [String]) -> (Int, Int) {
            (atoms.map { $0.utf8.count }.min() ?? 0, -atoms.count)
        }

        mutating func sequence() -> Result {
            var best: [String]?
            var bestOffset: Int?
            var run = ""
            // Bytes a match can have before the current element, and before the current run.
            var width: Int? = 0
            var runOffset: Int? = 0
            var unbounded = false
            func consider(_ atoms: [String]?, offset: Int?) {
                guard let atoms, !atoms.isEmpty, !atoms.contains(where: \.isEmpty) else { return }
                if let current = best, Self.score(current) >= Self.score(atoms) { return }
                best = atoms
                bestOffset = offset
            }
            func endRun() {
                if !run.isEmpty { consider([run], offset: runOffset) }
                run = ""
            }
            /// A literal character: joins the run as its quantifier allows; adds its width.
            func literal(_ c: Unicode.Scalar, _ step: LiteralStep, _ q: Quantifier?) {
                if step != .end && run.isEmpty { runOffset = width }
                switch step {
                case .extend: run.unicodeScalars.append(c)
                case .extendThenEnd: run.unicodeScalars.append(c); endRun()
                case .end: endRun()
                }
                width = PatternAnalysis.add(width, PatternAnalysis.repeated(PatternAnalysis.characterWidth, q))
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
                    if "pPxogk".unicodeScalars.contains(e), i < s.count, s[i] == "{" || s[i] == "<" {
                        let close: Unicode.Scalar = s[i] == "{" ? "}" : ">"
                        while i < s.count && s[i] != close { i += 1 }
                        i += 1
                    }
                    if e.properties.isAlphabetic || ("0"..."9").contains(e) {
                        endRun()
                        let q = quantifier()
                        if q?.unbounded == true { unbounded = true }
                        // A class of one character, but a back reference, a grapheme cluster
                        // or a line break sequence can be longer.
                        let one: Int? = "XRgk123456789".unicodeScalars.contains(e) ? nil : PatternAnalysis.characterWidth
                        width = PatternAnalysis.add(width, PatternAnalysis.repeated(one, q))
                        continue
                    }
                    let q = peekQuantifier()
                    literal(e, literalStep(unbounded: &unbounded), q)
                case ".":
                    i += 1
                    endRun()
                    let q = quantifier()
                    if q?.unbounded == true { unbounded = true }
                    width = PatternAnalysis.add(width, PatternAnalysis.repeated(PatternAnalysis.characterWidth, q))
                case "[":
                    skipClass()
                    endRun()
                    let q = quantifier()
                    if q?.unbounded == true { unbounded = true }
                    width = PatternAnalysis.add(width, PatternAnalysis.repeated(PatternAnalysis.characterWidth, q))
                case "^", "$":
                    i += 1
                case "(":
                    endRun()
                    let group = self.group()
                    let q = quantifier()
                    if let q, q.unbounded, group.inner.unbounded { nestedQuantifier = true }
                    if group.inner.unbounded || q?.unbounded == true { unbounded = true }
                    if group.consumes && q?.allowsZero != true {
                        consider(group.inner.atoms, offset: PatternAnalysis.add(width, group.inner.atomOffset))
                    }
                    // Lookarounds and option settings take no room; calls and conditions, any.
                    width = PatternAnalysis.add(width, group.consumes ? PatternAnalysis.repeated(group.inner.width, q) : group.inner.width)
                default:
                    i += 1
                    let q = peekQuantifier()
                    literal(c, literalStep(unbounded: &unbounded), q)
                }
            }
            endRun()
            return Result(atoms: best, unbounded: unbounded, atomOffset: best == nil ? nil : bestOffset, width: width)
        }

        /// The quantifier at the current position, without consuming it.
        private mutating func peekQuantifier() -> Quantifier? {
            let saved = i
            defer { i = saved }
            return quantifier()
        }

        private enum LiteralStep { case extend, extendThenEnd, end }

        /// How a literal character joins the current run, given the quantifier after it.
        private mutating func literalStep(unbounded: inout Bool) -> LiteralStep {
            guard let q = quantifier() else { return .extend }
            if q.unbounded { unbounded = true }
            if q.allowsZero { return .end }
            return q.repeats ? .extendThenEnd : .extend
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

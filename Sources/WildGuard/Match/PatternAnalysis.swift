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
    /// A group with an unbounded quantifier inside, itself repeated without bound: `(a+)+`.
    var hasNestedQuantifier: Bool

    init(_ pattern: String) {
        var parser = Parser(Array(pattern.unicodeScalars))
        let result = parser.alternation()
        atoms = result.atoms.map { $0.map { $0.lowercased() } }
        hasNestedQuantifier = parser.nestedQuantifier
    }

    private struct Result {
        var atoms: [String]?
        var unbounded: Bool
    }

    private struct Quantifier {
        var allowsZero: Bool
        var unbounded: Bool
        var repeats: Bool
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
            var union: [String] = []
            for branch in branches {
                guard let atoms = branch.atoms else { return Result(atoms: nil, unbounded: unbounded) }
                union.append(contentsOf: atoms)
            }
            return Result(atoms: Array(Set(union)).sorted(), unbounded: unbounded)
        }

        private static func score(_ atoms: [String]) -> (Int, Int) {
            (atoms.map { $0.utf8.count }.min() ?? 0, -atoms.count)
        }

        mutating func sequence() -> Result {
            var best: [String]?
            var run = ""
            var unbounded = false
            func consider(_ atoms: [String]?) {
                guard let atoms, !atoms.isEmpty, !atoms.contains(where: \.isEmpty) else { return }
                if let current = best, Self.score(current) >= Self.score(atoms) { return }
                best = atoms
            }
            func endRun() {
                if !run.isEmpty { consider([run]) }
                run = ""
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
                        continue
                    }
                    switch literalStep(unbounded: &unbounded) {
                    case .extend: run.unicodeScalars.append(e)
                    case .extendThenEnd: run.unicodeScalars.append(e); endRun()
                    case .end: endRun()
                    }
                case ".":
                    i += 1
                    endRun()
                    if quantifier()?.unbounded == true { unbounded = true }
                case "[":
                    skipClass()
                    endRun()
                    if quantifier()?.unbounded == true { unbounded = true }
                case "^", "$":
                    i += 1
                case "(":
                    endRun()
                    let group = self.group()
                    let q = quantifier()
                    if let q, q.unbounded, group.inner.unbounded { nestedQuantifier = true }
                    if group.inner.unbounded || q?.unbounded == true { unbounded = true }
                    if group.consumes && q?.allowsZero != true { consider(group.inner.atoms) }
                default:
                    i += 1
                    switch literalStep(unbounded: &unbounded) {
                    case .extend: run.unicodeScalars.append(c)
                    case .extendThenEnd: run.unicodeScalars.append(c); endRun()
                    case .end: endRun()
                    }
                }
            }
            endRun()
            return Result(atoms: best, unbounded: unbounded)
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
                guard i < s.count else { return (Result(atoms: nil, unbounded: false), false) }
                switch s[i] {
                case "#":
                    while i < s.count && s[i] != ")" { i += 1 }
                    i += 1
                    return (Result(atoms: nil, unbounded: false), false)
                case "=", "!":
                    consumes = false
                    i += 1
                case "<" where i + 1 < s.count && (s[i + 1] == "=" || s[i + 1] == "!"):
                    consumes = false
                    i += 2
                case ":", ">", "|":
                    i += 1
                case "<", "P", "'":
                    while i < s.count && s[i] != ">" && s[i] != "'" { i += 1 }
                    i += 1
                default:
                    // Inline options: "(?i)" changes flags only, "(?i:...)" is a group.
                    while i < s.count && s[i] != ":" && s[i] != ")" { i += 1 }
                    if i < s.count && s[i] == ")" {
                        i += 1
                        return (Result(atoms: nil, unbounded: false), false)
                    }
                    i += 1
                }
            }
            let inner = alternation()
            if i < s.count && s[i] == ")" { i += 1 }
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
            case "?": q = Quantifier(allowsZero: true, unbounded: false, repeats: false); i += 1
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
                q = Quantifier(allowsZero: low == 0, unbounded: high == nil, repeats: (high ?? 2) > 1)
            default:
                return nil
            }
            if i < s.count && (s[i] == "?" || s[i] == "+") { i += 1 }
            return q
        }
    }
}

/// A condition on one signal, written in policy files as space-separated tests that must all
/// hold: `kind:product tag:ivory`, `kind:taxon appendix:I`, `group:primate|parrot`,
/// `!tag:ambiguous`, or `rule:ID` for a rule that fired earlier (as Rspamd composites do).
public struct Selector: Sendable, CustomStringConvertible {
    public enum Test: Sendable {
        case kind([SignalKind])
        case tag([String])
        case group([String])
        case appendix([CITESAppendix])
        case entry([String])
        case evasion([EvasionKind])
        case rule(String)
    }

    public var tests: [(test: Test, negated: Bool)]
    public var description: String

    /// Parses a selector; throws a message naming what is wrong.
    public init(_ text: String) throws(SelectorError) {
        description = text
        tests = []
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard !parts.isEmpty else { throw SelectorError(message: "an empty selector") }
        for part in parts {
            var body = Substring(part)
            let negated = body.hasPrefix("!")
            if negated { body = body.dropFirst() }
            guard let colon = body.firstIndex(of: ":") else {
                throw SelectorError(message: "'\(part)' is not key:value (keys: kind, tag, group, appendix, entry, evasion, rule)")
            }
            let key = body[..<colon]
            let values = body[body.index(after: colon)...].split(separator: "|").map(String.init)
            guard !values.isEmpty else { throw SelectorError(message: "'\(part)' has no value") }
            let test: Test
            switch key {
            case "kind":
                let kinds = values.compactMap(SignalKind.init(rawValue:))
                guard kinds.count == values.count else { throw SelectorError(message: "unknown kind in '\(part)'") }
                test = .kind(kinds)
            case "tag": test = .tag(values)
            case "group": test = .group(values)
            case "appendix":
                let appendices = values.compactMap(CITESAppendix.init(rawValue:))
                guard appendices.count == values.count else { throw SelectorError(message: "unknown appendix in '\(part)' (I, II, III, I/II, none)") }
                test = .appendix(appendices)
            case "entry": test = .entry(values)
            case "evasion":
                let kinds = values.compactMap(EvasionKind.init(rawValue:))
                guard kinds.count == values.count else { throw SelectorError(message: "unknown evasion in '\(part)'") }
                test = .evasion(kinds)
            case "rule":
                guard values.count == 1, !negated, parts.count == 1 else {
                    throw SelectorError(message: "'rule:' stands alone and names one rule")
                }
                test = .rule(values[0])
            default:
                throw SelectorError(message: "unknown key '\(key)' (keys: kind, tag, group, appendix, entry, evasion, rule)")
            }
            tests.append((test, negated))
        }
    }

    /// The rule this selector refers to, when it is `rule:ID`.
    public var referencedRule: String? {
        if tests.count == 1, case .rule(let id) = tests[0].test { return id }
        return nil
    }

    /// Whether `signal` satisfies every test.
    public func matches(_ signal: Signal) -> Bool {
        for (test, negated) in tests {
            let result: Bool
            switch test {
            case .kind(let kinds): result = kinds.contains(signal.kind)
            case .tag(let tags): result = tags.contains { signal.tags.contains($0) }
            case .group(let groups): result = signal.taxon.map { groups.contains($0.group) } ?? false
            case .appendix(let appendices):
                result = signal.taxon.map { t in appendices.contains { t.appendix.includes($0) } } ?? false
            case .entry(let ids): result = ids.contains(signal.id)
            case .evasion(let kinds): result = signal.evasion.map(kinds.contains) ?? false
            case .rule: result = false
            }
            if result == negated { return false }
        }
        return true
    }
}

/// A selector that does not parse.
public struct SelectorError: Error, Sendable {
    public var message: String
}

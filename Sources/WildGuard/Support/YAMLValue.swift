import Yams

/// A YAML node with the file it came from, giving typed access with errors that say file, line
/// and what was expected. Taxonomy and policy files are untrusted data: nothing here evaluates
/// anything, and unknown fields are rejected rather than ignored.
struct YAMLValue {
    let node: Node
    let path: String

    var line: Int { node.mark?.line ?? 1 }

    static func parse(_ text: String, path: String) throws(WildGuardError) -> YAMLValue {
        do {
            // The basic resolver tags every scalar as a string: this schema converts numbers itself,
            // and resolving implicit tags (a regular expression per scalar) was most of the parse.
            guard let node = try Yams.compose(yaml: text, .basic) else {
                throw WildGuardError.invalid(path: path, line: 1, reason: "the file is empty")
            }
            return YAMLValue(node: node, path: path)
        } catch let error as WildGuardError {
            throw error
        } catch let error as YamlError {
            throw WildGuardError.syntax(path: path, line: Self.line(of: error), reason: Self.reason(of: error))
        } catch {
            throw WildGuardError.syntax(path: path, line: 1, reason: "\(error)")
        }
    }

    private static func line(of error: YamlError) -> Int {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default: return 1
        }
    }

    private static func reason(of error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
            .composer(let context, let problem, _, _):
            return [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
        default:
            return "\(error)"
        }
    }

    func fail(_ reason: String) -> WildGuardError { .invalid(path: path, line: line, reason: reason) }

    /// The mapping's fields by name; a field not in `allowed` is an error.
    func mapping(allowed: Set<String>, what: String) throws(WildGuardError) -> [String: YAMLValue] {
        guard case .mapping(let mapping) = node else { throw fail("\(what) must be a mapping of fields") }
        var fields: [String: YAMLValue] = [:]
        for (key, value) in mapping {
            guard let name = key.string else { throw fail("\(what) has a field name that is not text") }
            guard allowed.contains(name) else {
                throw WildGuardError.invalid(
                    path: path, line: key.mark?.line ?? line,
                    reason: "unknown field '\(name)' in \(what) (allowed: \(allowed.sorted().joined(separator: ", ")))")
            }
            guard fields[name] == nil else {
                throw WildGuardError.invalid(path: path, line: key.mark?.line ?? line, reason: "field '\(name)' is given twice")
            }
            fields[name] = YAMLValue(node: value, path: path)
        }
        return fields
    }

    /// The mapping's keys and values in order, keys as text.
    func pairs(what: String) throws(WildGuardError) -> [(key: String, line: Int, value: YAMLValue)] {
        guard case .mapping(let mapping) = node else { throw fail("\(what) must be a mapping") }
        var out: [(key: String, line: Int, value: YAMLValue)] = []
        for (key, value) in mapping {
            guard let name = key.string else { throw fail("\(what) has a key that is not text") }
            out.append((name, key.mark?.line ?? line, YAMLValue(node: value, path: path)))
        }
        return out
    }

    func string(_ what: String) throws(WildGuardError) -> String {
        guard case .scalar(let scalar) = node else { throw fail("\(what) must be text") }
        return scalar.string
    }

    /// The largest magnitude of a number in a taxonomy or policy. Numbers are weights, scores, caps
    /// and thresholds, multiplied and added up for every listing: bounded, no sum can overflow to
    /// infinity or NaN (which meets no threshold, so every listing would be allowed).
    static let maxMagnitude = 1_000_000.0

    func double(_ what: String) throws(WildGuardError) -> Double {
        guard case .scalar(let scalar) = node, let value = Double(scalar.string) else {
            throw fail("\(what) must be a number")
        }
        // Double("inf") and Double("nan") parse.
        guard value.isFinite, abs(value) <= Self.maxMagnitude else {
            throw fail("\(what) must be a number between -1000000 and 1000000")
        }
        return value
    }

    func int(_ what: String) throws(WildGuardError) -> Int {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string) else {
            throw fail("\(what) must be a whole number")
        }
        return value
    }

    /// How YAML writes "nothing" as a plain scalar (`key:`, `key: ~`, `key: null`).
    private static let nulls: Set<String> = ["", "~", "null", "Null", "NULL"]

    func sequence(_ what: String) throws(WildGuardError) -> [YAMLValue] {
        switch node {
        case .sequence(let sequence): return sequence.map { YAMLValue(node: $0, path: path) }
        case .scalar(let scalar) where scalar.style == .plain && Self.nulls.contains(scalar.string):
            return []
        default: throw fail("\(what) must be a list")
        }
    }

    /// A list of strings (a single string counts as a list of one), each with its line.
    func strings(_ what: String) throws(WildGuardError) -> [TaxonomyEntry.SourcedString] {
        if case .scalar(let scalar) = node {
            if scalar.string.isEmpty { return [] }
            return [.init(text: scalar.string, line: line)]
        }
        var out: [TaxonomyEntry.SourcedString] = []
        for item in try sequence(what) {
            out.append(.init(text: try item.string("each item of \(what)"), line: item.line))
        }
        return out
    }
}

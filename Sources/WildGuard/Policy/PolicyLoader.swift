import Foundation

extension Policy {
    /// Loads a policy file, checking every field; problems name the file and line.
    public init(path: String, limits: TaxonomyLimits = .init()) throws(WildGuardError) {
        let data: Data
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            if let size = attributes[.size] as? Int, size > limits.maxFileBytes {
                throw WildGuardError.limitExceeded(path: path, reason: "\(size) bytes, more than the limit of \(limits.maxFileBytes)")
            }
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as WildGuardError {
            throw error
        } catch {
            throw .unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .unreadable(path: path, reason: "not valid UTF-8") }
        try self.init(yaml: text, path: path)
    }

    /// Parses a policy from YAML text; `path` is used in error messages.
    public init(yaml text: String, path: String) throws(WildGuardError) {
        let root = try YAMLValue.parse(text, path: path)
        let f = try root.mapping(
            allowed: ["policy", "version", "description", "thresholds", "scores", "emoji_factor", "rules"],
            what: "the policy")
        guard let name = try f["policy"]?.string("policy") else { throw root.fail("the policy needs a 'policy' name") }
        guard let version = try f["version"]?.string("version") else { throw root.fail("the policy needs a 'version'") }
        guard let thresholdsValue = f["thresholds"] else { throw root.fail("the policy needs 'thresholds' (review, block)") }
        let thresholds = try thresholdsValue.mapping(allowed: ["review", "block"], what: "thresholds")
        guard let review = try thresholds["review"]?.double("review"), let block = try thresholds["block"]?.double("block") else {
            throw thresholdsValue.fail("thresholds need both 'review' and 'block'")
        }
        guard review <= block else { throw thresholdsValue.fail("the review threshold must not be above the block threshold") }

        var kindScores: [SignalKind: KindScore] = [:]
        if let scores = f["scores"] {
            for (key, line, value) in try scores.pairs(what: "scores") {
                guard let kind = SignalKind(rawValue: key) else {
                    throw WildGuardError.invalid(path: path, line: line, reason: "unknown signal kind '\(key)' in scores")
                }
                let s = try value.mapping(allowed: ["score", "cap"], what: "a score")
                guard let score = try s["score"]?.double("score") else { throw value.fail("'\(key)' needs a 'score'") }
                let cap = try s["cap"]?.double("cap") ?? abs(score) * 3
                kindScores[kind] = KindScore(score: score, cap: abs(cap))
            }
        }
        var rules: [Rule] = []
        var ids: Set<String> = []
        for item in try f["rules"]?.sequence("rules") ?? [] {
            let r = try item.mapping(allowed: ["id", "explain", "all", "any", "none", "score", "action"], what: "a rule")
            guard let id = try r["id"]?.string("id") else { throw item.fail("a rule needs an 'id'") }
            guard ids.insert(id).inserted else { throw item.fail("duplicate rule id '\(id)'") }
            func selectors(_ key: String) throws(WildGuardError) -> [Selector] {
                var out: [Selector] = []
                for s in try r[key]?.strings(key) ?? [] {
                    do throws(SelectorError) {
                        let selector = try Selector(s.text)
                        if let ref = selector.referencedRule, !ids.contains(ref) || ref == id {
                            throw SelectorError(message: "rule '\(ref)' is not defined above this rule")
                        }
                        out.append(selector)
                    } catch {
                        throw WildGuardError.invalid(path: path, line: s.line, reason: "rule '\(id)': \(error.message)")
                    }
                }
                return out
            }
            let all = try selectors("all")
            let any = try selectors("any")
            let none = try selectors("none")
            guard !all.isEmpty || !any.isEmpty else { throw item.fail("rule '\(id)' needs 'all' or 'any' selectors") }
            var action: Action?
            if let a = r["action"] {
                let text = try a.string("action")
                guard let parsed = Action(rawValue: text) else { throw a.fail("action must be allow, review or block") }
                action = parsed
            }
            rules.append(Rule(
                id: id, explanation: try r["explain"]?.string("explain") ?? id, all: all, any: any, none: none,
                score: try r["score"]?.double("score") ?? 0, action: action, line: item.line))
        }
        var hash = ContentHash()
        hash.add(text.utf8)
        self.init(
            name: name, version: version, description: try f["description"]?.string("description") ?? "",
            reviewThreshold: review, blockThreshold: block, kindScores: kindScores,
            emojiFactor: try f["emoji_factor"]?.double("emoji_factor") ?? 0.5, rules: rules,
            contentHash: hash.hex, location: path)
    }

    /// Finds a policy by profile name in a taxonomy's `policies/` directory, or takes a path.
    public static func resolve(_ nameOrPath: String, taxonomyDirectory: String) throws(WildGuardError) -> Policy {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml") {
            return try Policy(path: nameOrPath)
        }
        let path = URL(fileURLWithPath: taxonomyDirectory).appendingPathComponent("policies/\(nameOrPath).yaml").path
        guard FileManager.default.fileExists(atPath: path) else {
            let available = available(in: taxonomyDirectory)
            throw .unreadable(path: path, reason: "no policy named '\(nameOrPath)' (available: \(available.joined(separator: ", ")))")
        }
        return try Policy(path: path)
    }

    /// Profile names in a taxonomy's `policies/` directory.
    public static func available(in taxonomyDirectory: String) -> [String] {
        let dir = URL(fileURLWithPath: taxonomyDirectory).appendingPathComponent("policies").path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// The default profile.
    public static let defaultName = "strict-marketplace"
}

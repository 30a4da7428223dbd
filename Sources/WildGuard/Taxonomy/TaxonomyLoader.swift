import Foundation

/// Reads a taxonomy directory (`taxonomy.yaml`, `taxa/*.yaml`, `lexicon/*.yaml`) into entries,
/// checking the schema as it goes and collecting every problem with its file and line.
struct TaxonomyLoader {
    let limits: TaxonomyLimits

    static let subdirectories = ["taxa", "lexicon"]

    static let commonFields: Set<String> = [
        "id", "kind", "tags", "weight", "terms", "patterns", "unless", "source", "note", "examples",
    ]
    static let taxonFields: Set<String> = [
        "scientific", "synonyms", "rank", "cites", "group", "products", "emoji",
    ]

    func load(directory: String) throws(WildGuardError) -> Taxonomy {
        let base = URL(fileURLWithPath: directory)
        let manifestPath = base.appendingPathComponent("taxonomy.yaml").path
        var hash = ContentHash()
        let manifestText = try read(manifestPath, hash: &hash)
        let manifest = try YAMLValue.parse(manifestText, path: manifestPath)
        let fields = try manifest.mapping(allowed: ["name", "version", "description"], what: "the manifest")
        guard let name = try fields["name"]?.string("name") else { throw manifest.fail("the manifest needs a 'name'") }
        guard let version = try fields["version"]?.string("version") else {
            throw manifest.fail("the manifest needs a 'version'")
        }

        var files: [String] = []
        for sub in Self.subdirectories {
            let dir = base.appendingPathComponent(sub)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            files += names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                .map { dir.appendingPathComponent($0).path }
        }
        guard files.count <= limits.maxFiles else {
            throw .limitExceeded(path: directory, reason: "\(files.count) files, more than the limit of \(limits.maxFiles)")
        }

        var entries: [TaxonomyEntry] = []
        var problems: [WildGuardError] = []
        for file in files {
            do {
                let text = try read(file, hash: &hash)
                let display = relativePath(file, to: base)
                entries += try parseFile(text, path: display, problems: &problems)
            } catch {
                problems.append(error)
            }
            if entries.count > limits.maxEntries {
                throw .limitExceeded(path: directory, reason: "more than \(limits.maxEntries) entries")
            }
        }
        var seen: [String: SourceLocation] = [:]
        for entry in entries {
            if let first = seen[entry.id] {
                problems.append(.invalid(path: entry.location.file, line: entry.location.line,
                                         reason: "duplicate id '\(entry.id)' (first defined at \(first))"))
            } else {
                seen[entry.id] = entry.location
            }
        }
        if !problems.isEmpty { throw problems.count == 1 ? problems[0] : .many(problems) }
        return Taxonomy(name: name, version: version, entries: entries, contentHash: hash.hex, directory: directory)
    }

    private func relativePath(_ file: String, to base: URL) -> String {
        let prefix = base.path.hasSuffix("/") ? base.path : base.path + "/"
        return file.hasPrefix(prefix) ? String(file.dropFirst(prefix.count)) : file
    }

    private func read(_ path: String, hash: inout ContentHash) throws(WildGuardError) -> String {
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
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadable(path: path, reason: "not valid UTF-8")
        }
        hash.add((path.split(separator: "/").last ?? "").utf8)
        hash.add(data)
        return text
    }

    /// Parses one file; problems in single entries are collected and the other entries kept.
    func parseFile(_ text: String, path: String, problems: inout [WildGuardError]) throws(WildGuardError) -> [TaxonomyEntry] {
        let root = try YAMLValue.parse(text, path: path)
        let fields = try root.mapping(allowed: ["kind", "entries", "description"], what: "the file")
        guard let kindValue = fields["kind"] else { throw root.fail("the file needs a 'kind' (taxon, product, codeword, intent, benign or mitigating)") }
        let fileKind = try parseKind(kindValue)
        guard let list = fields["entries"] else { throw root.fail("the file needs an 'entries' list") }
        var entries: [TaxonomyEntry] = []
        for item in try list.sequence("entries") {
            do {
                entries.append(try parseEntry(item, fileKind: fileKind))
            } catch {
                problems.append(error)
            }
        }
        return entries
    }

    private func parseKind(_ value: YAMLValue) throws(WildGuardError) -> SignalKind {
        let text = try value.string("kind")
        let allowed: [SignalKind] = [.taxon, .product, .codeword, .intent, .benign, .mitigating]
        guard let kind = SignalKind(rawValue: text), allowed.contains(kind) else {
            throw value.fail("unknown kind '\(text)' (expected one of: \(allowed.map(\.rawValue).joined(separator: ", ")))")
        }
        return kind
    }

    static func isValidID(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, ("a"..."z").contains(first) || ("0"..."9").contains(first) else {
            return false
        }
        return id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0) }
    }

    func parseEntry(_ item: YAMLValue, fileKind: SignalKind) throws(WildGuardError) -> TaxonomyEntry {
        // The kind decides which fields are allowed, so read it first.
        var kind = fileKind
        if case .mapping(let m) = item.node, let k = m["kind"] { kind = try parseKind(YAMLValue(node: k, path: item.path)) }
        let allowed = kind == .taxon ? Self.commonFields.union(Self.taxonFields) : Self.commonFields
        let f = try item.mapping(allowed: allowed, what: "a \(kind.rawValue) entry")

        guard let idValue = f["id"] else { throw item.fail("an entry needs an 'id'") }
        let id = try idValue.string("id")
        guard Self.isValidID(id) else {
            throw idValue.fail("id '\(id)' must be lowercase letters, digits, '.', '-' or '_'")
        }
        func required(_ name: String) throws(WildGuardError) -> YAMLValue {
            guard let v = f[name] else { throw item.fail("entry '\(id)' needs '\(name)'") }
            return v
        }
        let tags = try f["tags"]?.strings("tags").map(\.text) ?? []
        let weight = try f["weight"]?.double("weight") ?? 1.0
        guard weight >= 0 && weight <= 10 else { throw item.fail("entry '\(id)': weight must be between 0 and 10") }
        var terms: [TaxonomyEntry.Term] = []
        if let t = f["terms"] {
            for (language, line, value) in try t.pairs(what: "terms") {
                for term in try value.strings("terms for '\(language)'") {
                    let text = term.text.trimmingCharacters(in: .whitespaces)
                    guard !text.isEmpty else { throw value.fail("an empty term in '\(language)'") }
                    guard text.count <= limits.maxTermLength else {
                        throw value.fail("a term longer than \(limits.maxTermLength) characters")
                    }
                    terms.append(.init(text: text, language: language, line: term.line == 0 ? line : term.line))
                }
            }
        }
        let patterns = try f["patterns"]?.strings("patterns") ?? []
        let unless = try f["unless"]?.strings("unless") ?? []
        for p in patterns + unless where p.text.count > limits.maxPatternLength {
            throw WildGuardError.invalid(path: item.path, line: p.line, reason: "a pattern longer than \(limits.maxPatternLength) characters")
        }
        let source = try required("source").string("source")
        guard !source.trimmingCharacters(in: .whitespaces).isEmpty else { throw item.fail("entry '\(id)' needs a non-empty 'source'") }
        let note = try f["note"]?.string("note")

        let examples = try required("examples").mapping(allowed: ["positive", "negative"], what: "examples")
        let positive = try examples["positive"]?.strings("positive examples") ?? []
        let negative = try examples["negative"]?.strings("negative examples") ?? []
        guard !positive.isEmpty else { throw item.fail("entry '\(id)' needs at least one positive example") }
        guard !negative.isEmpty else { throw item.fail("entry '\(id)' needs at least one negative example") }

        var taxon: TaxonFacts?
        if kind == .taxon {
            taxon = try parseTaxon(f, id: id, item: item, terms: &terms)
        }
        guard !terms.isEmpty || !patterns.isEmpty else {
            throw item.fail("entry '\(id)' needs 'terms' or 'patterns'")
        }
        return TaxonomyEntry(
            id: id, kind: kind, tags: tags, weight: weight, terms: terms, patterns: patterns, unless: unless,
            source: source, note: note, positiveExamples: positive, negativeExamples: negative, taxon: taxon,
            location: SourceLocation(file: item.path, line: item.line))
    }

    private func parseTaxon(
        _ f: [String: YAMLValue], id: String, item: YAMLValue, terms: inout [TaxonomyEntry.Term]
    ) throws(WildGuardError) -> TaxonFacts {
        guard let sci = f["scientific"] else { throw item.fail("taxon '\(id)' needs 'scientific'") }
        let scientific = try sci.string("scientific")
        let synonyms = try f["synonyms"]?.strings("synonyms") ?? []
        guard let citesValue = f["cites"] else { throw item.fail("taxon '\(id)' needs 'cites'") }
        let cites = try citesValue.mapping(allowed: ["appendix", "listed", "note"], what: "cites")
        guard let appendixValue = cites["appendix"] else { throw citesValue.fail("cites needs 'appendix'") }
        let appendixText = try appendixValue.string("appendix")
        guard let appendix = CITESAppendix(rawValue: appendixText) else {
            throw appendixValue.fail("appendix '\(appendixText)' is not one of I, II, III, I/II, none")
        }
        guard let group = try f["group"]?.string("group") else { throw item.fail("taxon '\(id)' needs 'group'") }
        terms.insert(.init(text: scientific, language: "la", line: sci.line), at: 0)
        for s in synonyms { terms.append(.init(text: s.text, language: "la", line: s.line)) }
        let emoji = try f["emoji"]?.strings("emoji") ?? []
        for e in emoji { terms.append(.init(text: e.text, language: "emoji", line: e.line)) }
        let common = terms.first { $0.language == "en" }?.text ?? terms.first { $0.language != "la" && $0.language != "emoji" }?.text
        return TaxonFacts(
            scientificName: scientific, synonyms: synonyms.map(\.text),
            rank: try f["rank"]?.string("rank") ?? "species", appendix: appendix,
            listed: try cites["listed"]?.string("listed") ?? "", citesNote: try cites["note"]?.string("note"),
            group: group, products: try f["products"]?.strings("products").map(\.text) ?? [],
            emoji: emoji.map(\.text), commonName: common)
    }
}

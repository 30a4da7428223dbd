/// Checks a taxonomy beyond its schema: every pattern compiles and is safe (done by the engine
/// compiler), and every entry's examples behave as stated: each positive example makes the entry
/// fire, no negative example does.
public struct TaxonomyValidator: Sendable {
    public let engine: Engine

    public init(engine: Engine) { self.engine = engine }

    /// One example that did not behave as its entry says.
    public struct ExampleFailure: Sendable, CustomStringConvertible {
        public var entry: String
        public var location: SourceLocation
        public var example: String
        public var positive: Bool

        public var description: String {
            positive
                ? "\(location): entry '\(entry)' does not fire on its positive example \"\(example)\""
                : "\(location): entry '\(entry)' fires on its negative example \"\(example)\""
        }
    }

    /// Runs every example of every entry.
    public func checkExamples() -> [ExampleFailure] {
        let entries = engine.taxonomy.entries
        let failures = engine.parallelMap(count: entries.count) { classifier, i -> [ExampleFailure] in
            let entry = entries[i]
            var out: [ExampleFailure] = []
            for example in entry.positiveExamples where !classifier.fires(entry.id, on: example.text) {
                out.append(.init(entry: entry.id, location: .init(file: entry.location.file, line: example.line),
                                 example: example.text, positive: true))
            }
            for example in entry.negativeExamples where classifier.fires(entry.id, on: example.text) {
                out.append(.init(entry: entry.id, location: .init(file: entry.location.file, line: example.line),
                                 example: example.text, positive: false))
            }
            return out
        }
        return failures.flatMap { $0 }
    }
}

extension Classifier {
    /// Whether the entry with `id` matches `text`.
    public func fires(_ id: String, on text: String) -> Bool {
        matchingEntries(text).contains(id)
    }
}

import Foundation

/// A loaded, compiled screen: taxonomy and policy turned into an immutable matcher. Load it once
/// (it compiles every pattern) and share it across threads; classify with `classify(_:)`, a
/// per-thread `Classifier`, or `classify(batch:jobs:)`.
///
/// ```swift
/// let engine = try Engine(taxonomyDirectory: "Taxonomy", policy: "strict-marketplace")
/// let decision = engine.classify("Carved ivory bangle, 45g, WhatsApp for price")
/// print(decision.action)   // block
/// ```
public final class Engine: Sendable {
    public let taxonomy: Taxonomy
    public let policy: Policy
    public let options: Options
    let matcher: Matcher
    let normaliser: Normaliser
    let evaluator: PolicyEvaluator
    /// Each entry's explanation line, computed once rather than per listing.
    let explanations: [String]
    /// Each policy rule's reason, the same in every decision it fires in.
    let ruleReasons: [Reason]
    /// The JSON of what decisions share, for writing them without building them.
    let fragments: DecisionFragments

    /// Tunables with safe defaults.
    public struct Options: Sendable {
        /// Listings longer than this many bytes are screened up to the limit (and say so).
        public var maxListingBytes = 4 << 20
        /// PCRE2 limits applied to every match.
        public var matchLimit: UInt32 = 200_000
        public var depthLimit: UInt32 = 10_000
        public var heapLimitKiB: UInt32 = 20_000
        /// Rewrite disguised words (homoglyphs, leetspeak, spaced-out letters) so they match.
        /// On by default; off only to measure its cost.
        public var detectsEvasions = true
        public init() {}

        var regexLimits: RegexScratch.Limits {
            .init(matchLimit: matchLimit, depthLimit: depthLimit, heapLimitKiB: heapLimitKiB)
        }
    }

    /// Compiles `taxonomy` and `policy`. Throws every pattern problem found, each with file and line.
    public init(taxonomy: Taxonomy, policy: Policy, options: Options = .init()) throws(WildGuardError) {
        fingerprint = "\(taxonomy.contentHash)-\(policy.contentHash)"
        let normaliser = Normaliser(detectsEvasions: options.detectsEvasions)
        var compiler = MatcherCompiler(limits: options.regexLimits)
        let matcher = compiler.compile(taxonomy, sample: Self.sample(of: taxonomy, normaliser))
        if !compiler.problems.isEmpty {
            throw compiler.problems.count == 1 ? compiler.problems[0] : .many(compiler.problems)
        }
        self.taxonomy = taxonomy
        self.policy = policy
        self.options = options
        self.matcher = matcher
        self.normaliser = normaliser
        self.evaluator = PolicyEvaluator(policy: policy, taxonomy: taxonomy)
        let explanations = taxonomy.entries.map {
            Signal.baseExplanation(kind: $0.kind, tags: $0.tags, taxon: $0.taxon, evasion: nil)
        }
        self.explanations = explanations
        let compiledRules = evaluator.compiled.rules
        let ruleReasons = policy.rules.indices.map { i in
            Reason(
                rule: policy.rules[i].id, kind: "rule", explanation: policy.rules[i].explanation, matched: "",
                span: nil, score: policy.rules[i].score, taxon: nil, evasion: nil, tags: compiledRules[i].tags)
        }
        self.ruleReasons = ruleReasons
        self.fragments = DecisionFragments(
            taxonomy: taxonomy, explanations: explanations, ruleReasons: ruleReasons, policy: policy,
            fingerprint: fingerprint)
    }

    /// Normalises `input` into `text` with the engine's normaliser, read in place: a classifier
    /// reaching for `normaliser` itself copies the struct, retaining each of its tables.
    func normalise(_ input: UnsafeBufferPointer<UInt8>, into text: NormalisedText) {
        normaliser.normalise(input, into: text)
    }

    /// The taxonomy's examples as the matcher will read them: what the prefilter's states are
    /// laid out by (`AhoCorasick`'s `sample`), realistic listing text in every language the
    /// taxonomy covers.
    private static func sample(of taxonomy: Taxonomy, _ normaliser: Normaliser) -> [[UInt8]] {
        let text = NormalisedText()
        var sample: [[UInt8]] = []
        for entry in taxonomy.entries {
            for example in entry.positiveExamples + entry.negativeExamples {
                normaliser.normalise(example.text, into: text)
                sample.append(text.bytes)
            }
        }
        return sample
    }

    /// Loads the taxonomy in `taxonomyDirectory` and the policy named `policy` (a profile in its
    /// `policies/` folder, or a path to a policy file).
    public convenience init(
        taxonomyDirectory: String, policy: String = Policy.defaultName, options: Options = .init()
    ) throws(WildGuardError) {
        let taxonomy = try Taxonomy(directory: taxonomyDirectory)
        let policy = try Policy.resolve(policy, taxonomyDirectory: taxonomyDirectory)
        try self.init(taxonomy: taxonomy, policy: policy, options: options)
    }

    /// Identifies the exact taxonomy and policy content: equal fingerprints give equal decisions.
    /// Made once: every decision carries it.
    public let fingerprint: String

    /// Number of literals in the prefilter automaton and of regular expressions.
    public var statistics: (literals: Int, regexes: Int, automatonStates: Int) {
        (matcher.literals.count, matcher.regexes.count, matcher.automaton.stateCount)
    }

    /// A classifier for the calling thread. Classifiers are cheap, reuse their buffers from
    /// listing to listing, and must not be shared between threads.
    public func makeClassifier() -> Classifier { Classifier(engine: self) }

    /// Classifies one listing (convenience: makes a classifier for the call).
    public func classify(_ text: String) -> Decision { makeClassifier().classify(text) }

    /// Classifies a batch on `jobs` threads (default: all cores); results are in input order.
    public func classify(batch: [String], jobs: Int? = nil) -> [Decision] {
        BatchRunner(engine: self, jobs: jobs).run(count: batch.count) { classifier, i in classifier.classify(batch[i]) }
    }

    /// Every compiled pattern and literal with its entry, for running the same set elsewhere.
    public func exportedPatterns() -> [ExportedPattern] {
        var out: [ExportedPattern] = []
        for (literal, bytes) in matcher.literals.enumerated() {
            let lower = Int(matcher.actionStart[literal])
            let upper = Int(matcher.actionStart[literal + 1])
            for action in matcher.actions[lower..<upper] {
                guard case .term(let t) = action else { continue }
                let target = matcher.terms[Int(t)]
                let entry = taxonomy.entries[Int(target.entry)]
                if target.phrase >= 0 {
                    let phrase = matcher.phrases[Int(target.phrase)]
                    let text = zip(phrase.stems, phrase.openEnding).map { stem, open in
                        String(decoding: stem, as: UTF8.self) + (open ? "…" : "")
                    }.joined(separator: " ")
                    out.append(ExportedPattern(
                        entry: entry.id, kind: entry.kind, type: "stem-phrase", pattern: text,
                        wordBoundaryBefore: true, wordBoundaryAfter: true, derivedFrom: "inflection"))
                    continue
                }
                out.append(ExportedPattern(
                    entry: entry.id, kind: entry.kind, type: "literal", pattern: String(decoding: bytes, as: UTF8.self),
                    wordBoundaryBefore: target.leftBoundary, wordBoundaryAfter: target.rightBoundary,
                    derivedFrom: target.evasion?.rawValue))
            }
        }
        for rule in matcher.regexes {
            let entry = taxonomy.entries[Int(rule.entry)]
            out.append(ExportedPattern(
                entry: entry.id, kind: entry.kind, type: rule.isUnless ? "unless-regex" : "regex",
                pattern: rule.regex.source, wordBoundaryBefore: false, wordBoundaryAfter: false, derivedFrom: nil))
        }
        return out
    }
}

/// One compiled pattern, as `wildguard patterns --export` writes it.
public struct ExportedPattern: Sendable, Codable {
    public var entry: String
    public var kind: SignalKind
    /// `literal` (matched on normalised text), `stem-phrase` (words whose endings may change by up
    /// to three letters, marked "…"), `regex` (PCRE2, caseless, UTF) or `unless-regex`.
    public var type: String
    public var pattern: String
    public var wordBoundaryBefore: Bool
    public var wordBoundaryAfter: Bool
    /// For derived literals: how they were derived (`romanisation`, `emoji`).
    public var derivedFrom: String?
}

extension Engine {
    /// Runs `work` for indices `0..<count` on `jobs` threads (default: all cores), each thread
    /// with its own `Classifier`, and returns the results in index order. This is the batch path
    /// the CLI and the benchmarks use.
    ///
    /// - Parameters:
    ///   - count: How many indices: `work` runs once for each of `0..<count`.
    ///   - jobs: How many threads (default: all cores).
    ///   - pool: Where the threads borrow their classifiers from and give them back (a pool of
    ///     this engine): warm ones, for a caller that runs batch after batch. Without one, each
    ///     thread makes a new classifier.
    ///   - work: The work for one index, on a worker thread, with that thread's classifier.
    /// - Returns: What `work` returned for each index, in index order.
    public func parallelMap<T: Sendable>(
        count: Int, jobs: Int? = nil, pool: ClassifierPool? = nil, _ work: @Sendable (Classifier, Int) -> T
    ) -> [T] {
        BatchRunner(engine: self, jobs: jobs, pool: pool).run(count: count, work)
    }
}

extension Engine {
    /// The normalised primary text of a listing, as the matcher sees it (for explanations).
    public func normalisedText(of listing: String) -> String {
        let text = NormalisedText()
        normaliser.normalise(listing, into: text)
        return text.primaryText
    }
}

/// Accuracy of decisions against labels: confusion matrix, precision, recall and F1 per action,
/// macro-F1, and the two rates a platform cares most about: how many block-labelled listings were
/// flagged (block or review), and how many benign listings were blocked.
public struct EvaluationReport: Sendable {
    /// The three classes scored; records predicted `error` count as misses.
    public static let classes: [String] = ["block", "review", "allow"]

    /// `confusion[label][predicted]`.
    public private(set) var confusion: [String: [String: Int]] = [:]
    public private(set) var total = 0

    public init() {}

    public mutating func add(label: String, predicted: String) {
        confusion[label, default: [:]][predicted, default: 0] += 1
        total += 1
    }

    public func count(label: String, predicted: String) -> Int { confusion[label]?[predicted] ?? 0 }

    public struct ClassScores: Sendable {
        public var precision: Double
        public var recall: Double
        public var f1: Double
        public var support: Int
    }

    public func scores(for cls: String) -> ClassScores {
        let tp = Double(count(label: cls, predicted: cls))
        let predicted = Double(confusion.values.reduce(0) { $0 + ($1[cls] ?? 0) })
        let support = confusion[cls]?.values.reduce(0, +) ?? 0
        let precision = predicted > 0 ? tp / predicted : (support == 0 ? 1 : 0)
        let recall = support > 0 ? tp / Double(support) : 1
        let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
        return ClassScores(precision: precision, recall: recall, f1: f1, support: support)
    }

    /// Mean F1 over the classes that occur in the labels.
    public var macroF1: Double {
        let present = Self.classes.filter { (confusion[$0]?.values.reduce(0, +) ?? 0) > 0 }
        guard !present.isEmpty else { return 0 }
        return present.map { scores(for: $0).f1 }.reduce(0, +) / Double(present.count)
    }

    public var accuracy: Double {
        total == 0 ? 0 : Double(Self.classes.map { count(label: $0, predicted: $0) }.reduce(0, +)) / Double(total)
    }

    /// Share of block-labelled records decided block or review.
    public var blockFlaggedRate: Double {
        let support = confusion["block"]?.values.reduce(0, +) ?? 0
        guard support > 0 else { return 1 }
        return Double(count(label: "block", predicted: "block") + count(label: "block", predicted: "review")) / Double(support)
    }

    /// Share of allow-labelled records decided block.
    public var benignBlockedRate: Double {
        let support = confusion["allow"]?.values.reduce(0, +) ?? 0
        guard support > 0 else { return 0 }
        return Double(count(label: "allow", predicted: "block")) / Double(support)
    }

    /// Named metrics, for `--fail-under` and JSON output.
    public var metrics: [String: Double] {
        var m: [String: Double] = [
            "macro_f1": macroF1, "accuracy": accuracy, "block_flagged": blockFlaggedRate,
            "benign_not_blocked": 1 - benignBlockedRate,
        ]
        for cls in Self.classes {
            let s = scores(for: cls)
            m["\(cls)_precision"] = s.precision
            m["\(cls)_recall"] = s.recall
            m["\(cls)_f1"] = s.f1
        }
        return m
    }
}

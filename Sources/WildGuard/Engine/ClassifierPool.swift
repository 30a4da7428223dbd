/// Warm classifiers of one engine, kept for callers that classify from threads that come and go
/// (request handlers, C callers, a batch per block of input): each borrows a classifier for a call
/// or a batch and gives it back, so that it does not make (and warm) a new one each time. A
/// classifier's buffers, match data and JIT stack grow to their working size on its first
/// listings; a fresh one per worker and batch made batches of 1,000 listings on two threads 15%
/// slower (3.9 ms rather than 3.3).
///
/// The caller owns the pool, and the pool its engine: an engine holding a pool of classifiers,
/// each holding the engine, would never be freed. The lock is taken only to borrow and give
/// back, never per listing. The pool keeps at most `capacity` idle classifiers.
///
/// ```swift
/// let pool = ClassifierPool(engine: engine)
/// let decision = pool.withClassifier { $0.classify(listing) }
/// let decisions = engine.parallelMap(count: texts.count, pool: pool) { classifier, i in classifier.classify(texts[i]) }
/// ```
public final class ClassifierPool: Sendable {
    /// The engine whose classifiers the pool lends.
    public let engine: Engine
    private let idle = Locked<[Classifier]>([])
    private let capacity: Int

    /// - Parameters:
    ///   - engine: The engine whose classifiers the pool lends.
    ///   - capacity: At most this many idle classifiers are kept (one per thread that classifies
    ///     at once, within reason); more given back are dropped.
    public init(engine: Engine, capacity: Int = 64) {
        self.engine = engine
        self.capacity = capacity
    }

    /// How many classifiers wait in the pool.
    public var idleCount: Int { idle.withLock { $0.count } }

    /// Runs `body` with a classifier of `engine` that no other thread uses until `body` returns:
    /// one given back earlier, or a new one. Do not keep it past `body`.
    public func withClassifier<Result>(_ body: (Classifier) throws -> Result) rethrows -> Result {
        let classifier = idle.withLock { $0.popLast() } ?? engine.makeClassifier()
        // A classifier is used by one thread at a time: `Locked` orders the hand-over from this
        // thread to the next borrower.
        defer { idle.withLock { if $0.count < capacity { $0.append(classifier) } } }
        return try body(classifier)
    }
}

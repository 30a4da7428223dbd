import Synchronization
import WildGuard

/// Classifiers kept for the threads that call into one engine handle. A `Classifier` reuses its
/// normalisation and match buffers from listing to listing but serves one thread at a time; C
/// callers bring their own threads, which Swift cannot tell apart cheaply, so each call borrows an
/// idle classifier (or makes one) and gives it back. The pool grows to the number of threads that
/// ever classified at once, at most `capacity`; beyond that, extra classifiers are dropped.
final class ClassifierPool: Sendable {
    private let engine: Engine
    private let idle = Mutex<[Lease]>([])
    private let capacity: Int

    init(engine: Engine, capacity: Int = 64) {
        self.engine = engine
        self.capacity = capacity
    }

    /// Runs `body` with a classifier that no other thread uses until `body` returns.
    func withClassifier<Result>(_ body: (Classifier) -> Result) -> Result {
        let lease = idle.withLock { $0.popLast() } ?? Lease(classifier: engine.makeClassifier())
        defer { idle.withLock { if $0.count < capacity { $0.append(lease) } } }
        return body(lease.classifier)
    }

    /// A classifier moving between the pool and one borrowing thread.
    private struct Lease: @unchecked Sendable {
        // @unchecked: a Classifier is not thread-safe, but a lease is held either by the pool,
        // under its mutex, or by the one thread that took it out; the mutex orders the handovers.
        let classifier: Classifier
    }
}

/// An engine's idle classifiers (`Engine.withClassifier`), kept so that each batch, request or C
/// call does not make (and warm) a classifier again: its buffers, match data and JIT stack grow
/// to their working size on its first listings. A batch worker borrows one when it starts and
/// gives it back when it ends; the lock is taken only then, never per listing. The pool grows to
/// the number of classifiers ever out at once, at most `capacity`; more are dropped.
final class ClassifierPool: Sendable {
    private let idle = Locked<[Classifier]>([])
    /// At most this many are kept (one per worker of the widest batch, within reason).
    private let capacity: Int

    init(capacity: Int = 64) { self.capacity = capacity }

    /// How many classifiers wait in the pool.
    var idleCount: Int { idle.withLock { $0.count } }

    /// A classifier for `engine` (this pool's engine): one given back earlier, or a new one.
    func borrow(for engine: Engine) -> Classifier {
        idle.withLock { $0.popLast() } ?? engine.makeClassifier()
    }

    /// Gives `classifier` back for the next borrower (dropped when the pool is full). It is used
    /// by one thread at a time: `Locked` orders the hand-over from this thread to the next.
    func giveBack(_ classifier: Classifier) {
        idle.withLock { if $0.count < capacity { $0.append(classifier) } }
    }
}

import Foundation

/// Classifiers kept between batches, so that each batch does not make (and warm) one per worker
/// thread again: a classifier's buffers, match data and JIT stack grow to their working size on
/// its first listings. A worker borrows one when it starts a batch and gives it back when it
/// ends; the lock is taken only then, never per listing.
final class ClassifierPool: @unchecked Sendable {
    // @unchecked: `idle` is read and written only under `lock`, and a classifier taken from it
    // is used by one thread until it is given back (the lock orders the hand-over). The lock is
    // a pthread mutex (`NSLock`), which ThreadSanitizer sees; it does not see the futex inside
    // `Synchronization.Mutex` on Linux, and reported each hand-over as a race.
    private let lock = NSLock()
    private var idle: [Classifier] = []
    /// At most this many are kept (one per worker of the widest batch, within reason).
    private let capacity: Int

    init(capacity: Int = 64) { self.capacity = capacity }

    /// How many classifiers wait in the pool.
    var idleCount: Int { lock.withLock { idle.count } }

    /// A classifier for `engine` (this pool's engine): one given back earlier, or a new one.
    func borrow(for engine: Engine) -> Classifier {
        lock.withLock { idle.popLast() } ?? engine.makeClassifier()
    }

    /// Gives `classifier` back for the next batch (dropped when the pool is full).
    func giveBack(_ classifier: Classifier) {
        lock.withLock { if idle.count < capacity { idle.append(classifier) } }
    }
}

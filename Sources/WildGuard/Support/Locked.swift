import Foundation

/// A value read and written only under a lock: the shared mutable state WildGuard keeps (pools of
/// idle objects, the engine in service), never touched per listing.
///
/// The lock is a pthread mutex (`NSLock`), which ThreadSanitizer understands (`scripts/tsan.sh`).
/// It does not see the futex inside `Synchronization.Mutex` on Linux: with that lock it reported
/// every hand-over between threads (a pool's, the reloadable engine's swap) as a data race.
final class Locked<Value>: @unchecked Sendable {
    // @unchecked: `value` is only accessed inside `withLock`, which holds `lock`; values that
    // are not `Sendable` pass from one thread to the next through it, ordered by the lock.
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

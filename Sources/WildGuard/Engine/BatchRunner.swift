import Dispatch
import Foundation
import Synchronization

/// Runs a batch over worker threads that each own a `Classifier` and claim chunks of work from
/// an atomic counter: no lock and no shared mutable state on the hot path. Every index is written
/// by exactly one worker, so results come back in input order.
struct BatchRunner: Sendable {
    let engine: Engine
    let jobs: Int
    /// Where workers borrow warm classifiers, when the caller keeps one (`ClassifierPool`).
    let pool: ClassifierPool?

    init(engine: Engine, jobs: Int?, pool: ClassifierPool? = nil) {
        precondition(pool.map { $0.engine === engine } ?? true, "a pool of another engine")
        self.engine = engine
        self.jobs = max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        self.pool = pool
    }

    func run<T: Sendable>(count: Int, _ work: @Sendable (Classifier, Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let results = ResultSlots<T>(count: count)
        let next = Atomic<Int>(0)
        let chunk = max(1, min(256, count / (jobs * 8)))
        let workers = min(jobs, (count + chunk - 1) / chunk)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            func drain(_ classifier: Classifier) {
                while true {
                    let start = next.add(chunk, ordering: .relaxed).oldValue
                    if start >= count { break }
                    for i in start..<min(start + chunk, count) { results.set(i, work(classifier, i)) }
                }
            }
            if let pool { pool.withClassifier(drain) } else { drain(engine.makeClassifier()) }
        }
        return results.collect()
    }
}

/// Write-once slots filled by worker threads, each slot by exactly one of them.
final class ResultSlots<T>: @unchecked Sendable {
    // @unchecked: each index is written by one worker only and read after all workers joined.
    private let buffer: UnsafeMutablePointer<T?>
    private let count: Int

    init(count: Int) {
        self.count = count
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil, count: count)
    }

    deinit {
        buffer.deinitialize(count: count)
        buffer.deallocate()
    }

    func set(_ i: Int, _ value: T) { buffer[i] = value }

    func collect() -> [T] { (0..<count).compactMap { buffer[$0] } }
}

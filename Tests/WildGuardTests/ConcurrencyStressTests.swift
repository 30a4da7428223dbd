import Foundation
import Testing
@testable import WildGuard

/// One shared engine, many threads: the batch path must give the same decisions whatever the
/// number of workers, and many threads classifying over one engine must not disturb one another.
/// Run under ThreadSanitizer with `swift test --sanitize=thread --filter Concurrency`.
@Suite("Concurrency")
struct ConcurrencyStressTests {
    let engine: Engine

    init() throws { engine = try Fixtures.engine }

    /// A few thousand listings: the development set as written and disguised three ways (upper
    /// case, leetspeak, a zero-width space in every word), so that every stage of the engine and
    /// every kind of signal runs.
    static let listings: [String] = {
        let url = Fixtures.root.appendingPathComponent("Tests/Fixtures/devset.jsonl")
        let lines = (try? String(contentsOf: url, encoding: .utf8))?.split(separator: "\n") ?? []
        var texts: [String] = []
        for line in lines {
            let text = Array(line.utf8).withUnsafeBufferPointer { (try? JSONRecord.parse($0))?.0["text"]?.text }
            if let text { texts.append(text) }
        }
        let leet: [Character: Character] = ["o": "0", "i": "1", "e": "3", "a": "4", "s": "$"]
        return texts + texts.map { $0.uppercased() } + texts.map { String($0.map { leet[$0] ?? $0 }) }
            + texts.map { $0.split(separator: " ").map { word in word.count > 2 ? word.prefix(2) + "\u{200B}" + word.dropFirst(2) : word }.joined(separator: " ") }
    }()

    @Test func theBatchIsLargeEnoughToStress() {
        #expect(Self.listings.count >= 3_000)
    }

    @Test func oneTwoAndEightJobsGiveTheSameDecisions() {
        let one = engine.classify(batch: Self.listings, jobs: 1)
        let two = engine.classify(batch: Self.listings, jobs: 2)
        let eight = engine.classify(batch: Self.listings, jobs: 8)
        #expect(one.count == Self.listings.count)
        #expect(two.count == one.count && eight.count == one.count)
        var mismatches: [String] = []
        for i in one.indices {
            if let difference = Self.difference(one[i], two[i]) { mismatches.append("#\(i), 2 jobs: \(difference)") }
            if let difference = Self.difference(one[i], eight[i]) { mismatches.append("#\(i), 8 jobs: \(difference)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) decisions differ, first: \(mismatches.prefix(5))")
        // Not all the same decision: the batch exercises every outcome.
        #expect(Set(one.map(\.action)) == Set(Action.allCases))
    }

    @Test func eightThreadsOverOneEngineDecideAsOneThreadDoes() {
        let engine = self.engine
        let sample = Array(Self.listings.prefix(800))
        let expected = sample.map { engine.classify($0) }
        let results = Shared<[Int: [Decision]]>([:])
        Self.onThreads(8) { thread in
            // Each thread its own classifier over the shared engine, each starting elsewhere in
            // the sample so that different listings run at the same time.
            let classifier = engine.makeClassifier()
            var decisions = [Decision?](repeating: nil, count: sample.count)
            for k in sample.indices {
                let i = (k + thread * 97) % sample.count
                decisions[i] = classifier.classify(sample[i])
            }
            let done = decisions.compactMap { $0 }
            results.mutex.withLock { $0[thread] = done }
        }
        let all = results.mutex.withLock { $0 }
        #expect(all.count == 8)
        for (thread, decisions) in all.sorted(by: { $0.key < $1.key }) {
            #expect(decisions.count == sample.count)
            let differing = zip(expected, decisions).enumerated().compactMap { i, pair in
                Self.difference(pair.0, pair.1).map { "#\(i): \($0)" }
            }
            #expect(differing.isEmpty, "thread \(thread): \(differing.prefix(3))")
        }
    }

    /// Batches run at once on one engine borrow warm classifiers from one pool and give them
    /// back; each batch still decides as one thread does, and the pool keeps what they gave back.
    @Test func batchesAtOnceShareAPoolOfClassifiersSafely() {
        let engine = self.engine
        let pool = ClassifierPool(engine: engine)
        let sample = Array(Self.listings.prefix(600))
        let expected = engine.classify(batch: sample, jobs: 1)
        let results = Shared<[Int: [Decision]]>([:])
        Self.onThreads(4) { thread in
            var last: [Decision] = []
            for _ in 0..<3 {
                last = engine.parallelMap(count: sample.count, jobs: 2, pool: pool) { classifier, i in classifier.classify(sample[i]) }
            }
            let done = last
            results.mutex.withLock { $0[thread] = done }
        }
        let all = results.mutex.withLock { $0 }
        #expect(all.count == 4)
        for (thread, decisions) in all.sorted(by: { $0.key < $1.key }) {
            let differing = zip(expected, decisions).enumerated().compactMap { i, pair in
                Self.difference(pair.0, pair.1).map { "#\(i): \($0)" }
            }
            #expect(decisions.count == sample.count && differing.isEmpty, "thread \(thread): \(differing.prefix(3))")
        }
        // They came back: up to eight were out at once (four batches of two workers).
        #expect((1...8).contains(pool.idleCount), "\(pool.idleCount)")
    }

    @Test func parallelMapWritesEveryIndexOnce() {
        let count = 10_000
        let indices = engine.parallelMap(count: count, jobs: 8) { _, i in i }
        #expect(indices == Array(0..<count))
    }

    /// Runs `body(0..<count)` on `count` threads of its own (not the cooperative pool, which on a
    /// two-core machine would run them two at a time) and waits for all of them.
    static func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            let thread = Thread {
                body(index)
                group.leave()
            }
            thread.stackSize = 4 << 20
            thread.start()
        }
        group.wait()
    }

    /// What differs between two decisions of the same listing, or nil when nothing does.
    static func difference(_ a: Decision, _ b: Decision) -> String? {
        if a.action != b.action { return "action \(a.action) vs \(b.action)" }
        if a.score.bitPattern != b.score.bitPattern { return "score \(a.score) vs \(b.score)" }
        if a.decidingRule != b.decidingRule { return "deciding rule \(a.decidingRule ?? "-") vs \(b.decidingRule ?? "-")" }
        if a.fingerprint != b.fingerprint { return "fingerprint" }
        if a.reasons.count != b.reasons.count { return "\(a.reasons.count) vs \(b.reasons.count) reasons" }
        for (x, y) in zip(a.reasons, b.reasons) {
            if x.rule != y.rule || x.kind != y.kind || x.span != y.span || x.matched != y.matched
                || x.score.bitPattern != y.score.bitPattern || x.evasion != y.evasion || x.tags != y.tags
            {
                return "reason \(x.rule)@\(x.span.map { "\($0)" } ?? "-") vs \(y.rule)@\(y.span.map { "\($0)" } ?? "-")"
            }
        }
        return nil
    }
}

/// A value behind a lock that escaping closures can capture. The library's `Locked` (an
/// `NSLock`): ThreadSanitizer does not see `Synchronization.Mutex` on Linux and reported every
/// access under it from two threads as a race.
final class Shared<Value: Sendable>: Sendable {
    let mutex: Locked<Value>
    init(_ value: Value) { mutex = Locked(value) }
}

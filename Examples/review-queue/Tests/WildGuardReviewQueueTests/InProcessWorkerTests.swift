import Foundation
import PostgresNIO
import Testing
import WildGuard
import WildGuardReviewQueue

/// Workers as tasks in the test process, sharing one engine and one connection pool, the way
/// `wildguard-review-worker work --workers N` runs them.
@Suite("review queue workers in one process", .serialized)
struct InProcessWorkerTests {
    func workers(
        _ count: Int, client: PostgresClient, batchSize: Int = 50, configure: (Int, inout WorkerOptions) -> Void = { _, _ in }
    ) -> [ReviewQueueWorker] {
        (1...count).map { index in
            var options = WorkerOptions(name: "in-process-\(index)")
            options.batchSize = batchSize
            options.drain = true
            options.jobs = 1
            options.idleDelay = .milliseconds(50)
            options.retryDelay = .milliseconds(100)
            configure(index, &options)
            return ReviewQueueWorker(client: client, engine: Fixture.engine, options: options, logger: Fixture.logger)
        }
    }

    @Test func concurrentWorkersDecideEveryRowOnce() async throws {
        let total = 2_000
        try await TestDatabase.withFreshDatabase { settings in
            try await TestDatabase.withClient(settings, maximumConnections: 6) { client in
                try await QueueAdmin.enqueue(Fixture.listings(total), client: client, logger: Fixture.logger)
                let pool = WorkerPool(workers: workers(4, client: client))
                await pool.run()
                let stats = pool.statistics
                // What the workers committed adds up to the table exactly: nothing twice, nothing lost.
                #expect(stats.decided == total)
                #expect(stats.failedBatches == 0)
                #expect(pool.workers.filter { $0.statistics.decided > 0 }.count >= 2, "the work was shared")
                let reviews = try await TestDatabase.expectEveryRowDecidedOnce(client, total: total)
                #expect(Int64(stats.queuedForReview) == reviews)
                let status = try await QueueAdmin.status(client: client, logger: Fixture.logger)
                #expect(status.pending == 0)
                #expect(status.openReviews == reviews)
                #expect(status.decided.values.reduce(0, +) == Int64(total))
            }
        }
    }

    /// The server drops one worker's connection while it holds a claimed batch (as when the
    /// worker's machine or network fails): that transaction is lost, its rows return to pending,
    /// and they are decided once, by whichever worker claims them next.
    @Test func aDroppedConnectionMidBatchLosesNothingAndDoublesNothing() async throws {
        let total = 2_000
        try await TestDatabase.withFreshDatabase { settings in
            try await TestDatabase.withClient(settings, maximumConnections: 8) { client in
                try await QueueAdmin.enqueue(Fixture.listings(total), client: client, logger: Fixture.logger)
                let dropped = Shared<[Int64]>([])
                let list = workers(4, client: client) { index, options in
                    guard index == 1 else { return }
                    options.afterClaim = { connection, ids in
                        let first = dropped.update { held in
                            guard held.isEmpty else { return false }
                            held = ids
                            return true
                        }
                        guard first else { return }
                        var pid: Int32 = 0
                        for try await value in try await connection.query("SELECT pg_backend_pid()", logger: Fixture.logger).decode(Int32.self) {
                            pid = value
                        }
                        // From another connection, as an administrator or a network failure would.
                        for try await _ in try await client.query("SELECT pg_terminate_backend(\(pid))", logger: Fixture.logger) {}
                    }
                }
                let pool = WorkerPool(workers: list)
                await pool.run()
                let lost = dropped.value
                #expect(!lost.isEmpty)
                #expect(list[0].statistics.failedBatches >= 1)
                #expect(pool.statistics.decided == total)
                try await TestDatabase.expectEveryRowDecidedOnce(client, total: total)
                let ids = lost.map(String.init).joined(separator: ",")
                #expect(try await TestDatabase.count(client, "SELECT count(*) FROM wildguard.listings WHERE id IN (\(ids)) AND decision_count = 1") == Int64(lost.count))
            }
        }
    }

    /// A worker that hangs while holding a batch is ended by the server's idle-in-transaction
    /// timeout: its rows go back to pending and another worker decides them.
    @Test func aHungWorkerIsTimedOutAndItsRowsReturn() async throws {
        let total = 300
        try await TestDatabase.withFreshDatabase { settings in
            var strict = settings
            strict.idleInTransactionTimeoutSeconds = 2
            try await TestDatabase.withClient(strict, maximumConnections: 4) { client in
                try await QueueAdmin.enqueue(Fixture.listings(total), client: client, logger: Fixture.logger)
                let held = Shared<[Int64]>([])
                let list = workers(2, client: client, batchSize: 40) { index, options in
                    guard index == 1 else { return }
                    options.afterClaim = { _, ids in
                        let first = held.update { value in
                            guard value.isEmpty else { return false }
                            value = ids
                            return true
                        }
                        if first { try await Task.sleep(for: .seconds(6)) }
                    }
                }
                await WorkerPool(workers: list).run()
                #expect(list[0].statistics.failedBatches >= 1)
                #expect(list.map(\.statistics.decided).reduce(0, +) == total)
                try await TestDatabase.expectEveryRowDecidedOnce(client, total: total)
            }
        }
    }

    @Test func theSchemaCanBeAppliedByManyWorkersAtOnce() async throws {
        try await TestDatabase.withFreshDatabase { settings in
            try await TestDatabase.withClient(settings, maximumConnections: 6) { client in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<5 { group.addTask { try await QueueSchema.apply(client, logger: Fixture.logger) } }
                    try await group.waitForAll()
                }
                #expect(try await TestDatabase.count(client, "SELECT count(*) FROM wildguard.listings") == 0)
            }
        }
    }
}

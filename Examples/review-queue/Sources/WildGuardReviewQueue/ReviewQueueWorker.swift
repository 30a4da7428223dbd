import Logging
import NIOPosix
import PostgresNIO
import ServiceLifecycle
import Synchronization
import WildGuard

/// How a worker runs.
public struct WorkerOptions: Sendable {
    /// Recorded with every decision it writes (`decided_by`). Give each worker a distinct name,
    /// such as host, process and index, so that a decision can be traced to the process that made it.
    public var name: String
    /// Listings claimed per transaction. Larger batches cost fewer round trips; smaller ones hold
    /// fewer rows hostage when a worker dies, and take less time than the idle-in-transaction timeout.
    public var batchSize = 100
    /// Threads that classify one batch (default: all cores). Several workers in one process
    /// should split the cores between them.
    public var jobs: Int?
    /// Wait before looking again when nothing is pending.
    public var idleDelay: Duration = .milliseconds(500)
    /// Wait after a failed batch (lost connection, server restart) before trying again; it
    /// doubles with each failure in a row, up to 32 times this.
    public var retryDelay: Duration = .seconds(1)
    /// Return once no pending row is left (rather than waiting for new ones). Rows that another
    /// worker holds still count as pending: they come back if that worker dies.
    public var drain = false
    /// Fault injection for tests: runs after a batch is claimed (its rows locked) and before it
    /// is classified, with the transaction's connection and the claimed ids.
    public var afterClaim: (@Sendable (PostgresConnection, [Int64]) async throws -> Void)?

    public init(name: String) { self.name = name }
}

/// What a worker has done so far.
public struct WorkerStatistics: Sendable, Equatable {
    /// Batches committed.
    public var batches = 0
    /// Listings decided (committed).
    public var decided = 0
    /// Listings sent to the review queue (committed).
    public var queuedForReview = 0
    /// Batches that failed and were rolled back.
    public var failedBatches = 0
}

/// Screens pending listings from PostgreSQL in batches, exactly once each however many workers
/// share the table.
///
/// Each batch is one transaction:
/// 1. claim: `SELECT id, text … WHERE status = 'pending' ORDER BY id LIMIT n FOR UPDATE SKIP LOCKED`
///    locks up to `n` pending rows that no other worker holds (the others skip them rather than wait);
/// 2. classify them with the shared ``Engine`` on the blocking-work thread pool;
/// 3. one statement writes every decision with its rationale (JSONB), checks that each row was
///    still pending, and copies the `review` decisions to `wildguard.review_queue`;
/// 4. commit.
///
/// Nothing is written before the commit, so a worker that crashes, loses its connection or is
/// killed at any point leaves no trace: the server rolls its transaction back, the locks go, and
/// the rows are pending again for the next claim. A worker that hangs is ended by the server's
/// `idle_in_transaction_session_timeout` (see ``DatabaseSettings``), with the same effect. The
/// worker itself survives a lost connection: the batch fails, and the next one runs on a new
/// connection from the pool.
public final class ReviewQueueWorker: Sendable {
    public let client: PostgresClient
    public let engine: Engine
    public let options: WorkerOptions
    let logger: Logger
    private let counters = Mutex(WorkerStatistics())

    /// `client` must be running (`client.run()` in a task or a `ServiceGroup`).
    public init(client: PostgresClient, engine: Engine, options: WorkerOptions, logger: Logger) {
        self.client = client
        self.engine = engine
        self.options = options
        var logger = logger
        logger[metadataKey: "worker"] = "\(options.name)"
        self.logger = logger
    }

    /// What the worker has committed so far.
    public var statistics: WorkerStatistics { counters.withLock { $0 } }

    /// Processes batches until cancelled, until a graceful shutdown is requested (the batch in
    /// hand is finished first), or, with ``WorkerOptions/drain``, until nothing is pending.
    /// A failed batch is logged and retried: it never stops the worker.
    public func run() async {
        var consecutiveFailures = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let claimed = try await processBatch()
                consecutiveFailures = 0
                if claimed > 0 { continue }
                if options.drain, try await pendingCount() == 0 { return }
                try? await Task.sleep(for: options.idleDelay)
            } catch {
                counters.withLock { $0.failedBatches += 1 }
                if Task.isCancelled { return }
                // Back off while the database stays unreachable (restart, failover), up to 32
                // times the retry delay, rather than hammering it and flooding the log.
                let delay = options.retryDelay * (1 << min(consecutiveFailures, 5))
                consecutiveFailures += 1
                logger.warning("batch failed and was rolled back; retrying", metadata: [
                    "error": "\(String(reflecting: error))", "retry_in": "\(delay)",
                ])
                try? await Task.sleep(for: delay)
            }
        }
    }

    /// Claims, classifies and stores one batch in one transaction. Returns how many listings it
    /// decided (0 when none was free to claim).
    @discardableResult
    public func processBatch() async throws -> Int {
        let outcome = try await client.withConnection { connection in
            try await transaction(GuardedConnection(connection: connection))
        }
        if outcome.decided > 0 {
            counters.withLock {
                $0.batches += 1
                $0.decided += outcome.decided
                $0.queuedForReview += outcome.queued
            }
            logger.debug("batch committed", metadata: ["decided": "\(outcome.decided)", "review": "\(outcome.queued)"])
        }
        return outcome.decided
    }

    private func transaction(_ db: GuardedConnection) async throws -> (decided: Int, queued: Int) {
        let logger = self.logger
        try await db.execute("BEGIN", logger: logger)
        do {
            let batchSize = Int64(options.batchSize)
            let claimed = try await db.run { connection in
                var rows: [(id: Int64, text: String)] = []
                let query: PostgresQuery = """
                    SELECT id, text FROM wildguard.listings
                    WHERE status = 'pending'
                    ORDER BY id
                    LIMIT \(batchSize)
                    FOR UPDATE SKIP LOCKED
                    """
                for try await row in try await connection.query(query, logger: logger).decode((Int64, String).self) {
                    rows.append(row)
                }
                return rows
            }
            guard !claimed.isEmpty else {
                try await db.execute("COMMIT", logger: logger)
                return (0, 0)
            }
            let ids = claimed.map(\.id)
            if let afterClaim = options.afterClaim { try await afterClaim(db.connection, ids) }

            let batch = try await Self.classify(claimed.map(\.text), ids: ids, engine: engine, jobs: options.jobs)
            let fingerprint = engine.fingerprint
            let name = options.name
            // One statement for the whole batch: update every row from arrays, and queue the
            // review decisions from the rows it actually updated. `status = 'pending'` is checked
            // again although the claim's row locks already guarantee it: if it ever failed, the
            // counts below would differ and the batch would roll back instead of deciding twice.
            let counts = try await db.run { connection in
                let query: PostgresQuery = """
                    WITH d AS (
                        SELECT * FROM unnest(\(ids)::bigint[], \(batch.actions)::text[], \(batch.scores)::float8[],
                                             \(batch.rules)::text[], \(batch.rationales)::text[])
                            AS d(id, decision, score, rule, rationale)
                    ), u AS (
                        UPDATE wildguard.listings AS l
                        SET status = 'decided', decision = d.decision, score = d.score,
                            deciding_rule = NULLIF(d.rule, ''), rationale = d.rationale::jsonb,
                            fingerprint = \(fingerprint), decided_by = \(name), decided_at = now(),
                            decision_count = l.decision_count + 1
                        FROM d
                        WHERE l.id = d.id AND l.status = 'pending'
                        RETURNING l.id
                    ), r AS (
                        INSERT INTO wildguard.review_queue (listing_id, score, deciding_rule, rationale)
                        SELECT d.id, d.score, NULLIF(d.rule, ''), d.rationale::jsonb
                        FROM d JOIN u ON u.id = d.id
                        WHERE d.decision = 'review'
                        RETURNING listing_id
                    )
                    SELECT (SELECT count(*) FROM u), (SELECT count(*) FROM r)
                    """
                var counts: (Int64, Int64) = (-1, -1)
                for try await row in try await connection.query(query, logger: logger).decode((Int64, Int64).self) {
                    counts = row
                }
                return counts
            }
            let expectedReviews = batch.actions.filter { $0 == Action.review.rawValue }.count
            guard counts.0 == Int64(ids.count), counts.1 == Int64(expectedReviews) else {
                throw QueueError(
                    "wrote \(counts.0) of \(ids.count) decisions and \(counts.1) of \(expectedReviews) reviews; rolled back")
            }
            // If the connection drops during COMMIT the outcome is unknown here, but not in the
            // database: either every row of the batch is decided or none is.
            try await db.execute("COMMIT", logger: logger)
            return (ids.count, expectedReviews)
        } catch {
            // Roll back while the connection is there (a failed query leaves the transaction
            // aborted, and the connection goes back to the pool). When it is gone, the server
            // has already rolled back.
            if !db.connection.isClosed { try? await db.execute("ROLLBACK", logger: logger) }
            throw error
        }
    }

    /// Pending rows, claimed by a worker or not.
    public func pendingCount() async throws -> Int64 {
        let rows = try await client.query("SELECT count(*) FROM wildguard.listings WHERE status = 'pending'", logger: logger)
        var count: Int64 = 0
        for try await value in rows.decode(Int64.self) { count = value }
        return count
    }

    /// The columns the write statement takes, one array per column.
    struct ClassifiedBatch: Sendable {
        var actions: [String] = []
        var scores: [Double] = []
        var rules: [String] = []
        var rationales: [String] = []
    }

    /// Classifies a batch on the blocking-work thread pool: screening is CPU work, and doing it
    /// on a Swift concurrency or event-loop thread would stall the database I/O of every worker
    /// in the process meanwhile.
    static func classify(_ texts: [String], ids: [Int64], engine: Engine, jobs: Int?) async throws -> ClassifiedBatch {
        let records = try await NIOThreadPool.singleton.runIfActive {
            engine.parallelMap(count: texts.count, jobs: jobs) { classifier, i in
                let decision = classifier.classify(texts[i])
                var writer = JSONWriter()
                // The listing's own id in the rationale, so that the JSON stands on its own.
                DecisionJSON.write(decision, idJSON: String(ids[i]), into: &writer)
                return (decision.action.rawValue, decision.score, decision.decidingRule ?? "",
                        String(decoding: writer.bytes, as: UTF8.self))
            }
        }
        var batch = ClassifiedBatch()
        for (action, score, rule, rationale) in records {
            batch.actions.append(action)
            batch.scores.append(score.isFinite ? score : 0)
            batch.rules.append(rule)
            batch.rationales.append(rationale)
        }
        return batch
    }
}

/// Several workers in one process sharing one engine and one connection pool: the unit to run
/// on each machine. A `Service`, so it stops gracefully (each worker finishes its batch) on
/// SIGTERM inside a `ServiceGroup`.
public struct WorkerPool: Service {
    public let workers: [ReviewQueueWorker]

    public init(workers: [ReviewQueueWorker]) { self.workers = workers }

    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            for worker in workers { group.addTask { await worker.run() } }
        }
    }

    /// Totals over every worker.
    public var statistics: WorkerStatistics {
        workers.map(\.statistics).reduce(into: WorkerStatistics()) { total, s in
            total.batches += s.batches
            total.decided += s.decided
            total.queuedForReview += s.queuedForReview
            total.failedBatches += s.failedBatches
        }
    }
}

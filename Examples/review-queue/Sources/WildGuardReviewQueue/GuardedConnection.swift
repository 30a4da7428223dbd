import Logging
import PostgresNIO
import Synchronization

/// Runs queries on one connection, failing promptly when the connection is closed rather than
/// waiting for ever.
///
/// Why: with postgres-nio 1.33, a query started on a connection that the server has already
/// closed never completes (the request is written to a channel whose handlers are gone, and
/// nothing fails its promise). That is exactly the state a worker is in after its connection
/// drops mid-batch, and `withTransaction` would hang the same way in its `ROLLBACK`. So the
/// worker manages its transaction itself, checks the connection before every query, and a
/// watchdog fails a query whose connection closes under it.
struct GuardedConnection: Sendable {
    let connection: PostgresConnection

    /// How often the watchdog looks at the connection while a query runs.
    static let pollInterval: Duration = .milliseconds(200)

    /// Runs `operation` (queries on ``connection``, their rows consumed inside it).
    func run<T: Sendable>(_ operation: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let connection = self.connection
        guard !connection.isClosed else { throw QueueError.connectionClosed }
        let outcome = Outcome<T>()
        return try await withCheckedThrowingContinuation { continuation in
            outcome.attach(continuation)
            // Unstructured on purpose: when the library never completes the query, this task
            // is the one left waiting, not the worker.
            Task {
                do { outcome.finish(.success(try await operation(connection))) } catch { outcome.finish(.failure(error)) }
            }
            Task {
                var closedPolls = 0
                while !outcome.isFinished {
                    try? await Task.sleep(for: Self.pollInterval)
                    closedPolls = connection.isClosed ? closedPolls + 1 : 0
                    // Seen closed twice: a query that completed as the connection closed has
                    // had a full interval to report its own result first.
                    if closedPolls >= 2 { outcome.finish(.failure(QueueError.connectionClosed)) }
                }
            }
        }
    }

    /// Runs a statement whose rows, if any, are not needed.
    func execute(_ query: PostgresQuery, logger: Logger) async throws {
        try await run { connection in
            for try await _ in try await connection.query(query, logger: logger) {}
        }
    }

    /// Resumes a continuation once, with whichever result comes first.
    final class Outcome<T: Sendable>: Sendable {
        private let state = Mutex<(continuation: CheckedContinuation<T, any Error>?, finished: Bool)>((nil, false))

        func attach(_ continuation: CheckedContinuation<T, any Error>) {
            state.withLock { $0.continuation = continuation }
        }

        var isFinished: Bool { state.withLock { $0.finished } }

        func finish(_ result: Result<T, any Error>) {
            let continuation = state.withLock { value -> CheckedContinuation<T, any Error>? in
                guard !value.finished else { return nil }
                value.finished = true
                defer { value.continuation = nil }
                return value.continuation
            }
            continuation?.resume(with: result)
        }
    }
}

extension QueueError {
    static let connectionClosed = QueueError("the database connection closed")
}

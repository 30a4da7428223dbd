import Foundation
import Logging
import PostgresNIO
import Synchronization
import Testing
import WildGuard
import WildGuardReviewQueue

/// The repository's files the tests use.
enum Fixture {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Taxonomy/taxonomy.yaml").path) { return url }
        }
        fatalError("no Taxonomy folder above \(#filePath)")
    }()

    static var taxonomy: String { root.appendingPathComponent("Taxonomy").path }

    /// Loaded once: compiling the taxonomy is the slow part.
    static let engine: Engine = {
        do { return try Engine(taxonomyDirectory: taxonomy) } catch { fatalError("the bundled taxonomy does not load: \(error)") }
    }()

    /// The bundled sample listings' texts (block, review and allow cases in many languages).
    static let texts: [String] = {
        let url = root.appendingPathComponent("Examples/sample-listings.jsonl")
        guard let data = FileManager.default.contents(atPath: url.path) else { return [] }
        return QueueAdmin.readJSONL(Array(data)).listings.map(\.text)
    }()

    /// `count` listings cycling through the samples, each with its own external id.
    static func listings(_ count: Int) -> [QueueAdmin.NewListing] {
        (0..<count).map { QueueAdmin.NewListing(externalID: "L\($0)", text: texts[$0 % texts.count]) }
    }

    static let logger: Logger = {
        var logger = Logger(label: "wildguard.review-queue.test")
        logger.logLevel = ProcessInfo.processInfo.environment["WILDGUARD_TEST_LOG"].flatMap { Logger.Level(rawValue: $0) } ?? .error
        return logger
    }()
}

/// The PostgreSQL server that `scripts/with-postgres.sh` started, and a fresh database per test.
enum TestDatabase {
    static func settings() throws -> DatabaseSettings {
        guard ProcessInfo.processInfo.environment["PGPORT"] != nil else {
            throw TestFailure("no PostgreSQL server: run the tests under scripts/with-postgres.sh (it sets PGHOST and PGPORT)")
        }
        return DatabaseSettings.fromEnvironment()
    }

    /// Runs `body` with a running connection pool to `settings`.
    static func withClient<T: Sendable>(
        _ settings: DatabaseSettings, maximumConnections: Int = 4, _ body: @Sendable (PostgresClient) async throws -> T
    ) async throws -> T {
        let client = PostgresClient(
            configuration: try settings.clientConfiguration(maximumConnections: maximumConnections),
            backgroundLogger: Fixture.logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { await client.run(); return nil }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    /// Creates an empty database with the queue's schema, runs `body` with its settings, and
    /// drops it.
    static func withFreshDatabase<T: Sendable>(_ body: @Sendable (DatabaseSettings) async throws -> T) async throws -> T {
        let server = try settings()
        var admin = server
        admin.database = "postgres"
        // A name made of hex digits only, so it can be written into the SQL text as it is
        // (database names cannot be bound as parameters).
        let name = "wgtest_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        _ = try await withClient(admin) { client in
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: Fixture.logger)
        }
        var settings = server
        settings.database = name
        do {
            try await withClient(settings) { client in try await QueueSchema.apply(client, logger: Fixture.logger) }
            let result = try await body(settings)
            try await drop(name, admin)
            return result
        } catch {
            try? await drop(name, admin)
            throw error
        }
    }

    private static func drop(_ name: String, _ admin: DatabaseSettings) async throws {
        _ = try await withClient(admin) { client in
            try await client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: Fixture.logger)
        }
    }

    static func count(_ client: PostgresClient, _ sql: String) async throws -> Int64 {
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql), logger: Fixture.logger)
        var result: Int64?
        for try await value in rows.decode(Int64.self) { result = value }
        guard let result else { throw TestFailure("no row from: \(sql)") }
        return result
    }

    /// Checks the end state of a queue of `total` listings: every row decided exactly once,
    /// decisions equal to the library's, rationale stored, review rows exactly for the review
    /// decisions. Returns the number of review rows.
    @discardableResult
    static func expectEveryRowDecidedOnce(_ client: PostgresClient, total: Int) async throws -> Int64 {
        #expect(try await count(client, "SELECT count(*) FROM wildguard.listings") == Int64(total))
        #expect(try await count(client, "SELECT count(*) FROM wildguard.listings WHERE status <> 'decided'") == 0)
        #expect(try await count(client, "SELECT count(*) FROM wildguard.listings WHERE decision_count <> 1") == 0)
        #expect(try await count(client, "SELECT count(*) FROM wildguard.listings WHERE decided_by IS NULL OR fingerprint IS NULL") == 0)
        // The rationale is the decision record itself, queryable as JSON.
        #expect(try await count(client, """
            SELECT count(*) FROM wildguard.listings
            WHERE rationale->>'decision' IS DISTINCT FROM decision
               OR (rationale->>'id')::bigint IS DISTINCT FROM id
               OR jsonb_typeof(rationale->'reasons') IS DISTINCT FROM 'array'
            """) == 0)
        let reviews = try await count(client, "SELECT count(*) FROM wildguard.review_queue")
        #expect(reviews > 0)
        #expect(reviews == (try await count(client, "SELECT count(*) FROM wildguard.listings WHERE decision = 'review'")))
        #expect(try await count(client, """
            SELECT count(*) FROM wildguard.review_queue r JOIN wildguard.listings l ON l.id = r.listing_id
            WHERE l.decision <> 'review' OR r.rationale <> l.rationale
            """) == 0)
        // Every decision is the one the library makes for that text.
        let expected = Dictionary(
            zip(Fixture.texts, Fixture.engine.classify(batch: Fixture.texts).map(\.action.rawValue)),
            uniquingKeysWith: { first, _ in first })
        let rows = try await client.query("SELECT text, decision FROM wildguard.listings", logger: Fixture.logger)
        var wrong = 0
        for try await (text, decision) in rows.decode((String, String).self) where expected[text] != decision { wrong += 1 }
        #expect(wrong == 0)
        return reviews
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Waits for `condition` to hold, checking every 100 ms, for at most `seconds`.
func waitUntil(_ what: String, seconds: Double, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw TestFailure("timed out after \(Int(seconds)) s waiting for \(what)")
}

/// A value set from several tasks.
final class Shared<Value: Sendable>: Sendable {
    private let box: Mutex<Value>
    init(_ value: Value) { box = Mutex(value) }
    var value: Value { box.withLock { $0 } }
    func update<R: Sendable>(_ change: @Sendable (inout Value) -> R) -> R { box.withLock { change(&$0) } }
}

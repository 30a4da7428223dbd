import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import WildGuard
import WildGuardReviewQueue

/// `wildguard-review-worker`: screens a PostgreSQL queue of listings.
@main
struct ReviewWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wildguard-review-worker",
        abstract: "Screens listings queued in PostgreSQL and routes the doubtful ones to human review.",
        discussion: """
            The database comes from the libpq variables PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE \
            (or the options of the same meaning).
            """,
        subcommands: [Migrate.self, Enqueue.self, Work.self, Status.self])
}

/// Connection options shared by every subcommand.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "Database host or Unix socket folder (default: $PGHOST or 127.0.0.1).")
    var host: String?
    @Option(help: "Database port (default: $PGPORT or 5432).")
    var port: Int?
    @Option(help: "Database user (default: $PGUSER).")
    var user: String?
    @Option(help: "Database name (default: $PGDATABASE or the user name).")
    var database: String?
    @Option(help: "Seconds a worker may idle inside a transaction before the server ends its session.")
    var idleInTransactionTimeout = 60

    var settings: DatabaseSettings {
        var settings = DatabaseSettings.fromEnvironment()
        if let host { settings.host = host }
        if let port { settings.port = port }
        if let user { settings.username = user }
        if let database { settings.database = database }
        settings.idleInTransactionTimeoutSeconds = idleInTransactionTimeout
        return settings
    }

    /// Runs `body` with a running connection pool, and stops the pool afterwards.
    func withClient<T: Sendable>(
        maximumConnections: Int = 4, logger: Logger, _ body: @Sendable (PostgresClient) async throws -> T
    ) async throws -> T {
        let client = PostgresClient(configuration: try settings.clientConfiguration(maximumConnections: maximumConnections), backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { await client.run(); return nil }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }
}

/// Logs go to standard error, so that standard output holds only what a command prints for
/// scripts (`status`, `migrate --print`).
private let loggingToStandardError: Void = LoggingSystem.bootstrap(StreamLogHandler.standardError)

func makeLogger(_ level: String) -> Logger {
    _ = loggingToStandardError
    var logger = Logger(label: "wildguard.review-queue")
    logger.logLevel = Logger.Level(rawValue: level) ?? .info
    return logger
}

extension ReviewWorkerCommand {
    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Creates the queue's tables if they are missing (schema.sql).")
        @OptionGroup var db: DatabaseOptions
        @Flag(help: "Print the schema SQL instead of applying it.")
        var print = false
        @Option(help: "Log level.") var logLevel = "info"

        func run() async throws {
            if print {
                Swift.print(try QueueSchema.sql(), terminator: "")
                return
            }
            let logger = makeLogger(logLevel)
            try await db.withClient(logger: logger) { client in try await QueueSchema.apply(client, logger: logger) }
            logger.info("schema applied")
        }
    }

    struct Enqueue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Queues JSONL listings ({\"id\":…,\"text\":…}) as pending.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "JSONL file (default: standard input).")
        var file: String?
        @Option(help: "Log level.") var logLevel = "info"

        func run() async throws {
            let logger = makeLogger(logLevel)
            let data: Data
            if let file {
                guard let contents = FileManager.default.contents(atPath: file) else {
                    throw ValidationError("cannot read \(file)")
                }
                data = contents
            } else {
                data = FileHandle.standardInput.readDataToEndOfFile()
            }
            let (listings, problems) = QueueAdmin.readJSONL(Array(data))
            for problem in problems { FileHandle.standardError.write(Data("skipped \(problem)\n".utf8)) }
            let count = try await db.withClient(logger: logger) { client in
                try await QueueSchema.apply(client, logger: logger)
                return try await QueueAdmin.enqueue(listings, client: client, logger: logger)
            }
            Swift.print("queued \(count) listings")
        }
    }

    struct Work: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Screens pending listings until stopped (SIGTERM or SIGINT finish the batch in hand).")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Taxonomy folder (default: $WILDGUARD_TAXONOMY, or the first of ./Taxonomy and ../../Taxonomy that exists).")
        var taxonomy: String?
        @Option(help: "Policy profile name or policy file.")
        var policy = Policy.defaultName
        @Option(help: "Workers in this process (each with its own connection; they share one engine).")
        var workers = 2
        @Option(help: "Listings claimed per transaction.")
        var batchSize = 100
        @Option(help: "Name recorded with each decision (default: host:pid); workers get -1, -2, ... appended.")
        var name: String?
        @Flag(help: "Exit once no listing is pending, instead of waiting for more.")
        var drain = false
        @Option(help: ArgumentHelp("Fault injection for tests: after claiming the first batch, print 'claimed N FIRST LAST' and hold the rows for this many seconds.", visibility: .hidden))
        var holdAfterClaim: Double?
        @Option(help: "Log level.") var logLevel = "info"

        func run() async throws {
            let logger = makeLogger(logLevel)
            let directory = taxonomy ?? Self.defaultTaxonomy()
            let engine: Engine
            do {
                engine = try Engine(taxonomyDirectory: directory, policy: policy)
            } catch {
                FileHandle.standardError.write(Data("wildguard-review-worker: \(error.description)\n".utf8))
                throw ExitCode(2)
            }
            logger.info("engine loaded", metadata: ["fingerprint": "\(engine.fingerprint)", "policy": "\(engine.policy.name)"])
            let settings = db.settings
            let client = PostgresClient(configuration: try settings.clientConfiguration(maximumConnections: workers + 1), backgroundLogger: logger)
            let baseName = name ?? "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
            let cores = ProcessInfo.processInfo.activeProcessorCount
            let hold = holdAfterClaim
            let workerList = (1...max(1, workers)).map { index in
                var options = WorkerOptions(name: workers > 1 ? "\(baseName)-\(index)" : baseName)
                options.batchSize = batchSize
                options.drain = drain
                // The workers of one process split its cores rather than each using all of them.
                options.jobs = max(1, cores / max(1, workers))
                if let hold, index == 1 {
                    options.afterClaim = { _, ids in
                        FileHandle.standardOutput.write(Data("claimed \(ids.count) \(ids.first ?? 0) \(ids.last ?? 0)\n".utf8))
                        try await Task.sleep(for: .seconds(hold))
                    }
                }
                return ReviewQueueWorker(client: client, engine: engine, options: options, logger: logger)
            }
            let pool = WorkerPool(workers: workerList)
            let group = ServiceGroup(configuration: .init(
                services: [
                    .init(service: client),
                    // When the workers return (in drain mode, once the queue is empty) the
                    // process ends; the connection pool is shut down after them.
                    .init(service: MigrateThenWork(client: client, pool: pool, logger: logger),
                          successTerminationBehavior: .gracefullyShutdownGroup),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
            try await group.run()
            let totals = pool.statistics
            logger.info("stopped", metadata: [
                "decided": "\(totals.decided)", "review": "\(totals.queuedForReview)",
                "batches": "\(totals.batches)", "failed_batches": "\(totals.failedBatches)",
            ])
        }

        static func defaultTaxonomy() -> String {
            if let fromEnvironment = ProcessInfo.processInfo.environment["WILDGUARD_TAXONOMY"], !fromEnvironment.isEmpty {
                return fromEnvironment
            }
            let candidates = ["Taxonomy", "../../Taxonomy"]
            return candidates.first { FileManager.default.fileExists(atPath: "\($0)/taxonomy.yaml") } ?? candidates[0]
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Prints pending and decided counts and the open reviews.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Log level.") var logLevel = "warning"

        func run() async throws {
            let logger = makeLogger(logLevel)
            let status = try await db.withClient(logger: logger) { client in try await QueueAdmin.status(client: client, logger: logger) }
            Swift.print("pending\t\(status.pending)")
            for decision in ["block", "review", "allow"] { Swift.print("\(decision)\t\(status.decided[decision] ?? 0)") }
            Swift.print("open reviews\t\(status.openReviews)")
        }
    }
}

/// Applies the schema, then runs the workers: they never start on missing tables, and every
/// worker process can be started the same way on a fresh database.
struct MigrateThenWork: Service {
    let client: PostgresClient
    let pool: WorkerPool
    let logger: Logger

    func run() async throws {
        try await QueueSchema.apply(client, logger: logger)
        await pool.run()
    }
}

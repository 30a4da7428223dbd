import Foundation
import Logging
import PostgresNIO

/// Where the queue's database is, read the way `psql` reads it: `PGHOST`, `PGPORT`, `PGUSER`,
/// `PGPASSWORD`, `PGDATABASE` (and the same as options), so that one set of variables serves
/// both the worker and the tools an operator uses beside it.
public struct DatabaseSettings: Sendable {
    /// Host name or address; a value that starts with `/` is a Unix socket folder, as for libpq.
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    /// Seconds a worker may sit inside a transaction without sending a query before the server
    /// ends its session. A worker that hangs (rather than dies) while holding a batch would keep
    /// those rows locked for ever; with this, the server rolls it back and the rows return to
    /// pending. It must be longer than classifying one batch takes.
    public var idleInTransactionTimeoutSeconds: Int = 60
    /// Connect over TLS (`require`), or not (`disable`, for loopback and tests).
    public var requireTLS = false

    public init(
        host: String = "127.0.0.1", port: Int = 5432, username: String = "postgres", password: String? = nil,
        database: String = "postgres"
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
    }

    /// Settings from the libpq environment variables, with libpq's defaults.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> DatabaseSettings {
        let user = environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        var settings = DatabaseSettings(
            host: environment["PGHOST"] ?? "127.0.0.1",
            port: environment["PGPORT"].flatMap { Int($0) } ?? 5432,
            username: user,
            password: environment["PGPASSWORD"],
            database: environment["PGDATABASE"] ?? user)
        if environment["PGSSLMODE"] == "require" { settings.requireTLS = true }
        return settings
    }

    /// A `PostgresClient` (connection pool) configuration for these settings.
    public func clientConfiguration(maximumConnections: Int) throws -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if host.hasPrefix("/") {
            configuration = .init(
                unixSocketPath: "\(host)/.s.PGSQL.\(port)", username: username, password: password, database: database)
        } else {
            let tls: PostgresClient.Configuration.TLS = requireTLS ? .require(.makeClientConfiguration()) : .disable
            configuration = .init(host: host, port: port, username: username, password: password, database: database, tls: tls)
        }
        configuration.options.maximumConnections = maximumConnections
        configuration.options.additionalStartupParameters = [
            ("idle_in_transaction_session_timeout", "\(idleInTransactionTimeoutSeconds)s"),
            ("application_name", "wildguard-review-worker"),
        ]
        return configuration
    }
}

/// The queue's tables (`schema.sql`, shipped with this module).
public enum QueueSchema {
    /// The schema's SQL text.
    public static func sql() throws -> String {
        guard let url = Bundle.module.url(forResource: "schema", withExtension: "sql") else {
            throw QueueError("schema.sql is missing from the module's resources")
        }
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// The schema's statements, in order. Each ends with `;` at the end of a line.
    public static func statements() throws -> [String] {
        var statements: [String] = []
        var current = ""
        for line in try sql().split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("--") || (trimmed.isEmpty && current.isEmpty) { continue }
            current += line + "\n"
            if trimmed.hasSuffix(";") {
                statements.append(current)
                current = ""
            }
        }
        return statements
    }

    /// Creates the tables if they are missing. Safe to run from many workers at once: the
    /// statements run in one transaction under an advisory lock, because concurrent
    /// `CREATE ... IF NOT EXISTS` can still collide in PostgreSQL's catalogs.
    public static func apply(_ client: PostgresClient, logger: Logger) async throws {
        let statements = try statements()
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(advisoryLock))", logger: logger)
            for statement in statements {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
        }
    }

    /// An arbitrary fixed key for `pg_advisory_xact_lock` ("WGSCHEMA" in ASCII).
    static let advisoryLock: Int64 = 0x5747_5343_4845_4D41
}

/// A problem the queue reports in words.
public struct QueueError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

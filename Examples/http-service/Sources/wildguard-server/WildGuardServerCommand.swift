import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import WildGuard
import WildGuardService

/// `wildguard-server`: the WildGuard HTTP service.
@main
struct WildGuardServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wildguard-server",
        abstract: "Screens listings for illegal wildlife trade over HTTP.",
        discussion: """
            Routes: POST /v1/classify, GET /healthz, GET /metrics, POST /v1/reload (bearer token).
            The reload token comes from --reload-token-file, or else $WILDGUARD_RELOAD_TOKEN, or else \
            --reload-token (visible to other users in the process list); without one, reloading is disabled.
            """)

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port; the server prints which).")
    var port = 8080

    @Option(help: "Taxonomy folder (default: $WILDGUARD_TAXONOMY, or the first of ./Taxonomy and ../../Taxonomy that exists).")
    var taxonomy: String?

    @Option(help: "Policy profile name or policy file.")
    var policy = Policy.defaultName

    @Option(help: "File holding the bearer token for POST /v1/reload.")
    var reloadTokenFile: String?

    @Option(help: "Bearer token for POST /v1/reload (prefer --reload-token-file or $WILDGUARD_RELOAD_TOKEN).")
    var reloadToken: String?

    @Option(help: "Largest request body, in bytes.")
    var maxBodyBytes = 1 << 20

    @Option(help: "Most listings in one batch request.")
    var maxBatch = 1_000

    @Option(help: "Threads per batch request (default: all cores).")
    var jobs: Int?

    @Option(help: "Log level (trace, debug, info, notice, warning, error, critical).")
    var logLevel = "info"

    func run() async throws {
        // Logs go to standard error; standard output holds the one "listening on" line for scripts.
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "wildguard.server")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info

        var config = ServiceConfiguration()
        config.host = host
        config.port = port
        config.policy = policy
        config.taxonomyDirectory = taxonomy ?? Self.defaultTaxonomy()
        config.maxBodyBytes = maxBodyBytes
        config.maxBatchListings = maxBatch
        config.jobs = jobs
        config.reloadToken = try reloadTokenFile.map(Self.readToken)
            ?? ProcessInfo.processInfo.environment["WILDGUARD_RELOAD_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            ?? reloadToken

        let server: WildGuardServer
        do {
            server = try WildGuardServer(configuration: config, logger: logger)
        } catch {
            // The same one-line-per-problem form as the command-line tool, and its exit status.
            FileHandle.standardError.write(Data("wildguard-server: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
        let engine = server.store.loaded.engine
        if config.reloadToken == nil {
            logger.notice("no reload token: POST /v1/reload is disabled")
        }
        let (host, port) = (config.host, config.port)
        let app = server.makeApplication { channel in
            // One line on standard output, for scripts that start the server on port 0.
            let address = channel.localAddress.map { "\($0.ipAddress ?? host):\($0.port ?? port)" } ?? "\(host):\(port)"
            let line = "wildguard-server listening on http://\(address) (policy \(engine.policy.name) \(engine.policy.version), taxonomy \(engine.taxonomy.version), fingerprint \(engine.fingerprint))\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
        try await app.runService()
    }

    static func defaultTaxonomy() -> String {
        if let fromEnvironment = ProcessInfo.processInfo.environment["WILDGUARD_TAXONOMY"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        let candidates = ["Taxonomy", "../../Taxonomy"]
        return candidates.first { FileManager.default.fileExists(atPath: "\($0)/taxonomy.yaml") } ?? candidates[0]
    }

    static func readToken(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read the reload token file \(path)")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw ValidationError("the reload token file \(path) is empty") }
        return token
    }
}

import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import WildGuard

/// The WildGuard HTTP service: routes, handlers and the Hummingbird application that serves them.
///
/// | route | what it does |
/// |---|---|
/// | `POST /v1/classify` | screens one listing (`{"id":…,"text":…}`) or a batch (`{"listings":[…]}`) and answers with decision JSON, in input order |
/// | `GET /healthz` | `200` with the fingerprint, taxonomy and policy versions of the engine serving now |
/// | `GET /metrics` | Prometheus text: decisions by kind, classify latency, errors by status, reloads |
/// | `POST /v1/reload` | with `Authorization: Bearer TOKEN`: loads the taxonomy and policy again (or others named in the body) and swaps them in |
///
/// Errors are JSON (`{"error":"…","status":400}`): 400 for input that cannot be read (with the
/// reason), 401 for a reload without the right token, 403 when reloading is disabled, 404, 405,
/// 409 for a reload while another is loading, 413 for a body or batch over the limits, 422 for a
/// reload whose taxonomy or policy does not load (with every problem; the old engine keeps serving),
/// 503 for a reload while the server shuts down.
public struct WildGuardServer: Sendable {
    public let configuration: ServiceConfiguration
    public let store: EngineStore
    public let metrics: ServiceMetrics
    public let logger: Logger

    /// Loads the configured taxonomy and policy. Throws the load problems (file and line) when
    /// they do not load: the server never starts without a working engine.
    public init(configuration: ServiceConfiguration, metrics: ServiceMetrics = ServiceMetrics(), logger: Logger? = nil) throws(WildGuardError) {
        let loaded = try LoadedEngine.load(taxonomyDirectory: configuration.taxonomyDirectory, policy: configuration.policy)
        self.init(configuration: configuration, store: EngineStore(loaded), metrics: metrics, logger: logger)
    }

    /// A server around an engine store that is already loaded.
    public init(configuration: ServiceConfiguration, store: EngineStore, metrics: ServiceMetrics = ServiceMetrics(), logger: Logger? = nil) {
        self.configuration = configuration
        self.store = store
        self.metrics = metrics
        self.logger = logger ?? Logger(label: "wildguard.server")
    }

    /// The routes, behind the JSON error middleware.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: ErrorMiddleware(metrics: metrics, logger: logger))
        router.post("/v1/classify") { request, _ in try await classify(request) }
        router.get("/healthz") { _, _ in health() }
        router.get("/metrics") { _, _ in metricsResponse() }
        router.post("/v1/reload") { request, _ in try await reload(request) }
        // Hummingbird answers a known path with the wrong method as not found; say which
        // method it takes instead.
        for (path, allowed) in [("/v1/classify", "POST"), ("/v1/reload", "POST")] {
            router.get(RouterPath(path)) { _, _ -> Response in
                throw APIError(.methodNotAllowed, "\(path) takes \(allowed)", headers: [.allow: allowed])
            }
        }
        return router
    }

    /// The Hummingbird application. Run it with `runService()` (it stops on SIGTERM or SIGINT) or
    /// inside your own `ServiceGroup`. `onServerRunning` receives the listening channel, whose
    /// local address tells the port when the configured port is 0.
    public func makeApplication(
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        var http1 = HTTP1Channel.Configuration()
        http1.idleTimeout = .seconds(configuration.idleTimeoutSeconds)
        return Application(
            router: makeRouter(),
            server: .http1(configuration: http1),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "wildguard"),
            onServerRunning: onServerRunning,
            logger: logger
        )
    }

    // MARK: - Handlers

    func classify(_ request: Request) async throws -> Response {
        let start = ContinuousClock.now
        let body = try await collectBody(request, limit: configuration.maxBodyBytes)
        let parsed = try ClassifyRequest.parse(body, maxBatchListings: configuration.maxBatchListings)
        // One engine for the whole request, even if a reload swaps another in meanwhile.
        let engine = store.loaded.engine
        let listings = parsed.listings
        let jobs = configuration.jobs
        // Screening is CPU work (a large batch takes a while on every core): run it on the
        // blocking-work pool, never on an event loop or a Swift concurrency thread, so the server
        // keeps accepting and answering other requests meanwhile.
        let results = try await NIOThreadPool.singleton.runIfActive {
            engine.parallelMap(count: listings.count, jobs: listings.count == 1 ? 1 : jobs) { classifier, i in
                let listing = listings[i]
                var decision = classifier.classify(listing.text)
                if listing.replacedInvalidUTF8 { decision.noteInvalidUTF8() }
                var writer = JSONWriter()
                DecisionJSON.write(decision, idJSON: listing.idJSON, into: &writer)
                return (decision.action, writer.bytes)
            }
        }
        var out: [UInt8] = []
        if parsed.isBatch {
            out.reserveCapacity(results.reduce(16) { $0 + $1.1.count + 1 })
            out.append(contentsOf: #"{"decisions":["#.utf8)
            for (i, result) in results.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: result.1)
            }
            out.append(contentsOf: "]}\n".utf8)
        } else if let only = results.first {
            out = only.1
            out.append(UInt8(ascii: "\n"))
        }
        for result in results { metrics.record(result.0) }
        metrics.recordLatency(ContinuousClock.now - start, batch: parsed.isBatch)
        return json(out)
    }

    func health() -> Response {
        let loaded = store.loaded
        let engine = loaded.engine
        var w = JSONWriter()
        w.raw("{")
        w.key("status"); w.string("ok"); w.raw(",")
        w.key("fingerprint"); w.string(engine.fingerprint); w.raw(",")
        w.key("taxonomy_version"); w.string(engine.taxonomy.version); w.raw(",")
        w.key("policy"); w.string(engine.policy.name); w.raw(",")
        w.key("policy_version"); w.string(engine.policy.version); w.raw(",")
        w.key("library_version"); w.string(WildGuardVersion.string); w.raw(",")
        w.key("loaded_at"); w.string(ISO8601DateFormatter().string(from: loaded.loadedAt))
        w.raw("}\n")
        return json(w.bytes)
    }

    func metricsResponse() -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
    }

    func reload(_ request: Request) async throws -> Response {
        guard let token = configuration.reloadToken, !token.isEmpty else {
            throw APIError(.forbidden, "reloading is disabled: start the server with a reload token (--reload-token-file or WILDGUARD_RELOAD_TOKEN)")
        }
        guard let presented = Self.bearerToken(request.headers[.authorization]), Self.constantTimeEqual(presented, token) else {
            throw APIError(.unauthorized, "reloading needs the header 'Authorization: Bearer <token>' with the server's reload token",
                           headers: [.wwwAuthenticate: #"Bearer realm="wildguard-reload""#])
        }
        let body = try await collectBody(request, limit: 64 << 10)
        var taxonomy: String?
        var policy: String?
        if body.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) {
            let result = body.withUnsafeBufferPointer { buffer in Result { () throws(JSONError) in try JSONRecord.parse(buffer) } }
            let record: JSONRecord
            switch result {
            case .success(let parsed): record = parsed.0
            case .failure(let error): throw APIError.badRequest("the request body: \(error.description)")
            }
            for (key, value) in record.fields {
                guard case .string(let string) = value else { throw APIError.badRequest("'\(key)' must be a string") }
                switch key {
                case "taxonomy": taxonomy = string
                case "policy": policy = string
                default: throw APIError.badRequest("unknown field '\(key)' (a reload takes 'taxonomy' and 'policy')")
                }
            }
        }
        do {
            let (previous, current) = try await store.reload(taxonomyDirectory: taxonomy, policy: policy)
            metrics.recordReload(succeeded: true)
            logger.notice("reloaded", metadata: [
                "fingerprint": "\(current.engine.fingerprint)", "previous": "\(previous.engine.fingerprint)",
                "taxonomy": "\(current.taxonomyDirectory)", "policy": "\(current.policy)",
            ])
            var w = JSONWriter()
            w.raw("{")
            w.key("status"); w.string("reloaded"); w.raw(",")
            w.key("fingerprint"); w.string(current.engine.fingerprint); w.raw(",")
            w.key("previous_fingerprint"); w.string(previous.engine.fingerprint); w.raw(",")
            w.key("taxonomy_version"); w.string(current.engine.taxonomy.version); w.raw(",")
            w.key("policy"); w.string(current.engine.policy.name); w.raw(",")
            w.key("policy_version"); w.string(current.engine.policy.version)
            w.raw("}\n")
            return json(w.bytes)
        } catch .busy {
            throw APIError(.conflict, "another reload is in progress; try again when it has finished")
        } catch .shuttingDown {
            throw APIError(.serviceUnavailable, "the server is shutting down")
        } catch .invalidConfiguration(let problem) {
            metrics.recordReload(succeeded: false)
            logger.warning("reload rejected", metadata: ["problem": "\(problem)"])
            throw APIError(
                .unprocessableContent,
                "the new taxonomy or policy did not load; the previous one (\(store.loaded.engine.fingerprint)) is still serving",
                problems: problem.problems.map(\.description))
        }
    }

    // MARK: - Helpers

    /// Reads the body up to `limit` bytes. A declared length over the limit is refused before any
    /// of the body is read; a body without one (chunked) is cut off as soon as it passes the limit.
    private func collectBody(_ request: Request, limit: Int) async throws -> [UInt8] {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw APIError.tooLarge("the request body is \(declared) bytes; the limit is \(limit)")
        }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw APIError.tooLarge("the request body is larger than the limit of \(limit) bytes")
        }
    }

    private func json(_ bytes: [UInt8]) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func bearerToken(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }

    /// Compares in time that depends on the lengths only, not on where the first difference is,
    /// so that response times do not leak the token a byte at a time.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) {
            difference |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0)
        }
        return difference == 0
    }
}

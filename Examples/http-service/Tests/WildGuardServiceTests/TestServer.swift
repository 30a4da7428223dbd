import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import WildGuard
import WildGuardService

/// The repository's files the tests use.
enum Fixture {
    /// The repository root: the nearest folder above this file with a `Taxonomy/taxonomy.yaml`.
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Taxonomy/taxonomy.yaml").path) { return url }
        }
        fatalError("no Taxonomy folder above \(#filePath)")
    }()

    static var taxonomy: String { root.appendingPathComponent("Taxonomy").path }

    /// Loaded once for every test: compiling the taxonomy is the slow part of starting a server.
    static let loaded: LoadedEngine = {
        do {
            return try LoadedEngine.load(taxonomyDirectory: taxonomy, policy: "strict-marketplace")
        } catch {
            fatalError("the bundled taxonomy does not load: \(error)")
        }
    }()

    /// The bundled sample listings, as (id, text).
    static let samples: [(id: String, text: String)] = {
        let url = root.appendingPathComponent("Examples/sample-listings.jsonl")
        guard let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let id = object["id"] as? String, let text = object["text"] as? String
            else { return nil }
            return (id, text)
        }
    }()
}

/// A server started on 127.0.0.1 on a free port, for one test.
struct TestServer: Sendable {
    let base: String
    let server: WildGuardServer

    struct Reply: Sendable {
        var status: Int
        var headers: [String: String]
        var body: String
        /// The body as a JSON object (empty when it is not one).
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
        }
    }

    static let token = "test-reload-token"

    /// Starts a server (with the shared engine and `configure`d limits), runs `body` against
    /// it, and stops it.
    static func with<T: Sendable>(
        _ configure: (inout ServiceConfiguration) -> Void = { _ in },
        _ body: @Sendable (TestServer) async throws -> T
    ) async throws -> T {
        var configuration = ServiceConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.taxonomyDirectory = Fixture.taxonomy
        configuration.reloadToken = token
        configure(&configuration)
        var logger = Logger(label: "wildguard.test")
        logger.logLevel = .warning
        let server = WildGuardServer(configuration: configuration, store: EngineStore(Fixture.loaded), logger: logger)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = server.makeApplication { channel in
            continuation.yield(channel.localAddress?.port ?? 0)
            continuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                await group.triggerGracefulShutdown()
                throw TestFailure("the server did not start")
            }
            let test = TestServer(base: "http://127.0.0.1:\(port)", server: server)
            do {
                let result = try await body(test)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
        }
    }

    func request(
        _ method: HTTPMethod, _ path: String, body: HTTPClientRequest.Body? = nil, headers: [(String, String)] = []
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if let body { request.body = body }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let buffer = try await response.body.collect(upTo: 64 << 20)
        var fields: [String: String] = [:]
        for header in response.headers { fields[header.name.lowercased()] = header.value }
        return Reply(status: Int(response.status.code), headers: fields, body: String(buffer: buffer))
    }

    func post(_ path: String, _ text: String, headers: [(String, String)] = []) async throws -> Reply {
        try await request(.POST, path, body: .bytes(ByteBuffer(string: text)), headers: headers)
    }

    func get(_ path: String) async throws -> Reply {
        try await request(.GET, path)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A JSON string literal for `s`.
func quoted(_ s: String) -> String { JSONWriter.quoted(s) }

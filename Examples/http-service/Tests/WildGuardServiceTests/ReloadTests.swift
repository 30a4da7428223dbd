import Foundation
import Synchronization
import Testing
import WildGuard
import WildGuardService

@Suite("POST /v1/reload")
struct ReloadTests {
    let bearer = [("Authorization", "Bearer \(TestServer.token)")]

    @Test func needsTheToken() async throws {
        try await TestServer.with { server in
            let none = try await server.post("/v1/reload", "")
            #expect(none.status == 401)
            #expect(none.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
            #expect((none.json["error"] as? String)?.contains("Authorization: Bearer") == true)
            let wrong = try await server.post("/v1/reload", "", headers: [("Authorization", "Bearer nope")])
            #expect(wrong.status == 401)
            let basic = try await server.post("/v1/reload", "", headers: [("Authorization", "Basic \(TestServer.token)")])
            #expect(basic.status == 401)
        }
    }

    @Test func isDisabledWithoutAConfiguredToken() async throws {
        try await TestServer.with({ $0.reloadToken = nil }) { server in
            let reply = try await server.post("/v1/reload", "", headers: [("Authorization", "Bearer anything")])
            #expect(reply.status == 403)
        }
    }

    @Test func aBrokenTaxonomyIsRejectedAndTheOldEngineKeepsServing() async throws {
        let broken = try Self.copyOfTaxonomy()
        defer { try? FileManager.default.removeItem(atPath: broken) }
        try Data("kind: intent\nentries: [unclosed\n".utf8).write(to: URL(fileURLWithPath: broken + "/lexicon/intent.yaml"))
        let before = Fixture.loaded.engine.fingerprint
        try await TestServer.with { server in
            let reply = try await server.post("/v1/reload", #"{"taxonomy":\#(quoted(broken))}"#, headers: bearer)
            #expect(reply.status == 422)
            let problems = reply.json["problems"] as? [String] ?? []
            #expect(problems.contains { $0.contains("lexicon/intent.yaml") }, "\(problems)")
            #expect((reply.json["error"] as? String)?.contains("still serving") == true)

            let health = try await server.get("/healthz")
            #expect(health.json["fingerprint"] as? String == before)
            let decision = try await server.post("/v1/classify", #"{"text":"Carved ivory bangle, 45g, WhatsApp for price"}"#)
            #expect(decision.status == 200)
            #expect(decision.json["decision"] as? String == "block")
            #expect(decision.json["fingerprint"] as? String == before)

            // A bare reload still reads the original folder, not the rejected one.
            let bare = try await server.post("/v1/reload", "", headers: bearer)
            #expect(bare.status == 200)
            #expect(bare.json["fingerprint"] as? String == before)

            let metrics = try await server.get("/metrics")
            #expect(metrics.body.contains(#"wildguard_reloads_total{result="failed"} 1"#))
            #expect(metrics.body.contains(#"wildguard_reloads_total{result="ok"} 1"#))
        }
    }

    @Test func aGoodReloadSwapsTheEngine() async throws {
        try await TestServer.with { server in
            let unknown = try await server.post("/v1/reload", #"{"polcy":"lenient-antiques"}"#, headers: bearer)
            #expect(unknown.status == 400)
            let reply = try await server.post("/v1/reload", #"{"policy":"lenient-antiques"}"#, headers: bearer)
            #expect(reply.status == 200)
            let fingerprint = try #require(reply.json["fingerprint"] as? String)
            #expect(fingerprint != Fixture.loaded.engine.fingerprint)
            #expect(reply.json["previous_fingerprint"] as? String == Fixture.loaded.engine.fingerprint)
            let decision = try await server.post("/v1/classify", #"{"text":"Antique ivory netsuke, Meiji period"}"#)
            #expect(decision.json["policy"] as? String == "lenient-antiques")
            #expect(decision.json["fingerprint"] as? String == fingerprint)
        }
    }

    /// Requests keep flowing while a reload loads and swaps: none fails, and every batch is
    /// decided by one engine, never a mix of the old and the new.
    @Test func requestsDuringAReloadSeeOneEngineEach() async throws {
        let listings = Fixture.samples.prefix(10)
        let body = #"{"listings":["# + listings.map { #"{"text":\#(quoted($0.text))}"# }.joined(separator: ",") + "]}"
        let old = Fixture.loaded.engine.fingerprint
        try await TestServer.with { server in
            let seen = try await withThrowingTaskGroup(of: [String].self) { group in
                let done = ReloadFlag()
                group.addTask {
                    let reply = try await server.post("/v1/reload", #"{"policy":"lenient-antiques"}"#, headers: bearer)
                    guard reply.status == 200, let new = reply.json["fingerprint"] as? String else {
                        throw TestFailure("reload failed: \(reply.status) \(reply.body)")
                    }
                    done.set()
                    return [new]
                }
                for _ in 0..<3 {
                    group.addTask {
                        var fingerprints: [String] = []
                        // Until the reload is done, and a few more after it; bounded either way.
                        var after = 0
                        for _ in 0..<2_000 where after < 3 {
                            if done.isSet { after += 1 }
                            let reply = try await server.post("/v1/classify", body)
                            guard reply.status == 200, let decisions = reply.json["decisions"] as? [[String: Any]] else {
                                throw TestFailure("classify failed during reload: \(reply.status) \(reply.body)")
                            }
                            let inBatch = Set(decisions.compactMap { $0["fingerprint"] as? String })
                            guard inBatch.count == 1, let only = inBatch.first else {
                                throw TestFailure("one batch was decided by several engines: \(inBatch)")
                            }
                            fingerprints.append(only)
                        }
                        return fingerprints
                    }
                }
                var all: [String] = []
                for try await part in group { all += part }
                return all
            }
            let distinct = Set(seen)
            #expect(distinct.contains(old))
            #expect(distinct.count == 2, "old and new engine both served: \(distinct)")
        }
    }

    static func copyOfTaxonomy() throws -> String {
        let target = FileManager.default.temporaryDirectory
            .appendingPathComponent("wildguard-taxonomy-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: Fixture.taxonomy, toPath: target)
        return target
    }
}

/// Set once by the reload task, read by the request loops.
final class ReloadFlag: Sendable {
    private let flag = Mutex(false)
    var isSet: Bool { flag.withLock { $0 } }
    func set() { flag.withLock { $0 = true } }
}

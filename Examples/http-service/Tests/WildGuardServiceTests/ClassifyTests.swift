import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import WildGuard
import WildGuardService

@Suite("POST /v1/classify")
struct ClassifyTests {
    @Test func classifiesOneListingLikeTheLibrary() async throws {
        let text = "Carved ivory bangle, 45g, WhatsApp for price"
        try await TestServer.with { server in
            let reply = try await server.post("/v1/classify", #"{"id":"s-01","text":\#(quoted(text))}"#)
            #expect(reply.status == 200)
            #expect(reply.headers["content-type"]?.hasPrefix("application/json") == true)
            // Byte for byte the record the library writes, so clients can share one parser with
            // `wildguard classify` output.
            var writer = JSONWriter()
            DecisionJSON.write(Fixture.loaded.engine.classify(text), idJSON: #""s-01""#, into: &writer)
            #expect(reply.body == String(decoding: writer.bytes, as: UTF8.self) + "\n")
            #expect(reply.json["decision"] as? String == "block")
            #expect(reply.json["id"] as? String == "s-01")
        }
    }

    @Test func keepsTheIdAsGivenAndNullWithoutOne() async throws {
        try await TestServer.with { server in
            let numeric = try await server.post("/v1/classify", #"{"id":12345678901234,"text":"Tiger Balm, 2 jars"}"#)
            #expect(numeric.status == 200)
            #expect(numeric.body.hasPrefix(#"{"id":12345678901234,"decision":"allow""#))
            let none = try await server.post("/v1/classify", #"{"text":"Tiger Balm, 2 jars"}"#)
            #expect(none.body.hasPrefix(#"{"id":null,"#))
        }
    }

    @Test func classifiesABatchInInputOrder() async throws {
        let samples = Fixture.samples
        try #require(samples.count >= 20)
        let body = #"{"listings":["# + samples.map { #"{"id":\#(quoted($0.id)),"text":\#(quoted($0.text))}"# }.joined(separator: ",") + "]}"
        let expected = Fixture.loaded.engine.classify(batch: samples.map(\.text))
        try await TestServer.with { server in
            let reply = try await server.post("/v1/classify", body)
            #expect(reply.status == 200)
            let decisions = try #require(reply.json["decisions"] as? [[String: Any]])
            #expect(decisions.map { $0["id"] as? String } == samples.map(\.id))
            #expect(decisions.map { $0["decision"] as? String } == expected.map(\.action.rawValue))
            let kinds = Set(expected.map(\.action))
            #expect(kinds == Set(Action.allCases), "the sample set should exercise block, review and allow")
        }
    }

    @Test func batchListingsWithoutIdsGetTheirPosition() async throws {
        try await TestServer.with { server in
            let reply = try await server.post(
                "/v1/classify", #"{"listings":[{"text":"rhino horn powder"},{"id":"x","text":"Tiger Balm"},{"text":"ivory"}]}"#)
            #expect(reply.status == 200)
            let decisions = try #require(reply.json["decisions"] as? [[String: Any]])
            #expect(decisions.count == 3)
            #expect(decisions[0]["id"] as? Int == 0)
            #expect(decisions[1]["id"] as? String == "x")
            #expect(decisions[2]["id"] as? Int == 2)
            let empty = try await server.post("/v1/classify", #"{"listings":[]}"#)
            #expect(empty.status == 200)
            #expect(empty.body == "{\"decisions\":[]}\n")
        }
    }

    @Test(arguments: [
        ("", "invalid JSON at byte 1"),
        (#"{"id":"#, "invalid JSON"),
        (#"[{"text":"ivory"}]"#, "expected a JSON object"),
        (#"{"id":1,"text":"ivory"} trailing"#, "unexpected text after the object"),
        (#"{"id":1}"#, "no 'text' field"),
        (#"{"id":1,"text":42}"#, "'text' must be a string"),
        (#"{"listings":{"text":"ivory"}}"#, "'listings' must be an array"),
        (#"{"listings":[{"text":"ivory"},{"id":2}]}"#, "listings[1] has no 'text' field"),
        (#"{"listings":[{"text":"ivory"},"ivory"]}"#, "listings[1]: invalid JSON at byte 1: expected a JSON object"),
        (#"{"listings":[{"text":"a"}],"text":"b"}"#, "both 'listings' and 'text'"),
    ])
    func badInputIs400WithTheReason(body: String, reason: String) async throws {
        try await TestServer.with { server in
            let reply = try await server.post("/v1/classify", body)
            #expect(reply.status == 400)
            #expect(reply.headers["content-type"]?.hasPrefix("application/json") == true)
            #expect(reply.json["status"] as? Int == 400)
            let message = reply.json["error"] as? String ?? ""
            #expect(message.contains(reason), "\(message)")
        }
    }

    @Test func bodiesAndBatchesOverTheLimitsAre413() async throws {
        try await TestServer.with({ $0.maxBodyBytes = 4096; $0.maxBatchListings = 5 }) { server in
            let big = #"{"id":1,"text":"\#(String(repeating: "ivory ", count: 2000))"}"#
            let declared = try await server.post("/v1/classify", big)
            #expect(declared.status == 413)
            #expect((declared.json["error"] as? String)?.contains("limit is 4096") == true)

            // Without a Content-Length (chunked), the body is cut off once it passes the limit.
            let chunks = stride(from: 0, to: big.utf8.count, by: 1000).map { start in
                ByteBuffer(bytes: Array(big.utf8)[start..<min(start + 1000, big.utf8.count)])
            }
            let streamed = try await server.request(
                .POST, "/v1/classify", body: .stream(ChunkSequence(chunks: chunks), length: .unknown))
            #expect(streamed.status == 413)

            let six = #"{"listings":["# + Array(repeating: #"{"text":"ivory"}"#, count: 6).joined(separator: ",") + "]}"
            let tooMany = try await server.post("/v1/classify", six)
            #expect(tooMany.status == 413)
            #expect((tooMany.json["error"] as? String)?.contains("at most 5 listings") == true)

            // The server goes on serving after refusing.
            let five = #"{"listings":["# + Array(repeating: #"{"text":"ivory"}"#, count: 5).joined(separator: ",") + "]}"
            #expect(try await server.post("/v1/classify", five).status == 200)
        }
    }

    @Test func wrongMethodsAndUnknownPathsAreJSONErrors() async throws {
        try await TestServer.with { server in
            let get = try await server.get("/v1/classify")
            #expect(get.status == 405)
            #expect(get.headers["allow"] == "POST")
            let missing = try await server.get("/v2/nothing")
            #expect(missing.status == 404)
            #expect(missing.json["status"] as? Int == 404)
        }
    }

    @Test func healthReportsTheServingEngine() async throws {
        try await TestServer.with { server in
            let reply = try await server.get("/healthz")
            #expect(reply.status == 200)
            #expect(reply.json["status"] as? String == "ok")
            #expect(reply.json["fingerprint"] as? String == Fixture.loaded.engine.fingerprint)
            #expect(reply.json["policy"] as? String == "strict-marketplace")
        }
    }
}

/// Request body chunks sent one by one, so the client uses chunked transfer encoding.
struct ChunkSequence: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let chunks: [ByteBuffer]

    struct AsyncIterator: AsyncIteratorProtocol {
        var remaining: ArraySlice<ByteBuffer>
        mutating func next() async -> ByteBuffer? { remaining.popFirst() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(remaining: chunks[...]) }
}

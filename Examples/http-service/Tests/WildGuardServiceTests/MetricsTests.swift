import Foundation
import Testing
import WildGuardService

@Suite("GET /metrics")
struct MetricsTests {
    @Test func countsDecisionsLatencyAndErrors() async throws {
        try await TestServer.with { server in
            _ = try await server.post("/v1/classify", #"{"text":"Carved ivory bangle, 45g, WhatsApp for price"}"#)
            _ = try await server.post(
                "/v1/classify",
                #"{"listings":[{"text":"Tiger Balm, 2 jars, unopened"},{"text":"Ivory silk wedding dress, size 10"},{"text":"Mammoth ivory pendant from Siberia, certified fossil, $120"}]}"#)
            _ = try await server.post("/v1/classify", "{not json")
            _ = try await server.post("/v1/reload", "")

            let reply = try await server.get("/metrics")
            #expect(reply.status == 200)
            #expect(reply.headers["content-type"]?.hasPrefix("text/plain") == true)
            let samples = Self.samples(reply.body)
            #expect(samples[#"wildguard_decisions_total{decision="block"}"#] == 1)
            #expect(samples[#"wildguard_decisions_total{decision="allow"}"#] == 2)
            #expect(samples[#"wildguard_decisions_total{decision="review"}"#] == 1)
            #expect(samples[#"wildguard_classify_duration_seconds_count{mode="single"}"#] == 1)
            #expect(samples[#"wildguard_classify_duration_seconds_count{mode="batch"}"#] == 1)
            #expect(samples[#"wildguard_classify_duration_seconds_bucket{mode="batch",le="+Inf"}"#] == 1)
            #expect(samples[#"wildguard_errors_total{status="400"}"#] == 1)
            #expect(samples[#"wildguard_errors_total{status="401"}"#] == 1)
            #expect(samples[#"wildguard_errors_total{status="500"}"#] == 0)
            #expect(reply.body.contains("# TYPE wildguard_decisions_total counter"))
            #expect(reply.body.contains("# TYPE wildguard_classify_duration_seconds histogram"))
        }
    }

    /// `name{labels} value` lines of the Prometheus text format.
    static func samples(_ text: String) -> [String: Double] {
        var out: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            out[String(line[..<space])] = value
        }
        return out
    }
}

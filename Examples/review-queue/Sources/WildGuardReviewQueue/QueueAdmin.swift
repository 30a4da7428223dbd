import Logging
import PostgresNIO
import WildGuard

/// Putting listings into the queue and looking at it.
public enum QueueAdmin {
    /// A listing to screen.
    public struct NewListing: Sendable {
        /// The marketplace's id for it, if any.
        public var externalID: String?
        public var text: String
        public init(externalID: String?, text: String) {
            self.externalID = externalID
            self.text = text
        }
    }

    /// Inserts listings as pending, a thousand per statement, and returns how many.
    @discardableResult
    public static func enqueue(_ listings: [NewListing], client: PostgresClient, logger: Logger) async throws -> Int {
        var inserted = 0
        var start = 0
        while start < listings.count {
            let chunk = listings[start..<min(start + 1_000, listings.count)]
            // unnest turns the arrays back into rows: one round trip per thousand listings.
            // An empty external id stands for none (arrays of optionals do not bind).
            let externalIDs = chunk.map { $0.externalID ?? "" }
            let texts = chunk.map(\.text)
            try await client.query(
                """
                INSERT INTO wildguard.listings (external_id, text)
                SELECT NULLIF(e, ''), t FROM unnest(\(externalIDs)::text[], \(texts)::text[]) AS x(e, t)
                """, logger: logger)
            inserted += chunk.count
            start += chunk.count
        }
        return inserted
    }

    /// Reads JSONL listings (`{"id":…,"text":…}`, as `wildguard classify` takes them) with the
    /// library's record reader. Returns the listings and the problems of the lines it skipped.
    public static func readJSONL(_ bytes: [UInt8]) -> (listings: [NewListing], problems: [String]) {
        let parser = RecordParser(format: .jsonl)
        var listings: [NewListing] = []
        var problems: [String] = []
        var lineNumber = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { continue }
            let record = Array(line).withUnsafeBufferPointer { parser.parse($0, number: lineNumber) }
            guard let text = record.text, record.error == nil else {
                problems.append("line \(lineNumber): \(record.error ?? "no text")")
                continue
            }
            // The record's id as text: strings without their quotes, numbers as written.
            let id = record.fields.first { $0.key == "id" }?.value.text
            listings.append(NewListing(externalID: id, text: text))
        }
        return (listings, problems)
    }

    /// Row counts by status and decision, and the open review items.
    public struct Status: Sendable, Equatable {
        /// Listings not decided yet (claimed by a worker or not).
        public var pending: Int64 = 0
        /// Decided listings by decision (`block`, `review`, `allow`).
        public var decided: [String: Int64] = [:]
        /// Review items no moderator has resolved.
        public var openReviews: Int64 = 0
    }

    /// Counts the queue's rows.
    public static func status(client: PostgresClient, logger: Logger) async throws -> Status {
        var status = Status()
        let rows = try await client.query(
            "SELECT status, coalesce(decision, ''), count(*) FROM wildguard.listings GROUP BY 1, 2", logger: logger)
        for try await (state, decision, count) in rows.decode((String, String, Int64).self) {
            if state == "pending" { status.pending += count } else { status.decided[decision, default: 0] += count }
        }
        let open = try await client.query(
            "SELECT count(*) FROM wildguard.review_queue WHERE resolved_at IS NULL", logger: logger)
        for try await count in open.decode(Int64.self) { status.openReviews = count }
        return status
    }
}

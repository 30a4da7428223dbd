import WildGuard

/// A `POST /v1/classify` body, read with the library's strict JSON reader (`JSONRecord`, the one
/// `wildguard classify` uses), so that the service accepts exactly the records the command-line
/// tool does and reports bad JSON the same way (byte offset and what was expected).
///
/// Two shapes are accepted:
/// - one listing: `{"id": …, "text": "…"}`; the id is optional and may be any JSON value, and is
///   returned as given;
/// - a batch: `{"listings": [{"id": …, "text": "…"}, …]}`; decisions come back in the same order,
///   and a listing without an id gets its position in the array (from 0).
struct ClassifyRequest: Sendable {
    struct Listing: Sendable {
        /// The id as JSON text, copied into the decision record unchanged.
        var idJSON: String
        var text: String
        /// The text held invalid UTF-8, which the reader replaced; the decision says so.
        var replacedInvalidUTF8: Bool
    }

    var listings: [Listing]
    var isBatch: Bool

    static func parse(_ body: [UInt8], maxBatchListings: Int) throws(APIError) -> ClassifyRequest {
        let record = try parseObject(body, context: "the request body")
        let fields = record.record
        if let listings = fields["listings"] {
            guard fields["text"] == nil else {
                throw .badRequest("the request has both 'listings' and 'text': send one listing or a batch, not both")
            }
            guard case .raw(let raw) = listings, raw.first == "[" else {
                throw .badRequest("'listings' must be an array of {\"id\":…,\"text\":…} objects")
            }
            let bytes = Array(raw.utf8)
            // The whole body has been read as valid JSON already, so the array only needs cutting
            // into its elements; each element is then read as a listing on its own.
            guard let elements = JSONArrayElements.split(bytes, limit: maxBatchListings) else {
                throw .tooLarge("a batch may hold at most \(maxBatchListings) listings")
            }
            // The array's text was decoded once already, with invalid UTF-8 replaced by U+FFFD, so
            // its elements can no longer tell: when the body had invalid UTF-8, a listing whose text
            // holds U+FFFD is taken to be one that had it.
            let bodyHadInvalidUTF8 = String(validating: body, as: UTF8.self) == nil
            var listings: [Listing] = []
            listings.reserveCapacity(elements.count)
            for (index, range) in elements.enumerated() {
                let element = Array(bytes[range])
                let context = "listings[\(index)]"
                let parsed = try parseObject(element, context: context)
                var item = try listing(parsed, defaultID: String(index), context: context)
                if bodyHadInvalidUTF8 && item.text.unicodeScalars.contains("\u{FFFD}") { item.replacedInvalidUTF8 = true }
                listings.append(item)
            }
            return ClassifyRequest(listings: listings, isBatch: true)
        }
        return ClassifyRequest(listings: [try listing(record, defaultID: "null", context: "the request")], isBatch: false)
    }

    private static func parseObject(
        _ bytes: [UInt8], context: String
    ) throws(APIError) -> (record: JSONRecord, hadInvalidUTF8: Bool) {
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONError) in try JSONRecord.parse(buffer) }
        }
        switch result {
        case .success(let parsed): return parsed
        case .failure(let error): throw .badRequest("\(context): \(error.description)")
        }
    }

    private static func listing(
        _ parsed: (record: JSONRecord, hadInvalidUTF8: Bool), defaultID: String, context: String
    ) throws(APIError) -> Listing {
        guard let text = parsed.record["text"] else {
            throw .badRequest("\(context) has no 'text' field (expected {\"id\":…,\"text\":\"…\"})")
        }
        guard case .string(let string) = text else {
            throw .badRequest("\(context): 'text' must be a string")
        }
        return Listing(
            idJSON: parsed.record["id"]?.json ?? defaultID, text: string, replacedInvalidUTF8: parsed.hadInvalidUTF8)
    }
}

/// Cuts a JSON array that is known to be valid into the byte ranges of its elements.
enum JSONArrayElements {
    /// The elements' ranges, or nil when there are more than `limit` (it stops counting there, so
    /// an oversized batch costs no more than a full one).
    static func split(_ bytes: [UInt8], limit: Int) -> [Range<Int>]? {
        var i = 0
        let n = bytes.count
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
        while i < n, isSpace(bytes[i]) { i += 1 }
        guard i < n, bytes[i] == UInt8(ascii: "[") else { return [] }
        i += 1
        while i < n, isSpace(bytes[i]) { i += 1 }
        if i < n, bytes[i] == UInt8(ascii: "]") { return [] }
        var elements: [Range<Int>] = []
        while i < n {
            while i < n, isSpace(bytes[i]) { i += 1 }
            let start = i
            var depth = 0
            var inString = false
            scan: while i < n {
                let c = bytes[i]
                if inString {
                    if c == UInt8(ascii: "\\") { i += 2; continue }
                    if c == UInt8(ascii: "\"") { inString = false }
                    i += 1
                    continue
                }
                switch c {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if depth == 0 { break scan }
                    depth -= 1
                case UInt8(ascii: ","):
                    if depth == 0 { break scan }
                default: break
                }
                i += 1
            }
            var end = i
            while end > start, isSpace(bytes[end - 1]) { end -= 1 }
            elements.append(start..<end)
            if elements.count > limit { return nil }
            guard i < n, bytes[i] == UInt8(ascii: ",") else { break }
            i += 1
        }
        return elements
    }
}

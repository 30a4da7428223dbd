/// A small, strict JSON reader for one JSONL record: it returns the top-level fields of an
/// object, decoding string values and keeping other values as their raw JSON text. Errors say
/// at which byte and what was expected. Written for speed on the batch path (no Foundation).
public struct JSONRecord: Sendable {
    /// A top-level field's value.
    public enum Value: Sendable, Equatable {
        case string(String)
        /// Anything else, as its JSON text (`42`, `true`, `null`, `{...}`).
        case raw(String)

        /// The value as text: strings decoded, numbers and booleans as written, null as nil.
        public var text: String? {
            switch self {
            case .string(let s): return s
            case .raw(let r): return r == "null" ? nil : r
            }
        }

        /// The value as JSON text.
        public var json: String {
            switch self {
            case .string(let s): return JSONWriter.quoted(s)
            case .raw(let r): return r
            }
        }
    }

    public var fields: [(key: String, value: Value)]

    public subscript(key: String) -> Value? { fields.first { $0.key == key }?.value }

    /// Parses one JSON object. `hadInvalidUTF8` is set when a string held invalid UTF-8 (it is
    /// replaced with U+FFFD).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONError) -> (JSONRecord, hadInvalidUTF8: Bool) {
        let parsed = try parse(bytes, borrowing: nil)
        return (parsed.record, parsed.hadInvalidUTF8)
    }

    /// Parses one JSON object, leaving the first string value of field `borrowing` undecoded
    /// when it holds no escapes: its value is then an empty string and `borrowed` says where its
    /// bytes are in `bytes` (not yet checked for invalid UTF-8). Saves building (and checking) a
    /// `String` for text that is only read as bytes.
    ///
    /// With `keeping`, the record holds only the fields of those two names: the others are read
    /// (errors and invalid UTF-8 are found as they would be) but no `String` is made of them.
    static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, borrowing: String?, keeping: (String, String)? = nil
    ) throws(JSONError) -> (record: JSONRecord, hadInvalidUTF8: Bool, borrowed: Range<Int>?) {
        var scanner = Scanner(bytes: bytes)
        scanner.borrowing = borrowing
        scanner.keeping = keeping
        scanner.skipSpace()
        guard scanner.peek == UInt8(ascii: "{") else { throw scanner.error("expected a JSON object '{'") }
        let fields = try scanner.object()
        scanner.skipSpace()
        guard scanner.atEnd else { throw scanner.error("unexpected text after the object") }
        return (JSONRecord(fields: fields), scanner.invalidUTF8, scanner.borrowed)
    }

    /// The text of UTF-8 `raw` as a JSON string value reads it: invalid sequences replaced
    /// with U+FFFD, and whether there were any.
    static func decoded(_ raw: UnsafeBufferPointer<UInt8>) -> (text: String, replacedInvalidUTF8: Bool) {
        // ASCII (ids, field names, most values) cannot be invalid; `String(validating:)` goes
        // through generic code that costs hundreds of instructions even for a short string.
        if Scanner.isASCII(raw) { return (String(decoding: raw, as: UTF8.self), false) }
        if let valid = String(validating: raw, as: UTF8.self) { return (valid, false) }
        return (String(decoding: raw, as: UTF8.self), true)
    }

    struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var i = 0
        var invalidUTF8 = false
        var depth = 0
        /// The field whose string value is left undecoded (until it is found), and where that
        /// value is.
        var borrowing: String?
        var borrowed: Range<Int>?
        /// The names of the only fields to return, or nil for all of them.
        var keeping: (String, String)?

        var atEnd: Bool { i >= bytes.count }
        var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

        func error(_ message: String) -> JSONError { JSONError(message: message, offset: i) }

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
        }

        mutating func expect(_ c: UInt8, _ what: String) throws(JSONError) {
            skipSpace()
            guard peek == c else { throw error("expected \(what)") }
            i += 1
        }

        mutating func object() throws(JSONError) -> [(key: String, value: Value)] {
            try expect(UInt8(ascii: "{"), "'{'")
            var fields: [(key: String, value: Value)] = []
            fields.reserveCapacity(4)
            skipSpace()
            if peek == UInt8(ascii: "}") { i += 1; return fields }
            while true {
                skipSpace()
                guard peek == UInt8(ascii: "\"") else { throw error("expected a field name in quotes") }
                // The name is compared as UTF-8; a `String` is made of it only for a field kept.
                let (keyRange, keyEscaped) = try scanString()
                let keyRaw = UnsafeBufferPointer(rebasing: bytes[keyRange])
                var key: String?
                if keyEscaped {
                    key = try unescaped(keyRaw, at: keyRange.lowerBound)
                } else if keeping == nil || !Self.isASCII(keyRaw) {
                    key = decoded(keyRaw)
                }
                @inline(__always) func named(_ name: String) -> Bool {
                    if let key { return key == name }
                    // Through the name's UTF-8 buffer, byte by byte: comparing with its `utf8`
                    // view, or with `elementsEqual`, goes through generic code.
                    var name = name
                    return name.withUTF8 { name in
                        guard name.count == keyRaw.count else { return false }
                        for k in 0..<name.count where name[k] != keyRaw[k] { return false }
                        return true
                    }
                }
                let kept = keeping.map { named($0.0) || named($0.1) } ?? true
                try expect(UInt8(ascii: ":"), "':' after a field name")
                skipSpace()
                var value: Value?
                // Only the first field of that name is what `record[name]` reads.
                let borrows = borrowing.map(named) ?? false
                if borrows { borrowing = nil }
                if !kept {
                    // Read as a kept value would be (same errors, invalid UTF-8 noted), not kept.
                    try skipValue()
                } else if peek == UInt8(ascii: "\""), borrows {
                    let (range, hasEscape) = try scanString()
                    if hasEscape {
                        value = .string(try unescaped(UnsafeBufferPointer(rebasing: bytes[range]), at: range.lowerBound))
                    } else {
                        value = .string("")
                        borrowed = range
                    }
                } else if peek == UInt8(ascii: "\"") {
                    value = .string(try string())
                } else {
                    let start = i
                    try skipValue()
                    value = .raw(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
                }
                if let value {
                    // A kept name that was not decoded is one of the names asked for.
                    let name = key ?? keeping.map { named($0.0) ? $0.0 : $0.1 } ?? String(decoding: keyRaw, as: UTF8.self)
                    fields.append((name, value))
                }
                skipSpace()
                if peek == UInt8(ascii: ",") { i += 1; continue }
                if peek == UInt8(ascii: "}") { i += 1; return fields }
                throw error("expected ',' or '}'")
            }
        }

        /// Whether every byte is ASCII (so valid UTF-8), eight at a time.
        static func isASCII(_ raw: UnsafeBufferPointer<UInt8>) -> Bool {
            guard let base = raw.baseAddress else { return true }
            var k = 0
            while k + 8 <= raw.count {
                if ByteWord.load(base, k) & ByteWord.highs != 0 { return false }
                k += 8
            }
            while k < raw.count {
                if raw[k] >= 0x80 { return false }
                k += 1
            }
            return true
        }

        mutating func skipValue() throws(JSONError) {
            skipSpace()
            guard let c = peek else { throw error("expected a value") }
            switch c {
            case UInt8(ascii: "\""): try skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                guard depth < 64 else { throw error("nested more than 64 levels deep") }
                let close = c == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                i += 1
                skipSpace()
                if peek == close { i += 1; depth -= 1; return }
                while true {
                    if c == UInt8(ascii: "{") {
                        skipSpace()
                        guard peek == UInt8(ascii: "\"") else { throw error("expected a field name in quotes") }
                        try skipString()
                        try expect(UInt8(ascii: ":"), "':'")
                    }
                    try skipValue()
                    skipSpace()
                    if peek == UInt8(ascii: ",") { i += 1; continue }
                    if peek == close { i += 1; depth -= 1; return }
                    throw error("expected ',' or '\(Character(Unicode.Scalar(close)))'")
                }
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
            default: throw error("unexpected character")
            }
        }

        mutating func literal(_ word: StaticString) throws(JSONError) {
            let count = word.utf8CodeUnitCount
            guard i + count <= bytes.count else { throw error("expected \(word)") }
            for k in 0..<count where bytes[i + k] != word.utf8Start[k] { throw error("expected \(word)") }
            i += count
        }

        mutating func number() throws(JSONError) {
            let start = i
            if peek == UInt8(ascii: "-") { i += 1 }
            var digits = 0
            while let c = peek, c >= 0x30 && c <= 0x39 { i += 1; digits += 1 }
            guard digits > 0 else { throw error("expected digits") }
            if peek == UInt8(ascii: ".") {
                i += 1
                var frac = 0
                while let c = peek, c >= 0x30 && c <= 0x39 { i += 1; frac += 1 }
                guard frac > 0 else { throw error("expected digits after '.'") }
            }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
                i += 1
                if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { i += 1 }
                var exp = 0
                while let c = peek, c >= 0x30 && c <= 0x39 { i += 1; exp += 1 }
                guard exp > 0 else { throw error("expected an exponent") }
            }
            _ = start
        }

        /// Moves past a string, finding what `string()` would (its errors, invalid UTF-8) without
        /// making a `String` of it.
        mutating func skipString() throws(JSONError) {
            let (range, hasEscape) = try scanString()
            let raw = UnsafeBufferPointer(rebasing: bytes[range])
            if hasEscape {
                _ = try unescaped(raw, at: range.lowerBound)
            } else if !Self.isASCII(raw) {
                _ = decoded(raw)
            }
        }

        mutating func string() throws(JSONError) -> String {
            let (range, hasEscape) = try scanString()
            let raw = UnsafeBufferPointer(rebasing: bytes[range])
            if !hasEscape { return decoded(raw) }
            return try unescaped(raw, at: range.lowerBound)
        }

        /// Moves past a string (at its opening quote): where its contents are, and whether they
        /// hold escapes.
        mutating func scanString() throws(JSONError) -> (Range<Int>, hasEscape: Bool) {
            i += 1  // opening quote
            let start = i
            var hasEscape = false
            let count = bytes.count
            while i < count {
                // Sixteen, then eight bytes at a time while none of them ends the string,
                // escapes or is a control character: most of a listing's text.
                if i + 16 <= count, let base = bytes.baseAddress, !JSONCursor.needsEscape(sixteenAt: UnsafeRawPointer(base + i)) {
                    i += 16
                    continue
                }
                if i + 8 <= count, let base = bytes.baseAddress,
                    !JSONCursor.needsEscape(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                {
                    i += 8
                    continue
                }
                let c = bytes[i]
                if c == UInt8(ascii: "\"") { break }
                // min: a backslash as the last byte must not put the error offset past the end.
                if c == UInt8(ascii: "\\") { hasEscape = true; i = min(i + 2, count); continue }
                if c < 0x20 { throw error("control character in a string (escape it)") }
                i += 1
            }
            guard i < count else { throw error("unterminated string") }
            let end = i
            i += 1
            return (start..<end, hasEscape)
        }

        /// The text of string contents that hold escapes; `start` is their offset in the record.
        mutating func unescaped(_ raw: UnsafeBufferPointer<UInt8>, at start: Int) throws(JSONError) -> String {
            var out: [UInt8] = []
            out.reserveCapacity(raw.count)
            var k = 0
            while k < raw.count {
                let c = raw[k]
                guard c == UInt8(ascii: "\\") else { out.append(c); k += 1; continue }
                guard k + 1 < raw.count else { throw JSONError(message: "bad escape", offset: start + k) }
                let e = raw[k + 1]
                k += 2
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard var scalar = hex4(raw, k) else { throw JSONError(message: "bad \\u escape", offset: start + k) }
                    k += 4
                    if (0xD800...0xDBFF).contains(scalar), k + 6 <= raw.count, raw[k] == 0x5C, raw[k + 1] == UInt8(ascii: "u"),
                        let low = hex4(raw, k + 2), (0xDC00...0xDFFF).contains(low)
                    {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        k += 6
                    }
                    let s = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                    if Unicode.Scalar(scalar) == nil { invalidUTF8 = true }
                    out.append(contentsOf: String(Character(s)).utf8)
                default:
                    throw JSONError(message: "bad escape '\\\(Character(Unicode.Scalar(e)))'", offset: start + k - 1)
                }
            }
            return out.withUnsafeBufferPointer { decoded($0) }
        }

        /// The text of UTF-8 `raw`, checked once: invalid sequences are replaced with U+FFFD
        /// (and noted).
        private mutating func decoded(_ raw: UnsafeBufferPointer<UInt8>) -> String {
            let (text, replaced) = JSONRecord.decoded(raw)
            if replaced { invalidUTF8 = true }
            return text
        }

        private func hex4(_ raw: UnsafeBufferPointer<UInt8>, _ k: Int) -> UInt32? {
            guard k + 4 <= raw.count else { return nil }
            var v: UInt32 = 0
            for j in 0..<4 {
                let c = raw[k + j]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                default: return nil
                }
                v = v << 4 | d
            }
            return v
        }
    }
}

/// Why a JSONL record could not be read.
public struct JSONError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// Byte offset in the record.
    public var offset: Int
    public var description: String { "invalid JSON at byte \(offset + 1): \(message)" }
}

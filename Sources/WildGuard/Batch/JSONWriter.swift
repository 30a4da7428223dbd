/// Builds JSON text by appending to a byte buffer, escaping strings as RFC 8259 requires.
public struct JSONWriter: Sendable {
    public var bytes: [UInt8] = []

    public init() {}

    /// A writer whose buffer has room for `capacity` bytes (one allocation for a typical record).
    public init(capacity: Int) { bytes.reserveCapacity(capacity) }

    public mutating func string(_ s: String) {
        bytes.append(0x22)
        var text = s
        text.withUTF8 { utf8 in
            guard let base = utf8.baseAddress else { return }
            // Copy runs of plain bytes at once; escape only what RFC 8259 requires. Eight bytes
            // are checked at a time: most strings need no escaping at all.
            var runStart = 0
            var i = 0
            let count = utf8.count
            while i < count {
                if i + 8 <= count,
                    !Self.needsEscape(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                {
                    i += 8
                    continue
                }
                let b = utf8[i]
                guard b < 0x20 || b == 0x22 || b == 0x5C || b == 0x7F else { i += 1; continue }
                if runStart < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
                i += 1
                runStart = i
                switch b {
                case 0x22: bytes.append(0x5C); bytes.append(0x22)
                case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
                case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(0x5C); bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
                default:
                    bytes.append(0x5C)
                    bytes.append(UInt8(ascii: "u"))
                    bytes.append(UInt8(ascii: "0"))
                    bytes.append(UInt8(ascii: "0"))
                    bytes.append(Self.hexDigit(b >> 4))
                    bytes.append(Self.hexDigit(b & 0xF))
                }
            }
            if runStart < count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        }
        bytes.append(0x22)
    }

    /// Whether any of the eight bytes in `word` must be escaped: a control character, `"`, `\`
    /// or DEL. Bit tricks on the whole word (exact as a yes/no answer).
    @inline(__always)
    static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZeroByte(_ v: UInt64) -> Bool { (v &- ones) & ~v & highs != 0 }
        let below0x20 = (word &- ones &* 0x20) & ~word & highs != 0
        return below0x20 || hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x5C))
            || hasZeroByte(word ^ (ones &* 0x7F))
    }

    @inline(__always)
    static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    public mutating func raw(_ s: String) { bytes.append(contentsOf: s.utf8) }

    /// A number, as Swift prints it (the shortest text that reads back as the same `Double`).
    /// Whole numbers and numbers with at most two decimals (every score) are written digit by
    /// digit, without making a `String`.
    public mutating func number(_ d: Double) {
        guard d.isFinite else { raw("null"); return }
        let hundredths = (d * 100).rounded()
        if abs(hundredths) < 1e15, hundredths / 100 == d {
            var cents = Int(hundredths)
            if cents < 0 { bytes.append(UInt8(ascii: "-")); cents = -cents }
            integer(cents / 100)
            var fraction = cents % 100
            if fraction != 0 {
                bytes.append(UInt8(ascii: "."))
                bytes.append(UInt8(ascii: "0") + UInt8(fraction / 10))
                fraction %= 10
                if fraction != 0 { bytes.append(UInt8(ascii: "0") + UInt8(fraction)) }
            }
        } else {
            raw(String(d))
        }
    }

    /// A whole number, digit by digit.
    public mutating func integer(_ value: Int) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            // Int.min has no positive counterpart.
            guard value != .min else { raw(String(value).dropFirst().description); return }
            integer(-value)
            return
        }
        if value < 10 { bytes.append(UInt8(ascii: "0") + UInt8(value)); return }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var n = value
            var k = 20
            while n > 0 {
                k -= 1
                digits[k] = UInt8(ascii: "0") + UInt8(n % 10)
                n /= 10
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[k..<20]))
        }
    }

    public mutating func key(_ k: String) {
        string(k)
        bytes.append(UInt8(ascii: ":"))
    }

    public static func quoted(_ s: String) -> String {
        var w = JSONWriter()
        w.string(s)
        return String(decoding: w.bytes, as: UTF8.self)
    }
}

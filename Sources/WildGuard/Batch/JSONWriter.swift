/// Builds JSON text by appending to a byte buffer, escaping strings as RFC 8259 requires.
public struct JSONWriter: Sendable {
    public var bytes: [UInt8] = []

    public init() {}

    /// A writer whose buffer has room for `capacity` bytes (one allocation for a typical record).
    public init(capacity: Int) { bytes.reserveCapacity(capacity) }

    static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    public mutating func string(_ s: String) {
        bytes.append(0x22)
        var text = s
        text.withUTF8 { utf8 in
            // Copy runs of plain bytes at once; escape only what RFC 8259 requires.
            var runStart = 0
            for i in 0..<utf8.count {
                let b = utf8[i]
                guard b < 0x20 || b == 0x22 || b == 0x5C || b == 0x7F else { continue }
                if runStart < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
                runStart = i + 1
                switch b {
                case 0x22: bytes.append(0x5C); bytes.append(0x22)
                case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
                case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(0x5C); bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
                default:
                    bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                    bytes.append(Self.hex[Int(b >> 4)])
                    bytes.append(Self.hex[Int(b & 0xF)])
                }
            }
            if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        }
        bytes.append(0x22)
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

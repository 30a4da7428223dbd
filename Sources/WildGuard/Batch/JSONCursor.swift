/// Writes JSON into memory reserved beforehand (see `JSONWriter.reserving(_:_:)`): one capacity
/// check for a whole record instead of one per piece, which was most of the cost of writing a
/// decision (a few hundred short pieces per listing).
///
/// Every write checks that it stays inside the reserved memory: a write that does not fit is
/// dropped and `overflowed` set, and the caller writes the whole record again with more room.
struct JSONCursor {
    private(set) var position: UnsafeMutablePointer<UInt8>
    private let end: UnsafeMutablePointer<UInt8>
    /// A write did not fit: what was written is incomplete.
    private(set) var overflowed = false

    init(_ start: UnsafeMutablePointer<UInt8>, count: Int) {
        position = start
        end = start + count
    }

    @inline(__always)
    private mutating func room(_ count: Int) -> Bool {
        if end - position >= count { return true }
        overflowed = true
        return false
    }

    @inline(__always)
    mutating func byte(_ b: UInt8) {
        guard room(1) else { return }
        position.pointee = b
        position += 1
    }

    /// Bytes copied as they are.
    @inline(__always)
    mutating func bytes(_ source: UnsafeBufferPointer<UInt8>) {
        guard let base = source.baseAddress, !source.isEmpty, room(source.count) else { return }
        position.update(from: base, count: source.count)
        position += source.count
    }

    /// JSON text known when the program is compiled (keys and punctuation).
    @inline(__always)
    mutating func fragment(_ s: StaticString) {
        bytes(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// The bytes `string(_:)` writes for `utf8`: quotes included.
    static func quotedCount(_ utf8: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = utf8.baseAddress else { return 2 }
        var count = utf8.count + 2
        var i = 0
        while i < utf8.count {
            if i + 8 <= utf8.count, !needsEscape(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) {
                i += 8
                continue
            }
            switch utf8[i] {
            case 0x22, 0x5C, 0x0A, 0x0D, 0x09: count += 1
            case 0..<0x20, 0x7F: count += 5
            default: break
            }
            i += 1
        }
        return count
    }

    /// `utf8` as a JSON string, quotes included. Most strings need no escaping: they are copied
    /// eight bytes at a time, each word checked as it goes (no call per string to copy it); from
    /// the first byte that needs an escape, `escapedRest` takes over.
    mutating func string(_ utf8: UnsafeBufferPointer<UInt8>) {
        let count = utf8.count
        guard let base = utf8.baseAddress, end - position >= count + 2 else {
            byte(0x22)
            escapedRest(utf8, from: 0)
            return
        }
        var out = position
        out.pointee = 0x22
        out += 1
        var i = 0
        while i + 8 <= count {
            let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            if Self.needsEscape(word) { break }
            UnsafeMutableRawPointer(out).storeBytes(of: word, as: UInt64.self)
            out += 8
            i += 8
        }
        while i < count {
            let b = base[i]
            if b < 0x20 || b == 0x22 || b == 0x5C || b == 0x7F { break }
            out.pointee = b
            out += 1
            i += 1
        }
        position = out
        if i == count {
            position.pointee = 0x22
            position += 1
            return
        }
        escapedRest(utf8, from: i)
    }

    /// The rest of a string from `start` (its opening quote written), escaping what RFC 8259
    /// requires, and its closing quote: runs of plain bytes are copied at once.
    private mutating func escapedRest(_ utf8: UnsafeBufferPointer<UInt8>, from start: Int) {
        defer { byte(0x22) }
        guard let base = utf8.baseAddress else { return }
        var runStart = start
        var i = start
        let count = utf8.count
        while i < count {
            if i + 8 <= count, !Self.needsEscape(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) {
                i += 8
                continue
            }
            let b = utf8[i]
            guard b < 0x20 || b == 0x22 || b == 0x5C || b == 0x7F else { i += 1; continue }
            if runStart < i { bytes(UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
            i += 1
            runStart = i
            byte(0x5C)
            switch b {
            case 0x22: byte(0x22)
            case 0x5C: byte(0x5C)
            case 0x0A: byte(UInt8(ascii: "n"))
            case 0x0D: byte(UInt8(ascii: "r"))
            case 0x09: byte(UInt8(ascii: "t"))
            default:
                byte(UInt8(ascii: "u"))
                byte(UInt8(ascii: "0"))
                byte(UInt8(ascii: "0"))
                byte(Self.hexDigit(b >> 4))
                byte(Self.hexDigit(b & 0xF))
            }
        }
        if runStart < count { bytes(UnsafeBufferPointer(rebasing: utf8[runStart...])) }
    }

    /// Whether any of the sixteen bytes at `p` must be escaped (as `needsEscape(_:)` for eight):
    /// the same bit tricks on two words at once, in vector registers, for about the cost of one.
    /// (`SIMD16<UInt8>` compares with `any` compiled to a loop here, four times slower.)
    @inline(__always)
    static func needsEscape(sixteenAt p: UnsafeRawPointer) -> Bool {
        typealias Pair = SIMD2<UInt64>
        let w = p.loadUnaligned(as: Pair.self)
        let ones = Pair(repeating: 0x0101_0101_0101_0101)
        @inline(__always) func zeroBytes(_ v: Pair) -> Pair { (v &- ones) & ~v }
        let below0x20 = (w &- ones &* 0x20) & ~w
        let t = (below0x20 | zeroBytes(w ^ (ones &* 0x22)) | zeroBytes(w ^ (ones &* 0x5C)) | zeroBytes(w ^ (ones &* 0x7F)))
            & Pair(repeating: 0x8080_8080_8080_8080)
        return t[0] | t[1] != 0
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

    /// The most bytes `integer(_:)` or `number(_:)` writes.
    static var maxNumberCount: Int { 32 }

    /// A whole number, digit by digit. Spans and whole scores are short: up to three digits
    /// are written inline, without a loop or a call.
    @inline(__always)
    mutating func integer(_ value: Int) {
        guard value >= 0 && value < 1_000 else { longInteger(value); return }
        if value < 10 { byte(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value)); return }
        let digits = value < 100 ? 2 : 3
        guard room(digits) else { return }
        let zero = UInt8(ascii: "0")
        position[digits - 1] = zero + UInt8(truncatingIfNeeded: value % 10)
        position[digits - 2] = zero + UInt8(truncatingIfNeeded: value / 10 % 10)
        if digits == 3 { position[0] = zero + UInt8(truncatingIfNeeded: value / 100) }
        position += digits
    }

    /// `integer` for a negative number or one of four digits or more.
    @inline(never)
    private mutating func longInteger(_ value: Int) {
        if value < 0 {
            byte(UInt8(ascii: "-"))
            // Int.min has no positive counterpart.
            guard value != .min else { text(String(value).dropFirst()); return }
            integer(-value)
            return
        }
        var digits = 0
        var n = value
        while n > 0 { digits += 1; n /= 10 }
        guard room(digits) else { return }
        n = value
        for k in stride(from: digits - 1, through: 0, by: -1) {
            position[k] = UInt8(ascii: "0") + UInt8(n % 10)
            n /= 10
        }
        position += digits
    }

    /// A number, as Swift prints it (the shortest text that reads back as the same `Double`).
    /// Whole numbers and numbers with at most two decimals (every score) are written digit by
    /// digit, without making a `String`.
    mutating func number(_ d: Double) {
        guard d.isFinite else { fragment("null"); return }
        let hundredths = (d * 100).rounded()
        if abs(hundredths) < 1e15, hundredths / 100 == d {
            cents(Int(hundredths))
        } else {
            text(String(d)[...])
        }
    }

    /// `number((d * 100).rounded() / 100)`: `d` to two decimals, rounded once. (For a whole
    /// number of hundredths `h` below 10^15, `h / 100 * 100` rounds back to `h`, so `number`
    /// would write the same digits.)
    mutating func hundredths(of d: Double) {
        let hundredths = (d * 100).rounded()
        guard hundredths.isFinite, abs(hundredths) < 1e15 else { number(hundredths / 100); return }
        cents(Int(hundredths))
    }

    /// A number of hundredths as a decimal: `150` as `1.5`, `-7` as `-0.07`.
    private mutating func cents(_ value: Int) {
        var cents = value
        if cents < 0 { byte(UInt8(ascii: "-")); cents = -cents }
        integer(cents / 100)
        var fraction = cents % 100
        if fraction != 0 {
            byte(UInt8(ascii: "."))
            byte(UInt8(ascii: "0") + UInt8(fraction / 10))
            fraction %= 10
            if fraction != 0 { byte(UInt8(ascii: "0") + UInt8(fraction)) }
        }
    }

    private mutating func text(_ s: Substring) {
        for b in s.utf8 { byte(b) }
    }
}

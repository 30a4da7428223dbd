/// A set of bytes as 256 bits: membership is a shift and a mask, with no allocation.
struct ByteSet: Sendable, Equatable {
    private var low: (UInt64, UInt64) = (0, 0)
    private var high: (UInt64, UInt64) = (0, 0)

    init() {}

    init<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        for b in bytes { insert(b) }
    }

    func union(_ other: ByteSet) -> ByteSet {
        var both = self
        both.low.0 |= other.low.0
        both.low.1 |= other.low.1
        both.high.0 |= other.high.0
        both.high.1 |= other.high.1
        return both
    }

    mutating func insert(_ b: UInt8) {
        let bit = UInt64(1) << (b & 63)
        switch b >> 6 {
        case 0: low.0 |= bit
        case 1: low.1 |= bit
        case 2: high.0 |= bit
        default: high.1 |= bit
        }
    }

    @inline(__always)
    func contains(_ b: UInt8) -> Bool {
        let word: UInt64
        switch b >> 6 {
        case 0: word = low.0
        case 1: word = low.1
        case 2: word = high.0
        default: word = high.1
        }
        return word >> (b & 63) & 1 == 1
    }

    static func == (a: ByteSet, b: ByteSet) -> Bool {
        a.low == b.low && a.high == b.high
    }
}

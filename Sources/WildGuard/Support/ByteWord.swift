/// Eight bytes read as one 64-bit word, for the scans that test every byte of a text (plain ASCII
/// runs, token ends, JSON strings): a few whole-word operations instead of eight byte tests.
///
/// Byte `k` of the text is bits `8k..<8k+8` of the word (read little-end first on any machine).
/// Masks answer per byte in that byte's high bit.
enum ByteWord {
    /// `b` in every byte.
    @inline(__always)
    static func repeating(_ b: UInt8) -> UInt64 { 0x0101_0101_0101_0101 &* UInt64(b) }

    /// The high bit of every byte.
    static let highs: UInt64 = 0x8080_8080_8080_8080
    /// The low seven bits of every byte.
    static let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F

    /// The eight bytes at `offset`, byte `k` in bits `8k..<8k+8`.
    @inline(__always)
    static func load(_ base: UnsafePointer<UInt8>, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self))
    }

    /// The high bit of every byte of `word` that is zero, and of no other byte (exact byte by
    /// byte: no carry crosses from one byte into the next).
    @inline(__always)
    static func zeroBytes(_ word: UInt64) -> UInt64 { ~(((word & lows) &+ lows) | word) & highs }

    /// The high bit of every byte of `word` that equals `b`.
    @inline(__always)
    static func bytes(_ word: UInt64, equalTo b: UInt8) -> UInt64 { zeroBytes(word ^ repeating(b)) }

    /// The high bit of every byte of `word` that is not a lower-case letter a to z (not ASCII,
    /// below "a" or above "z"), exact byte by byte.
    @inline(__always)
    static func notLowercaseLetters(_ word: UInt64) -> UInt64 {
        let low = word & lows
        // 0x05 added carries into the high bit for "{" (0x7B) and above; 0x1F added leaves it
        // clear below "a" (0x61).
        return (word | (low &+ repeating(0x05)) | ~(low &+ repeating(0x1F))) & highs
    }

    /// The high bit of every byte of `word` below 0x20 (a control character), exact byte by byte.
    @inline(__always)
    static func controlBytes(_ word: UInt64) -> UInt64 {
        // 0x60 added to the low seven bits carries into the high bit for 0x20 and above.
        ~(((word & lows) &+ repeating(0x60)) | word) & highs
    }
}

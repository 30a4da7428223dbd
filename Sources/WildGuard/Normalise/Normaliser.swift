/// Turns listing text into the folded form that the matcher runs on: NFKC case folding, accents
/// removed, width folded, decimal digits of every script as ASCII digits, invisible characters
/// dropped, every run of white space, dashes and underscores folded to one space. Keeps a
/// byte-level map back to the original.
///
/// Runs of plain ASCII are copied at once; other text goes through the precomputed
/// `CharacterTable`. Invalid UTF-8 is replaced (and counted), never trusted.
public struct Normaliser: Sendable {
    let table: CharacterTable
    let variants: VariantBuilder
    /// Whether disguised words are rewritten into variant segments (see `VariantBuilder`).
    public let detectsEvasions: Bool

    /// - Parameter detectsEvasions: rewrite disguised words (homoglyphs, leetspeak, spacing) so
    ///   they match; off only to measure what it costs.
    public init(detectsEvasions: Bool = true) {
        table = .shared
        variants = VariantBuilder(table: .shared)
        self.detectsEvasions = detectsEvasions
    }

    /// Normalises `input` into `output` (which is reset first).
    public func normalise(_ input: UnsafeBufferPointer<UInt8>, into output: NormalisedText) {
        output.reset()
        // Work on local arrays (moved out of the reusable object and back): appending to a class's
        // stored arrays byte by byte pays an exclusivity check and a retain per byte.
        var out = Buffers()
        swap(&out.bytes, &output.bytes)
        swap(&out.start, &output.originStart)
        swap(&out.end, &output.originEnd)
        defer {
            swap(&out.bytes, &output.bytes)
            swap(&out.start, &output.originStart)
            swap(&out.end, &output.originEnd)
            output.primaryEnd = output.bytes.count
            if detectsEvasions { variants.appendVariants(to: output, input: input) }
        }
        out.bytes.reserveCapacity(input.count + 16)
        out.start.reserveCapacity(input.count + 16)
        out.end.reserveCapacity(input.count + 16)
        var state = State()
        var i = 0
        let n = input.count
        while i < n {
            let byte = input[i]
            if byte < 0x80 {
                let runEnd = Self.plainASCIIRunEnd(input, from: i)
                if runEnd > i {
                    appendASCIIRun(input, i..<runEnd, state: &state, out: &out, output: output)
                    i = runEnd
                } else {
                    noteASCIISeparator(at: i, state: &state, out: out)
                    i += 1
                }
                continue
            }
            let (scalar, length) = Self.decode(input, at: i)
            guard let scalar else {
                output.invalidSequences += 1
                state.pendingSpace = !out.bytes.isEmpty
                state.spaceOrigin = i..<i + length
                state.lastWasWord = false
                // A replaced sequence separates like a space: a joiner after it joins no emoji.
                state.lastWasEmoji = false
                i += length
                continue
            }
            appendScalar(scalar, at: i..<i + length, input: input, state: &state, out: &out, output: output)
            i += length
        }
    }

    /// The normalised bytes and their origins, while they are being written.
    struct Buffers {
        var bytes: [UInt8] = []
        var start: [Int32] = []
        var end: [Int32] = []

        @inline(__always)
        mutating func append(_ byte: UInt8, from origin: Range<Int>) {
            bytes.append(byte)
            start.append(Int32(truncatingIfNeeded: origin.lowerBound))
            end.append(Int32(truncatingIfNeeded: origin.upperBound))
        }
    }

    /// Normalises a Swift string (convenience for tests and single listings).
    public func normalise(_ text: String, into output: NormalisedText) {
        var copy = text
        copy.withUTF8 { normalise($0, into: output) }
    }

    private struct State {
        var pendingSpace = false
        /// The original character (or invalid sequence) the pending space stands for: all of it,
        /// so that a span ending on the space does not end inside a multi-byte character.
        var spaceOrigin = 0..<0
        var lastWasWord = false
        var lastWasEmoji = false
        var lastWasUnspaced = false
        /// The last character was a letter of Latin, Cyrillic or Greek, where an invisible
        /// character inside a word has no legitimate use (Persian and Indic scripts need ZWNJ).
        var lastWasAlphabetic = false
        /// Original span of an invisible character seen right after a word character.
        var invisibleAfterWord: Range<Int>?
    }

    @inline(__always)
    private func flushSpace(_ state: inout State, out: inout Buffers) {
        if state.pendingSpace {
            out.append(0x20, from: state.spaceOrigin)
            state.pendingSpace = false
        }
    }

    /// An ASCII byte that folds to a space (white space, a control, "-", "_"): it becomes a
    /// pending space unless one is pending already or nothing has been written yet.
    @inline(__always)
    private func noteASCIISeparator(at i: Int, state: inout State, out: Buffers) {
        if !state.pendingSpace && !out.bytes.isEmpty {
            state.pendingSpace = true
            state.spaceOrigin = i..<i + 1
        }
        state.lastWasWord = false
        state.lastWasEmoji = false
        state.invisibleAfterWord = nil
    }

    /// Whether an ASCII byte folds to itself or its lower case (not to a space).
    @inline(__always)
    private static func isPlainASCII(_ b: UInt8) -> Bool {
        b > 0x20 && b < 0x7F && b != UInt8(ascii: "-") && b != UInt8(ascii: "_")
    }

    /// The end of the run of plain ASCII that starts at `start`: printable bytes that are not
    /// separators, and single spaces between two of them. Such a run folds byte for byte (a
    /// single space between two characters becomes itself), so it can be copied at once.
    @inline(__always)
    static func plainASCIIRunEnd(_ input: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let n = input.count
        guard isPlainASCII(input[start]) else { return start }
        var j = start + 1
        while j < n {
            let b = input[j]
            if isPlainASCII(b) {
                j += 1
            } else if b == 0x20, j + 1 < n, isPlainASCII(input[j + 1]) {
                j += 2
            } else {
                break
            }
        }
        return j
    }

    /// Appends a run found by `plainASCIIRunEnd` (one byte or more), lower-cased, with three bulk
    /// appends: this is most of the text of most listings.
    private func appendASCIIRun(
        _ input: UnsafeBufferPointer<UInt8>, _ run: Range<Int>, state: inout State, out: inout Buffers, output: NormalisedText
    ) {
        flushSpace(&state, out: &out)
        if Self.isASCIIWord(input[run.lowerBound]), let invisible = state.invisibleAfterWord {
            output.evidence.append(.init(kind: .invisible, span: invisible))
        }
        let before = out.bytes.count
        out.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: input[run]))
        out.bytes.withUnsafeMutableBufferPointer { bytes in
            for k in before..<bytes.count where bytes[k] &- UInt8(ascii: "A") < 26 { bytes[k] |= 0x20 }
        }
        Self.appendOrigins(of: run, start: &out.start, end: &out.end)
        let isWord = Self.isASCIIWord(input[run.upperBound - 1])
        state.invisibleAfterWord = nil
        state.lastWasWord = isWord
        state.lastWasEmoji = false
        state.lastWasUnspaced = false
        state.lastWasAlphabetic = isWord
    }

    /// Appends `origin + k` to `start` and `origin + k + 1` to `end` for every byte of `run`
    /// (bytes that are their own origin), filled in a small stack buffer and copied in blocks:
    /// appending a range of integers goes element by element through a generic iterator.
    @inline(__always)
    private static func appendOrigins(of run: Range<Int>, start: inout [Int32], end: inout [Int32]) {
        let block = 256
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: block) { origins in
            var lower = run.lowerBound
            while lower < run.upperBound {
                let count = min(block, run.upperBound - lower)
                let first = Int32(truncatingIfNeeded: lower)
                for k in 0..<count { origins[k] = first &+ Int32(truncatingIfNeeded: k) }
                start.append(contentsOf: UnsafeBufferPointer(rebasing: origins[0..<count]))
                for k in 0..<count { origins[k] &+= 1 }
                end.append(contentsOf: UnsafeBufferPointer(rebasing: origins[0..<count]))
                lower += count
            }
        }
    }

    private func appendScalar(
        _ scalar: UInt32, at origin: Range<Int>, input: UnsafeBufferPointer<UInt8>, state: inout State,
        out: inout Buffers, output: NormalisedText
    ) {
        let before = out.bytes.count
        let slot = table.slot(of: scalar)
        let cls = slot.map { table.characterClass(atSlot: $0) } ?? table.characterClass(of: scalar)
        if cls.contains(.space) {
            if !state.pendingSpace && !out.bytes.isEmpty {
                state.pendingSpace = true
                state.spaceOrigin = origin
            }
            state.lastWasWord = false
            state.lastWasEmoji = false
            state.invisibleAfterWord = nil
            return
        }
        if cls.contains(.invisible) {
            // A joiner between two emoji is part of the emoji sequence: keep it.
            if cls.contains(.zeroWidthJoiner) && state.lastWasEmoji && nextIsEmoji(input, after: origin.upperBound) {
                for byte: UInt8 in [0xE2, 0x80, 0x8D] { out.append(byte, from: origin) }
                return
            }
            if state.lastWasWord && state.lastWasAlphabetic { state.invisibleAfterWord = origin }
            return
        }
        if cls.contains(.droppedMark) { return }
        // "象 牙", "ง า ช้ า ง": spaces inside Chinese, Japanese, Thai or Korean text carry no word
        // boundary (those terms match inside runs anyway), so spreading letters out hides nothing.
        if cls.contains(.unspaced) && state.lastWasUnspaced { state.pendingSpace = false }
        flushSpace(&state, out: &out)
        let start = out.bytes.count
        if let slot { table.appendFold(at: slot, into: &out.bytes) } else { _ = table.fold(scalar, into: &out.bytes) }
        let lower = Int32(truncatingIfNeeded: origin.lowerBound)
        let upper = Int32(truncatingIfNeeded: origin.upperBound)
        for _ in start..<out.bytes.count {
            out.start.append(lower)
            out.end.append(upper)
        }
        let alphabetic = cls.contains(.latin) || cls.contains(.cyrillicOrGreek)
        if cls.contains(.word), alphabetic, let invisible = state.invisibleAfterWord, out.bytes.count > before {
            output.evidence.append(.init(kind: .invisible, span: invisible))
        }
        state.invisibleAfterWord = nil
        state.lastWasWord = cls.contains(.word)
        state.lastWasEmoji = cls.contains(.emoji)
        state.lastWasUnspaced = cls.contains(.unspaced)
        // A character that folds to several ("㋁" -> "2月") is followed as its last one would be.
        let written = out.bytes.count - start
        if written > 1, written > Self.sequenceLength(out.bytes[start]) {
            var k = out.bytes.count - 1
            while out.bytes[k] & 0xC0 == 0x80 { k -= 1 }
            let last = out.bytes.withUnsafeBufferPointer { Self.decodeValid($0, at: k) }
            state.lastWasUnspaced = table.characterClass(of: last).contains(.unspaced)
        }
        state.lastWasAlphabetic = alphabetic
    }

    private func nextIsEmoji(_ input: UnsafeBufferPointer<UInt8>, after position: Int) -> Bool {
        guard position < input.count, input[position] >= 0x80 else { return false }
        let (scalar, _) = Self.decode(input, at: position)
        guard let scalar else { return false }
        return table.characterClass(of: scalar).contains(.emoji)
    }

    // MARK: - ASCII

    /// Whether an ASCII byte is a letter or digit.
    @inline(__always)
    static func isASCIIWord(_ b: UInt8) -> Bool {
        b &- 0x30 < 10 || (b | 0x20) &- 0x61 < 26
    }

    // MARK: - UTF-8

    /// Decodes one scalar at `i` (whose first byte is >= 0x80). Returns nil for an invalid
    /// sequence, with the number of bytes to skip.
    @inline(__always)
    static func decode(_ input: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32?, Int) {
        let b0 = input[i]
        let n = input.count
        @inline(__always) func cont(_ k: Int) -> UInt32? {
            guard i + k < n else { return nil }
            let b = input[i + k]
            return b & 0xC0 == 0x80 ? UInt32(b & 0x3F) : nil
        }
        switch b0 {
        case 0xC2...0xDF:
            guard let c1 = cont(1) else { return (nil, 1) }
            return (UInt32(b0 & 0x1F) << 6 | c1, 2)
        case 0xE0...0xEF:
            guard let c1 = cont(1) else { return (nil, 1) }
            guard let c2 = cont(2) else { return (nil, 2) }
            let scalar = UInt32(b0 & 0x0F) << 12 | c1 << 6 | c2
            if scalar < 0x800 || (0xD800...0xDFFF).contains(scalar) { return (nil, 3) }
            return (scalar, 3)
        case 0xF0...0xF4:
            guard let c1 = cont(1) else { return (nil, 1) }
            guard let c2 = cont(2) else { return (nil, 2) }
            guard let c3 = cont(3) else { return (nil, 3) }
            let scalar = UInt32(b0 & 0x07) << 18 | c1 << 12 | c2 << 6 | c3
            if scalar < 0x10000 || scalar > 0x10FFFF { return (nil, 4) }
            return (scalar, 4)
        default:
            return (nil, 1)
        }
    }

    /// The length of the UTF-8 sequence that `lead` starts (in valid UTF-8).
    @inline(__always)
    static func sequenceLength(_ lead: UInt8) -> Int {
        lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }

    /// Decodes the scalar that starts at `i` in already valid UTF-8 (the normalised text).
    @inline(__always)
    static func decodeValid(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> UInt32 {
        let b0 = bytes[i]
        if b0 < 0x80 { return UInt32(b0) }
        let (scalar, _) = decode(bytes, at: i)
        return scalar ?? 0xFFFD
    }
}

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
    /// Whether plain characters take the inline path (`appendPlain`); off, every character goes
    /// through `appendScalar`, the general rule the tests hold the inline path to.
    let takesPlainPath: Bool

    /// - Parameter detectsEvasions: rewrite disguised words (homoglyphs, leetspeak, spacing) so
    ///   they match; off only to measure what it costs.
    public init(detectsEvasions: Bool = true) {
        self.init(detectsEvasions: detectsEvasions, takesPlainPath: true)
    }

    init(detectsEvasions: Bool, takesPlainPath: Bool) {
        table = .shared
        variants = VariantBuilder(table: .shared)
        self.detectsEvasions = detectsEvasions
        self.takesPlainPath = takesPlainPath
    }

    /// Normalises `input` into `output` (which is reset first).
    public func normalise(_ input: UnsafeBufferPointer<UInt8>, into output: NormalisedText) {
        output.reset()
        // Work on local arrays (moved out of the reusable object and back): appending to a class's
        // stored arrays byte by byte pays an exclusivity check and a retain per byte.
        var out = Buffers(stage: output.stage)
        swap(&out.bytes, &output.bytes)
        swap(&out.start, &output.originStart)
        swap(&out.end, &output.originEnd)
        defer {
            out.flush()
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
                state.pendingSpace = !out.isEmpty
                state.spaceOrigin = i..<i + length
                state.lastWasWord = false
                // A replaced sequence separates like a space: a joiner after it joins no emoji.
                state.lastWasEmoji = false
                i += length
                continue
            }
            if takesPlainPath, let slot = table.slot(of: scalar),
                appendPlain(atSlot: slot, from: i..<i + length, state: &state, out: &out)
            {
                i = appendPlainRun(input, from: i + length, state: &state, out: &out)
                continue
            }
            appendScalar(scalar, at: i..<i + length, input: input, state: &state, out: &out, output: output)
            i += length
        }
    }

    /// The normalised bytes and their origins, while they are being written: the arrays hold
    /// what has been flushed, the stage what has been written since, through its pointers.
    struct Buffers {
        var bytes: [UInt8] = []
        var start: [Int32] = []
        var end: [Int32] = []
        let stageBytes: UnsafeMutablePointer<UInt8>
        let stageStart: UnsafeMutablePointer<Int32>
        let stageEnd: UnsafeMutablePointer<Int32>
        let capacity: Int
        /// How many bytes the stage holds.
        var staged = 0

        init(stage: OutputStage) {
            stageBytes = stage.bytes
            stageStart = stage.start
            stageEnd = stage.end
            capacity = stage.capacity
        }

        /// How many bytes have been written, flushed or not.
        var count: Int { bytes.count + staged }
        var isEmpty: Bool { staged == 0 && bytes.isEmpty }

        /// Room for `needed` more bytes (at most the stage's capacity) in the stage.
        @inline(__always)
        mutating func reserve(_ needed: Int) {
            if staged + needed > capacity { flush() }
        }

        /// Copies the stage into the arrays.
        mutating func flush() {
            guard staged > 0 else { return }
            bytes.append(contentsOf: UnsafeBufferPointer(start: stageBytes, count: staged))
            start.append(contentsOf: UnsafeBufferPointer(start: stageStart, count: staged))
            end.append(contentsOf: UnsafeBufferPointer(start: stageEnd, count: staged))
            staged = 0
        }

        @inline(__always)
        mutating func append(_ byte: UInt8, from origin: Range<Int>) {
            reserve(1)
            stageBytes[staged] = byte
            stageStart[staged] = Int32(truncatingIfNeeded: origin.lowerBound)
            stageEnd[staged] = Int32(truncatingIfNeeded: origin.upperBound)
            staged += 1
        }

        /// Gives the `count` bytes written last (after `reserve(count)`) the origin `origin`.
        @inline(__always)
        mutating func setOrigins(ofLast count: Int, to origin: Range<Int>) {
            let lower = Int32(truncatingIfNeeded: origin.lowerBound)
            let upper = Int32(truncatingIfNeeded: origin.upperBound)
            for k in staged - count..<staged {
                stageStart[k] = lower
                stageEnd[k] = upper
            }
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
        if !state.pendingSpace && !out.isEmpty {
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
        guard isPlainASCII(input[start]), let base = input.baseAddress else { return start }
        var j = start + 1
        // Eight bytes at a time: the run ends at the first byte that is no plain byte, or at a
        // space that no plain byte follows. `j` always follows a byte of the run.
        while j + 8 <= n {
            let w = ByteWord.load(base, j)
            let excluded = (w & ByteWord.highs) | ByteWord.controlBytes(w) | ByteWord.bytes(w, equalTo: 0x7F)
                | ByteWord.bytes(w, equalTo: UInt8(ascii: "-")) | ByteWord.bytes(w, equalTo: UInt8(ascii: "_"))
            let spaces = ByteWord.bytes(w, equalTo: 0x20)
            // The byte after the word decides for a space in its last byte.
            let nextEnds: UInt64 = j + 8 < n && isPlainASCII(input[j + 8]) ? 0 : 1 << 63
            let stops = excluded | (spaces & ((spaces | excluded) >> 8 | nextEnds))
            if stops != 0 { return j + stops.trailingZeroBitCount / 8 }
            j += 8
        }
        while j < n {
            let b = input[j]
            if isPlainASCII(b) {
                j += 1
            } else if b == 0x20, j + 1 < n, isPlainASCII(input[j + 1]) {
                j += 2
            } else {
                return j
            }
        }
        return j
    }

    /// Appends a run found by `plainASCIIRunEnd` (one byte or more), lower-cased, in blocks as
    /// large as the stage has room for: this is most of the text of most listings.
    private func appendASCIIRun(
        _ input: UnsafeBufferPointer<UInt8>, _ run: Range<Int>, state: inout State, out: inout Buffers, output: NormalisedText
    ) {
        guard let base = input.baseAddress else { return }
        flushSpace(&state, out: &out)
        if Self.isASCIIWord(input[run.lowerBound]), let invisible = state.invisibleAfterWord {
            output.evidence.append(.init(kind: .invisible, span: invisible))
        }
        var lower = run.lowerBound
        while lower < run.upperBound {
            if out.staged == out.capacity { out.flush() }
            let count = min(out.capacity - out.staged, run.upperBound - lower)
            let bytes = out.stageBytes + out.staged
            let starts = out.stageStart + out.staged
            let ends = out.stageEnd + out.staged
            let first = Int32(truncatingIfNeeded: lower)
            // Three simple loops rather than one: each is vectorised.
            let source = base + lower
            for k in 0..<count {
                let b = source[k]
                bytes[k] = b &- UInt8(ascii: "A") < 26 ? b | 0x20 : b
            }
            for k in 0..<count { starts[k] = first &+ Int32(truncatingIfNeeded: k) }
            for k in 0..<count { ends[k] = first &+ Int32(truncatingIfNeeded: k &+ 1) }
            out.staged += count
            lower += count
        }
        let isWord = Self.isASCIIWord(input[run.upperBound - 1])
        state.invisibleAfterWord = nil
        state.lastWasWord = isWord
        state.lastWasEmoji = false
        state.lastWasUnspaced = false
        state.lastWasAlphabetic = isWord
    }

    /// `appendScalar` for the common case, inline: a character the table folds to at most four
    /// bytes that is no separator, invisible character or dropped mark, with no space pending and
    /// no invisible character before it. Returns false, writing nothing, for any other case.
    @inline(__always)
    private func appendPlain(atSlot slot: Int, from origin: Range<Int>, state: inout State, out: inout Buffers) -> Bool {
        guard !state.pendingSpace, state.invisibleAfterWord == nil,
            let written = writePlain(atSlot: slot, from: origin, out: &out)
        else { return false }
        notePlain(atSlot: slot, written: written, out: out, state: &state)
        return true
    }

    /// After `appendPlain` took a character: the plain characters right after it (`input[start...]`),
    /// up to the first that is ASCII, invalid, or not plain. A plain character reads nothing of
    /// the state and changes nothing `appendPlain` checks, so the state is written once, for the
    /// last of them: a run of Chinese, Thai or Cyrillic letters costs one call. Returns where it
    /// stopped.
    private func appendPlainRun(_ input: UnsafeBufferPointer<UInt8>, from start: Int, state: inout State, out: inout Buffers) -> Int {
        var i = start
        var last: (slot: Int, written: Int)?
        while i < input.count && input[i] >= 0x80 {
            let (scalar, length) = Self.decode(input, at: i)
            guard let scalar, let slot = table.slot(of: scalar),
                let written = writePlain(atSlot: slot, from: i..<i + length, out: &out)
            else { break }
            last = (slot, written)
            i += length
        }
        if let last { notePlain(atSlot: last.slot, written: last.written, out: out, state: &state) }
        return i
    }

    /// Writes the fold of a plain character (at most four bytes; no separator, invisible
    /// character or dropped mark) and returns how many bytes it has; nil, writing nothing, for
    /// any other character.
    @inline(__always)
    private func writePlain(atSlot slot: Int, from origin: Range<Int>, out: inout Buffers) -> Int? {
        let cls = table.characterClass(atSlot: slot)
        guard cls.isDisjoint(with: [.space, .invisible, .droppedMark]), let (packed, written) = table.shortFold(at: slot)
        else { return nil }
        // Four bytes and four origins stored whatever the fold's length: only `written` of them
        // count, and the stage always has room for four.
        out.reserve(4)
        let at = out.staged
        UnsafeMutableRawPointer(out.stageBytes + at).storeBytes(of: UInt32(littleEndian: packed), as: UInt32.self)
        let lower = Int32(truncatingIfNeeded: origin.lowerBound)
        let upper = Int32(truncatingIfNeeded: origin.upperBound)
        for k in 0..<4 {
            out.stageStart[at &+ k] = lower
            out.stageEnd[at &+ k] = upper
        }
        out.staged = at &+ written
        return written
    }

    /// The state after a plain character whose fold, `written` bytes, is the last thing written.
    @inline(__always)
    private func notePlain(atSlot slot: Int, written: Int, out: Buffers, state: inout State) {
        let cls = table.characterClass(atSlot: slot)
        let at = out.staged &- written
        state.lastWasWord = cls.contains(.word)
        state.lastWasEmoji = cls.contains(.emoji)
        state.lastWasUnspaced = cls.contains(.unspaced)
        if written > 1, written > Self.sequenceLength(out.stageBytes[at]),
            let last = Self.lastScalarIfSeveral(UnsafeBufferPointer(start: out.stageBytes + at, count: written))
        {
            state.lastWasUnspaced = table.characterClass(of: last).contains(.unspaced)
        }
        state.lastWasAlphabetic = cls.contains(.latin) || cls.contains(.cyrillicOrGreek)
    }

    private func appendScalar(
        _ scalar: UInt32, at origin: Range<Int>, input: UnsafeBufferPointer<UInt8>, state: inout State,
        out: inout Buffers, output: NormalisedText
    ) {
        let before = out.count
        let slot = table.slot(of: scalar)
        let cls = slot.map { table.characterClass(atSlot: $0) } ?? table.characterClass(of: scalar)
        if cls.contains(.space) {
            if !state.pendingSpace && !out.isEmpty {
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
        // The last character of the fold, when it folds to several ("㋁" -> "2月").
        let lastOfSeveral: UInt32?
        if let slot {
            let written = table.foldLength(at: slot)
            out.reserve(written)
            table.copyFold(at: slot, to: out.stageBytes + out.staged)
            out.staged += written
            out.setOrigins(ofLast: written, to: origin)
            lastOfSeveral = Self.lastScalarIfSeveral(UnsafeBufferPointer(start: out.stageBytes + out.staged - written, count: written))
        } else {
            // Not in the table: folded with ICU on the spot (rare).
            var folded: [UInt8] = []
            _ = table.fold(scalar, into: &folded)
            for byte in folded { out.append(byte, from: origin) }
            lastOfSeveral = folded.withUnsafeBufferPointer { Self.lastScalarIfSeveral($0) }
        }
        let alphabetic = cls.contains(.latin) || cls.contains(.cyrillicOrGreek)
        if cls.contains(.word), alphabetic, let invisible = state.invisibleAfterWord, out.count > before {
            output.evidence.append(.init(kind: .invisible, span: invisible))
        }
        state.invisibleAfterWord = nil
        state.lastWasWord = cls.contains(.word)
        state.lastWasEmoji = cls.contains(.emoji)
        state.lastWasUnspaced = cls.contains(.unspaced)
        // A character that folds to several is followed as its last one would be.
        if let lastOfSeveral { state.lastWasUnspaced = table.characterClass(of: lastOfSeveral).contains(.unspaced) }
        state.lastWasAlphabetic = alphabetic
    }

    /// The last scalar of a fold that is more than one scalar long, nil for a fold of one or none.
    @inline(__always)
    private static func lastScalarIfSeveral(_ folded: UnsafeBufferPointer<UInt8>) -> UInt32? {
        guard folded.count > 1, folded.count > sequenceLength(folded[0]) else { return nil }
        var k = folded.count - 1
        while k > 0 && folded[k] & 0xC0 == 0x80 { k -= 1 }
        return decodeValid(folded, at: k)
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

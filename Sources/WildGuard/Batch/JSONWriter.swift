/// Builds JSON text by appending to a byte buffer, escaping strings as RFC 8259 requires.
public struct JSONWriter: Sendable {
    public var bytes: [UInt8] = []

    public init() {}

    /// A writer whose buffer has room for `capacity` bytes (one allocation for a typical record).
    public init(capacity: Int) { bytes.reserveCapacity(capacity) }

    /// A JSON string: `s` quoted, with what RFC 8259 requires escaped.
    public mutating func string(_ s: String) {
        // Sized exactly: it always fits.
        Self.withUTF8(s) { utf8 in _ = reserving(JSONCursor.quotedCount(utf8)) { $0.string(utf8) } }
    }

    /// Text that is JSON already, as it is.
    public mutating func raw(_ s: String) {
        Self.withUTF8(s) { utf8 in _ = reserving(utf8.count) { $0.bytes(utf8) } }
    }

    /// JSON text known when the program is compiled (keys and punctuation).
    mutating func fragment(_ s: StaticString) {
        reserving(s.utf8CodeUnitCount) { $0.fragment(s) }
    }

    /// A number, as Swift prints it (the shortest text that reads back as the same `Double`).
    public mutating func number(_ d: Double) {
        reserving(JSONCursor.maxNumberCount) { $0.number(d) }
    }

    /// A whole number, digit by digit.
    public mutating func integer(_ value: Int) {
        reserving(JSONCursor.maxNumberCount) { $0.integer(value) }
    }

    /// Reserves `maxCount` bytes at the end and lets `body` write into them through a cursor.
    /// Keeps what it wrote and returns true, or keeps nothing and returns false when it needed
    /// more room.
    @discardableResult
    mutating func reserving(_ maxCount: Int, _ body: (inout JSONCursor) -> Void) -> Bool {
        let old = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: maxCount))
        let written = bytes.withUnsafeMutableBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress else { return 0 }
            var cursor = JSONCursor(base + old, count: maxCount)
            body(&cursor)
            return cursor.overflowed ? nil : cursor.position - (base + old)
        }
        bytes.removeLast(maxCount - (written ?? 0))
        return written != nil
    }

    /// `reserving` for a writer of many bytes (a whole decision): its room is not zero-filled
    /// first (500 instructions per decision end to end). A type rather than a closure, so that
    /// nothing is allocated to carry it into `CursorWrite` (`withoutActuallyEscaping` did).
    mutating func reserving(_ maxCount: Int, _ source: some JSONCursorWritable) -> Bool {
        let needed = bytes.count + maxCount
        if bytes.capacity < needed { bytes.reserveCapacity(Swift.max(needed, 2 * bytes.capacity)) }
        var overflowed = false
        withUnsafeMutablePointer(to: &overflowed) { flag in
            bytes.append(contentsOf: CursorWrite(room: maxCount, overflowed: flag, source: source))
        }
        return !overflowed
    }

    /// The UTF-8 of `s`, read in place when it is stored contiguously (every native string).
    static func withUTF8<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = s.utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = s
        return copy.withUTF8(body)
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

/// Writes JSON through a cursor; see `JSONWriter.reserving(_:_:)`.
protocol JSONCursorWritable {
    func write(_ cursor: inout JSONCursor)
}

/// What a cursor writes, appended to an array straight into its spare capacity: the array's
/// `append(contentsOf:)` hands a sequence its uninitialised room through `_copyContents`, so the
/// room need not be filled first. `JSONWriter.reserving` has made sure the room is there.
private struct CursorWrite<Source: JSONCursorWritable>: Sequence {
    let room: Int
    /// Set when the source needed more than `room` bytes; then nothing is kept.
    let overflowed: UnsafeMutablePointer<Bool>
    let source: Source

    struct Iterator: IteratorProtocol {
        func next() -> UInt8? { nil }
    }

    func makeIterator() -> Iterator { Iterator() }

    func _copyContents(initializing buffer: UnsafeMutableBufferPointer<UInt8>) -> (Iterator, Int) {
        guard let base = buffer.baseAddress, buffer.count >= room else {
            overflowed.pointee = room > 0
            return (Iterator(), 0)
        }
        var cursor = JSONCursor(base, count: room)
        source.write(&cursor)
        if cursor.overflowed {
            overflowed.pointee = true
            return (Iterator(), 0)
        }
        return (Iterator(), cursor.position - base)
    }
}

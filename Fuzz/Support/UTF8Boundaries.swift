/// Where characters start and end in arbitrary bytes, decided by the standard library's own UTF-8
/// parser (not WildGuard's decoder, which is what is under test). A position is a boundary unless
/// it falls inside a well-formed multi-byte sequence: inside ill-formed bytes every position counts,
/// because there is no character there to cut in half.
public struct UTF8Boundaries {
    private var isBoundary: [Bool]
    /// Whether the bytes are well-formed UTF-8 throughout.
    public private(set) var isValid = true

    public init<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        isBoundary = [Bool](repeating: true, count: bytes.count + 1)
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        decoding: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                for k in 1..<encoded.count { isBoundary[offset + k] = false }
                offset += encoded.count
            case .error(let length):
                isValid = false
                offset += length
            case .emptyInput:
                break decoding
            }
        }
    }

    /// Number of bytes described.
    public var count: Int { isBoundary.count - 1 }

    /// Whether `range` lies within the bytes and starts and ends on boundaries.
    public func contains(_ range: Range<Int>) -> Bool {
        range.lowerBound >= 0 && range.upperBound <= count && isBoundary[range.lowerBound] && isBoundary[range.upperBound]
    }
}

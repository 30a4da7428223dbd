#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A listing as C passes it (a pointer and a byte length) seen as a byte buffer, without a copy:
/// the engine reads UTF-8 bytes directly and replaces invalid sequences itself.
enum ListingBytes {
    /// `WG_NUL_TERMINATED`: the length that means "up to the first NUL".
    static let nulTerminated = UInt.max

    /// The bytes of `text`, or nil when the arguments cannot describe a listing (NULL with a
    /// nonzero length, or a length beyond what memory can hold): a C caller's mistake must come
    /// back as an error, not trap inside the host process.
    static func buffer(_ text: UnsafePointer<CChar>?, length: UInt) -> UnsafeBufferPointer<UInt8>? {
        guard let text else {
            return length == 0 ? UnsafeBufferPointer(start: nil, count: 0) : nil
        }
        let count: Int
        if length == nulTerminated {
            count = strlen(text)
        } else {
            guard let exact = Int(exactly: length) else { return nil }
            count = exact
        }
        // CChar and UInt8 are the signed and unsigned forms of one type, which Swift lets alias.
        return UnsafeBufferPointer(start: UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self), count: count)
    }
}

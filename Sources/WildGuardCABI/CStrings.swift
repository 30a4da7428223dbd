#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Strings handed to C: allocated with `malloc` so that the caller can free them with
/// `wg_string_free` or plain `free`, whatever allocator the host uses for its own memory.
enum CStrings {
    /// A NUL-terminated copy of `bytes`, or nil when memory ran out.
    static func copy(_ bytes: [UInt8]) -> UnsafeMutablePointer<CChar>? {
        guard let memory = malloc(bytes.count + 1) else { return nil }
        let out = memory.bindMemory(to: CChar.self, capacity: bytes.count + 1)
        bytes.withUnsafeBufferPointer { source in
            if let base = source.baseAddress {
                UnsafeMutableRawPointer(out).copyMemory(from: base, byteCount: source.count)
            }
        }
        out[bytes.count] = 0
        return out
    }

    /// A NUL-terminated copy of `string`, or nil when memory ran out.
    static func copy(_ string: String) -> UnsafeMutablePointer<CChar>? { copy(Array(string.utf8)) }

    /// The Swift string of an optional C string argument; nil for NULL and for "", which the ABI
    /// treats alike ("use the default").
    static func argument(_ pointer: UnsafePointer<CChar>?) -> String? {
        guard let pointer, pointer.pointee != 0 else { return nil }
        return String(cString: pointer)
    }
}

/// `void wg_string_free(char *)`: frees a string this library returned (NULL is ignored).
@_cdecl("wg_string_free")
public func wg_string_free(_ string: UnsafeMutablePointer<CChar>?) {
    free(string)
}

import WildGuard

/// The versions `wg_version` and `wg_abi_version` report.
enum Version {
    /// The library version. A `StaticString` because the C caller keeps the pointer forever and
    /// must not free it: a string literal lives for the whole process and is stored with its
    /// terminating NUL (the standard library passes `utf8Start` to C the same way).
    static let library: StaticString = WildGuardVersion.library
    /// `WG_ABI_VERSION` in `wildguard.h`: bump both together, and only when a function changes.
    static let abi: Int32 = 1
}

/// `const char *wg_version(void)`: the library version, a static string the caller must not free.
@_cdecl("wg_version")
public func wg_version() -> UnsafePointer<CChar> {
    UnsafeRawPointer(Version.library.utf8Start).assumingMemoryBound(to: CChar.self)
}

/// `int wg_abi_version(void)`: the ABI version this library implements, to compare with the
/// `WG_ABI_VERSION` of the header the caller was compiled against.
@_cdecl("wg_abi_version")
public func wg_abi_version() -> Int32 { Version.abi }

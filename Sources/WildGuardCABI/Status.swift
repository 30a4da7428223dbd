/// The integer codes of `wildguard.h`. They are part of the ABI: never renumber them.
enum Status {
    /// `WG_OK`.
    static let ok: Int32 = 0
    /// `WG_EINVAL`: a NULL or out-of-range argument.
    static let invalidArgument: Int32 = -1
    /// `WG_ENOMEM`: memory ran out.
    static let outOfMemory: Int32 = -2
}

/// The version of the WildGuard library, shared by the CLI and the C ABI.
public enum WildGuardVersion {
    /// A `StaticString` so that C callers can keep the pointer for the life of the process.
    public static let library: StaticString = "0.1.0"

    /// The version as a Swift string.
    public static var string: String { library.description }
}

/// Everything that can go wrong while loading a taxonomy or a policy. Each case says where
/// (file and line) and what is wrong, in words an analyst can act on.
public enum WildGuardError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A file could not be read.
    case unreadable(path: String, reason: String)
    /// A file is not valid YAML.
    case syntax(path: String, line: Int, reason: String)
    /// A file is valid YAML but breaks the schema (unknown field, missing field, wrong type...).
    case invalid(path: String, line: Int, reason: String)
    /// A regular expression did not compile.
    case badPattern(path: String, line: Int, pattern: String, reason: String, offset: Int)
    /// A limit on untrusted configuration was exceeded (file size, entry count, pattern length).
    case limitExceeded(path: String, reason: String)
    /// Several problems, all reported at once (from validation).
    case many([WildGuardError])

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot read: \(reason)"
        case .syntax(let path, let line, let reason): "\(path):\(line): YAML syntax error: \(reason)"
        case .invalid(let path, let line, let reason): "\(path):\(line): \(reason)"
        case .badPattern(let path, let line, let pattern, let reason, let offset):
            "\(path):\(line): pattern '\(pattern)' does not compile: \(reason) at offset \(offset)"
        case .limitExceeded(let path, let reason): "\(path): \(reason)"
        case .many(let errors): errors.map(\.description).joined(separator: "\n")
        }
    }

    /// The individual problems.
    public var problems: [WildGuardError] {
        if case .many(let errors) = self { return errors.flatMap(\.problems) }
        return [self]
    }
}

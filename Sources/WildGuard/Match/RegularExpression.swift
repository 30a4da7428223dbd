/// A PCRE2 regular expression (UTF, Unicode properties, caseless, JIT-compiled), for embedders
/// and benchmarks that want to run patterns the way WildGuard does. WildGuard itself runs its
/// patterns behind a literal prefilter; see `Engine`.
public struct RegularExpression: Sendable {
    let compiled: CompiledRegex

    /// Compiles `pattern`; throws with PCRE2's message and the offset of the problem.
    public init(_ pattern: String) throws(RegularExpressionError) {
        do {
            compiled = try CompiledRegex(pattern)
        } catch {
            throw RegularExpressionError(message: error.message, offset: error.offset)
        }
    }

    /// Whether the pattern was JIT-compiled.
    public var isJITCompiled: Bool { compiled.isJITCompiled }

    /// Per-thread match state for `firstMatch`.
    public final class Scratch {
        let regex: RegexScratch?
        public init() { regex = RegexScratch(limits: .init()) }
    }

    /// The first match at or after `start` in UTF-8 `subject`, as a byte range; nil when none (or
    /// when a resource limit was hit).
    public func firstMatch(in subject: UnsafeBufferPointer<UInt8>, from start: Int = 0, scratch: Scratch) -> Range<Int>? {
        guard let regex = scratch.regex else { return nil }
        if case .match(let range) = compiled.firstMatch(in: subject, from: start, scratch: regex) { return range }
        return nil
    }
}

/// A pattern that PCRE2 would not compile.
public struct RegularExpressionError: Error, Sendable {
    public var message: String
    public var offset: Int
}

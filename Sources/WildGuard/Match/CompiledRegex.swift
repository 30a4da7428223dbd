import CWildGuardShims

/// A PCRE2 pattern compiled once (UTF, Unicode properties, caseless) and JIT-compiled when the
/// platform allows. Immutable after compilation, so one instance serves every thread; each
/// thread brings its own `RegexScratch`.
final class CompiledRegex: @unchecked Sendable {
    // @unchecked: a compiled pcre2_code is read-only after pcre2_jit_compile, and PCRE2
    // documents concurrent pcre2_match calls on it as safe with per-thread match data.
    private let handle: OpaquePointer
    let source: String

    /// Why a pattern did not compile: PCRE2's own message and the offset in the pattern.
    struct CompileError: Error, Sendable {
        var message: String
        var offset: Int
    }

    init(_ pattern: String) throws(CompileError) {
        var code: Int32 = 0
        var offset = 0
        var message = [CChar](repeating: 0, count: 256)
        let utf8 = Array(pattern.utf8)
        let handle = utf8.withUnsafeBufferPointer { p in
            p.withMemoryRebound(to: CChar.self) { chars in
                wgshim_regex_compile(chars.baseAddress, chars.count, &code, &offset, &message, 256)
            }
        }
        guard let handle else {
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw CompileError(message: text, offset: offset)
        }
        self.handle = handle
        self.source = pattern
    }

    deinit { wgshim_regex_free(handle) }

    var isJITCompiled: Bool { wgshim_regex_is_jit(handle) == 1 }

    enum Outcome {
        case match(Range<Int>)
        case noMatch
        case limitExceeded
        case failed
    }

    /// The compiled pattern, for `firstMatch(code:in:from:startLimit:matchData:)`; valid while
    /// this instance lives.
    var code: OpaquePointer { handle }

    /// The first match in `subject` that starts at or after `start` and, when `startLimit` is
    /// given, at or before it (PCRE2 then stops looking there instead of at the end).
    func firstMatch(
        in subject: UnsafeBufferPointer<UInt8>, from start: Int, startLimit: Int? = nil, scratch: RegexScratch
    ) -> Outcome {
        Self.firstMatch(code: handle, in: subject, from: start, startLimit: startLimit, matchData: scratch.handle)
    }

    /// The same, through the handles themselves (`code`, `RegexScratch.handle`): the matcher
    /// runs patterns from its tables without retaining an object per run.
    static func firstMatch(
        code: OpaquePointer, in subject: UnsafeBufferPointer<UInt8>, from start: Int, startLimit: Int?,
        matchData: OpaquePointer
    ) -> Outcome {
        var lower = 0
        var upper = 0
        // size_t imports as Int: -1 is SIZE_MAX, PCRE2's "unset".
        let limit = startLimit.map { max(0, $0) } ?? -1
        let rc = wgshim_regex_match(code, subject.baseAddress, subject.count, start, limit, matchData, &lower, &upper)
        switch rc {
        case 1: return .match(lower..<upper)
        case 0: return .noMatch
        case -1: return .limitExceeded
        default: return .failed
        }
    }
}

/// Per-thread PCRE2 state: match data, a match context carrying the resource limits, and a JIT
/// stack. Never shared between threads.
final class RegexScratch {
    let handle: OpaquePointer

    /// Resource limits applied to every match, so that no listing can make a pattern run away.
    struct Limits: Sendable {
        var matchLimit: UInt32 = 200_000
        var depthLimit: UInt32 = 10_000
        var heapLimitKiB: UInt32 = 20_000
    }

    init?(limits: Limits) {
        guard let handle = wgshim_match_scratch_create(limits.matchLimit, limits.depthLimit, limits.heapLimitKiB)
        else { return nil }
        self.handle = handle
    }

    deinit { wgshim_match_scratch_free(handle) }
}

/// Versions of the C libraries WildGuard is linked against.
public enum LibraryVersions {
    public static var icu: String { ICU.version }
    public static var pcre2: String {
        var buffer = [CChar](repeating: 0, count: 64)
        wgshim_pcre2_version(&buffer, 64)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

import CWildGuardShims

/// Thin Swift face of the ICU calls in `CWildGuardShims`. Used while building lookup tables and
/// compiling a taxonomy, never per listing on the ASCII path.
enum ICU {
    /// ICU script codes WildGuard distinguishes (values of `UScriptCode`).
    enum Script: Int32 {
        case common = 0, inherited = 1, arabic = 2, bopomofo = 5, cyrillic = 8, greek = 14, han = 17
        case hangul = 18, hebrew = 19, hiragana = 20, katakana = 22, khmer = 23, lao = 24
        case latin = 25, myanmar = 28, thai = 38, tibetan = 39, yi = 41
    }

    /// ICU general categories WildGuard distinguishes (values of `UCharCategory`).
    enum Category {
        static let letters: ClosedRange<Int32> = 1...5
        static let nonSpacingMark: Int32 = 6
        static let marks: ClosedRange<Int32> = 6...8
        static let decimalDigit: Int32 = 9
        static let numbers: ClosedRange<Int32> = 9...11
        static let separators: ClosedRange<Int32> = 12...14
        static let control: Int32 = 15
        static let format: Int32 = 16
        static let dash: Int32 = 19
    }

    static func fold(_ scalar: UInt32, decompose: Bool) -> [UInt32] {
        var out = [UInt32](repeating: 0, count: 32)
        let n = out.withUnsafeMutableBufferPointer { buffer in
            wgshim_icu_fold_codepoint(scalar, decompose ? 1 : 0, buffer.baseAddress, 32)
        }
        guard n >= 0 else { return [scalar] }
        return Array(out[0..<Int(n)])
    }

    static func category(_ scalar: UInt32) -> Int32 { wgshim_icu_general_category(scalar) }
    static func script(_ scalar: UInt32) -> Int32 { wgshim_icu_script(scalar) }
    /// Whether `script` is among the scalar's Script_Extensions.
    static func hasScript(_ scalar: UInt32, _ script: Int32) -> Bool { wgshim_icu_has_script(scalar, script) == 1 }
    static func isDefaultIgnorable(_ scalar: UInt32) -> Bool { wgshim_icu_has_property(scalar, 0) == 1 }
    static func isEmoji(_ scalar: UInt32) -> Bool { wgshim_icu_has_property(scalar, 2) == 1 }
    static func isWhiteSpace(_ scalar: UInt32) -> Bool { wgshim_icu_has_property(scalar, 3) == 1 }

    /// UTS #39 confusable skeleton.
    static func skeleton(_ text: String) -> String {
        let source = Array(text.utf16)
        var out = [UInt16](repeating: 0, count: source.count * 4 + 16)
        let capacity = Int32(out.count)
        let n = source.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                wgshim_icu_skeleton(src.baseAddress, Int32(src.count), dst.baseAddress, capacity)
            }
        }
        guard n >= 0 else { return text }
        return String(decoding: out[0..<Int(n)], as: UTF16.self)
    }

    static var version: String { String(cString: wgshim_icu_version()) }
}

/// An ICU transliterator ("Han-Latin", "Russian-Latin/BGN"). Not thread-safe: one thread uses it
/// at a time, borrowed from `TransliteratorPool` for the length of one taxonomy compile.
final class Transliterator: @unchecked Sendable {
    // @unchecked: an instance is only ever used by the one compile that borrowed it.

    private let handle: OpaquePointer

    init?(_ id: String) {
        guard let handle = wgshim_icu_transliterator_open(id) else { return nil }
        self.handle = handle
    }

    deinit { wgshim_icu_transliterator_close(handle) }

    func callAsFunction(_ text: String) -> String? {
        let source = Array(text.utf16)
        var out = [UInt16](repeating: 0, count: source.count * 8 + 64)
        let capacity = Int32(out.count)
        let n = source.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                wgshim_icu_transliterate(handle, src.baseAddress, Int32(src.count), dst.baseAddress, capacity)
            }
        }
        guard n >= 0 else { return nil }
        return String(decoding: out[0..<Int(n)], as: UTF16.self)
    }
}

/// Transliterators kept for the next taxonomy compile: opening "Han-Latin" parses thousands of
/// rules and closing it frees them, a tenth of loading the bundled taxonomy each time. A compile
/// borrows one of each kind and gives it back; compiles running at once get their own.
enum TransliteratorPool {
    private static let idle = Locked<[String: [Transliterator]]>([:])

    /// Runs `body` with a transliterator for `id` (nil when ICU has no such transliterator).
    static func with<R>(_ id: String, _ body: (Transliterator?) -> R) -> R {
        let borrowed = idle.withLock { $0[id]?.popLast() } ?? Transliterator(id)
        defer { if let borrowed { idle.withLock { $0[id, default: []].append(borrowed) } } }
        return body(borrowed)
    }
}

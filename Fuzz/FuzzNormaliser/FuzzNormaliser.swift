import FuzzSupport
import WildGuard

/// Fuzzes the normaliser and its byte map back to the original text.
///
/// Invariants:
/// - the normalised text is well-formed UTF-8 (the variant builder and PCRE2 rely on it) and its
///   primary segment holds no newline (segments are separated by newlines);
/// - the original span of every normalised byte, and of the primary segment, each word and the whole
///   text, lies within the input and on its character boundaries;
/// - normalising is deterministic: a reused `NormalisedText` (as a worker keeps one) and a fresh one
///   give the same bytes and the same map;
/// - normalising the primary segment again gives it back unchanged.
@main
enum FuzzNormaliser {
    static func main() { FuzzDriver.main(testOneInput) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    NormaliserTarget.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}

enum NormaliserTarget {
    static let normaliser = Normaliser()
    // libFuzzer calls the target from one thread; the reused object carries state from the
    // previous input, which is what the comparison with a fresh one is for.
    nonisolated(unsafe) static let reused = NormalisedText()

    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        let text = reused
        normaliser.normalise(input, into: text)
        let boundaries = UTF8Boundaries(input)
        let bytes = text.bytes
        fuzzCheck(text.primaryEnd <= bytes.count, "primary segment ends after the text")
        fuzzCheck(UTF8Boundaries(bytes).isValid, "normalised text is not UTF-8: \(fuzzDescribe(bytes))")
        fuzzCheck(!bytes[..<text.primaryEnd].contains(0x0A), "a newline in the primary segment")
        fuzzCheck(text.invalidSequences == 0 || !boundaries.isValid, "invalid sequences counted in valid UTF-8")

        func checkSpan(_ range: Range<Int>) {
            let span = text.originalSpan(of: range)
            fuzzCheck(
                boundaries.contains(span),
                "normalised \(range) maps to \(span), not within \(input.count) bytes on character boundaries; "
                    + "input \(fuzzDescribe(input)), normalised \(fuzzDescribe(bytes))")
        }
        for i in bytes.indices { checkSpan(i..<i + 1) }
        checkSpan(0..<text.primaryEnd)
        checkSpan(0..<bytes.count)
        var wordStart = 0
        for i in 0...bytes.count where i == bytes.count || bytes[i] == 0x20 || bytes[i] == 0x0A {
            if i > wordStart { checkSpan(wordStart..<i) }
            wordStart = i + 1
        }

        let fresh = NormalisedText()
        normaliser.normalise(input, into: fresh)
        fuzzCheck(fresh.bytes == bytes, "a fresh NormalisedText gives other bytes than a reused one")
        fuzzCheck(fresh.primaryEnd == text.primaryEnd, "a fresh NormalisedText gives another primary segment")
        fuzzCheck(fresh.invalidSequences == text.invalidSequences, "a fresh NormalisedText counts other invalid sequences")
        for i in bytes.indices {
            fuzzCheck(fresh.originalSpan(of: i..<i + 1) == text.originalSpan(of: i..<i + 1), "a fresh NormalisedText maps byte \(i) elsewhere")
        }

        let primary = Array(bytes[..<text.primaryEnd])
        primary.withUnsafeBufferPointer { normaliser.normalise($0, into: fresh) }
        fuzzCheck(
            Array(fresh.bytes[..<fresh.primaryEnd]) == primary,
            "normalising again changes the text: \(fuzzDescribe(primary)) -> \(fuzzDescribe(fresh.bytes[..<fresh.primaryEnd]))")
    }
}

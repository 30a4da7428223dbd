import Foundation
import FuzzSupport
import WildGuard

/// Fuzzes the whole engine (normalise, match, decide) with the bundled taxonomy and default policy.
///
/// Invariants:
/// - a decision always comes back, with a finite score;
/// - every span in it lies within the input on character boundaries and quotes the input there;
/// - classifying is deterministic: the same input again on the same classifier (after another
///   listing has been through its buffers) and on a fresh classifier gives the same decision;
/// - the JSON written straight from the classifier (`writeDecision`) is the JSON of the built
///   decision, for the input as listing text and as the raw text of a JSONL record (escapes,
///   quotes and invalid UTF-8 included), as `wildguard classify` reads it.
@main
enum FuzzEngine {
    static func main() {
        // Loading compiles the whole taxonomy (seconds under ASan): done before libFuzzer starts
        // timing inputs, so that the first one is not reported as a hang.
        _ = EngineTarget.classifier
        FuzzDriver.main(testOneInput)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    EngineTarget.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}

enum EngineTarget {
    /// The bundled taxonomy (`$WILDGUARD_TAXONOMY`, or `Taxonomy/` above the binary).
    static let engine: Engine = {
        guard let directory = Taxonomy.bundledDirectory() else {
            FileHandle.standardError.write(Data("FuzzEngine: no taxonomy found (set WILDGUARD_TAXONOMY)\n".utf8))
            exit(2)
        }
        // Smaller than the default (4 MiB) so that inputs also reach the truncation path.
        var options = Engine.Options()
        options.maxListingBytes = 2_048
        do {
            return try Engine(taxonomyDirectory: directory, options: options)
        } catch {
            // Not a finding: the taxonomy under test is the fuzz input, not this one.
            FileHandle.standardError.write(Data("FuzzEngine: the taxonomy in \(directory) does not load: \(error)\n".utf8))
            exit(2)
        }
    }()

    // libFuzzer calls the target from one thread; the classifier keeps its buffers between
    // inputs as a worker's does.
    nonisolated(unsafe) static let classifier = engine.makeClassifier()

    static let interleaved = "Carved 1v0ry bangle, rhino horn beads, WhatsApp for price"

    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        let boundaries = UTF8Boundaries(input)
        let first = classifier.classify(utf8: input)
        DecisionChecks.checkSpans(first, input: input, boundaries: boundaries)
        _ = classifier.classify(interleaved)
        let again = classifier.classify(utf8: input)
        DecisionChecks.checkSame(first, again, "the same classifier decided differently the second time", input: input)
        let fresh = engine.makeClassifier().classify(utf8: input)
        DecisionChecks.checkSame(first, fresh, "a fresh classifier decided differently", input: input)
        checkDirectJSON(first, input)
    }

    static let parser = RecordParser(format: .jsonl)

    static func checkDirectJSON(_ decision: Decision, _ input: UnsafeBufferPointer<UInt8>) {
        var built = JSONWriter()
        DecisionJSON.write(decision, idJSON: "1", into: &built)
        var direct = JSONWriter()
        classifier.writeDecision(utf8: input, idJSON: "1", into: &direct)
        fuzzCheck(direct.bytes == built.bytes, "writeDecision(utf8:) differs from DecisionJSON.write; input \(fuzzDescribe(input))")

        // The input as the text of a JSONL record, unescaped: the parser decides what it is.
        let line = Array("{\"id\":1,\"text\":\"".utf8) + Array(input) + Array("\"}".utf8)
        let record = line.withUnsafeBufferPointer { parser.parse($0, number: 1) }
        var expected = JSONWriter()
        if let text = record.text {
            var decision = classifier.classify(text)
            if record.replacedInvalidUTF8 { decision.noteInvalidUTF8() }
            DecisionJSON.write(decision, idJSON: record.idJSON, into: &expected)
        } else {
            DecisionJSON.writeError(idJSON: record.idJSON, line: 1, message: record.error ?? "", into: &expected)
        }
        var inPlace = JSONWriter()
        line.withUnsafeBufferPointer { _ = classifier.writeDecision(line: $0, number: 1, parser: parser, into: &inPlace) }
        fuzzCheck(inPlace.bytes == expected.bytes, "writeDecision(line:) differs from the parsed record's JSON; input \(fuzzDescribe(input))")
    }
}

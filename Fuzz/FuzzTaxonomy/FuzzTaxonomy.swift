import Foundation
import FuzzSupport
import WildGuard

/// Fuzzes the taxonomy loader and the matcher compiler: the input is one lexicon file of a
/// taxonomy directory (terms, patterns and examples all come from it).
///
/// Invariants:
/// - loading never crashes: it gives a taxonomy or throws a `WildGuardError` with a message;
/// - compiling a taxonomy that loads either gives an engine or throws (bad patterns);
/// - an engine decides the fixture listings and the entries' own examples with spans inside the
///   text on character boundaries, the same way twice, and validates its examples without crashing.
@main
enum FuzzTaxonomy {
    static func main() {
        // Fixtures load before libFuzzer starts timing inputs.
        _ = (TaxonomyTarget.directory, TaxonomyTarget.policy)
        FuzzDriver.main(testOneInput)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    TaxonomyTarget.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}

enum TaxonomyTarget {
    /// A scratch taxonomy directory for this process: a fixed manifest and `lexicon/fuzz.yaml`,
    /// rewritten for every input (the loader reads directories, not strings).
    static let directory: URL = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wildguard-fuzz-taxonomy-\(getpid())")
        do {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("lexicon"), withIntermediateDirectories: true)
            try Data("name: fuzz\nversion: \"1\"\n".utf8).write(to: dir.appendingPathComponent("taxonomy.yaml"))
        } catch {
            FileHandle.standardError.write(Data("FuzzTaxonomy: cannot make \(dir.path): \(error)\n".utf8))
            exit(2)
        }
        atexit { try? FileManager.default.removeItem(at: TaxonomyTarget.directory) }
        return dir
    }()

    static let policy: Policy = {
        do {
            return try Policy(yaml: FuzzFixtures.policyYAML, path: "fuzz-policy.yaml")
        } catch {
            FileHandle.standardError.write(Data("FuzzTaxonomy: the fixture policy does not load: \(error)\n".utf8))
            exit(2)
        }
    }()

    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        let file = directory.appendingPathComponent("lexicon/fuzz.yaml")
        do {
            try Data(buffer: input).write(to: file)
        } catch {
            FileHandle.standardError.write(Data("FuzzTaxonomy: cannot write \(file.path): \(error)\n".utf8))
            exit(2)
        }
        let taxonomy: Taxonomy
        do {
            taxonomy = try Taxonomy(directory: directory.path)
        } catch {
            fuzzCheck(!error.description.isEmpty, "an error without a message")
            return
        }
        let engine: Engine
        do {
            engine = try Engine(taxonomy: taxonomy, policy: policy)
        } catch {
            fuzzCheck(!error.description.isEmpty, "an error without a message")
            return
        }
        let classifier = engine.makeClassifier()
        var listings = FuzzFixtures.listings
        for entry in taxonomy.entries.prefix(8) {
            listings += (entry.positiveExamples + entry.negativeExamples).prefix(4).map(\.text)
        }
        for listing in listings {
            var copy = listing
            copy.withUTF8 { bytes in
                let decision = classifier.classify(utf8: bytes)
                DecisionChecks.checkSpans(decision, input: bytes, boundaries: UTF8Boundaries(bytes))
                DecisionChecks.checkSame(decision, classifier.classify(utf8: bytes), "the same taxonomy decided differently", input: bytes)
            }
        }
        _ = TaxonomyValidator(engine: engine).checkExamples()
    }
}

import BenchmarkCorpus
import Foundation
import WildGuard

// Runs one stage of the pipeline once over the 1,000-listing benchmark corpus, inside a function
// of its own (`stage_NAME`), so that `scripts/instructions.sh` can count that function's
// instructions under callgrind. Instruction counts do not depend on what else the machine is
// doing, unlike wall time on a shared VM.
//
// usage: InstructionCount TAXONOMY_DIRECTORY STAGE...
//        (stages: normalise match classify endToEnd match10x; match10x matches with ten times the terms)

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: InstructionCount TAXONOMY_DIRECTORY STAGE...\n".utf8))
    exit(2)
}
let engine: Engine
do { engine = try Engine(taxonomyDirectory: arguments[1]) } catch {
    FileHandle.standardError.write(Data("cannot load \(arguments[1]): \(error)\n".utf8))
    exit(2)
}
let corpus = SyntheticCorpus.listings(count: 1_000)
let corpusUTF8 = corpus.map { Array($0.utf8) }
let corpusJSONL = SyntheticCorpus.jsonl(corpus)
let classifier = engine.makeClassifier()
let parser = RecordParser(format: .jsonl)

@MainActor @inline(never) func stage_normalise() -> Int {
    var sink = 0
    for listing in corpusUTF8 { listing.withUnsafeBufferPointer { sink &+= classifier.normaliseOnly($0).bytes.count } }
    return sink
}

@MainActor @inline(never) func stage_match() -> Int {
    var sink = 0
    for listing in corpusUTF8 { listing.withUnsafeBufferPointer { sink &+= classifier.matchOnly($0) } }
    return sink
}

/// The classifier of the tenfold taxonomy, built only when its stage is asked for (it takes seconds).
var tenfold: Classifier?

@MainActor @inline(never) func stage_match10x() -> Int {
    var sink = 0
    guard let tenfold else { return 0 }
    for listing in corpusUTF8 { listing.withUnsafeBufferPointer { sink &+= tenfold.matchOnly($0) } }
    return sink
}

@MainActor @inline(never) func stage_classify() -> Int {
    var sink = 0
    for listing in corpusUTF8 { listing.withUnsafeBufferPointer { sink &+= classifier.classify(utf8: $0).reasons.count } }
    return sink
}

@MainActor @inline(never) func stage_endToEnd() -> Int { endToEndPass() }

/// JSONL in, JSON out: what `wildguard classify` does per record.
@MainActor @inline(never) func endToEndPass() -> Int {
    var sink = 0
    for (i, line) in corpusJSONL.enumerated() {
        var writer = JSONWriter(capacity: 4_096)
        line.withUnsafeBufferPointer { _ = classifier.writeDecision(line: $0, number: i + 1, parser: parser, into: &writer) }
        sink &+= writer.bytes.count
    }
    return sink
}

// A first pass warms what is built lazily (the classifier's buffers), as a long run would be.
_ = endToEndPass()
var sink = 0
for stage in arguments.dropFirst(2) {
    switch stage {
    case "normalise": sink &+= stage_normalise()
    case "match": sink &+= stage_match()
    case "classify": sink &+= stage_classify()
    case "endToEnd": sink &+= stage_endToEnd()
    case "match10x":
        do {
            let classifier = try TenfoldTaxonomy.engine(like: engine).makeClassifier()
            // Warmed as the main classifier is.
            for listing in corpusUTF8 { listing.withUnsafeBufferPointer { _ = classifier.matchOnly($0) } }
            tenfold = classifier
            sink &+= stage_match10x()
        } catch {
            FileHandle.standardError.write(Data("cannot build the tenfold taxonomy: \(error)\n".utf8))
            exit(2)
        }
    default:
        FileHandle.standardError.write(Data("unknown stage \(stage)\n".utf8))
        exit(2)
    }
}
print(sink)

import Foundation
import WildGuard

/// A record after classification: what the sinks and the summary need.
struct ClassifiedRecord: Sendable {
    var line: Int
    var idJSON: String
    /// The decision's action (nil for a record that could not be read).
    var action: Action?
    /// The whole decision, kept only for callers that look at each record (`each`); a plain
    /// classify run only needs the encoded bytes and the action.
    var decision: Decision?
    var error: String?
    var fields: [(key: String, value: JSONRecord.Value)]
    var text: String?
    /// The record already encoded for the output format (done on the worker thread).
    var encoded: [UInt8]
}

/// Streams records through the engine's parallel batch path in blocks: read a block, classify
/// it on all workers (parsing and encoding included), write it in input order, repeat. Memory
/// stays bounded by the block size, whatever the input size.
struct BatchPipeline {
    let engine: Engine
    let parser: RecordParser
    let jobs: Int?
    var blockSize = 8192
    var keepText = false

    func run(source: RecordSource, sink: OutputSink?, summary: inout RunSummary, progress: Progress,
             each: ((ClassifiedRecord) -> Void)? = nil)
    {
        let encoder = sink?.encoder
        // Warm classifiers from block to block.
        let pool = ClassifierPool(engine: engine)
        let reading = BlockReader(source: source, blockSize: blockSize)
        var block = source.next(blockSize)
        while !block.isEmpty && !Interruption.requested {
            // The next block is read while this one is classified: reading and splitting lines
            // is serial work that would otherwise leave the workers idle between blocks.
            let current = block
            reading.start()
            let parser = self.parser
            let keepText = self.keepText
            let keepRecord = each != nil
            // JSON Lines that nothing else reads are written straight from the classifier,
            // without building each decision.
            let writesJSONDirectly = encoder?.format == .jsonl && !keepRecord
            let results = engine.parallelMap(count: block.count, jobs: jobs, pool: pool) { classifier, i in
                if writesJSONDirectly, case .line(let bytes, let number) = current[i] {
                    var writer = JSONWriter(capacity: 2_048)
                    let action = bytes.withUnsafeBufferPointer {
                        classifier.writeDecision(line: $0, number: number, parser: parser, into: &writer)
                    }
                    writer.bytes.append(0x0A)
                    // All that is kept: the bytes (an unreadable record's error is written in
                    // them) and the action, nil for such a record, for the summary.
                    return ClassifiedRecord(line: number, idJSON: "", action: action, decision: nil, error: nil,
                                            fields: [], text: nil, encoded: writer.bytes)
                }
                let record: InputRecord
                switch current[i] {
                case .line(let bytes, let number):
                    record = bytes.withUnsafeBufferPointer { parser.parse($0, number: number) }
                case .parsed(let parsed):
                    record = parsed
                }
                var out = ClassifiedRecord(line: record.line, idJSON: record.idJSON, action: nil, decision: nil,
                                           error: record.error, fields: keepRecord ? record.fields : [],
                                           text: keepText ? record.text : nil, encoded: [])
                if writesJSONDirectly {
                    var writer = JSONWriter(capacity: 2_048)
                    out.action = classifier.writeDecision(for: record, into: &writer)
                    writer.bytes.append(0x0A)
                    out.encoded = writer.bytes
                    return out
                }
                if let text = record.text {
                    var decision = classifier.classify(text)
                    if record.replacedInvalidUTF8 { decision.noteInvalidUTF8() }
                    out.action = decision.action
                    out.decision = decision
                }
                if let encoder { out.encoded = encoder.encode(out) }
                // Freed here, on the worker, rather than kept until the block is written.
                if !keepRecord { out.decision = nil }
                return out
            }
            block = reading.wait()
            for result in results {
                summary.count(result)
                each?(result)
            }
            sink?.write(results)
            progress.update(records: summary.records, bytes: source.bytesRead, total: source.totalBytes, started: summary.started)
        }
    }
}

/// Reads the next block of records on another thread. The source is touched by one thread at a
/// time: by the reading thread between `start()` and `wait()`, by the caller otherwise.
private final class BlockReader: @unchecked Sendable {
    private let source: RecordSource
    private let blockSize: Int
    private let done = DispatchGroup()
    private var block: [RawRecord] = []

    init(source: RecordSource, blockSize: Int) {
        self.source = source
        self.blockSize = blockSize
    }

    func start() {
        DispatchQueue.global().async(group: done) { self.block = self.source.next(self.blockSize) }
    }

    /// The block read since `start()`.
    func wait() -> [RawRecord] {
        done.wait()
        defer { block = [] }
        return block
    }
}

/// Counts for the closing summary line.
struct RunSummary {
    var records = 0
    var errors = 0
    /// The input line of the last record written, for "stopped after line N".
    var lastLine = 0
    var byAction: [Action: Int] = [:]
    let started = Date()

    mutating func count(_ record: ClassifiedRecord) {
        records += 1
        lastLine = record.line
        if let action = record.action { byAction[action, default: 0] += 1 } else { errors += 1 }
    }

    var line: String {
        let elapsed = Date().timeIntervalSince(started)
        let rate = elapsed > 0 ? Double(records) / elapsed : 0
        let kinds = Action.allCases.reversed().map { "\($0.rawValue) \(byAction[$0, default: 0])" }.joined(separator: ", ")
        return String(format: "wildguard: %d records (%@, error %d) in %.2fs, %.0f records/s",
                      records, kinds, errors, elapsed, rate)
    }

    func print() { FileHandle.standardError.write(Data((line + "\n").utf8)) }
}

/// Progress on standard error, only when it is a terminal.
final class Progress {
    let enabled: Bool
    private var last = Date.distantPast

    init(enabled: Bool) { self.enabled = enabled && isatty(2) == 1 }

    func update(records: Int, bytes: Int, total: Int?, started: Date) {
        guard enabled, Date().timeIntervalSince(last) > 0.25 else { return }
        last = Date()
        let elapsed = Date().timeIntervalSince(started)
        let rate = elapsed > 0 ? Double(records) / elapsed : 0
        var text = String(format: "\r%d records, %.0f records/s", records, rate)
        if let total, total > 0, bytes > 0 {
            let fraction = min(1, Double(bytes) / Double(total))
            let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
            text += String(format: ", %.0f%%, ETA %.0fs", fraction * 100, eta)
        }
        FileHandle.standardError.write(Data(text.utf8))
    }

    func clear() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

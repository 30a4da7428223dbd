import ArgumentParser
import Foundation
import WildGuard

enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case jsonl, csv, table
}

/// Encodes classified records in the chosen format. Pure, so workers encode in parallel.
struct RecordEncoder: Sendable {
    let format: OutputFormat

    func encode(_ record: ClassifiedRecord) -> [UInt8] {
        switch format {
        case .jsonl:
            var w = JSONWriter(capacity: 2_048)
            if let decision = record.decision {
                DecisionJSON.write(decision, idJSON: record.idJSON, into: &w)
            } else {
                DecisionJSON.writeError(idJSON: record.idJSON, line: record.line, message: record.error ?? "unreadable record", into: &w)
            }
            w.bytes.append(0x0A)
            return w.bytes
        case .csv:
            let id = plainID(record.idJSON)
            guard let d = record.decision else {
                return Array((CSV.row([id, "error", "", record.error ?? "", "", "", ""]) + "\n").utf8)
            }
            let rules = d.reasons.map(\.rule).joined(separator: ";")
            let matched = d.reasons.compactMap { $0.matched.isEmpty ? nil : $0.matched }.joined(separator: ";")
            return Array((CSV.row([id, d.action.rawValue, formatScore(d.score), rules, matched, d.policy, d.taxonomyVersion]) + "\n").utf8)
        case .table:
            let id = plainID(record.idJSON)
            guard let d = record.decision else {
                return Array("\(pad(id, 14)) \(pad("error", 7)) \(pad("", 6)) \(record.error ?? "")\n".utf8)
            }
            let top = d.reasons.filter { $0.kind != "rule" }.prefix(4).map { r in
                r.matched.isEmpty ? r.rule : "\(r.rule) «\(r.matched)»"
            }.joined(separator: ", ")
            return Array("\(pad(id, 14)) \(pad(d.action.rawValue, 7)) \(pad(formatScore(d.score), 6)) \(top)\n".utf8)
        }
    }

    private func plainID(_ json: String) -> String {
        guard json.hasPrefix("\"") else { return json }
        let bytes = Array("{\"v\":\(json)}".utf8)
        return bytes.withUnsafeBufferPointer { (try? JSONRecord.parse($0))?.0["v"]?.text } ?? json
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }

    var header: String? {
        switch format {
        case .jsonl: nil
        case .csv: CSV.row(["id", "decision", "score", "reasons", "matched", "policy", "taxonomy_version"]) + "\n"
        case .table: "id             decision score  evidence\n"
        }
    }
}

func formatScore(_ score: Double) -> String {
    score == score.rounded() ? String(Int(score)) : String(format: "%.2f", score)
}

enum CSV {
    /// One CSV row with RFC 4180 quoting.
    static func row(_ fields: [String]) -> String {
        fields.map { field in
            if field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return field
        }.joined(separator: ",")
    }
}

/// Where decisions go: standard output or a file, written in input order.
///
/// Blocks are written on a writer thread of their own, so that writing one block overlaps with
/// classifying the next; at most one block waits to be written, so memory stays bounded.
/// `@unchecked Sendable`: the file is only written on the serial writer queue, and `wroteHeader`
/// is only touched by the thread that calls `write` and `finish`.
final class OutputSink: @unchecked Sendable {
    let encoder: RecordEncoder
    private let handle: FileHandle
    private var wroteHeader = false
    private let writer = DispatchQueue(label: "wildguard.output")
    /// One block may wait for the writer while the next one is classified.
    private let pending = DispatchSemaphore(value: 1)

    init(path: String?, format: OutputFormat) throws {
        encoder = RecordEncoder(format: format)
        if let path, path != "-" {
            handle = try OutputFile.open(path, what: "output file")
        } else {
            handle = FileHandle.standardOutput
        }
    }

    /// Queues a block for writing and returns; blocks are written in the order they are queued.
    func write(_ records: [ClassifiedRecord]) {
        var header: [UInt8] = []
        if !wroteHeader, let text = encoder.header {
            header = Array(text.utf8)
            wroteHeader = true
        }
        let headerBytes = header
        pending.wait()
        writer.async {
            var bytes = headerBytes
            bytes.reserveCapacity(headerBytes.count + records.reduce(0) { $0 + $1.encoded.count })
            for record in records { bytes.append(contentsOf: record.encoded) }
            self.writeAll(bytes)
            self.pending.signal()
        }
    }

    /// Waits until every queued block is written (and writes the header of an empty output).
    func finish() {
        writer.sync {}
        if !wroteHeader, let header = encoder.header { writeAll(Array(header.utf8)) }
    }

    private func writeAll(_ bytes: [UInt8]) {
        var offset = 0
        let fd = handle.fileDescriptor
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                // The reader went away (a closed pipe): stop quietly, as Unix tools do.
                exit(errno == EPIPE ? 0 : 1)
            }
            offset += n
        }
    }
}

import WildGuard

/// A record as read from input, before parsing: a raw line (parsed on a worker thread) or a
/// record already parsed by the reader (CSV, whose records can span lines).
enum RawRecord: Sendable {
    case line([UInt8], number: Int)
    case parsed(InputRecord)
}

/// Reads raw records from one input in input order.
final class RecordSource {
    let reader: LineReader
    let format: InputFormat
    let textField: String
    private var lineNumber = 0
    private var csv: CSVReader?

    init(path: String, format: InputFormat, textField: String, idField: String) throws {
        reader = try LineReader(path: path)
        self.format = format
        self.textField = textField
        if format == .csv {
            let csv = CSVReader(reader: reader)
            csv.idField = idField
            self.csv = csv
        }
    }

    /// Up to `limit` records; empty at the end of input.
    func next(_ limit: Int) -> [RawRecord] {
        var out: [RawRecord] = []
        out.reserveCapacity(limit)
        if let csv {
            while out.count < limit, let record = csv.nextRecord(textField: textField) { out.append(.parsed(record)) }
            return out
        }
        while out.count < limit {
            var line: [UInt8] = []
            let more = reader.nextLine { line = Array($0) }
            if !more { break }
            lineNumber += 1
            // Blank lines separate nothing and hold no listing: they are not records.
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            out.append(.line(line, number: lineNumber))
        }
        return out
    }

    var bytesRead: Int { reader.bytesRead }
    var totalBytes: Int? { reader.totalBytes }
}

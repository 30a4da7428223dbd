import Foundation

/// Reads a file or standard input in fixed-size blocks and hands out lines (without the line
/// break), so that inputs of any size stream in bounded memory.
final class LineReader {
    private let fd: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8] = []
    private var start = 0
    private var eof = false
    /// Bytes read so far (for progress).
    private(set) var bytesRead = 0
    let totalBytes: Int?

    init(path: String) throws {
        if path == "-" {
            fd = 0
            ownsDescriptor = false
            totalBytes = nil
        } else {
            fd = open(path, O_RDONLY)
            guard fd >= 0 else {
                throw CLIError.configuration("\(path): cannot open: \(String(cString: strerror(errno)))")
            }
            ownsDescriptor = true
            var info = stat()
            if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
                close(fd)
                throw CLIError.configuration("\(path): is a directory")
            }
            totalBytes = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : nil
        }
    }

    deinit { if ownsDescriptor { close(fd) } }

    private func fill() -> Bool {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n <= 0 {
            eof = true
            return false
        }
        bytesRead += n
        buffer.append(contentsOf: chunk[0..<n])
        return true
    }

    /// Calls `body` with the next line's bytes; returns false at the end of input.
    func nextLine(_ body: (ArraySlice<UInt8>) -> Void) -> Bool {
        while true {
            if let nl = buffer[start...].firstIndex(of: 0x0A) {
                var end = nl
                if end > start && buffer[end - 1] == 0x0D { end -= 1 }
                body(buffer[start..<end])
                start = nl + 1
                return true
            }
            if eof || !fill() {
                guard start < buffer.count else { return false }
                var end = buffer.count
                if buffer[end - 1] == 0x0D { end -= 1 }
                body(buffer[start..<end])
                start = buffer.count
                return true
            }
        }
    }
}

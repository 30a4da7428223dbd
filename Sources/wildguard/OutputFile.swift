import Foundation

/// Opening files the tool writes to.
enum OutputFile {
    /// Opens `path` for writing, created or truncated, the way a shell redirection does.
    ///
    /// `FileManager.createFile` writes a temporary file and renames it over the path: on
    /// `/dev/null` (as root) or a named pipe that replaces the device or the pipe with a regular
    /// file. `open(2)` writes to whatever is there.
    static func open(_ path: String, what: String) throws -> FileHandle {
        let fd = Foundation.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CLIError.configuration("\(path): cannot create the \(what) (\(String(cString: strerror(errno))))")
        }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }
}

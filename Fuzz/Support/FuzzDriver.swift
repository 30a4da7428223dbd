#if WILDGUARD_LIBFUZZER
import CFuzzDriver
#endif
import Foundation

/// The `main` of every fuzz target. Built for fuzzing (`-sanitize=fuzzer -D WILDGUARD_LIBFUZZER`,
/// see `scripts/fuzz.sh`) it hands the command line to libFuzzer; in an ordinary build, where there
/// is no libFuzzer, it runs the target once on each file named on the command line (files in a
/// named directory too), so that a crash input or the seed corpus can be replayed with a debugger.
public enum FuzzDriver {
    /// A libFuzzer entry point: `LLVMFuzzerTestOneInput`.
    public typealias Entry = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

    public static func main(_ entry: Entry) -> Never {
        #if WILDGUARD_LIBFUZZER
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, entry))
        #else
        let paths = CommandLine.arguments.dropFirst()
        guard !paths.isEmpty else {
            print("usage: \(CommandLine.arguments.first ?? "fuzz-target") FILE|DIRECTORY...")
            print("Built without libFuzzer: runs the target on each input once (scripts/fuzz.sh builds the fuzzer).")
            exit(2)
        }
        var count = 0
        for path in paths {
            for file in inputs(at: path) {
                guard let data = FileManager.default.contents(atPath: file) else {
                    print("cannot read \(file)")
                    exit(2)
                }
                _ = data.withUnsafeBytes { raw in
                    entry(raw.bindMemory(to: UInt8.self).baseAddress, raw.count)
                }
                count += 1
            }
        }
        print("ran \(count) inputs, no invariant broken")
        exit(0)
        #endif
    }

    /// The file at `path`, or the regular files in the directory at `path` (sorted, not recursive).
    static func inputs(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return [path]
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { path + "/" + $0 }.filter { file in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }
}

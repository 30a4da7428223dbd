import ArgumentParser
import Foundation
import WildGuard

struct Patterns: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export every compiled pattern as JSONL, to run the same set through other engines.",
        discussion: """
            Literals are in normalised form (lower case, accents removed); regexes are PCRE2
            with the caseless, UTF and UCP options.

            Example:
              wildguard patterns --export > patterns.jsonl
            """)

    @Flag(name: .long, help: "Write the patterns as JSONL to standard output.") var export = false
    @OptionGroup var engineOptions: EngineOptions

    func run() throws {
        let engine: Engine
        do { engine = try engineOptions.loadEngine() } catch { exitWithConfigurationError(error) }
        guard export else {
            let s = engine.statistics
            print("\(s.literals) literals, \(s.regexes) regular expressions, \(s.automatonStates) automaton states (use --export to write them)")
            return
        }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var out = Data()
        for pattern in engine.exportedPatterns() {
            out.append(try encoder.encode(pattern))
            out.append(0x0A)
        }
        FileHandle.standardOutput.write(out)
    }
}

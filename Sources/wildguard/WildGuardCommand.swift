import ArgumentParser
import Foundation
import WildGuard

@main
struct WildGuardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wildguard",
        abstract: "Screen online listings for illegal wildlife trade: block, review or allow, with reasons.",
        discussion: """
            Examples:
              wildguard classify Examples/sample-listings.jsonl
              cat listings.jsonl | wildguard classify --jobs 2 > decisions.jsonl
              wildguard explain "Carved ivory bangle, 45g, WhatsApp for price"
              wildguard evaluate Tests/Fixtures/devset.jsonl --by lang
              wildguard taxonomy validate
            """,
        // A constant, so that `--version` is listed in the help; the full text (taxonomy, policy
        // and library versions) is printed by `main`, which has to load the taxonomy for it.
        version: WildGuardVersion.string,
        subcommands: [Classify.self, Explain.self, Evaluate.self, TaxonomyCommand.self, Patterns.self, ReportCommand.self]
    )

    /// Runs the command; usage errors exit with 2 (not ArgumentParser's 64), like configuration
    /// errors, so that scripts can tell "your input was read" (0) from "fix the call" (2).
    static func main() {
        // Handled here: a `CommandConfiguration(version:)` text is computed on every run, and this
        // one loads the bundled taxonomy (a second load for every command).
        if Array(CommandLine.arguments.dropFirst()) == ["--version"] {
            print(VersionInfo.text)
            return
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

enum VersionInfo {
    static var tool: String { WildGuardVersion.string }

    static var text: String {
        var lines = ["wildguard \(tool)"]
        if let dir = Taxonomy.bundledDirectory(), let taxonomy = try? Taxonomy(directory: dir) {
            lines.append("taxonomy \(taxonomy.name) \(taxonomy.version) (\(taxonomy.contentHash))")
            if let policy = try? Policy.resolve(Policy.defaultName, taxonomyDirectory: dir) {
                lines.append("policy \(policy.name) \(policy.version) (\(policy.contentHash))")
            }
        }
        lines.append("ICU \(LibraryVersions.icu), PCRE2 \(LibraryVersions.pcre2)")
        return lines.joined(separator: "\n")
    }
}

import ArgumentParser
import Foundation
import WildGuard

/// Options every command that loads an engine shares.
struct EngineOptions: ParsableArguments {
    @Option(name: .long, help: "Taxonomy directory (default: the bundled one, or $WILDGUARD_TAXONOMY).")
    var taxonomy: String?

    @Option(name: .long, help: "Policy profile name (in the taxonomy's policies/ folder) or a policy file.")
    var policy: String = Policy.defaultName

    func taxonomyDirectory() throws -> String {
        if let taxonomy { return taxonomy }
        guard let dir = Taxonomy.bundledDirectory() else {
            throw CLIError.configuration("no taxonomy found: pass --taxonomy DIR or set WILDGUARD_TAXONOMY")
        }
        return dir
    }

    func loadEngine() throws -> Engine {
        let dir = try taxonomyDirectory()
        do {
            return try Engine(taxonomyDirectory: dir, policy: policy)
        } catch {
            let problems = error.problems
            let more = problems.count > 1 ? " (and \(problems.count - 1) more: run 'wildguard taxonomy validate')" : ""
            throw CLIError.configuration((problems.first?.description ?? error.description) + more)
        }
    }
}

/// Errors that end a command with exit code 2 and a one-line message.
enum CLIError: Error, CustomStringConvertible {
    case configuration(String)
    case usage(String)

    var description: String {
        switch self {
        case .configuration(let m), .usage(let m): m
        }
    }
}

/// Prints `error` to stderr and exits 2 (usage and configuration errors).
func exitWithConfigurationError(_ error: Error) -> Never {
    let message: String
    switch error {
    case let e as CLIError: message = e.description
    case let e as WildGuardError: message = e.description
    default: message = String(describing: error)
    }
    FileHandle.standardError.write(Data("wildguard: \(message)\n".utf8))
    exit(2)
}

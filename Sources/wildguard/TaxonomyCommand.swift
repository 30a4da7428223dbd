import ArgumentParser
import Foundation
import WildGuard

struct TaxonomyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "taxonomy",
        abstract: "Check the taxonomy and report its coverage.",
        subcommands: [Validate.self, Stats.self])

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every taxonomy and policy file; report problems as file:line: reason.",
            discussion: """
                Checks the schema (unknown or missing fields, duplicate ids), compiles every
                pattern (and rejects ones at risk of catastrophic backtracking), loads every policy,
                and runs every entry's positive and negative examples.

                Example:
                  wildguard taxonomy validate --taxonomy Taxonomy
                """)

        @OptionGroup var engineOptions: EngineOptions

        func run() throws {
            let dir: String
            do { dir = try engineOptions.taxonomyDirectory() } catch { exitWithConfigurationError(error) }
            var problems: [String] = []
            let taxonomy: Taxonomy
            do {
                taxonomy = try Taxonomy(directory: dir)
            } catch {
                report(error.problems.map(\.description))
                throw ExitCode(1)
            }
            var engine: Engine?
            for name in Policy.available(in: dir) {
                do {
                    let policy = try Policy.resolve(name, taxonomyDirectory: dir)
                    if engine == nil { engine = try Engine(taxonomy: taxonomy, policy: policy) }
                } catch {
                    problems += error.problems.map(\.description)
                }
            }
            if let engine {
                problems += TaxonomyValidator(engine: engine).checkExamples().map(\.description)
            } else if problems.isEmpty {
                problems.append("\(dir)/policies: no policy file")
            }
            if !problems.isEmpty {
                report(problems)
                throw ExitCode(1)
            }
            let examples = taxonomy.entries.reduce(0) { $0 + $1.positiveExamples.count + $1.negativeExamples.count }
            print("ok: \(taxonomy.entries.count) entries, \(examples) examples, \(Policy.available(in: dir).count) policies (\(taxonomy.name) \(taxonomy.version))")
        }

        private func report(_ problems: [String]) {
            for p in problems { FileHandle.standardError.write(Data((p + "\n").utf8)) }
            FileHandle.standardError.write(Data("wildguard: \(problems.count) problem(s)\n".utf8))
        }
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print taxonomy coverage: taxa by appendix, names by language, code words by language, examples.")

        @OptionGroup var engineOptions: EngineOptions

        func run() throws {
            let taxonomy: Taxonomy
            do { taxonomy = try Taxonomy(directory: engineOptions.taxonomyDirectory()) } catch { exitWithConfigurationError(error) }
            let s = TaxonomyStatistics(taxonomy)
            print("taxonomy \(taxonomy.name) \(taxonomy.version): \(taxonomy.entries.count) entries, \(s.terms) terms, \(s.patterns) patterns")
            print("\nentries by kind:")
            for kind in SignalKind.allCases where s.entriesByKind[kind] != nil { print("  \(pad(kind.rawValue)) \(s.entriesByKind[kind] ?? 0)") }
            print("\ntaxa by CITES appendix:")
            for (k, v) in s.taxaByAppendix.sorted(by: { $0.key < $1.key }) { print("  \(pad(k)) \(v)") }
            print("\ntaxa by group:")
            for (k, v) in s.taxaByGroup.sorted(by: { $0.key < $1.key }) { print("  \(pad(k)) \(v)") }
            print("\ntaxon names by language (names / taxa with a name):")
            for (k, v) in s.namesByLanguage.sorted(by: { $0.value > $1.value }) { print("  \(pad(k)) \(v) / \(s.taxaWithNamesByLanguage[k] ?? 0)") }
            print("\ncode words by language:")
            for (k, v) in s.codewordsByLanguage.sorted(by: { $0.value > $1.value }) { print("  \(pad(k)) \(v)") }
            print("\nexamples by kind (positive / negative):")
            for kind in SignalKind.allCases { if let e = s.examplesByKind[kind] { print("  \(pad(kind.rawValue)) \(e.positive) / \(e.negative)") } }
        }

        private func pad(_ s: String) -> String { s.padding(toLength: 14, withPad: " ", startingAt: 0) }
    }
}

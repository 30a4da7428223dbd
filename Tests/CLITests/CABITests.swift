import Foundation
import Testing

/// The C ABI as a C or Python program uses it: the examples in Examples/c-abi are compiled with
/// `cc` against the built libwildguard-c.so and run, and so is the Python ctypes example.
@Suite("C ABI", .serialized)
struct CABITests {
    let taxonomy = CLI.fixtureTaxonomy

    /// The fixture listings whose decisions the CLI's golden file records (ids a, b, 7, c).
    let listings = ["Ivory bangle for sale $40", "ivory dress for sale", "象牙 carving", "plain blue vase"]
    let actions = ["block", "allow", "review", "allow"]

    @Test func cExampleClassifiesOneListingAtATime() throws {
        let program = try CABI.compile("classify.c")
        let r = try CABI.run(program, [taxonomy], stdin: listings.joined(separator: "\n") + "\n")
        #expect(r.status == 0, "\(r.stderr)")
        let columns = r.lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        #expect(columns.map { $0.first ?? "" } == actions)
        #expect(columns.map { $0.last ?? "" } == listings)
        #expect(columns[0].count == 3 && Double(columns[0][1]) == 6)
        #expect(r.stderr.contains("wildguard 0.1.0"))
    }

    @Test func cExampleBatchWritesTheCLIsDecisionsInOrder() throws {
        let program = try CABI.compile("classify.c")
        let r = try CABI.run(program, ["--json", taxonomy], stdin: listings.joined(separator: "\n") + "\n")
        #expect(r.status == 0, "\(r.stderr)")
        let records = r.lines.map(CLI.json)
        #expect(records.map { $0["id"] as? Int } == [0, 1, 2, 3])
        #expect(records.map { $0["decision"] as? String } == actions)
        // Byte for byte the records `wildguard classify` writes, but for the id.
        let golden = try String(contentsOfFile: CLI.fixture("golden/listings.decisions.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let expected = [golden[0], golden[1], golden[2], golden[6]]
        #expect(r.lines.map(CABI.dropID) == expected.map(CABI.dropID))
    }

    @Test func cExampleUsesTheBundledTaxonomyAndDefaultPolicy() throws {
        let program = try CABI.compile("classify.c")
        let input = try String(contentsOf: CABI.examples.appendingPathComponent("listings.txt"), encoding: .utf8)
        let r = try CABI.run(program, [CLI.root.appendingPathComponent("Taxonomy").path], stdin: input)
        #expect(r.status == 0, "\(r.stderr)")
        let byListing = Dictionary(r.lines.map { line in
            let columns = line.split(separator: "\t").map(String.init)
            return (columns.last ?? "", columns.first ?? "")
        }, uniquingKeysWith: { a, _ in a })
        #expect(byListing["Carved ivory bangle, 45g, WhatsApp for price"] == "block")
        #expect(byListing["Ivory silk wedding dress, size 10"] == "allow")
    }

    @Test func cExampleReportsALoadErrorWithoutCrashing() throws {
        let program = try CABI.compile("classify.c")
        let missing = try CABI.run(program, ["/nonexistent/taxonomy"], stdin: "ivory\n")
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("/nonexistent/taxonomy"), "\(missing.stderr)")
        let policy = try CABI.run(program, [taxonomy, "no-such-policy"], stdin: "ivory\n")
        #expect(policy.status == 2)
        #expect(policy.stderr.contains("no policy named 'no-such-policy'"), "\(policy.stderr)")
    }

    @Test func oneEngineSharedByEightPThreadsGivesEveryThreadTheSameDecisions() throws {
        let program = try CABI.compile("threads.c", flags: ["-pthread"])
        let r = try CABI.run(program, [taxonomy, "8", "40"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("threads: 8 threads"))
        #expect(r.stdout.contains(" 0 mismatches"), "\(r.stdout)")
    }

    @Test func theABIRejectsBadArgumentsWithoutAborting() throws {
        let program = try CABI.compile(source: CABI.contractProgram, name: "contract")
        let r = try CABI.run(program, [taxonomy])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.hasSuffix("contract: ok\n"), "\(r.stdout)")
    }

    @Test func pythonExamplePrintsDecisions() throws {
        let script = CABI.examples.appendingPathComponent("wildguard.py").path
        let lib = try CABI.library().path
        let table = try CABI.run(CABI.env, ["python3", script, "--lib", lib, "--taxonomy", taxonomy] + listings)
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.lines.map { String($0.prefix { $0 != "\t" }) } == actions)
        let json = try CABI.run(CABI.env, ["python3", script, "--lib", lib, "--taxonomy", taxonomy, "--json"],
                                stdin: listings.joined(separator: "\n") + "\n")
        #expect(json.status == 0, "\(json.stderr)")
        let records = json.lines.map(CLI.json)
        #expect(records.map { $0["decision"] as? String } == actions)
        let reasons = records.first?["reasons"] as? [[String: Any]]
        #expect(reasons?.first?["matched"] as? String == "Ivory")
        let bad = try CABI.run(CABI.env, ["python3", script, "--lib", lib, "--taxonomy", "/nonexistent/taxonomy", "x"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("/nonexistent/taxonomy"), "\(bad.stderr)")
    }

    @Test func pythonBindingSharesOneEngineBetweenThreads() throws {
        // ctypes releases the GIL around foreign calls, so these threads really run in the library
        // at the same time.
        let program = """
            import sys, concurrent.futures
            sys.path.insert(0, sys.argv[1])
            from wildguard import WildGuard
            listings = ["Ivory bangle for sale $40", "ivory dress for sale", "象牙 carving", "plain blue vase"] * 25
            with WildGuard(sys.argv[2], library=sys.argv[3]) as engine:
                expected = [d["decision"] for d in engine.classify_batch(listings, jobs=2)]
                single = [engine.classify(t)["decision"] for t in listings]
                actions = [engine.action(t)[0] for t in listings]
                with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
                    threaded = list(pool.map(lambda t: engine.classify(t)["decision"], listings))
                assert expected == single == actions == threaded, (expected, single, actions, threaded)
                print(" ".join(expected[:4]))
            """
        let r = try CABI.run(CABI.env, ["python3", "-c", program, CABI.examples.path, taxonomy, try CABI.library().path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == actions.joined(separator: " ") + "\n")
    }
}

/// Finding the built library, compiling C against it and running programs.
enum CABI {
    static let examples = CLI.root.appendingPathComponent("Examples/c-abi")
    static let include = CLI.root.appendingPathComponent("Sources/WildGuardCABI/include")
    static let env = URL(fileURLWithPath: "/usr/bin/env")

    struct NotBuilt: Error, CustomStringConvertible {
        var description: String {
            "libwildguard-c.so is not next to the tests or the wildguard binary; build it with `swift build --product wildguard-c`"
        }
    }

    /// libwildguard-c.so in the build products folder, which also holds the test bundle and the
    /// `wildguard` binary.
    static func library() throws -> URL {
        let name = "libwildguard-c.so"
        let candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent(name),
            Bundle.main.bundleURL.appendingPathComponent(name),
            CLI.binary.deletingLastPathComponent().appendingPathComponent(name),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name),
        ]
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            throw NotBuilt()
        }
        return found
    }

    /// Compiles one of the examples (or `source`) with `cc` against the built library, into a
    /// fresh temporary folder, warnings as errors.
    static func compile(_ example: String, flags: [String] = []) throws -> URL {
        try compile(source: String(contentsOf: examples.appendingPathComponent(example), encoding: .utf8),
                    name: (example as NSString).deletingPathExtension, flags: flags)
    }

    static func compile(source: String, name: String, flags: [String] = []) throws -> URL {
        let lib = try library().deletingLastPathComponent().path
        let dir = CLI.scratch.appendingPathComponent("cabi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("\(name).c")
        try source.write(to: file, atomically: true, encoding: .utf8)
        let output = dir.appendingPathComponent(name)
        let cc = try run(env, ["cc", "-std=c11", "-D_POSIX_C_SOURCE=200809L", "-Wall", "-Wextra", "-Werror"] + flags + [
            file.path, "-I", include.path, "-L", lib, "-lwildguard-c", "-Wl,-rpath,\(lib)", "-o", output.path,
        ])
        guard cc.status == 0 else { throw CompileError(output: cc.stderr) }
        return output
    }

    struct CompileError: Error, CustomStringConvertible {
        var output: String
        var description: String { "cc failed:\n\(output)" }
    }

    /// Runs a program with `arguments`, feeding it `stdin`, and collects its output.
    static func run(_ executable: URL, _ arguments: [String], stdin: String = "") throws -> CLI.Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = CLI.root
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONIOENCODING"] = "utf-8"
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        // Read both pipes concurrently so that a full pipe cannot block the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        group.wait()
        return CLI.Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                          stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A decision record without its leading `{"id":…,` (ids differ between the CLI and the ABI).
    static func dropID(_ line: String) -> String {
        guard let comma = line.firstIndex(of: ",") else { return line }
        return String(line[comma...])
    }

    /// A C program that checks the ABI's contract on the edges: bad arguments come back as
    /// errors, never as a crash, and unusual but valid input works.
    static let contractProgram = #"""
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include "wildguard.h"

        static int failures = 0;
        #define CHECK(condition) do { if (!(condition)) { printf("FAILED line %d: %s\n", __LINE__, #condition); failures++; } } while (0)

        static int starts(const char *string, const char *prefix) {
            return string && strncmp(string, prefix, strlen(prefix)) == 0;
        }

        int main(int argc, char **argv) {
            if (argc < 2) return 2;
            CHECK(wg_abi_version() == WG_ABI_VERSION);
            CHECK(strcmp(wg_version(), "0.1.0") == 0);

            /* Loading errors: a message when asked for, none otherwise, never a crash. */
            char *error = (char *)1;
            CHECK(wg_engine_open("/nonexistent/taxonomy", NULL, &error) == NULL);
            CHECK(error != NULL && strstr(error, "/nonexistent/taxonomy") != NULL);
            wg_string_free(error);
            CHECK(wg_engine_open(argv[1], "no-such-policy", NULL) == NULL);
            error = NULL;
            CHECK(wg_engine_open(argv[1], "no-such-policy", &error) == NULL);
            CHECK(error != NULL && strstr(error, "no policy named 'no-such-policy'") != NULL);
            wg_string_free(error);

            error = (char *)1;
            wg_engine *engine = wg_engine_open(argv[1], "", &error); /* "": the default policy */
            CHECK(engine != NULL && error == NULL);
            if (!engine) return 1;

            /* NULL where a pointer is needed. */
            CHECK(wg_classify(NULL, "ivory", 5) == NULL);
            CHECK(wg_classify(engine, NULL, 5) == NULL);
            CHECK(wg_classify_action(NULL, "ivory", 5, NULL) == WG_EINVAL);
            CHECK(wg_classify_action(engine, NULL, WG_NUL_TERMINATED, NULL) == WG_EINVAL);

            /* Empty, NUL-terminated, explicit length, embedded NUL, invalid UTF-8. */
            char *empty = wg_classify(engine, NULL, 0);
            CHECK(empty != NULL && strstr(empty, "\"decision\":\"allow\"") != NULL);
            wg_string_free(empty);
            double score = -1;
            CHECK(wg_classify_action(engine, "Ivory bangle for sale $40", WG_NUL_TERMINATED, &score) == WG_BLOCK);
            CHECK(score == 6);
            CHECK(wg_classify_action(engine, "Ivory bangle for sale $40", 5, NULL) == WG_REVIEW); /* just "Ivory" */
            const char nul[] = "plain vase \0 ivory bangle for sale";
            CHECK(wg_classify_action(engine, nul, sizeof nul - 1, NULL) == WG_BLOCK);
            CHECK(wg_classify_action(engine, nul, WG_NUL_TERMINATED, NULL) == WG_ALLOW);
            char *broken = wg_classify(engine, "ivory \xff\xfe for sale", WG_NUL_TERMINATED);
            CHECK(broken != NULL && strstr(broken, "\"rule\":\"input.invalid-utf8\"") != NULL);
            CHECK(starts(broken, "{\"id\":null,"));
            wg_string_free(broken);

            /* Batches: nothing to do, bad arguments, lengths given or not. */
            char *results[3] = {(char *)1, (char *)1, (char *)1};
            CHECK(wg_classify_batch(engine, NULL, NULL, 0, 0, NULL) == WG_OK);
            CHECK(wg_classify_batch(NULL, NULL, NULL, 1, 0, results) == WG_EINVAL);
            const char *texts[3] = {"ivory bangle for sale", NULL, "plain vase"};
            size_t lengths[3] = {21, 4, 10};
            CHECK(wg_classify_batch(engine, texts, lengths, 3, 0, results) == WG_EINVAL);
            CHECK(results[0] == NULL && results[1] == NULL && results[2] == NULL);
            CHECK(wg_classify_batch(engine, texts, lengths, 3, -1, results) == WG_EINVAL);
            CHECK(wg_classify_batch(engine, texts, lengths, 3, 0, NULL) == WG_EINVAL);
            lengths[1] = 0;
            CHECK(wg_classify_batch(engine, texts, lengths, 3, 1, results) == WG_OK);
            CHECK(starts(results[0], "{\"id\":0,\"decision\":\"block\","));
            CHECK(starts(results[1], "{\"id\":1,\"decision\":\"allow\","));
            CHECK(starts(results[2], "{\"id\":2,\"decision\":\"allow\","));
            for (int i = 0; i < 3; i++) wg_string_free(results[i]);
            texts[1] = "tusk";
            CHECK(wg_classify_batch(engine, texts, NULL, 3, 0, results) == WG_OK);
            CHECK(results[1] && strstr(results[1], "\"decision\":\"review\"") != NULL);
            for (int i = 0; i < 3; i++) wg_string_free(results[i]);

            wg_string_free(NULL);
            wg_engine_free(NULL);
            wg_engine_free(engine);
            printf("contract: %s\n", failures ? "FAILED" : "ok");
            return failures ? 1 : 0;
        }
        """#
}

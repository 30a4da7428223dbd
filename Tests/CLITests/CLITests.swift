import Foundation
import Testing

@Suite("wildguard CLI", .serialized)
struct CLITests {
    let tax = ["--taxonomy", CLI.fixtureTaxonomy]

    @Test func classifyMatchesTheGoldenOutput() throws {
        let r = try CLI.run(["classify", "-q"] + tax + [CLI.fixture("listings.jsonl")])
        #expect(r.status == 0, "\(r.stderr)")
        let golden = try String(contentsOfFile: CLI.fixture("golden/listings.decisions.jsonl"), encoding: .utf8)
        #expect(r.stdout == golden)
    }

    @Test func oneRecordOutPerRecordInWithErrorsInPlace() throws {
        let r = try CLI.run(["classify"] + tax + [CLI.fixture("listings.jsonl")])
        let records = r.lines.map(CLI.json)
        #expect(records.count == 7)  // 8 lines, one blank
        #expect(records.map { "\($0["id"] ?? "")" } == ["a", "b", "7", "5", "bad", "7", "c"])
        #expect(records[4]["decision"] as? String == "error")
        #expect(records[4]["line"] as? Int == 6)
        #expect((records[5]["error"] as? String)?.contains("invalid JSON") == true)
        #expect(r.stderr.contains("7 records (block 1, review 2, allow 2, error 2)"))
    }

    @Test func readsStandardInput() throws {
        let r = try CLI.run(["classify", "-q"] + tax, stdin: "{\"id\":1,\"text\":\"ivory for sale\"}\n")
        #expect(CLI.json(r.lines[0])["decision"] as? String == "block")
    }

    @Test func readsCSVWithQuotedFieldsAndWritesCSV() throws {
        let r = try CLI.run(["classify", "-q", "--format", "csv"] + tax + [CLI.fixture("listings.csv")])
        #expect(r.status == 0)
        let lines = r.lines
        #expect(lines[0] == "id,decision,score,reasons,matched,policy,taxonomy_version")
        #expect(lines.count == 4)
        #expect(lines[1].hasPrefix("1,block,"))
        #expect(lines[2].hasPrefix("2,review,"))
        #expect(lines[3].hasPrefix("3,allow,"))
        #expect(lines[1].contains("\"Ivory;for sale\"") || lines[1].contains("Ivory;for sale"))
    }

    @Test func readsPlainTextOneListingPerLine() throws {
        let r = try CLI.run(["classify", "-q", "--input-format", "text", "--format", "table"] + tax,
                            stdin: "ivory for sale\nblue vase\n")
        #expect(r.lines.count == 3)
        #expect(r.lines[1].hasPrefix("1 ") && r.lines[1].contains("block"))
        #expect(r.lines[2].hasPrefix("2 ") && r.lines[2].contains("allow"))
    }

    @Test func keepsInputOrderOnTwoJobsOverTenThousandRecords() throws {
        var input = ""
        for i in 0..<10_000 {
            input += "{\"id\":\(i),\"text\":\"\(i % 2 == 0 ? "ivory for sale" : "vase")\"}\n"
        }
        let r = try CLI.run(["classify", "-q", "--jobs", "2"] + tax, stdin: input)
        let lines = r.lines
        #expect(lines.count == 10_000)
        for (i, line) in lines.enumerated() {
            let record = CLI.json(line)
            #expect(record["id"] as? Int == i)
            #expect(record["decision"] as? String == (i % 2 == 0 ? "block" : "allow"))
        }
    }

    @Test func writesToAFile() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("wg-out-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try CLI.run(["classify", "-q", "-o", out] + tax + [CLI.fixture("listings.jsonl")])
        #expect(r.status == 0 && r.stdout.isEmpty)
        #expect(try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").count == 7)
    }

    /// Output goes to whatever the path names, as a shell redirection would: a symbolic link is
    /// followed, not replaced by a regular file (the same mechanism once replaced `/dev/null`
    /// itself when the tool ran as root with `-o /dev/null`).
    @Test func writesThroughALinkAtTheOutputPath() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wg-link-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("decisions.jsonl").path
        let link = dir.appendingPathComponent("link.jsonl").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        for arguments in [["classify", "-q", "-o", link], ["report", "-q", "-o", link]] {
            let input = arguments[0] == "classify" ? CLI.fixture("listings.jsonl") : CLI.fixture("golden/listings.decisions.jsonl")
            let r = try CLI.run(arguments + (arguments[0] == "classify" ? tax : []) + [input])
            #expect(r.status == 0, "\(arguments[0]): \(r.stderr)")
            let type = try FileManager.default.attributesOfItem(atPath: link)[.type] as? FileAttributeType
            #expect(type == .typeSymbolicLink, "\(arguments[0]) replaced the link")
            #expect(try !String(contentsOfFile: target, encoding: .utf8).isEmpty)
        }
    }

    @Test("usage and configuration errors exit 2 with one line naming the problem", arguments: [
        (["classify", "--jobs", "0"], "--jobs"),
        (["classify", "/nonexistent/input.jsonl"], "/nonexistent/input.jsonl"),
        (["classify", "--taxonomy", "/nonexistent/taxonomy"], "/nonexistent/taxonomy"),
        (["classify", "--policy", "nope"], "no policy named 'nope'"),
        (["classify", "--format", "xml"], "xml"),
    ])
    func configurationErrors(arguments: [String], mentions: String) throws {
        var args = arguments
        if !args.contains("--taxonomy") { args += tax }
        let r = try CLI.run(args, stdin: "")
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains(mentions), "\(r.stderr)")
    }

    @Test func aBadTaxonomyIsRejectedWithFileAndLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wg-bad-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(atPath: CLI.fixtureTaxonomy, toPath: dir.path)
        let file = dir.appendingPathComponent("lexicon/terms.yaml")
        var text = try String(contentsOf: file, encoding: .utf8)
        text = text.replacingOccurrences(of: "    source: test fixture\n    examples: {positive: [ivory bangle]", with: "    source: test fixture\n    flavour: vanilla\n    examples: {positive: [ivory bangle]")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let r = try CLI.run(["classify", "--taxonomy", dir.path], stdin: "")
        #expect(r.status == 2)
        #expect(r.stderr.contains("lexicon/terms.yaml:8: unknown field 'flavour'"), "\(r.stderr)")
        let v = try CLI.run(["taxonomy", "validate", "--taxonomy", dir.path])
        #expect(v.status == 1)
        #expect(v.stderr.contains("lexicon/terms.yaml:8"))
    }

    @Test func evaluatePrintsTheConfusionMatrixAndGates() throws {
        let r = try CLI.run(["evaluate"] + tax + [CLI.fixture("labelled.jsonl"), "--by", "lang"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("macro-F1"))
        #expect(r.stdout.contains("by lang:"))
        let gate = try CLI.run(["evaluate"] + tax + [CLI.fixture("labelled.jsonl"), "--fail-under", "macro_f1=0.99"])
        #expect(gate.status == 1)
        #expect(gate.stderr.contains("macro_f1"))
        let json = try CLI.run(["evaluate", "--json"] + tax + [CLI.fixture("labelled.jsonl")])
        let parsed = CLI.json(json.stdout)
        let overall = parsed["overall"] as? [String: Any]
        #expect(overall?["records"] as? Int == 5)
    }

    @Test func evaluateWritesMisclassifiedRecords() throws {
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("wg-err-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: errors) }
        let r = try CLI.run(["evaluate"] + tax + [CLI.fixture("labelled.jsonl"), "--errors", errors])
        #expect(r.status == 0)
        let lines = try String(contentsOfFile: errors, encoding: .utf8).split(separator: "\n")
        #expect(lines.count >= 1)
        #expect(lines.allSatisfy { CLI.json(String($0))["label"] != nil })
    }

    @Test func explainShowsEvidenceAndRules() throws {
        let r = try CLI.run(["explain", "--no-color"] + tax + ["IVORY bangle for sale"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("decision: BLOCK"))
        #expect(r.stdout.contains("normalised: ivory bangle for sale"))
        #expect(r.stdout.contains("[[IVORY]]"))
        #expect(r.stdout.contains("SALE"))
        let byID = try CLI.run(["explain", "--no-color", "--file", CLI.fixture("listings.jsonl"), "--id", "b"] + tax)
        #expect(byID.stdout.contains("decision: ALLOW"))
    }

    @Test func taxonomyValidateAndStats() throws {
        let v = try CLI.run(["taxonomy", "validate"] + tax)
        #expect(v.status == 0, "\(v.stderr)")
        #expect(v.stdout.hasPrefix("ok: 4 entries"))
        let s = try CLI.run(["taxonomy", "stats"] + tax)
        #expect(s.stdout.contains("taxa by CITES appendix"))
        #expect(s.stdout.contains("I/II"))
    }

    @Test func patternsExportWritesJSONL() throws {
        let r = try CLI.run(["patterns", "--export"] + tax)
        let lines = r.lines.map(CLI.json)
        #expect(lines.contains { $0["entry"] as? String == "intent.sale" && $0["type"] as? String == "regex" })
        #expect(lines.contains { $0["pattern"] as? String == "xiang ya" && $0["derived_from"] as? String == "romanisation" })
    }

    @Test func versionNamesToolTaxonomyAndPolicy() throws {
        let r = try CLI.run(["--version"], environment: ["WILDGUARD_TAXONOMY": CLI.fixtureTaxonomy])
        #expect(r.stdout.contains("wildguard "))
        #expect(r.stdout.contains("taxonomy cli-test 1"))
        #expect(r.stdout.contains("policy strict-marketplace test"))
    }

    @Test func helpHasExamples() throws {
        let r = try CLI.run(["classify", "--help"])
        #expect(r.stdout.contains("Examples:"))
    }

    @Test func aClosedPipeEndsTheRunCleanly() throws {
        let input = String(repeating: "{\"text\":\"ivory for sale\"}\n", count: 200_000)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wg-big-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try input.write(toFile: path, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "'\(CLI.binary.path)' classify -q --taxonomy '\(CLI.fixtureTaxonomy)' '\(path)' | head -n 3 > /dev/null; echo ${PIPESTATUS:-0}"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test func anInterruptedRunWritesWhatItDidAndSaysWhereItStopped() throws {
        let input = String(repeating: "{\"text\":\"ivory for sale\"}\n", count: 400_000)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wg-int-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try input.write(toFile: path, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["classify", "--taxonomy", CLI.fixtureTaxonomy, path]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Interrupt once decisions are flowing (so the handler is surely installed).
        var data = out.fileHandleForReading.availableData
        while !data.contains(0x0A) && !data.isEmpty { data += out.fileHandleForReading.availableData }
        process.interrupt()
        data += out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 130, "\(message)")
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        #expect(lines.count > 0 && lines.count < 400_000)
        #expect(lines.allSatisfy { CLI.json(String($0))["decision"] as? String == "block" })
        #expect(message.contains("interrupted: \(lines.count) records written, stopped after input line \(lines.count)"), "\(message)")
    }
}

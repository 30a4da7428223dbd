import Foundation
import PostgresNIO
import Synchronization
import Testing
import WildGuardReviewQueue

/// Worker processes, started from the built `wildguard-review-worker` the way an operator
/// would, one of them killed with SIGKILL while it holds a claimed batch.
@Suite("review queue worker processes")
struct WorkerProcessTests {
    @Test func severalWorkerProcessesWithOneKilledMidBatch() async throws {
        let total = 3_000
        try await TestDatabase.withFreshDatabase { settings in
            try await TestDatabase.withClient(settings) { client in
                try await QueueAdmin.enqueue(Fixture.listings(total), client: client, logger: Fixture.logger)

                // The victim claims a batch, reports it, and holds it (locked, uncommitted).
                let victim = try WorkerProcess(settings, name: "victim", arguments: [
                    "--workers", "1", "--batch-size", "100", "--hold-after-claim", "600", "--idle-in-transaction-timeout", "900",
                ])
                defer { victim.kill() }
                let claim = try await victim.waitForLine(startingWith: "claimed ", seconds: 240)
                let parts = claim.split(separator: " ").compactMap { Int64($0) }
                try #require(parts.count == 3)
                let held = parts[0]
                #expect(held == 100)

                // Three more processes of two workers each drain the queue around the victim's locked rows.
                let others = try (1...3).map { index in
                    try WorkerProcess(settings, name: "worker\(index)", arguments: ["--workers", "2", "--batch-size", "50", "--drain"])
                }
                defer { for other in others { other.kill() } }
                try await waitUntil("the other workers to decide every row but the victim's", seconds: 600) {
                    try await TestDatabase.count(client, "SELECT count(*) FROM wildguard.listings WHERE status = 'pending'") == held
                }
                // SKIP LOCKED: nobody touched the rows the victim holds.
                #expect(try await TestDatabase.count(client, """
                    SELECT count(*) FROM wildguard.listings WHERE id BETWEEN \(parts[1]) AND \(parts[2]) AND status = 'pending'
                    """) == held)

                // Killed mid-batch: no chance to roll back or clean up. The server sees the
                // connection close and rolls the transaction back, and the rows are free again.
                victim.kill()
                #expect(victim.waitForExit(seconds: 30) != 0)
                for other in others {
                    let status = other.waitForExit(seconds: 600)
                    #expect(status == 0, "\(other.name) exited with \(status): \(other.errorOutput)")
                }

                try await TestDatabase.expectEveryRowDecidedOnce(client, total: total)
                #expect(try await TestDatabase.count(client, "SELECT count(*) FROM wildguard.listings WHERE decided_by LIKE 'victim%'") == 0)
                #expect(try await TestDatabase.count(client, """
                    SELECT count(*) FROM wildguard.listings WHERE id BETWEEN \(parts[1]) AND \(parts[2]) AND decision_count = 1
                    """) == held)
                #expect(try await TestDatabase.count(client, "SELECT count(DISTINCT decided_by) FROM wildguard.listings") >= 2)
            }
        }
    }

    @Test func enqueueAndStatusFromTheCommandLine() async throws {
        try await TestDatabase.withFreshDatabase { settings in
            let sample = Fixture.root.appendingPathComponent("Examples/sample-listings.jsonl").path
            let enqueue = try WorkerProcess(settings, command: "enqueue", name: nil, arguments: [sample])
            #expect(enqueue.waitForExit(seconds: 120) == 0)
            #expect(enqueue.output.contains("queued \(Fixture.texts.count) listings"))
            let work = try WorkerProcess(settings, name: "cli", arguments: ["--drain", "--workers", "1"])
            #expect(work.waitForExit(seconds: 300) == 0, "\(work.errorOutput)")
            let status = try WorkerProcess(settings, command: "status", name: nil, arguments: [])
            #expect(status.waitForExit(seconds: 120) == 0)
            #expect(status.output.contains("pending\t0"))
            try await TestDatabase.withClient(settings) { client in
                try await TestDatabase.expectEveryRowDecidedOnce(client, total: Fixture.texts.count)
                #expect(try await TestDatabase.count(client, "SELECT count(*) FROM wildguard.listings WHERE external_id = 'sample-01'") == 1)
            }
        }
    }
}

/// A running `wildguard-review-worker`, its standard output collected line by line.
final class WorkerProcess: Sendable {
    let name: String?
    private let process: Process
    private let collected = Shared("")
    private let errorFile: URL

    static let binary: URL = {
        let name = "wildguard-review-worker"
        let candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent(name),
            Bundle.main.bundleURL.appendingPathComponent(name),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }()

    init(_ settings: DatabaseSettings, command: String = "work", name: String?, arguments: [String]) throws {
        self.name = name
        let process = Process()
        process.executableURL = Self.binary
        var all = [command, "--host", settings.host, "--port", String(settings.port), "--user", settings.username, "--database", settings.database]
        if command == "work" { all += ["--taxonomy", Fixture.taxonomy] }
        if let name { all += ["--name", name] }
        process.arguments = all + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("wildguard-worker-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        process.standardInput = FileHandle.nullDevice
        self.process = process
        try process.run()
        let reader = output.fileHandleForReading
        let collected = self.collected
        Thread.detachNewThread {
            while true {
                let data = reader.availableData
                if data.isEmpty { break }
                collected.update { $0 += String(decoding: data, as: UTF8.self) }
            }
        }
    }

    var output: String { collected.value }
    var errorOutput: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }

    func waitForLine(startingWith prefix: String, seconds: Double) async throws -> String {
        var found: String?
        try await waitUntil("a line starting with '\(prefix)' from \(name ?? "the worker")", seconds: seconds) {
            found = output.split(separator: "\n").first { $0.hasPrefix(prefix) }.map(String.init)
            if found == nil && !process.isRunning { throw TestFailure("the worker exited: \(errorOutput)") }
            return found != nil
        }
        return found ?? ""
    }

    /// The exit status (the negated signal number for a signal), or -1000 on time-out.
    func waitForExit(seconds: Double) -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        guard !process.isRunning else { return -1000 }
        return process.terminationReason == .uncaughtSignal ? -process.terminationStatus : process.terminationStatus
    }

    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }

    deinit { try? FileManager.default.removeItem(at: errorFile) }
}

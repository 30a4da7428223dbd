import Foundation
import Testing

/// Debian's headless Chromium, if it is installed (scripts/setup.sh installs it when
/// WILDGUARD_WITH_CHROMIUM=1). WILDGUARD_CHROMIUM names another binary, or, set empty, turns the
/// browser test off.
enum Chromium {
    static let path: String? = {
        let environment = ProcessInfo.processInfo.environment
        if let chosen = environment["WILDGUARD_CHROMIUM"] {
            return !chosen.isEmpty && FileManager.default.isExecutableFile(atPath: chosen) ? chosen : nil
        }
        let dirs = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init) + ["/usr/bin"]
        for name in ["chromium", "chromium-browser"] {
            for dir in dirs {
                let candidate = URL(fileURLWithPath: dir).appendingPathComponent(name).path
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }()

    static let missing = "chromium is not installed (or WILDGUARD_CHROMIUM is empty): run WILDGUARD_WITH_CHROMIUM=1 bash scripts/setup.sh to run the browser test"

    /// Runs headless Chromium on `url` with a throwaway profile; stops it after `timeout` seconds.
    static func run(_ arguments: [String], url: URL, timeout: TimeInterval = 90) throws -> (status: Int32, stdout: String, stderr: String) {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("wg-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path ?? "chromium")
        // --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start.
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                             "--hide-scrollbars", "--mute-audio", "--user-data-dir=\(profile.path)"] + arguments + [url.absoluteString]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        group.wait()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}

/// Opens a report whose listings try every way of running a script (a `<script>` element, event
/// handler attributes, `javascript:` URLs, a broken-out `</title>`) in headless Chromium: the
/// charts and the table must render, the report's own script must run, and none of the injected
/// ones may (each would set document.title to PWNED).
@Suite("wildguard report in headless Chromium", .serialized)
struct ReportBrowserTests {
    @Test(.enabled(if: Chromium.path != nil, Comment(rawValue: Chromium.missing)))
    func chartsAndTableRenderAndNoInjectedScriptRuns() throws {
        let dir = try ReportFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = dir.appendingPathComponent("report.html")
        let r = try CLI.run(["report", "-q", ReportFixture.path("decisions.jsonl"), "--listings", ReportFixture.path("listings.jsonl"),
                             "-o", html.path])
        #expect(r.status == 0, "\(r.stderr)")
        let source = try ReportFixture.read(html.path)
        #expect(source.contains("document.title=&#39;PWNED&#39;"), "the fixture holds the injection attempts")

        // The DOM after the page's scripts ran.
        let dom = try Chromium.run(["--dump-dom"], url: html)
        #expect(dom.status == 0, "\(dom.stderr.suffix(2000))")
        let page = dom.stdout
        let dumped = page.contains("</html>")
        #expect(dumped, "no DOM dumped: \(dom.stderr.suffix(2000))")
        let title = page.components(separatedBy: "<title>").dropFirst().first?.components(separatedBy: "</title>").first
        #expect(title == "WildGuard report", "document.title is \(title ?? "missing")")
        let titleIntact = !page.contains("PWNED</title>")
        #expect(titleIntact)
        // The report's own script ran (scripts were not simply off) and measured the layout:
        // 8 charts with bars and 10 table rows with a height.
        let rendered = page.contains("data-rendered=\"charts=8 rows=10\"")
        #expect(rendered, "\(page.prefix(300))")
        let counted = page.contains("10 of 10 cases shown")
        #expect(counted)
        // Nothing from a listing became an element or an attribute. In the serialised DOM every
        // literal "<" opens a tag (text has &lt;), and quotes inside attribute values are &quot;.
        var handlers: [String] = []
        var scriptURLs: [String] = []
        for chunk in page.components(separatedBy: "<").dropFirst() {
            guard let tag = chunk.components(separatedBy: ">").first else { continue }
            let outsideQuotes = tag.components(separatedBy: "\"").enumerated().filter { $0.offset % 2 == 0 }.map(\.element).joined(separator: " ")
            let names = outsideQuotes.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { $0.split(separator: "=").first }
            if names.dropFirst().contains(where: { $0.lowercased().hasPrefix("on") }) { handlers.append(String(tag.prefix(80))) }
            let lower = tag.lowercased()
            if ["href", "src", "action", "formaction", "xlink:href"].contains(where: { lower.contains(" \($0)=\"javascript:") }) {
                scriptURLs.append(String(tag.prefix(80)))
            }
        }
        #expect(handlers.isEmpty, "event handler attributes in the DOM: \(handlers)")
        #expect(scriptURLs.isEmpty, "javascript: URLs in the DOM: \(scriptURLs)")
        let elements = page.components(separatedBy: "<").dropFirst().filter { !$0.hasPrefix("/") && !$0.hasPrefix("!") }.compactMap { $0.split(whereSeparator: { " >/\n".contains($0) }).first.map(String.init) }
        #expect(!elements.contains("img") && elements.filter { $0 == "script" }.count == 1, "injected elements in the DOM")
        #expect(elements.filter { $0 == "svg" }.count == 8)
        #expect(elements.filter { $0 == "title" }.count == 1 + 8 + source.components(separatedBy: "<g class=\"row\">").count - 1)

        // A screenshot of the page: a PNG of the requested size with something drawn on it.
        let png = dir.appendingPathComponent("report.png")
        let shot = try Chromium.run(["--window-size=1280,1600", "--screenshot=\(png.path)"], url: html)
        #expect(shot.status == 0, "\(shot.stderr.suffix(2000))")
        let bytes = [UInt8]((try? Data(contentsOf: png)) ?? Data())
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "not a PNG")
        if bytes.count >= 24 {
            let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }
            let height = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
            #expect(width == 1280 && height == 1600, "\(width)x\(height)")
        }
        // A blank page compresses to a few kilobytes; charts, badges and a table do not.
        #expect(bytes.count > 40_000, "screenshot of \(bytes.count) bytes looks blank")
        if let keep = ProcessInfo.processInfo.environment["WILDGUARD_KEEP_SCREENSHOT"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(at: png, to: URL(fileURLWithPath: keep))
        }
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Prints the report's HTML to PDF with headless Chromium (Debian's `chromium`), offline and atomically.
///
/// Chromium reads a private copy of the HTML from a fresh temporary folder, with a throw-away profile, its network sent
/// to a closed proxy port and every host name unresolvable: the report references nothing outside itself, and this
/// makes sure that stays true even for a bug. The PDF is accepted only when Chromium exits 0 and the file is a whole
/// PDF (`%PDF-` ... `%%EOF`); it then goes through ``AtomicOutput``, so a killed or failed run never leaves a
/// half-written file under the requested name. A run that takes longer than `timeout` is killed.
package enum ReportPDF {
    /// The error code for a machine without Chromium (exit status 69, EX_UNAVAILABLE).
    package static let chromiumMissing = AmanaError.Code("report.chromium.missing")

    /// The Chromium executable on `PATH`, or an error that says how to install it.
    package static func chromium(path: String? = ProcessInfo.processInfo.environment["PATH"]) throws -> String {
        for folder in (path ?? "/usr/bin:/bin").split(separator: ":") {
            for name in ["chromium", "chromium-browser"] {
                let candidate = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        throw AmanaError(chromiumMissing, "chromium is not installed, so --pdf cannot print the report",
                         hint: "install it with 'apt-get install chromium', or leave out --pdf (the html report is complete)")
    }

    /// Chromium's arguments. `--no-sandbox` only as root, where Chromium refuses to start otherwise (its sandbox needs
    /// an unprivileged user); as any other user the sandbox stays on.
    static func arguments(html: String, pdf: String, profile: String, asRoot: Bool) -> [String] {
        var arguments = [
            "--headless", "--disable-gpu", "--no-pdf-header-footer", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-sync", "--disable-background-networking", "--disable-component-update",
            "--disable-default-apps", "--disable-breakpad", "--user-data-dir=\(profile)",
            "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>", "--host-resolver-rules=MAP * ~NOTFOUND",
            "--print-to-pdf=\(pdf)",
        ]
        if asRoot { arguments.append("--no-sandbox") }
        arguments.append(URL(fileURLWithPath: html).absoluteString)
        return arguments
    }

    /// Prints `html` to `output`, which must not exist.
    package static func write(html: String, to output: String, timeout: TimeInterval = 180) throws {
        let chromium = try chromium()
        let target = try AtomicOutput(path: output)
        do {
            let bytes = try print(html: html, chromium: chromium, timeout: timeout)
            try bytes.withUnsafeBytes { try target.write($0) }
            try target.commit()
        } catch {
            target.abandon()
            throw error
        }
    }

    /// Runs Chromium in a private temporary folder and returns the PDF's bytes; the folder is always removed.
    static func print(html: String, chromium: String, timeout: TimeInterval) throws -> [UInt8] {
        var template = Array("\(NSTemporaryDirectory())/amana-report-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw AmanaError(.outputFailed, "cannot make a temporary folder for chromium: \(String(cString: strerror(errno)))")
        }
        let folder = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let htmlPath = "\(folder)/report.html", pdfPath = "\(folder)/report.pdf"
        guard FileManager.default.createFile(atPath: htmlPath, contents: Data(html.utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw AmanaError(.outputFailed, "cannot write the report for chromium in \(folder)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = arguments(html: htmlPath, pdf: pdfPath, profile: "\(folder)/profile", asRoot: geteuid() == 0)
        var environment = ProcessInfo.processInfo.environment
        // Chromium's caches and crash files go to the temporary folder too, never to the user's home.
        for name in ["HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"] { environment[name] = folder }
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw AmanaError(.outputFailed, "cannot start \(chromium): \(error.localizedDescription)")
        }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning {
            // Foundation starts the child in a process group of its own: killing the group ends Chromium's helper
            // processes too (renderer, GPU, zygote), not only the browser process.
            kill(-process.processIdentifier, SIGKILL)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw AmanaError(.outputFailed, "chromium did not finish printing the report within \(Int(timeout)) seconds; no pdf was written")
        }
        guard process.terminationStatus == 0 else {
            throw AmanaError(.outputFailed, "chromium could not print the report (exit status \(process.terminationStatus)); no pdf was written")
        }
        guard let data = FileManager.default.contents(atPath: pdfPath), isWholePDF(Array(data)) else {
            throw AmanaError(.outputFailed, "chromium wrote no complete pdf; no pdf was written")
        }
        return Array(data)
    }

    /// A PDF that starts with its header and has its end-of-file marker in the last kilobyte.
    static func isWholePDF(_ bytes: [UInt8]) -> Bool {
        guard bytes.starts(with: Array("%PDF-".utf8)) else { return false }
        let tail = String(decoding: bytes.suffix(1024), as: UTF8.self)
        return tail.contains("%%EOF")
    }
}

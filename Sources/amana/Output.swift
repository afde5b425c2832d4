import ArgumentParser
import AmanaKit
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Everything the CLI prints goes through here: results to stdout, errors and warnings to stderr.
enum Output {
    static func line(_ text: String) {
        print(safe(text))
    }

    static func error(_ text: String, hint: String? = nil) {
        fflush(nil)  // every C stream (nil: no shared global); the report first, then what went wrong
        FileHandle.standardError.write(Data("amana: error: \(safe(text))\n".utf8))
        if let hint { FileHandle.standardError.write(Data("amana: hint: \(safe(hint))\n".utf8)) }
    }

    static func warning(_ text: String) {
        fflush(nil)
        FileHandle.standardError.write(Data("amana: warning: \(safe(text))\n".utf8))
    }

    /// Makes text from a bundle harmless on a terminal.
    ///
    /// Names, messages and values in a report can come from a hostile bundle. An escape sequence in a file name
    /// could erase a FAILED line, print a fake verdict, or hide what follows; a CR or LF could forge a line; bidi
    /// controls could reorder what a person reads. Every C0 and C1 control, DEL and bidi control is shown as
    /// `\u{…}` instead. Amana's own messages contain none of them, so this never changes honest output.
    static func safe(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true                       // C0, DEL, C1
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true  // bidi marks, embeddings, isolates
        default: return false
        }
    }

    static func write(_ bytes: [UInt8]) {
        fflush(nil)
        FileHandle.standardOutput.write(Data(bytes))
    }

    /// Prints an error the way users see every error, and returns the exit status for it.
    static func fail(_ error: Error) -> Int32 {
        if let exit = error as? ExitCode { return exit.rawValue }
        if let error = error as? AmanaError {
            self.error(error.reason, hint: error.hint)
            return exitStatus(error.code)
        }
        let code = Amana.exitCode(for: error)
        if code == .success {
            // --help and --version: ArgumentParser's text, on stdout.
            print(Amana.fullMessage(for: error))
            return 0
        }
        var message = Amana.message(for: error).trimmingCharacters(in: .whitespacesAndNewlines)
        if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
        if let first = message.first { message = first.lowercased() + message.dropFirst() }
        let firstLine = message.split(separator: "\n").first.map(String.init) ?? message
        self.error(firstLine, hint: "run 'amana help' or 'amana <verb> --help' for usage")
        return 64
    }

    static func exitStatus(_ code: AmanaError.Code) -> Int32 {
        switch code {
        case .usage: return 64
        case .inputInvalid, .sourceChanged: return 65
        case .inputUnreadable: return 66
        case .internalFailure: return 70
        case .outputExists: return 73
        case .outputFailed: return 74
        case .wrongPassphrase, .ageNoMatch: return 77
        case .ageHeader, .ageHMAC, .agePayload, .ageArmor: return 65
        default:
            // A missing program a verb needs (Chromium for `report --pdf`) is EX_UNAVAILABLE.
            if code == ReportPDF.chromiumMissing { return 69 }
            // A store's back-end server that cannot be reached (S3, the catalog's PostgreSQL) is a service problem.
            if code == S3Failure.unreachable || code == PostgresFailure.unreachable { return 69 }
            // A TSA that cannot be reached (or answers HTTP errors) is a service problem; a bad answer a protocol one.
            if code.rawValue.hasPrefix("timestamp.tsa.unreachable") || code.rawValue.hasPrefix("timestamp.tsa.http") { return 69 }
            if code.rawValue.hasPrefix("timestamp.tsa.") { return 76 }
            return 70
        }
    }

    static func bytes(_ count: UInt64) -> String {
        let units = ["bytes", "KB", "MB", "GB", "TB"]
        var value = Double(count)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(count) bytes" : String(format: "%.1f %@", value, units[unit])
    }
}

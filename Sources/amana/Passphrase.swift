import AmanaKit
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a passphrase comes from, in order: `--passphrase-file`, `AMANA_PASSPHRASE`, then a terminal prompt.
///
/// The prompt goes to `/dev/tty`, not stdout, with echo off, so a passphrase never lands in a pipe, a log or the
/// screen. Without any of the three, the command fails with a hint instead of hanging on a missing terminal.
enum Passphrase {
    static let environmentVariable = "AMANA_PASSPHRASE"

    static func obtain(file: String?, confirm: Bool, prompt: String) throws -> String {
        if let file {
            let bytes = try readFile(file)
            guard var text = String(validating: bytes, as: UTF8.self) else {
                throw AmanaError(.inputInvalid, "the passphrase file \(file) is not UTF-8 text")
            }
            if let newline = text.firstIndex(where: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
                text = String(text[..<newline])
            }
            guard !text.isEmpty else { throw AmanaError(.inputInvalid, "the passphrase file \(file) is empty") }
            return text
        }
        if let value = ProcessInfo.processInfo.environment[environmentVariable], !value.isEmpty {
            return value
        }
        let first = try ask(prompt)
        guard !first.isEmpty else { throw AmanaError(.usage, "the passphrase is empty") }
        if confirm {
            let second = try ask("repeat the passphrase: ")
            guard first == second else { throw AmanaError(.usage, "the two passphrases differ") }
        }
        return first
    }

    private static func readFile(_ path: String) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw AmanaError(.inputUnreadable, "cannot read the passphrase file \(path)")
        }
        defer { try? handle.close() }
        return Array(handle.readData(ofLength: 4096))
    }

    private static func ask(_ prompt: String) throws -> String {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else {
            throw AmanaError(.usage, "a passphrase is needed and there is no terminal to ask for it",
                             hint: "use --passphrase-file FILE or set \(environmentVariable)")
        }
        defer { close(fd) }
        var saved = termios()
        let hasTerminal = tcgetattr(fd, &saved) == 0
        if hasTerminal {
            var silent = saved
            silent.c_lflag &= ~tcflag_t(ECHO)
            _ = tcsetattr(fd, TCSAFLUSH, &silent)
        }
        defer {
            if hasTerminal { _ = tcsetattr(fd, TCSAFLUSH, &saved) }
            _ = Glibc.write(fd, "\n", 1)
        }
        _ = prompt.withCString { Glibc.write(fd, $0, strlen($0)) }
        var bytes = [UInt8]()
        var byte: UInt8 = 0
        while Glibc.read(fd, &byte, 1) == 1 && byte != UInt8(ascii: "\n") && bytes.count < 4096 {
            bytes.append(byte)
        }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}

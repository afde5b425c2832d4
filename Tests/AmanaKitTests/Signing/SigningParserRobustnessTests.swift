import XCTest

@testable import AmanaKit

/// Every parser against garbage, truncation and single-byte damage: it must never crash, and must either read the
/// input or throw `.inputInvalid` (`.wrongPassphrase` only where a damaged encrypted key gets that far).
final class SigningParserRobustnessTests: XCTestCase {
    /// A parser under test, taking raw bytes.
    private struct Parser {
        let name: String
        let parse: ([UInt8]) throws -> Void
    }

    private static let refusePassphrase = AmanaError(.usage, "test: no passphrase")

    private let parsers: [Parser] = [
        Parser(name: "public key file") { _ = try PublicKey(minisignFile: $0) },
        Parser(name: "public key base64") { _ = try PublicKey(base64: String(decoding: $0, as: UTF8.self)) },
        Parser(name: "secret key isEncrypted") { _ = try SecretKey.isEncrypted(minisignFile: String(decoding: $0, as: UTF8.self)) },
        Parser(name: "secret key file") {
            _ = try SecretKey(minisignFile: $0, passphrase: { throw SigningParserRobustnessTests.refusePassphrase })
        },
        Parser(name: "signature file") { _ = try MinisignSignature(minisignFile: $0) },
    ]

    /// Reads the cheap encrypted sample with its real passphrase, so the intact file must load.
    private let unlocking = Parser(name: "encrypted secret key file") {
        _ = try SecretKey(minisignFile: $0, passphrase: { "pw" })
    }

    /// Runs `parser` and checks the outcome is a success or one of the allowed error codes.
    private func check(
        _ parser: Parser, _ input: [UInt8], allowSuccess: Bool = true, file: StaticString = #filePath, line: UInt = #line
    ) {
        do {
            try parser.parse(input)
            if !allowSuccess {
                XCTFail("\(parser.name) accepted \(String(decoding: input.prefix(80), as: UTF8.self).debugDescription)",
                        file: file, line: line)
            }
        } catch let error as AmanaError {
            let allowed: [AmanaError.Code] = [.inputInvalid, .wrongPassphrase, .usage]
            XCTAssertTrue(allowed.contains(error.code), "\(parser.name): \(error.code) \(error.reason)", file: file, line: line)
            XCTAssertFalse(error.reason.isEmpty, file: file, line: line)
            XCTAssertFalse(error.reason.contains("\n"), "reasons are one line", file: file, line: line)
            XCTAssertEqual(error.reason.first.map { $0.isUppercase }, false, "reasons start lowercase", file: file, line: line)
        } catch {
            XCTFail("\(parser.name) threw a foreign error \(error)", file: file, line: line)
        }
    }

    func testGarbageIsRefused() {
        var generator = SigningSplitMix(seed: 0x5eed)
        var inputs: [[UInt8]] = [
            [], [0x0a], [0x0d, 0x0a], Array("\n\n\n\n".utf8), Array("\n\n\n\n\n".utf8), [0], [0xff, 0xfe],
            Array("untrusted comment: \n".utf8), Array("untrusted comment: \nRWQ\n".utf8),
            Array("untrusted comment: x\n====\ntrusted comment: y\n====\n".utf8),
            Array("untrusted comment: x\n\ntrusted comment: y\n\n".utf8),
            Array(repeating: UInt8(ascii: "A"), count: 100_000),
            Array(repeating: 0x0a, count: 100_000),
            Array(("untrusted comment: " + String(repeating: "x", count: 5000) + "\nRWQ=\n").utf8),
            Array("untrusted comment: \u{80}\n".utf8), [0x75, 0x6e, 0xc3, 0x28, 0x0a],  // invalid UTF-8
        ]
        for length in [1, 2, 3, 42, 56, 57, 100, 158, 212, 300, 2000] {
            inputs.append((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let base64ish = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\n\r :".utf8)
            inputs.append((0..<length).map { _ in base64ish.randomElement(using: &generator)! })
        }
        for parser in parsers {
            for input in inputs { check(parser, input, allowSuccess: false) }
        }
    }

    func testEveryTruncationOfValidFiles() throws {
        let key = try SecretKey.generate(name: "Lina Haddad", organization: "Syrian Archive")
        let samples: [(Parser, String)] = [
            (parsers[0], key.publicKey.minisignFile()),
            (parsers[1], key.publicKey.base64),
            (parsers[2], try key.minisignFile(passphrase: nil)),
            (parsers[3], try key.minisignFile(passphrase: nil)),
            (unlocking, try SigningTestSupport.cheapEncryptedFile(key, passphrase: "pw")),
            (parsers[4], try key.sign(Array("m".utf8), trustedComment: "t\tu").minisignFile()),
        ]
        for (parser, text) in samples {
            let bytes = Array(text.utf8)
            XCTAssertNoThrow(try parser.parse(bytes), parser.name)
            for length in 0..<bytes.count {
                // Only dropping the final newline leaves a readable file.
                let readable = length == bytes.count - 1 && bytes.last == 0x0a
                check(parser, Array(bytes.prefix(length)), allowSuccess: readable)
                if readable { XCTAssertNoThrow(try parser.parse(Array(bytes.prefix(length))), parser.name) }
            }
        }
    }

    func testEverySingleByteDamageOfValidFiles() throws {
        let key = try SecretKey.generate(name: "Lina Haddad", organization: "Syrian Archive")
        let samples: [(Parser, String)] = [
            (parsers[0], key.publicKey.minisignFile()),
            (parsers[1], key.publicKey.base64),
            (parsers[2], try key.minisignFile(passphrase: nil)),
            (parsers[3], try key.minisignFile(passphrase: nil)),
            // The closure refuses before scrypt runs, so damaged encrypted keys cost nothing.
            (parsers[3], try SigningTestSupport.cheapEncryptedFile(key, passphrase: "pw")),
            (parsers[4], try key.sign(Array("m".utf8), trustedComment: "t\tu").minisignFile()),
        ]
        let replacements: [UInt8] = [0x00, 0x09, 0x0a, 0x0d, 0x20, 0x2b, 0x3d, 0x41, 0x7f, 0xc3, 0xff]
        for (parser, text) in samples {
            let bytes = Array(text.utf8)
            for index in bytes.indices {
                for replacement in replacements where replacement != bytes[index] {
                    var damaged = bytes
                    damaged[index] = replacement
                    check(parser, damaged)
                }
                var shorter = bytes
                shorter.remove(at: index)
                check(parser, shorter)
                var longer = bytes
                longer.insert(0x41, at: index)
                check(parser, longer)
            }
        }
    }

    func testDamagedSignaturesNeverVerify() throws {
        // Damage anywhere in the signed lines of a signature file must never leave it `.valid`.
        let key = try SecretKey.generate(name: nil, organization: nil)
        let message = Array("message".utf8)
        let bytes = Array(try key.sign(message, trustedComment: "trusted").minisignFile().utf8)
        let secondLineStart = bytes.firstIndex(of: 0x0a)! + 1
        for index in secondLineStart..<bytes.count - 1 where bytes[index] != 0x0a {
            for replacement: UInt8 in [0x41, 0x2f, 0x78] where replacement != bytes[index] {
                var damaged = bytes
                damaged[index] = replacement
                guard let signature = try? MinisignSignature(minisignFile: damaged) else { continue }
                XCTAssertNotEqual(key.publicKey.verify(signature, message: message), .valid, "byte \(index)")
            }
        }
    }
}

/// A tiny deterministic generator so that garbage inputs are the same on every run.
struct SigningSplitMix: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

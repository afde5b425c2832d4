/// The passphrase recipient: the file key is wrapped under scrypt(passphrase).
///
/// A passphrase file must have exactly one stanza: otherwise a passphrase-protected file could be quietly readable by
/// other keys too, which the passphrase holder would not expect.
package struct AgeScryptRecipient: AgeRecipient {
    let passphrase: [UInt8]
    let workFactor: Int

    package init(passphrase: String, workFactor: Int = AgeFormat.defaultScryptWorkFactor) {
        self.passphrase = Array(passphrase.utf8)
        self.workFactor = workFactor
    }

    package var publicName: String { "scrypt passphrase" }

    package func wrap(fileKey: [UInt8]) throws -> [AgeStanza] {
        let salt = AgeRandom.bytes(16)
        let key = try AgeScryptKDF.derive(passphrase: passphrase, salt: Array(AgeFormat.scryptLabel.utf8) + salt, logN: workFactor)
        return [AgeStanza(type: "scrypt", arguments: [AgeBase64.encodeString(salt), String(workFactor)],
                          body: try AgePayloadCipher.wrap(fileKey, key: key))]
    }
}

/// Unwraps with a passphrase, refusing work factors above a limit so a hostile file cannot make it run for hours.
package struct AgeScryptIdentity: AgeIdentity {
    let passphrase: [UInt8]
    let maxWorkFactor: Int

    package init(passphrase: String, maxWorkFactor: Int = AgeFormat.maxScryptWorkFactor) {
        self.passphrase = Array(passphrase.utf8)
        self.maxWorkFactor = maxWorkFactor
    }

    package func unwrap(_ stanzas: [AgeStanza]) throws -> [UInt8]? {
        for stanza in stanzas where stanza.type == "scrypt" {
            guard stanza.arguments.count == 2, let salt = AgeStanza.decodeArgument(stanza.arguments[0], count: 16) else {
                throw AgeHeader.failure("a scrypt stanza's salt is malformed")
            }
            let factor = Array(stanza.arguments[1].utf8)
            // Decimal without sign or leading zero: one spelling per value.
            guard (1...2).contains(factor.count), factor[0] != UInt8(ascii: "0"),
                  factor.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let logN = Int(stanza.arguments[1]) else {
                throw AgeHeader.failure("a scrypt stanza's work factor is not a plain decimal number")
            }
            guard logN <= maxWorkFactor else {
                throw AgeHeader.failure("the scrypt work factor \(logN) is above the limit of \(maxWorkFactor)")
            }
            guard stanza.body.count == AgeFormat.fileKeySize + AgeFormat.tagSize else {
                throw AgeHeader.failure("a scrypt stanza's body is not a wrapped 16-byte file key")
            }
            let key = try AgeScryptKDF.derive(passphrase: passphrase, salt: Array(AgeFormat.scryptLabel.utf8) + salt, logN: logN)
            if let fileKey = AgePayloadCipher.unwrap(stanza.body, key: key) { return fileKey }
        }
        return nil
    }
}

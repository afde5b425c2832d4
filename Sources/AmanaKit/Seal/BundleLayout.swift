/// The names Amana adds inside a bundle (spec/bundle.md section "Layout"); BagIt's own names are ``BagItNames``.
package enum BundleLayout {
    /// Amana's own tag files live here, inside the tag manifests' coverage.
    package static let amanaFolder = "amana"
    package static let itemsFile = "amana/items.json"
    /// Seals sign the tag manifests, so they sit outside them, in a folder of their own.
    package static let sealsFolder = "seals"

    /// `seals/0001.seal`: four digits, so seals sort in order as plain names.
    package static func sealFile(_ number: Int) -> String { "seals/\(sealStem(number)).seal" }
    /// The minisign signature of a seal: stock `minisign -V` finds it beside the seal by this name.
    package static func sealSignature(_ number: Int) -> String { sealFile(number) + ".minisig" }

    static func sealStem(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// RFC 3161 tokens over a seal's signature file: `seals/0001.seal.minisig.tsr` for the first, then
    /// `seals/0001.seal.minisig.2.tsr` and so on, one per TSA (spec/timestamps.md section 2).
    package static func sealToken(_ number: Int, index: Int = 1) -> String {
        sealSignature(number) + (index == 1 ? ".tsr" : ".\(index).tsr")
    }

    /// Parses `seals/0001.seal` (and `.minisig`, `.minisig.tsr`, `.minisig.N.tsr`) names into a seal number and a kind.
    enum SealFileKind: Equatable { case statement, signature, token(Int) }

    static func parseSealPath(_ path: String) -> (number: Int, kind: SealFileKind)? {
        // Seal names are ASCII; comparing bytes keeps a combining mark from hiding inside a "match".
        guard path.utf8.allSatisfy({ $0 < 0x80 }), path.hasBytePrefix(sealsFolder + "/") else { return nil }
        var name = Substring(path.dropFirst(sealsFolder.count + 1))
        let kind: SealFileKind
        if name.hasSuffix(".tsr"), let marker = name.range(of: ".seal.minisig") {
            let tail = name[marker.upperBound...].dropLast(4)  // "" or ".N"
            var index = 1
            if !tail.isEmpty {
                guard tail.hasPrefix("."), let parsed = Int(tail.dropFirst()), parsed >= 2, parsed <= 99,
                      String(parsed) == tail.dropFirst() else { return nil }
                index = parsed
            }
            kind = .token(index)
            name = name[..<marker.lowerBound]
        } else if name.hasSuffix(".seal.minisig") {
            kind = .signature
            name = name.dropLast(".seal.minisig".count)
        } else if name.hasSuffix(".seal") {
            kind = .statement
            name = name.dropLast(".seal".count)
        } else {
            return nil
        }
        // 1 to 9999 (seal.md): a hostile name like seals/1000000000000000000.seal must not become a seal number, or
        // the gap check would count up to it.
        guard name.count == 4, name.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(name), number >= 1,
              number <= 9999, sealStem(number) == name
        else { return nil }
        return (number, kind)
    }

    /// A bundle id is also the tar's root folder name, so it must be a safe, portable folder name.
    package static func isValidBundleID(_ id: String) -> Bool {
        guard (1...128).contains(id.utf8.count), !id.hasPrefix("."), !id.hasPrefix("-") else { return false }
        return id.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                || scalar == "-" || scalar == "." || scalar == "_")
        }
    }
}

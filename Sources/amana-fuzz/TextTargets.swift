import AmanaKit

/// BagIt's text files: `bagit.txt`, `bag-info.txt`, manifests and `fetch.txt`, decoded as the checker decodes them.
enum TextTargets {
    static let versions = BagItVersion.known

    static func tagFile(_ bytes: [UInt8]) {
        for text in FuzzCheck.decodings(bytes) {
            for separator in [TagFile.Separator.strict, .lenient] {
                let (tags, _) = TagFile.parse(text, separator: separator)
                _ = tags.values(BagItNames.payloadOxumLabel)
                // What serialises must read back as the same fields, with no problem, under either separator.
                if let written = try? tags.serialized() {
                    let again = TagFile.parse(written, separator: separator)
                    FuzzCheck.expect(again.problems.isEmpty && again.tagFile == tags, "tag file round trip")
                }
            }
        }
    }

    static func bagDeclaration(_ bytes: [UInt8]) {
        if let declaration = try? BagDeclaration.parse(bytes) {
            _ = declaration.encoding
            let again = try? BagDeclaration.parse(declaration.serialized())
            FuzzCheck.expect(again == declaration, "bagit.txt round trip")
        }
        if let salvaged = FuzzingHooks.salvageDeclaration(bytes) {
            _ = salvaged.encoding
            _ = salvaged.version.isKnown
        }
    }

    static func bagInfo(_ bytes: [UInt8]) {
        for text in FuzzCheck.decodings(bytes) {
            for version in versions {
                let (info, _) = BagInfo.parse(text, version: version)
                _ = info.payloadOxum
                _ = info.baggingDate
                _ = info.externalIdentifier
                _ = info.bagSoftwareAgent
                for value in info.payloadOxumValues { _ = PayloadOxum(value) }
                _ = try? info.serialized()
            }
        }
    }

    static func manifest(_ bytes: [UInt8]) {
        for text in FuzzCheck.decodings(bytes) {
            _ = Manifest.identify(fileName: text)
            for version in [BagItVersion.v0_97, .v1_0] {
                for kind in [Manifest.Kind.payload, .tag] {
                    for algorithm in [DigestAlgorithm.sha256, .md5] {
                        let (manifest, _) = Manifest.parse(text, kind: kind, algorithm: algorithm, version: version)
                        _ = manifest.serialized()
                    }
                }
                // RFC 8493 1.0 percent-encoding is a bijection on paths.
                if version == .v1_0 {
                    FuzzCheck.expect(ManifestPath.decode(ManifestPath.encode(text), version: version) == text,
                                     "manifest path encoding round trip")
                }
                _ = ManifestPath.problem(with: text, scope: .payload)
            }
        }
    }

    static func fetch(_ bytes: [UInt8]) {
        for text in FuzzCheck.decodings(bytes) {
            for version in [BagItVersion.v0_97, .v1_0] {
                _ = FetchFile.parse(text, version: version)
            }
        }
    }
}

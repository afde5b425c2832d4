import AmanaKit

/// Metadata parsers (spec/metadata.md): each must turn any bytes into values or a finding, never a crash or a hang.
enum MetadataTargets {
    static var all: [String: @Sendable ([UInt8]) -> Void] {
        Dictionary(uniqueKeysWithValues: MetadataFuzzing.formats.map { format in
            ("metadata-\(format)", { @Sendable (bytes: [UInt8]) in MetadataFuzzing.parse(format, bytes) })
        })
    }
}

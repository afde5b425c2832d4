@_spi(Fuzzing) import AmanaKit

/// Metadata parsers (spec/metadata.md): each must turn any bytes into values or a finding, never a crash or a hang.
enum MetadataTargets {
    static var all: [String: ([UInt8]) -> Void] {
        Dictionary(uniqueKeysWithValues: MetadataFuzzing.formats.map { format in
            ("metadata-\(format)", { (bytes: [UInt8]) in MetadataFuzzing.parse(format, bytes) })
        })
    }
}

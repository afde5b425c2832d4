/// `s3://BUCKET/PREFIX`: the bucket, and the key prefix under which the store's keys live (may be empty).
/// Named apart from the S3 layer's ``S3Location`` (which adds the endpoint and region the client signs for): the two
/// met when the `s3` branch merged, and a module cannot declare one name twice.
package struct S3ObjectsLocation: Equatable, Sendable {
    package var bucket: String
    /// Without leading or trailing `/`; empty for the bucket's root.
    package var prefix: String

    package init(_ text: String) throws {
        let usage = "the objects location must be s3://BUCKET/PREFIX (a bucket name of 3 to 63 lowercase letters, digits, '.' and '-')"
        guard text.hasPrefix("s3://") else { throw StoreConfigError(usage) }
        let rest = text.dropFirst(5)
        let bucket = String(rest.prefix { $0 != "/" })
        var prefix = String(rest.dropFirst(bucket.count))
        while prefix.hasPrefix("/") { prefix.removeFirst() }
        while prefix.hasSuffix("/") { prefix.removeLast() }
        guard (3...63).contains(bucket.utf8.count),
              bucket.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2E || $0 == 0x2D }),
              let first = bucket.utf8.first, let last = bucket.utf8.last,
              first != 0x2E, first != 0x2D, last != 0x2E, last != 0x2D
        else { throw StoreConfigError(usage) }
        guard prefix.isEmpty
                || !prefix.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }),
              prefix.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F })
        else { throw StoreConfigError("the objects prefix must be plain names separated by single '/'") }
        self.bucket = bucket
        self.prefix = prefix
    }

    package var url: String { prefix.isEmpty ? "s3://\(bucket)" : "s3://\(bucket)/\(prefix)" }
}

/// The files of one side of a bag (payload or tag), looked up the way manifests name them.
///
/// A listed path matches a file when the bytes agree. When none does, a single file whose name differs only in
/// letter case or Unicode normalisation is offered as a variant: the LoC conformance suite expects such bags to
/// pass with a warning (a bag made on macOS lists `Núñez` in NFD while Linux stores NFC, or a case-insensitive
/// file system merged `HELLO.txt` into `hello.txt`). The variant's bytes are still checked against the digest.
struct BagFileIndex {
    enum Resolution {
        case exact(BagInventory.File)
        case variant(path: String, file: BagInventory.File)
        case missing
    }

    private(set) var exact: [ExactPath: BagInventory.File] = [:]
    private var loose: [String: [String]] = [:]
    /// Every path, in byte order.
    private(set) var paths: [String] = []

    init(_ files: [String: BagInventory.File], where include: (String) -> Bool) {
        for (path, file) in files where include(path) {
            exact[ExactPath(path)] = file
            loose[ExactPath.looseKey(path), default: []].append(path)
            paths.append(path)
        }
        paths.sort(by: ExactPath.precedes)
    }

    subscript(_ path: String) -> BagInventory.File? { exact[ExactPath(path)] }

    func resolve(_ path: String) -> Resolution {
        if let file = exact[ExactPath(path)] { return .exact(file) }
        if let candidates = loose[ExactPath.looseKey(path)], candidates.count == 1,
            let file = exact[ExactPath(candidates[0])]
        {
            return .variant(path: candidates[0], file: file)
        }
        return .missing
    }

    var totalSize: UInt64 { exact.values.reduce(0) { $0 + $1.size } }
}

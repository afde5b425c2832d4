/// amana/items.json (bundle.md section 6). Each case changes items.json and then re-seals everything, as a writer
/// with the key would: the tag manifests and the seal hold, so only the items rule can object.
enum ItemsVectors {
    static func cases(_ base: BaseBundles) throws -> [VectorCase] {
        let sealed = try base.bag()
        var cases = [VectorCase]()
        func add(_ name: String, _ comment: String, _ codes: [String], _ change: (inout ForgedBag) -> Void) {
            var bag = sealed
            change(&bag)
            bag.forge()
            cases.append(VectorCase("items", name, comment, bag, failed, codes + [claimedOnly]))
        }
        let items = "amana/items.json"
        func accept(_ name: String, _ comment: String, _ change: (inout ForgedBag) -> Void) {
            var bag = sealed
            change(&bag)
            bag.forge()
            cases.append(VectorCase("items", name, comment, bag, passed, [claimedOnly]))
        }
        accept("compact-layout", "items.json rewritten without any whitespace: any valid JSON layout is accepted") {
            $0[items] = utf8($0.text(items).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined()
                .replacingOccurrences(of: "\" : ", with: "\":"))
        }
        accept("unknown-member", "a member this version does not know, and null for an absent optional member: both ignored") {
            $0.replace(items, "\"case\" : \"VECTORS\",", "\"case\" : \"VECTORS\", \"futureField\" : {\"x\" : [1, 2]}, \"title\" : null,")
        }
        add("not-json", "items.json is not JSON", ["items.malformed"]) { $0[items] = utf8("{\"items\": [\n") }
        add("member-twice", "a member name repeated within an object", ["items.malformed"]) {
            $0.replace(items, "\"case\" : \"VECTORS\",", "\"case\" : \"VECTORS\", \"case\" : \"OTHER\",")
        }
        add("size-negative", "a size with a sign", ["items.malformed"]) { $0.replace(items, "\"size\" : 75", "\"size\" : -75") }
        add("trailing-content", "bytes after the JSON document", ["items.malformed"]) { $0[items] = $0[items]! + utf8("{}") }
        add("byte-order-mark", "items.json starts with a byte-order mark", ["items.malformed"]) { $0[items] = [0xEF, 0xBB, 0xBF] + $0[items]! }
        add("other-bundle", "items.json names another bundle id", ["items.bundle.mismatch"]) {
            $0.replace(items, "\"bundleId\" : \"vector-bundle-1\"", "\"bundleId\" : \"vector-bundle-2\"")
        }
        add("item-twice", "one payload file described twice", ["items.entry.duplicate"]) {
            let text = $0.text(items)
            let start = text.range(of: "\"items\" : [\n")!.upperBound
            let end = text.range(of: "\n    },\n")!.upperBound
            $0[items] = utf8(String(text[..<start]) + String(text[start..<end]) + String(text[start...]))
        }
        add("item-for-absent-file", "an extra item for a file the payload does not hold", ["items.file.missing"]) {
            let text = $0.text(items)
            let start = text.range(of: "\"items\" : [\n")!.upperBound
            let end = text.range(of: "\n    },\n")!.upperBound
            let copy = String(text[start..<end]).replacingOccurrences(of: "\"path\" : \"data/", with: "\"path\" : \"data/absent-")
            $0[items] = utf8(String(text[..<start]) + copy + String(text[start...]))
        }
        add("item-renamed", "an item names a file by another name than the payload's", ["items.file.missing", "items.file.unlisted"]) {
            $0.replace(items, "\"path\" : \"data/photo-log.csv\"", "\"path\" : \"data/photo-log-2.csv\"")
        }
        add("payload-without-item", "a payload file items.json does not describe", ["items.file.unlisted"]) {
            $0["data/added.txt"] = utf8("sealed but not described\n")
            $0.setOxum()
        }
        add("size-wrong", "an item's size differs from the file's", ["items.size.mismatch"]) {
            $0.replace(items, "\"size\" : 75", "\"size\" : 76")
        }
        add("digest-wrong", "an item's sha256 differs from the file's", ["items.digest.mismatch"]) {
            let digest = ForgedBag.hex($0["data/photo-log.csv"]!, .sha256)
            $0.replace(items, digest, String(digest.reversed()))
        }
        return cases
    }
}

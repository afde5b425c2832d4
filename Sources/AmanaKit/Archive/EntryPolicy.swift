/// Decides whether a tar entry's name is acceptable in a bundle, and splits it into root folder and bag path.
///
/// The rules close the classic extraction holes: absolute names and `..` escape the target (zip-slip), backslashes
/// are separators on Windows, and empty or `.` components let two spellings name one file. Anything refused here is
/// neither hashed as part of the bag nor ever written by `extract`.
enum EntryPolicy {
    struct Accepted: Equatable {
        /// The single top-level folder.
        let root: String
        /// The path below the root (`data/a.jpg`); empty for the root folder itself.
        let bagPath: String
    }

    enum Rejection: Error, Equatable {
        case notUTF8
        case absolute
        case backslash
        case parentReference
        case emptyOrDotComponent
        case controlCharacter
        case tooLong

        var reason: String {
            switch self {
            case .notUTF8: return "the name is not valid UTF-8"
            case .absolute: return "the name is an absolute path"
            case .backslash: return "the name contains a backslash"
            case .parentReference: return "the name contains a '..' component"
            case .emptyOrDotComponent: return "the name has an empty or '.' component"
            case .controlCharacter: return "the name contains a control character"
            case .tooLong: return "the name is longer than \(EntryPolicy.maximumPathBytes) bytes or deeper than \(EntryPolicy.maximumDepth) folders"
            }
        }
    }

    /// The most a name may hold, far above any real bundle's, so a hostile header cannot make us build huge strings.
    static let maximumPathBytes = 4096
    /// Deeper nesting than this is refused: no real evidence folder is 256 levels deep.
    static let maximumDepth = 256

    static func check(_ name: String?, isDirectory: Bool) -> Result<Accepted, Rejection> {
        guard var name else { return .failure(.notUTF8) }
        if name.utf8.count > maximumPathBytes { return .failure(.tooLong) }
        if name.hasBytePrefix("/") { return .failure(.absolute) }
        if name.utf8.contains(UInt8(ascii: "\\")) { return .failure(.backslash) }
        if name.unicodeScalars.contains(where: MinisignText.isControlCharacter) {
            return .failure(.controlCharacter)
        }
        // A folder entry is written with one trailing slash; a file never has one.
        if isDirectory && name.hasByteSuffix("/") { name = String(decoding: name.utf8.dropLast(), as: UTF8.self) }
        // Components are compared as bytes: "..", "." and "" must match exactly, never up to Unicode equivalence.
        let components = name.pathComponents()
        if components.count > maximumDepth { return .failure(.tooLong) }
        if components.contains(where: { $0.utf8.elementsEqual("..".utf8) }) { return .failure(.parentReference) }
        if components.contains(where: { $0.utf8.isEmpty || $0.utf8.elementsEqual(".".utf8) }) {
            return .failure(.emptyOrDotComponent)
        }
        let root = components[0]
        let bagPath = components.dropFirst().joined(separator: "/")
        return .success(Accepted(root: root, bagPath: bagPath))
    }
}

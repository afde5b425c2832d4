/// Guesses a file's media type, first from its leading bytes, then from its name.
///
/// Content wins over the name because evidence is often renamed on its way (messaging apps strip extensions). The
/// result is descriptive metadata only; nothing depends on it for integrity.
package enum MediaType {
    package static func detect(prefix bytes: [UInt8], name: String) -> String {
        sniff(bytes) ?? byExtension(name) ?? "application/octet-stream"
    }

    static func sniff(_ b: [UInt8]) -> String? {
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            b.count >= offset + magic.count && Array(b[offset..<offset + magic.count]) == magic
        }
        if starts([0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if starts(Array("GIF8".utf8)) { return "image/gif" }
        if starts(Array("%PDF-".utf8)) { return "application/pdf" }
        if starts(Array("RIFF".utf8)) && starts(Array("WAVE".utf8), at: 8) { return "audio/wav" }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return "image/webp" }
        if starts(Array("RIFF".utf8)) && starts(Array("AVI ".utf8), at: 8) { return "video/x-msvideo" }
        if starts(Array("OggS".utf8)) { return "audio/ogg" }
        if starts([0x1A, 0x45, 0xDF, 0xA3]) { return "video/x-matroska" }
        if starts(Array("ID3".utf8)) { return "audio/mpeg" }
        if starts(Array("#!AMR".utf8)) { return "audio/amr" }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return "image/tiff" }
        if starts(Array("ftyp".utf8), at: 4), b.count >= 12 {
            let brand = String(decoding: b[8..<12], as: UTF8.self)
            switch brand {
            case "qt  ": return "video/quicktime"
            case "heic", "heix", "mif1": return "image/heic"
            case "3gp4", "3gp5", "3gp6", "3g2a": return "video/3gpp"
            case "M4A ": return "audio/mp4"
            default: return "video/mp4"
            }
        }
        return nil
    }

    static func byExtension(_ name: String) -> String? {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "txt", "md": return "text/plain"
        case "json": return "application/json"
        case "html", "htm": return "text/html"
        case "csv": return "text/csv"
        case "xml": return "application/xml"
        case "doc": return "application/msword"
        case "docx": return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case "mp3": return "audio/mpeg"
        case "m4a": return "audio/mp4"
        case "opus": return "audio/opus"
        case "mp4", "m4v": return "video/mp4"
        case "mov": return "video/quicktime"
        case "webm": return "video/webm"
        case "zip": return "application/zip"
        default: return nil
        }
    }
}

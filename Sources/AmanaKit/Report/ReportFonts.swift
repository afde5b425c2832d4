import Foundation

/// The fonts embedded in the report, read at render time from Debian's font packages.
///
/// A report must look the same on a court's offline laptop years later, so the fonts travel inside it as base64
/// `@font-face` data rather than as links: DejaVu (fonts-dejavu-core) for Latin text and digests, Noto Naskh Arabic
/// (fonts-noto-core) for Arabic. They are read from the machine, not compiled into `amana`, to keep the binary small and
/// the fonts' own licences with their packages. A missing font is a warning: the report is still complete, in the
/// reader's fallback fonts.
package enum ReportFonts {
    struct Face {
        let family: String
        let weight: String
        let candidates: [String]
        let package: String
    }

    static let root = "/usr/share/fonts/truetype"

    static func faces(arabic: Bool) -> [Face] {
        var faces = [
            Face(family: "Amana Sans", weight: "normal", candidates: ["\(root)/dejavu/DejaVuSans.ttf"], package: "fonts-dejavu-core"),
            Face(family: "Amana Sans", weight: "bold", candidates: ["\(root)/dejavu/DejaVuSans-Bold.ttf"], package: "fonts-dejavu-core"),
            Face(family: "Amana Mono", weight: "normal", candidates: ["\(root)/dejavu/DejaVuSansMono.ttf"], package: "fonts-dejavu-core"),
        ]
        if arabic {
            faces += [
                Face(family: "Amana Arabic", weight: "normal",
                     candidates: ["\(root)/noto/NotoNaskhArabic-Regular.ttf", "\(root)/noto/NotoSansArabic-Regular.ttf"],
                     package: "fonts-noto-core"),
                Face(family: "Amana Arabic", weight: "bold",
                     candidates: ["\(root)/noto/NotoNaskhArabic-Bold.ttf", "\(root)/noto/NotoSansArabic-Bold.ttf"],
                     package: "fonts-noto-core"),
            ]
        }
        return faces
    }

    /// The `@font-face` rules for a language, and a warning for each font that could not be read.
    package static func css(for language: ReportLanguage) -> (css: String, warnings: [String]) {
        var css = "", warnings = [String]()
        for face in faces(arabic: language == .ar) {
            guard let path = face.candidates.first(where: { FileManager.default.isReadableFile(atPath: $0) }),
                  let data = FileManager.default.contents(atPath: path), !data.isEmpty else {
                warnings.append("font \(face.candidates[0]) is missing, so the report uses the reader's fonts; "
                                + "install it with 'apt-get install \(face.package)'")
                continue
            }
            css += "@font-face { font-family: \"\(face.family)\"; font-weight: \(face.weight); font-style: normal; "
                + "src: url(data:font/ttf;base64,\(data.base64EncodedString())) format(\"truetype\"); }\n"
        }
        return (css, warnings)
    }
}

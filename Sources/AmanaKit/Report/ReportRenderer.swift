import Mustache

/// Renders a verification report as the court report's HTML: one self-contained document, with no reference to the
/// network (styles and fonts inline, no images).
package enum ReportRenderer {
    /// The compiled template, parsed once; a template error is a programming error caught by every report test.
    private static let template: MustacheTemplate = {
        precondition(ReportHTMLEscaper.registered)
        do {
            return try MustacheTemplate(string: ReportTemplate.html)
        } catch {
            preconditionFailure("the report template does not parse: \(error)")
        }
    }()

    /// The HTML, and warnings for the person running it (a font that could not be embedded).
    package static func html(_ report: VerificationReport, language: ReportLanguage) -> (html: String, warnings: [String]) {
        let document = ReportDocumentBuilder(report, language: language).build()
        return html(document, language: language)
    }

    package static func html(_ document: ReportDocument, language: ReportLanguage) -> (html: String, warnings: [String]) {
        let fonts = ReportFonts.css(for: language)
        let footer = "\(document.bundle.id) \u{2014} \(document.verdict.word) (\(document.verdict.code))"
        let style = ReportStyle.css(fonts: fonts.css, footerLeft: footer, pageWord: language.text("page"),
                                    rtl: language.direction == "rtl")
        var document = document
        document.style = style
        return (template.render(document), fonts.warnings)
    }
}

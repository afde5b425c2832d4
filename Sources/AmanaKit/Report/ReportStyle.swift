/// The report's style sheet: screen and A4 print, the running footer, and the embedded fonts.
///
/// The footer is made with CSS page-margin boxes (`@page { @bottom-left { content: … } }`), which Debian 12's Chromium
/// (131 and later) prints; the page number is `counter(page)`. The bundle id in it comes from the bundle, so it is
/// written as a CSS string in which every character but letters, digits and spaces is a CSS escape: nothing in it can
/// end the string, the rule or the `<style>` element.
enum ReportStyle {
    static func css(fonts: String, footerLeft: String, pageWord: String, rtl: Bool) -> String {
        let start = rtl ? "right" : "left", end = rtl ? "left" : "right"
        return fonts + """
        @page {
          size: A4;
          margin: 18mm 16mm 20mm 16mm;
          @bottom-\(start) { content: \(cssString(footerLeft)); font: 7.5pt "Amana Sans", "DejaVu Sans", sans-serif; color: #333; }
          @bottom-\(end) { content: \(cssString(pageWord + " ")) counter(page) " / " counter(pages); font: 7.5pt "Amana Sans", "DejaVu Sans", sans-serif; color: #333; }
        }
        """ + body
    }

    /// A CSS string literal holding `text`: letters, digits and spaces as they are, everything else as `\HEX `.
    static func cssString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", " ": out.unicodeScalars.append(scalar)
            default: out += "\\" + String(scalar.value, radix: 16) + " "
            }
        }
        return out + "\""
    }

    private static let body = """
    :root { --ink: #111; --muted: #555; --rule: #bbb; --pass: #1b6e2a; --fail: #b3121b; --unsure: #8a5a00; --warn: #8a5a00; }
    html { font-family: "Amana Sans", "DejaVu Sans", sans-serif; font-size: 10pt; color: var(--ink); line-height: 1.4; }
    html[dir=rtl] { font-family: "Amana Arabic", "Amana Sans", "DejaVu Sans", sans-serif; }
    body { margin: 0 auto; max-width: 190mm; padding: 0 4mm; }
    h1 { font-size: 20pt; margin: 0 0 2mm; }
    h2 { font-size: 14pt; border-bottom: 1px solid var(--rule); padding-bottom: 1mm; margin: 7mm 0 3mm; break-after: avoid; }
    h3 { font-size: 11pt; margin: 4mm 0 2mm; break-after: avoid; }
    h4 { font-size: 10pt; margin: 3mm 0 1mm; break-after: avoid; }
    .masthead { border-bottom: 2px solid var(--ink); margin-bottom: 4mm; }
    .bundle-id { margin: 0 0 2mm; }
    .mono, .digest, .iso, pre { font-family: "Amana Mono", "DejaVu Sans Mono", monospace; }
    bdi[dir=ltr], .mono, .digest, .iso { unicode-bidi: isolate; direction: ltr; }
    .mono { overflow-wrap: anywhere; }
    .digest { display: inline; font-size: 8.5pt; }
    .digest span { display: inline-block; margin-inline-end: 0.5em; }
    .long { color: var(--muted); }
    .claim, .note, .src { color: var(--muted); }
    .note { font-size: 9pt; }
    .warn { color: var(--warn); }
    .verdict { border: 3px solid; border-radius: 3mm; padding: 3mm 5mm; margin: 2mm 0 5mm; break-inside: avoid; }
    .verdict-passed { border-color: var(--pass); background: #e7f4ea; }
    .verdict-failed { border-color: var(--fail); background: #fbe9ea; }
    .verdict-indeterminate { border-color: var(--unsure); background: #fdf3df; }
    .verdict-word { font-size: 22pt; margin: 0; border: 0; }
    .verdict-passed .verdict-word { color: var(--pass); }
    .verdict-failed .verdict-word { color: var(--fail); }
    .verdict-indeterminate .verdict-word { color: var(--unsure); }
    .verdict-code { font-size: 11pt; color: var(--muted); font-weight: normal; }
    .verdict-meaning { font-size: 11pt; margin: 1mm 0; }
    .problems ul { padding-inline-start: 5mm; margin: 1mm 0; }
    .problems li { margin: 1mm 0; overflow-wrap: anywhere; }
    .badge { display: inline-block; font-size: 8pt; font-weight: bold; padding: 0 1.5mm; border-radius: 1mm; color: #fff; white-space: nowrap; }
    .badge.status-passed { background: var(--pass); }
    .badge.status-failed { background: var(--fail); }
    .badge.status-indeterminate { background: var(--unsure); }
    .badge.status-warning { background: var(--warn); }
    table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm; }
    th, td { text-align: start; vertical-align: top; padding: 1mm 2mm; }
    .facts th { width: 32%; font-weight: normal; color: var(--muted); }
    .grid th, .grid td { border-bottom: 1px solid #ddd; }
    .grid thead th { border-bottom: 1px solid var(--rule); color: var(--muted); font-weight: normal; }
    .grid tbody th { font-weight: normal; width: 24%; }
    .grid td.src { width: 24%; font-size: 8.5pt; }
    .grid th .src { display: block; font-size: 8pt; }
    .item .grid tbody th { width: 22%; }
    td.num { text-align: end; white-space: nowrap; }
    tr, .card h3 { break-inside: avoid; }
    .card { border: 1px solid var(--rule); border-radius: 2mm; padding: 1mm 4mm; margin: 3mm 0; }
    .timeline { list-style: none; padding: 0; margin: 0; border-inline-start: 2px solid var(--rule); }
    .event { position: relative; padding-inline-start: 6mm; margin: 0 0 3mm; break-inside: avoid; }
    .event::before { content: ""; position: absolute; inset-inline-start: -2.1mm; top: 1.2mm; width: 3mm; height: 3mm; border-radius: 50%; background: var(--pass); }
    .event.status-failed::before { background: var(--fail); }
    .event.status-indeterminate::before, .event.status-warning::before { background: var(--unsure); }
    .event-head { font-weight: bold; }
    .findings td { font-size: 8.5pt; }
    .findings .message { text-align: left; overflow-wrap: anywhere; }
    pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f3f3f3; padding: 2mm; border-radius: 1mm; font-size: 8.5pt; text-align: left; }
    .steps li { margin-bottom: 2mm; }
    footer { margin-top: 8mm; border-top: 1px solid var(--rule); }
    @media print {
      body { max-width: none; padding: 0; }
      a { color: inherit; text-decoration: none; }
    }
    """
}

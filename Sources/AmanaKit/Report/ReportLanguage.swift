import Foundation

/// The languages a court report is written in: English, and the languages of the courts and people most likely to read
/// it (Arabic for survivors and documenters, German and French for European courts that have heard Syrian cases).
///
/// Each language's words live in one file of its own (`Translations/<code>.swift`), as a table keyed by the same names
/// as English; a unit test holds every table to English's keys and placeholders, so a missing sentence is a failed test
/// rather than an English line in an Arabic report.
package enum ReportLanguage: String, CaseIterable, Sendable {
    case en, ar, de, fr

    /// The language's words, by key.
    package var strings: [String: String] {
        switch self {
        case .en: return ReportTranslations.en
        case .ar: return ReportTranslations.ar
        case .de: return ReportTranslations.de
        case .fr: return ReportTranslations.fr
        }
    }

    /// `rtl` for Arabic: the page is mirrored, while digits, digests, paths and commands stay left to right.
    package var direction: String { self == .ar ? "rtl" : "ltr" }

    /// The word for `key`, with `{name}` placeholders filled in; the English word when a table lacks one (a test forbids
    /// that), and the key itself if even English lacks it, so that a missing word is visible, never a crash.
    package func text(_ key: String, _ values: [String: String] = [:]) -> String {
        var text = strings[key] ?? ReportTranslations.en[key] ?? key
        for (name, value) in values {
            text = text.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return text
    }

    /// The long form of a UTC time in this language, written beside the ISO 8601 form: "29 November 2026, 03:05:41
    /// UTC". Made from the table's month names and pattern, without ICU locale data, so that the same report comes out
    /// on any machine. Nil when `iso` is not a UTC time Amana wrote (it is then shown alone, as given).
    package func longDate(_ iso: String) -> String? {
        guard let parts = UTCTimeParts(iso) else { return nil }
        let months = text("monthNames").split(separator: "|").map(String.init)
        guard months.count == 12 else { return nil }
        return text("longDatePattern", ["day": String(parts.day), "month": months[parts.month - 1], "year": String(parts.year),
                                        "time": parts.clock])
    }
}

/// The fields of `YYYY-MM-DDTHH:MM:SS[.fff]Z`, checked by hand so that nothing depends on the machine's locale data.
struct UTCTimeParts {
    let year: Int
    let month: Int
    let day: Int
    /// `HH:MM:SS`, as given.
    let clock: String

    init?(_ iso: String) {
        let scalars = Array(iso.utf8)
        guard scalars.count >= 20, scalars.last == UInt8(ascii: "Z"), scalars[4] == UInt8(ascii: "-"),
              scalars[7] == UInt8(ascii: "-"), scalars[10] == UInt8(ascii: "T"), scalars[13] == UInt8(ascii: ":"),
              scalars[16] == UInt8(ascii: ":") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            let digits = scalars[range]
            guard digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            return Int(String(decoding: digits, as: UTF8.self))
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              number(11..<13) != nil, number(14..<16) != nil, number(17..<19) != nil,
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
        clock = String(decoding: scalars[11..<19], as: UTF8.self)
    }
}

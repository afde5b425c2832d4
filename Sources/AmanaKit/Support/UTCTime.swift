import Foundation

/// UTC timestamps as Amana writes them: `2026-11-29T03:05:41Z`, whole seconds, always `Z`.
package enum UTCTime {
    package static func format(_ date: Date) -> String {
        // By hand rather than with ISO8601DateFormatter: making one costs about 100 µs (ICU), and a seal formats one
        // time per file, which was a sixth of sealing 20,000 small photos. Like the formatter, round to the
        // millisecond, then drop the fraction.
        var seconds = time_t(((date.timeIntervalSince1970 * 1000).rounded() / 1000).rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))"
            + "T\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))Z"
    }

    /// Parses a `utc-time` (spec/seal.md section 3.4): exactly `YYYY-MM-DDTHH:MM:SSZ`, twenty bytes, UTC, no fraction,
    /// no offset, upper-case `T` and `Z`.
    ///
    /// Every signed document Amana reads (seal statements, custody events, receipts, keyrings) spells a time this one
    /// way, so that a statement has exactly one byte sequence: `2026-12-06T06:00:36+02:00` names the same instant as
    /// `2026-12-06T04:00:36Z`, and accepting both would let the same claim be signed in two spellings.
    package static func parse(_ text: String) -> Date? {
        guard text.utf8.count == 20, text.utf8.last == UInt8(ascii: "Z") else { return nil }
        return parseRFC3339(text)
    }

    /// Parses an RFC 3339 `date-time`: `YYYY-MM-DDTHH:MM:SS`, optional fractional seconds, then `Z` or an offset
    /// `+HH:MM` / `-HH:MM`. Only for times Amana formats itself from other encodings (a token's genTime, which may
    /// carry a fraction) and for recognising a near miss in a user's `--at`; signed documents use ``parse(_:)``.
    ///
    /// By hand rather than with `ISO8601DateFormatter`: making a formatter costs about 100 µs (ICU), and verifying a
    /// custody log of 20,000 events parsed three times per event, so ICU was the largest single cost of verifying
    /// 20,000 photos. It is stricter than the formatter where RFC 3339 is: every field has exactly its digits, days must exist in their
    /// month, and `T` and `Z` are upper case (Amana writes nothing else). A leap second (`:60`) is refused; no clock
    /// Amana reads produces one.
    package static func parseRFC3339(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20 else { return nil }
        func number(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<start + count] {
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        func byte(_ index: Int, is expected: Character) -> Bool {
            index < bytes.count && bytes[index] == expected.asciiValue!
        }
        guard let year = number(0, 4), byte(4, is: "-"), let month = number(5, 2), byte(7, is: "-"),
              let day = number(8, 2), byte(10, is: "T"), let hour = number(11, 2), byte(13, is: ":"),
              let minute = number(14, 2), byte(16, is: ":"), let second = number(17, 2),
              (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour <= 23, minute <= 59, second <= 59
        else { return nil }
        var index = 19
        var fraction = 0.0
        if byte(index, is: ".") {
            var scale = 0.1
            index += 1
            let start = index
            while index < bytes.count, let digit = number(index, 1) {
                fraction += Double(digit) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offset = 0
        if byte(index, is: "Z") {
            index += 1
        } else if byte(index, is: "+") || byte(index, is: "-") {
            guard let offsetHours = number(index + 1, 2), byte(index + 3, is: ":"), let offsetMinutes = number(index + 4, 2),
                  offsetHours <= 23, offsetMinutes <= 59
            else { return nil }
            offset = (offsetHours * 60 + offsetMinutes) * 60 * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
            index += 6
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        let seconds = daysFromCivil(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: TimeInterval(seconds) + fraction)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The `YYYY-MM-DD` date BagIt's `Bagging-Date` wants.
    package static func day(_ date: Date) -> String { String(format(date).prefix(10)) }
}

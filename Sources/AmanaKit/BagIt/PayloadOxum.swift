/// `Payload-Oxum: <octets>.<streams>` (RFC 8493 section 2.2.2): the total size and number of payload files.
///
/// It is a cheap completeness check, not an integrity check: two payloads with the same sizes give the same oxum.
package struct PayloadOxum: Hashable, Sendable, CustomStringConvertible {
    package var octetCount: UInt64
    package var streamCount: UInt64

    package init(octetCount: UInt64, streamCount: UInt64) {
        self.octetCount = octetCount
        self.streamCount = streamCount
    }

    /// Parses `1*DIGIT "." 1*DIGIT` where both numbers fit in 64 bits; nothing else (no sign, space or exponent).
    package init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let octets = PayloadOxum.number(parts[0]), let streams = PayloadOxum.number(parts[1])
        else { return nil }
        self.init(octetCount: octets, streamCount: streams)
    }

    private static func number(_ digits: Substring) -> UInt64? {
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return UInt64(digits)
    }

    package var description: String { "\(octetCount).\(streamCount)" }
}

/// A `Bagging-Date`: a calendar date written `YYYY-MM-DD` (RFC 8493 section 2.2.2).
package struct BaggingDate: Hashable, Sendable, CustomStringConvertible {
    package let year: Int
    package let month: Int
    package let day: Int

    /// Nil unless the numbers name a real day of the proleptic Gregorian calendar.
    package init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= BaggingDate.daysIn(month: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`.
    package init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == 45, bytes[7] == 45 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            let digits = bytes[range]
            guard digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            return digits.reduce(0) { $0 * 10 + Int($1 - 48) }
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    package var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}

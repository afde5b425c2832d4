import Foundation

/// A calendar time read from metadata, with or without a UTC offset, and its one normalised spelling.
///
/// Parsed by hand rather than with a date formatter so that nothing depends on the machine's locale or zone: a local
/// time without an offset stays a local time (`2024-05-01T10:00:00`), and is never silently taken as UTC.
struct MetadataTime: Equatable {
    var year, month, day, hour, minute, second: Int
    /// Seconds east of UTC, when the value states it (or the container defines it).
    var offset: Int?

    /// Seconds between 1904-01-01 and 1970-01-01, the QuickTime and Unix epochs.
    static let quickTimeEpochDelta: Int64 = 2_082_844_800

    /// `YYYY-MM-DDTHH:MM:SS` then `Z`, `+HH:MM`, or nothing when the zone is unknown.
    /// Every sealed photo spells two or three of these; in the usual ranges the bytes are written straight into the
    /// string, without the eight small strings concatenation makes (``spelledByConcatenation`` is the reference).
    var normalised: String {
        let offsetMinutes = offset.map { abs($0) / 60 } ?? 0
        guard (0...9999).contains(year), [month, day, hour, minute, second].allSatisfy({ (0...99).contains($0) }),
              offsetMinutes / 60 <= 99 else { return spelledByConcatenation }
        return String(unsafeUninitializedCapacity: 25) { out in
            var count = 0
            func put(_ byte: UInt8) {
                out[count] = byte
                count += 1
            }
            func digits(_ value: Int, _ width: Int) {
                var divisor = width == 4 ? 1000 : 10
                while divisor > 0 {
                    put(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                    divisor /= 10
                }
            }
            digits(year, 4); put(UInt8(ascii: "-")); digits(month, 2); put(UInt8(ascii: "-")); digits(day, 2)
            put(UInt8(ascii: "T")); digits(hour, 2); put(UInt8(ascii: ":")); digits(minute, 2)
            put(UInt8(ascii: ":")); digits(second, 2)
            if let offset {
                if offset == 0 {
                    put(UInt8(ascii: "Z"))
                } else {
                    put(UInt8(ascii: offset < 0 ? "-" : "+"))
                    digits(offsetMinutes / 60, 2); put(UInt8(ascii: ":")); digits(offsetMinutes % 60, 2)
                }
            }
            return count
        }
    }

    /// The spelling by string concatenation, for values outside the usual ranges (and the tests' reference).
    var spelledByConcatenation: String {
        let fixed = metadataPadded(year, 4) + "-" + metadataPadded(month) + "-" + metadataPadded(day) + "T"
            + metadataPadded(hour) + ":" + metadataPadded(minute) + ":" + metadataPadded(second)
        guard let offset else { return fixed }
        return offset == 0 ? fixed + "Z" : fixed + MetadataTime.offsetSpelling(offset)
    }

    /// `+HH:MM` or `-HH:MM`.
    static func offsetSpelling(_ seconds: Int) -> String {
        let minutes = abs(seconds) / 60
        return (seconds < 0 ? "-" : "+") + metadataPadded(minutes / 60) + ":" + metadataPadded(minutes % 60)
    }

    /// Seconds since 1970 UTC; a time without an offset is counted as if it were UTC (callers allow for that).
    var unixSeconds: Int64 {
        let days = MetadataTime.daysFromCivil(year, month, day)
        return days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset ?? 0)
    }

    /// EXIF's `YYYY:MM:DD HH:MM:SS` (dashes accepted too), or nil when it is blank or not a real time.
    static func exif(_ text: String, offset: String? = nil) -> MetadataTime? {
        // Six groups split on ':', '-', ' ' or 'T', each a decimal number (as `Int(_:)` reads it, an optional '+'
        // first), scanned as bytes: this runs for every time value of every sealed item, and the flag rules again.
        var n: [Int] = []
        n.reserveCapacity(6)
        var value = 0, digits = 0, other = 0, plus = false, overflow = false
        func close() -> Bool {
            defer { (value, digits, other, plus, overflow) = (0, 0, 0, false, false) }
            if digits == 0 && other == 0 && !plus { return true }  // an empty group between separators is skipped
            guard digits > 0, other == 0, !overflow else { return false }
            n.append(value)
            return true
        }
        for byte in text.metadataTrimmed.utf8 where n.count < 6 {
            switch byte {
            case UInt8(ascii: ":"), UInt8(ascii: "-"), UInt8(ascii: " "), UInt8(ascii: "T"):
                guard close() else { return nil }
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (times, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
                (value, overflow) = (sum, overflow || o1 || o2)
                digits += 1
            case UInt8(ascii: "+") where digits == 0 && other == 0 && !plus:
                plus = true
            default:
                other += 1
            }
        }
        if n.count < 6 { guard close() else { return nil } }
        guard n.count >= 6 else { return nil }
        var time = MetadataTime(year: n[0], month: n[1], day: n[2], hour: n[3], minute: n[4], second: n[5])
        if let offset { time.offset = parseOffset(offset) }
        return time.isValid ? time : nil
    }

    /// ISO 8601 with an optional offset, as `com.apple.quicktime.creationdate` spells it (`2024-05-01T10:00:00+0200`).
    static func iso8601(_ text: String) -> MetadataTime? {
        let trimmed = text.metadataTrimmed
        // Printable ASCII (every normalised time, and most raw ones): one byte is one character, so the same steps run
        // on bytes, without String index walks. The flag rules parse every time value of every record again.
        if trimmed.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) {
            let bytes = Array(trimmed.utf8)
            guard bytes.count >= 19 else { return nil }
            var time = exif(String(decoding: bytes[..<19], as: UTF8.self))
            var rest = bytes[19...]
            if rest.first == UInt8(ascii: ".") {
                rest = rest.drop { $0 == UInt8(ascii: ".") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
            }
            if rest.isEmpty { return time }
            if rest.elementsEqual([UInt8(ascii: "Z")]) {
                time?.offset = 0
            } else if let offset = parseOffset(String(decoding: rest, as: UTF8.self)) {
                time?.offset = offset
            } else {
                return nil
            }
            return time
        }
        guard trimmed.count >= 19 else { return nil }
        var time = exif(String(trimmed.prefix(19)))
        var rest = trimmed.dropFirst(19)
        if rest.first == "." { rest = rest.drop(while: { $0 == "." || $0.isNumber }) }
        if rest.isEmpty { return time }
        if rest == "Z" {
            time?.offset = 0
        } else if let offset = parseOffset(String(rest)) {
            time?.offset = offset
        } else {
            return nil
        }
        return time
    }

    /// A count of seconds since 1904-01-01 UTC (QuickTime `mvhd`).
    static func quickTime(_ seconds: UInt64) -> MetadataTime {
        unix(Int64(clamping: seconds) - quickTimeEpochDelta)
    }

    static func unix(_ seconds: Int64) -> MetadataTime {
        // Integer floor division: a Double here would round a hostile 64-bit count past Int64 and trap.
        let days = seconds >= 0 ? seconds / 86_400 : -((-(seconds + 1)) / 86_400) - 1
        let rest = Int(seconds - days * 86_400)
        let (y, m, d) = civilFromDays(days)
        return MetadataTime(year: y, month: m, day: d, hour: rest / 3600, minute: rest % 3600 / 60, second: rest % 60,
                            offset: 0)
    }

    /// `+HH:MM`, `+HHMM`, `-HH:MM` or `Z`; nil for anything else.
    static func parseOffset(_ text: String) -> Int? {
        let t = text.metadataTrimmed
        if t == "Z" { return 0 }
        guard let sign = t.first, sign == "+" || sign == "-" else { return nil }
        let digits = t.dropFirst().filter { $0 != ":" }
        guard digits.count == 4, let hours = Int(digits.prefix(2)), let minutes = Int(digits.suffix(2)),
              hours <= 14, minutes < 60 else { return nil }
        return (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
    }

    var isValid: Bool {
        (1...9999).contains(year) && (1...12).contains(month) && (1...31).contains(day) && (0...23).contains(hour)
            && (0...59).contains(minute) && (0...60).contains(second)
    }

    // Howard Hinnant's days-from-civil algorithm, proleptic Gregorian.
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((month + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(yoe + era * 400 + (m <= 2 ? 1 : 0)), Int(m), Int(d))
    }
}

/// A number in the shortest decimal spelling with at most `places` decimals (`12.5`, `-0.1234567`, `3`).
func metadataDecimal(_ value: Double, places: Int = 7) -> String {
    guard value.isFinite else { return "" }
    var text = String(format: "%.\(places)f", value)
    if text.contains(".") {
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
    }
    return text == "-0" ? "0" : text
}

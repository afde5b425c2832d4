import Foundation

/// UTC timestamps as Amana writes them: `2026-11-29T03:05:41Z`, whole seconds, always `Z`.
public enum UTCTime {
    public static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// Parses exactly the form `format` writes (also accepts fractional seconds, for `--at`).
    public static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    /// The `YYYY-MM-DD` date BagIt's `Bagging-Date` wants.
    public static func day(_ date: Date) -> String { String(format(date).prefix(10)) }
}

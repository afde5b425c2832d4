/// One reading of a ``ByteProgress``, and its human form: bytes, rate and ETA.
package struct ProgressSnapshot: Sendable, Equatable {
    package var bytes: UInt64
    package var total: UInt64?
    package var seconds: Double

    package init(bytes: UInt64, total: UInt64?, seconds: Double) {
        self.bytes = bytes
        self.total = total
        self.seconds = seconds
    }

    /// Mean bytes per second since the start; nil until there is enough to say (a quarter second).
    package var rate: Double? {
        seconds >= 0.25 && bytes > 0 ? Double(bytes) / seconds : nil
    }

    /// Seconds left at the mean rate; nil without a total or a rate. The total can be an estimate (a compressed
    /// bundle holds more than its size), so a count past it gives no ETA rather than a negative one.
    package var secondsLeft: Double? {
        guard let total, let rate, bytes <= total else { return nil }
        return Double(total - bytes) / rate
    }

    /// For example `sealing  1.2 GB of 2.1 GB  57%  640 MB/s  ETA 0:02`.
    package func line(_ label: String) -> String {
        var parts = [label]
        if let total, bytes <= total {
            let percent = total == 0 ? 100 : Int(Double(bytes) * 100 / Double(total))
            parts.append("\(ProgressSnapshot.bytes(bytes)) of \(ProgressSnapshot.bytes(total))")
            parts.append("\(percent)%")
        } else {
            parts.append(ProgressSnapshot.bytes(bytes))
        }
        if let rate { parts.append("\(ProgressSnapshot.bytes(UInt64(rate)))/s") }
        if let left = secondsLeft { parts.append("ETA \(ProgressSnapshot.duration(left))") }
        return parts.joined(separator: "  ")
    }

    /// Decimal units, one decimal place from kB up: `950 B`, `1.2 MB`, `2.1 GB`.
    package static func bytes(_ count: UInt64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB", "PB"]
        var value = Double(count)
        var unit = 0
        while value >= 999.95 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        if unit == 0 { return "\(count) B" }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }

    /// `m:ss` below an hour, `h:mm:ss` from an hour.
    package static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        let (h, m, s) = (whole / 3600, whole / 60 % 60, whole % 60)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return h > 0 ? "\(h):\(two(m)):\(two(s))" : "\(m):\(two(s))"
    }
}

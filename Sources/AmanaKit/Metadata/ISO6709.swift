import Foundation

/// An ISO 6709 point as QuickTime and 3GPP store it: `+35.6895+139.6917+10.000/` (degrees, or packed DDMM / DDMMSS).
struct ISO6709: Equatable {
    var latitude: Double
    var longitude: Double
    var altitude: Double?

    init(latitude: Double, longitude: Double, altitude: Double?) {
        self.latitude = latitude
        self.longitude = longitude
        self.altitude = altitude
    }

    init?(_ text: String) {
        var parts: [String] = []
        for character in text.metadataTrimmed {
            if character == "+" || character == "-" {
                parts.append(String(character))
            } else if character == "/" {
                break
            } else if character.isNumber || character == ".", !parts.isEmpty {
                parts[parts.count - 1].append(character)
            } else if character.isLetter, !parts.isEmpty {
                break  // a trailing CRS name ("CRSWGS_84") ends the coordinates
            } else {
                return nil
            }
        }
        guard parts.count >= 2, let latitude = ISO6709.degrees(parts[0], degreeDigits: 2),
              let longitude = ISO6709.degrees(parts[1], degreeDigits: 3),
              abs(latitude) <= 90, abs(longitude) <= 180 else { return nil }
        self.latitude = latitude
        self.longitude = longitude
        self.altitude = parts.count >= 3 ? Double(parts[2]) : nil
    }

    /// `±DD.D`, `±DDMM.M` or `±DDMMSS.S` (three degree digits for longitude).
    private static func degrees(_ part: String, degreeDigits: Int) -> Double? {
        let sign: Double = part.hasPrefix("-") ? -1 : 1
        let digits = part.dropFirst()
        let whole = digits.prefix { $0 != "." }
        guard Double(digits) != nil else { return nil }
        let fraction = Double("0" + digits.dropFirst(whole.count)) ?? 0
        func number(_ s: Substring) -> Double { Double(s) ?? 0 }
        switch whole.count - degreeDigits {
        case 0:
            return sign * number(digits)
        case 2:
            return sign * (number(whole.prefix(degreeDigits)) + (number(whole.suffix(2)) + fraction) / 60)
        case 4:
            let minutes = number(whole.dropFirst(degreeDigits).prefix(2))
            return sign * (number(whole.prefix(degreeDigits)) + minutes / 60 + (number(whole.suffix(2)) + fraction) / 3600)
        default:
            return whole.count < degreeDigits ? sign * number(digits) : nil
        }
    }
}

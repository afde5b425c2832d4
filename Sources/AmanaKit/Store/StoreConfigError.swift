/// Why a back-end description was refused: one lowercase clause, never holding a secret.
package struct StoreConfigError: Error, Equatable {
    package var reason: String

    init(_ reason: String) { self.reason = reason }

    /// A value from the file, shortened and stripped of control characters, so an error stays one line.
    static func shown(_ value: String) -> String {
        let clean = String(value.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
        return clean.count > 40 ? String(clean.prefix(40)) + "..." : clean
    }
}

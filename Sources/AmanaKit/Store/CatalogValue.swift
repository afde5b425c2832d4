/// One value of a catalog column, as every back end stores it: the schema has only 64-bit integers, text and NULL.
package enum CatalogValue: Equatable, Sendable {
    case integer(Int64)
    case text(String)
    case null

    package init(_ text: String?) { self = text.map(CatalogValue.text) ?? .null }
    package init(_ number: Int64?) { self = number.map(CatalogValue.integer) ?? .null }

    /// The value as `Catalog.snapshot()` writes it, the same for every back end: an integer in decimal, text as a
    /// Swift string literal (quoted, escaped: the text "NULL" and NULL stay apart), NULL as `NULL`. These are the
    /// forms GRDB's `DatabaseValue.description` gives, so SQLite snapshots taken before this type existed compare.
    package var snapshotText: String {
        switch self {
        case .integer(let number): return String(number)
        case .text(let text): return String(reflecting: text)
        case .null: return "NULL"
        }
    }

    var integer: Int64? { if case .integer(let number) = self { return number } else { return nil } }
    var text: String? { if case .text(let text) = self { return text } else { return nil } }
}

/// Which back ends a store uses.
package enum StoreBackEndKind: Equatable, Sendable {
    /// Everything in the store folder: the SQLite catalog, `objects/`, `records/`, `ledger/` (spec/store.md, "Layout").
    case local
    /// The catalog and ledger in PostgreSQL, the objects, records and ledger batches in S3 with Object Lock.
    case organisation(OrganisationBackEnd)

    /// `{"kind": "local"}` or `{"kind": "organisation", ...}`; any other kind, or an unknown member, is refused.
    init(json: JSONValue) throws {
        guard case .object(let members) = json else { throw StoreConfigError("backEnd is not an object") }
        guard let kind = members["kind"]?.stringValue else { throw StoreConfigError("backEnd has no kind") }
        switch kind {
        case "local":
            guard members.count == 1 else { throw StoreConfigError("a local backEnd has no other fields") }
            self = .local
        case OrganisationBackEnd.kind:
            self = .organisation(try OrganisationBackEnd(json: members))
        default:
            throw StoreConfigError("unknown backEnd kind '\(StoreConfigError.shown(kind))' (known: local, organisation)")
        }
    }
}

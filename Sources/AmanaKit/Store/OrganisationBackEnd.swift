import Foundation

/// An organisation store's back ends (spec/store.md, "Back ends"). Names places, never credentials: a catalog URL
/// with a password is refused, and the credentials come from the environment or the file ``credentialsFile`` names
/// (``StoreCredentials``).
package struct OrganisationBackEnd: Equatable, Sendable {
    static let kind = "organisation"

    package var catalog: PostgresLocation
    package var objects: S3Location
    /// `http(s)://HOST[:PORT]` of the S3 service; nil for AWS's own endpoint of ``region``.
    package var endpoint: String?
    package var region: String?
    /// An absolute path to a credentials file (mode 0600), or nil to use the environment only.
    package var credentialsFile: String?
    package var retention: RetentionPolicy

    package init(catalog: PostgresLocation, objects: S3Location, endpoint: String? = nil, region: String? = nil,
                 credentialsFile: String? = nil, retention: RetentionPolicy = .bucketDefault) {
        self.catalog = catalog
        self.objects = objects
        self.endpoint = endpoint
        self.region = region
        self.credentialsFile = credentialsFile
        self.retention = retention
    }

    /// Checks every field as `store init` will take it from the command line: the same rules as the file's.
    package static func parse(catalog: String, objects: String, endpoint: String?, region: String?,
                              credentialsFile: String?, retention: String?, retainDays: Int?) throws -> OrganisationBackEnd {
        let policy = try RetentionPolicy(mode: retention, days: retainDays)
        if let credentialsFile, !credentialsFile.hasPrefix("/") {
            throw StoreConfigError("the credentials file must be given as an absolute path")
        }
        // One parser for S3 locations, the S3 client's (spec/s3.md section 2): the bucket, prefix, endpoint and
        // region a store names are checked by the same rules its requests are built from.
        let location: S3Location
        do { location = try S3Location.parse(objects, endpoint: endpoint, region: region) } catch let error as AmanaError {
            throw StoreConfigError(error.reason.hasPrefix("s3: ") ? String(error.reason.dropFirst(4)) : error.reason)
        }
        return OrganisationBackEnd(catalog: try PostgresLocation(catalog), objects: location,
                                   endpoint: endpoint, region: region, credentialsFile: credentialsFile,
                                   retention: policy)
    }

    var json: JSONValue {
        var members: [String: JSONValue] = [
            "kind": .string(OrganisationBackEnd.kind), "catalog": .string(catalog.url), "objects": .string(objects.description),
        ]
        if let endpoint { members["endpoint"] = .string(endpoint) }
        if let region { members["region"] = .string(region) }
        if let credentialsFile { members["credentials"] = .string(credentialsFile) }
        switch retention {
        case .bucketDefault: break
        case .compliance(let days), .governance(let days):
            members["retention"] = .string(retention.mode!)
            members["retainDays"] = .integer(Int64(days))
        }
        return .object(members)
    }

    init(json members: [String: JSONValue]) throws {
        let known: Set = ["kind", "catalog", "objects", "endpoint", "region", "credentials", "retention", "retainDays"]
        if let unknown = members.keys.sorted().first(where: { !known.contains($0) }) {
            throw StoreConfigError("unknown backEnd field '\(StoreConfigError.shown(unknown))'")
        }
        func text(_ name: String) throws -> String? {
            guard let value = members[name] else { return nil }
            guard let string = value.stringValue else { throw StoreConfigError("backEnd \(name) is not a string") }
            return string
        }
        guard let catalog = try text("catalog") else { throw StoreConfigError("backEnd has no catalog") }
        guard let objects = try text("objects") else { throw StoreConfigError("backEnd has no objects") }
        var days: Int?
        if let value = members["retainDays"] {
            guard let number = value.integerValue else { throw StoreConfigError("backEnd retainDays is not a number") }
            days = Int(exactly: number) ?? -1
        }
        let credentials = try text("credentials")
        self = try OrganisationBackEnd.parse(catalog: catalog, objects: objects, endpoint: try text("endpoint"),
                                             region: try text("region"), credentialsFile: credentials,
                                             retention: try text("retention"), retainDays: days)
    }
}

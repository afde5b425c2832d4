import Foundation

/// An organisation store's back ends (spec/store.md, "Back ends"). Names places, never credentials: a catalog URL
/// with a password is refused, and the credentials come from the environment or the file ``credentialsFile`` names
/// (``StoreCredentials``).
package struct OrganisationBackEnd: Equatable, Sendable {
    static let kind = "organisation"

    package var catalog: PostgresLocation
    package var objects: S3ObjectsLocation
    /// `http(s)://HOST[:PORT]` of the S3 service; nil for AWS's own endpoint of ``region``.
    package var endpoint: String?
    package var region: String?
    /// An absolute path to a credentials file (mode 0600), or nil to use the environment only.
    package var credentialsFile: String?
    package var retention: RetentionPolicy

    package init(catalog: PostgresLocation, objects: S3ObjectsLocation, endpoint: String? = nil, region: String? = nil,
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
        if let endpoint { try checkEndpoint(endpoint) }
        if let region { try checkRegion(region) }
        if let credentialsFile, !credentialsFile.hasPrefix("/") {
            throw StoreConfigError("the credentials file must be given as an absolute path")
        }
        return OrganisationBackEnd(catalog: try PostgresLocation(catalog), objects: try S3ObjectsLocation(objects),
                                   endpoint: endpoint, region: region, credentialsFile: credentialsFile,
                                   retention: policy)
    }

    var json: JSONValue {
        var members: [String: JSONValue] = [
            "kind": .string(OrganisationBackEnd.kind), "catalog": .string(catalog.url), "objects": .string(objects.url),
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

    static func checkEndpoint(_ endpoint: String) throws {
        guard let url = URLComponents(string: endpoint), let scheme = url.scheme, ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty, url.user == nil, url.password == nil, url.query == nil,
              url.fragment == nil, url.path.isEmpty || url.path == "/"
        else { throw StoreConfigError("the S3 endpoint must be http(s)://HOST[:PORT]") }
    }

    static func checkRegion(_ region: String) throws {
        guard !region.isEmpty, region.utf8.count <= 64,
              region.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D })
        else { throw StoreConfigError("the S3 region must be lowercase letters, digits and '-' (like us-east-1)") }
    }
}

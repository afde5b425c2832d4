import Foundation
import XMLCoder

/// The XML bodies S3 answers with, as XMLCoder decodes them (element names as S3 spells them). Only the fields
/// Amana reads are declared; XMLCoder ignores the rest. Dates stay strings here and are parsed by the caller with
/// ``UTCTime/parseRFC3339(_:)``, which accepts S3's fractional seconds.
enum S3XML {
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], operation: String) throws -> T {
        do {
            return try XMLDecoder().decode(type, from: Data(bytes))
        } catch {
            throw AmanaError(S3Failure.malformed, "s3: \(operation): the server's XML answer could not be read")
        }
    }

    /// `& < > " '` escaped, for the one body Amana writes (CompleteMultipartUpload).
    static func escape(_ text: String) -> String {
        var out = ""
        for char in text {
            switch char {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(char)
            }
        }
        return out
    }

    struct ErrorBody: Decodable {
        let Code: String?
        let Message: String?
    }

    struct InitiateMultipartUploadResult: Decodable {
        let UploadId: String
    }

    struct CompleteMultipartUploadResult: Decodable {
        let ETag: String?
    }

    struct ListMultipartUploadsResult: Decodable {
        struct UploadEntry: Decodable {
            let Key: String
            let UploadId: String
            let Initiated: String?
        }
        let Upload: [UploadEntry]?
        let IsTruncated: Bool?
        let NextKeyMarker: String?
        let NextUploadIdMarker: String?
    }

    struct ListVersionsResult: Decodable {
        struct VersionEntry: Decodable {
            let Key: String
            let VersionId: String
            let IsLatest: Bool
            let LastModified: String?
            let ETag: String?
            let Size: Int64?
        }
        let Version: [VersionEntry]?
        let DeleteMarker: [VersionEntry]?
        let IsTruncated: Bool?
        let NextKeyMarker: String?
        let NextVersionIdMarker: String?
    }

    struct ListBucketResult: Decodable {
        struct ContentsEntry: Decodable {
            let Key: String
            let Size: Int64?
            let ETag: String?
            let LastModified: String?
        }
        let Contents: [ContentsEntry]?
        let IsTruncated: Bool?
        let NextContinuationToken: String?
    }

    struct Retention: Decodable {
        let Mode: String?
        let RetainUntilDate: String?
    }

    struct VersioningConfiguration: Decodable {
        let Status: String?
        let MfaDelete: String?
    }

    struct ObjectLockConfiguration: Decodable {
        struct RuleEntry: Decodable {
            struct DefaultRetentionEntry: Decodable {
                let Mode: String?
                let Days: Int?
                let Years: Int?
            }
            let DefaultRetention: DefaultRetentionEntry?
        }
        let ObjectLockEnabled: String?
        let Rule: RuleEntry?
    }
}

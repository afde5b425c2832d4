import SwiftASN1

/// A parsed RFC 3161 token, from either form a `.tsr` file may hold: a whole `TimeStampResp` (what a TSA sends and
/// what Amana stores) or a bare `TimeStampToken` (a CMS `ContentInfo`, as other tools sometimes store it).
///
/// Parsing is DER-only: BER (indefinite lengths, long-form short lengths, unsorted SET OF, DEFAULTs written out) and
/// trailing bytes are refused, because two encodings of one token would let the bytes kept as evidence differ from
/// the bytes checked.
package struct TimestampToken: Sendable {
    package enum Form: String, Sendable {
        case response = "TimeStampResp"
        case token = "TimeStampToken"
    }

    /// Why bytes are not a usable token.
    package enum ParseFailure: Error, Sendable {
        /// Not DER, not a token, or not well formed; the reason says where.
        case malformed(String)
        /// A TimeStampResp whose status is not granted (it then carries no token).
        case rejected(PKIStatusInfo)
    }

    package let form: Form
    /// The response's status, for the `TimeStampResp` form.
    package let status: PKIStatusInfo?
    /// The DER of the `ContentInfo`, exactly as it arrived.
    package let tokenBytes: [UInt8]
    package let signedData: CMSSignedData
    package let tstInfo: TSTInfo

    package static func parse(_ bytes: [UInt8]) -> Result<TimestampToken, ParseFailure> {
        do {
            return .success(try TimestampToken(bytes))
        } catch let failure as ParseFailure {
            return .failure(failure)
        } catch {
            return .failure(.malformed(TimestampToken.describe(error)))
        }
    }

    private init(_ bytes: [UInt8]) throws {
        let root = try DER.parse(bytes)  // refuses trailing bytes and every BER-only length form
        var children = (try? DERField.children(root, .sequence, "the token"))?.makeIterator()
        guard let first = children?.next()
        else { throw ParseFailure.malformed("not an RFC 3161 TimeStampResp or TimeStampToken") }
        let tokenNode: ASN1Node
        switch first.identifier {
        case .sequence:
            let response = try TimeStampResp(node: root)
            guard response.status.isGranted else { throw ParseFailure.rejected(response.status) }
            guard let node = response.tokenNode else {
                throw ParseFailure.malformed("the response is granted but carries no token")
            }
            form = .response
            status = response.status
            tokenNode = node
        case .objectIdentifier:
            form = .token
            status = nil
            tokenNode = root
        default:
            throw ParseFailure.malformed("not an RFC 3161 TimeStampResp or TimeStampToken")
        }
        tokenBytes = Array(tokenNode.encodedBytes)
        signedData = try CMSSignedData(contentInfo: tokenNode)
        guard signedData.eContentType == TimestampOID.tstInfo else {
            throw ParseFailure.malformed("the signed content is \(signedData.eContentType), not id-ct-TSTInfo")
        }
        tstInfo = try TSTInfo(derEncoded: try DER.parse(signedData.eContent))
        guard tstInfo.version == 1 else { throw ParseFailure.malformed("TSTInfo version \(tstInfo.version) is not 1") }
    }

    /// A short reason from a swift-asn1 or swift-certificates error.
    static func describe(_ error: Error) -> String {
        if let error = error as? ASN1Error {
            let text = String(describing: error)
            // "ASN1Error.invalidASN1Object: reason" -> "invalidASN1Object: reason"
            return text.hasPrefix("ASN1Error.") ? String(text.dropFirst("ASN1Error.".count)) : text
        }
        return String(describing: error)
    }
}

/// Amana's convention for the untrusted comment line of its key files, which carries the key holder's name and
/// organization:
///
///     untrusted comment: amana public key E7620F1842B4E81F<TAB>name:Lina Haddad<TAB>organization:Syrian Archive
///
/// The line is not signed, so these values are labels for people, never evidence of who holds the key. Fields are
/// tab-separated like minisign's trusted comments, so values may hold spaces and colons but never tabs or line
/// breaks. A comment that does not start with Amana's lead (minisign's own "minisign public key ...", for one) is
/// fine and simply carries no metadata; one that does start with it must be well formed, because a half-readable
/// label is worse than none.
struct KeyComment: Equatable, Sendable {
    enum Kind {
        case publicKey, secretKey

        var lead: String {
            switch self {
            case .publicKey: return MinisignFormat.publicKeyCommentLead
            case .secretKey: return MinisignFormat.secretKeyCommentLead
            }
        }
    }

    var name: String?
    var organization: String?

    /// Refuses values that could not be written into, and read back from, one comment line. Throws `.usage`: the
    /// values come from the person generating the key.
    static func validated(name: String?, organization: String?) throws -> KeyComment {
        for (label, value) in [(MinisignFormat.nameField, name), (MinisignFormat.organizationField, organization)] {
            guard let value else { continue }
            if value.isEmpty {
                throw AmanaError(.usage, "the \(label) must not be empty", hint: "leave it out instead")
            }
            if value.unicodeScalars.contains(where: MinisignText.isForbiddenInLine) {
                throw AmanaError(.usage, "the \(label) must not contain tabs, line breaks or other control characters")
            }
        }
        let metadata = KeyComment(name: name, organization: organization)
        // The secret key's lead is the longer one, so checking it bounds both files.
        let longest = metadata.render(kind: .secretKey, keyID: KeyID(bytes: [0, 0, 0, 0, 0, 0, 0, 0])!)
        if longest.utf8.count > MinisignFormat.maxUntrustedCommentBytes {
            let valueBytes = (name?.utf8.count ?? 0) + (organization?.utf8.count ?? 0)
            let budget = MinisignFormat.maxUntrustedCommentBytes - (longest.utf8.count - valueBytes)
            throw AmanaError(
                .usage, "the name and organization are too long for a key file comment",
                hint: "together they must fit in \(budget) bytes of utf-8"
            )
        }
        return metadata
    }

    /// The comment text (after "untrusted comment: ") for a key file.
    func render(kind: Kind, keyID: KeyID) -> String {
        var text = kind.lead + keyID.description
        let tab = String(UnicodeScalar(MinisignFormat.commentFieldSeparator))
        if let name { text += tab + MinisignFormat.nameField + String(MinisignFormat.fieldNameTerminator) + name }
        if let organization {
            text += tab + MinisignFormat.organizationField + String(MinisignFormat.fieldNameTerminator) + organization
        }
        return text
    }

    /// Reads the metadata from a key file's comment text. `keyID` is the id the file's key actually has; pass nil
    /// to check only the comment's shape (an encrypted key's id is unknown until it is decrypted).
    static func parse(_ comment: String, kind: Kind, keyID: KeyID?, what: String) throws -> KeyComment {
        let bytes = Array(comment.utf8)
        let lead = Array(kind.lead.utf8)
        guard bytes.starts(with: lead) else { return KeyComment() }
        let fields = bytes.dropFirst(lead.count).split(
            separator: MinisignFormat.commentFieldSeparator, omittingEmptySubsequences: false
        ).map { String(decoding: $0, as: UTF8.self) }
        // split always yields at least one (possibly empty) piece.
        guard let named = KeyID(hex: fields[0]), named.description == fields[0] else {
            throw AmanaError(.inputInvalid, "the comment of the \(what) does not name a key id after \"\(kind.lead)\"")
        }
        if let keyID, named != keyID {
            throw AmanaError(.inputInvalid, "the comment of the \(what) names key \(named), but the file holds key \(keyID)")
        }
        var metadata = KeyComment()
        for field in fields.dropFirst() {
            guard let colon = field.firstIndex(of: MinisignFormat.fieldNameTerminator) else {
                throw AmanaError(.inputInvalid, "the comment of the \(what) has a field without a \"name:\" label")
            }
            let label = String(field[..<colon])
            let value = String(field[field.index(after: colon)...])
            switch label {
            case MinisignFormat.nameField:
                guard metadata.name == nil else { throw duplicate(label, what) }
                guard !value.isEmpty else { throw empty(label, what) }
                metadata.name = value
            case MinisignFormat.organizationField:
                guard metadata.organization == nil else { throw duplicate(label, what) }
                guard !value.isEmpty else { throw empty(label, what) }
                metadata.organization = value
            default:
                // Later versions may add fields; a well-formed unknown one is skipped so old readers keep working.
                guard !label.isEmpty, label.unicodeScalars.allSatisfy(isLabelScalar) else {
                    throw AmanaError(.inputInvalid, "the comment of the \(what) has a malformed field label")
                }
            }
        }
        return metadata
    }

    private static func isLabelScalar(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-"
    }

    private static func duplicate(_ label: String, _ what: String) -> AmanaError {
        AmanaError(.inputInvalid, "the comment of the \(what) gives the \(label) twice")
    }

    private static func empty(_ label: String, _ what: String) -> AmanaError {
        AmanaError(.inputInvalid, "the comment of the \(what) has an empty \(label)")
    }
}

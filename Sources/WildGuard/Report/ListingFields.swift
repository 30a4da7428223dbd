/// Picks a listing's seller, language and category out of its fields (and the decision's), by
/// the names `ReportOptions` lists, in one pass over the fields.
struct ListingFields {
    enum Role: Int, CaseIterable { case seller, language, category }

    /// What one record says.
    struct Values {
        var seller: String?
        var language: String?
        var category: String?
        /// The field names the values came from.
        var names: [Role: String] = [:]

        subscript(role: Role) -> String? {
            switch role {
            case .seller: seller
            case .language: language
            case .category: category
            }
        }
    }

    /// Field name to its role and its rank among the names for that role (0 is tried first).
    private let index: [String: (role: Role, rank: Int)]

    init(options: ReportOptions) {
        var index: [String: (role: Role, rank: Int)] = [:]
        for (role, names) in [(Role.seller, options.sellerFields), (.language, options.languageFields), (.category, options.categoryFields)] {
            for (rank, name) in names.enumerated() where index[name] == nil { index[name] = (role, rank) }
        }
        self.index = index
    }

    /// The values of a listing's fields, with the decision record's filling the gaps.
    func values(listing: [(key: String, value: JSONRecord.Value)]?, decision: [(key: String, value: JSONRecord.Value)]) -> Values {
        var out = Values()
        var ranks: [Int] = [Int.max, Int.max, Int.max]
        for fields in [listing ?? [], decision] {
            var found: [Int] = [Int.max, Int.max, Int.max]
            for (key, value) in fields {
                guard let (role, rank) = index[key], ranks[role.rawValue] == Int.max, rank < found[role.rawValue],
                    let text = value.text, let trimmed = Self.trimmed(text)
                else { continue }
                found[role.rawValue] = rank
                out.names[role] = key
                switch role {
                case .seller: out.seller = trimmed
                case .language: out.language = trimmed
                case .category: out.category = trimmed
                }
            }
            for i in 0..<3 where found[i] != Int.max { ranks[i] = found[i] }
        }
        return out
    }

    /// `text` without surrounding white space and cut to 200 characters, or nil when empty.
    static func trimmed(_ text: String) -> String? {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return nil }
        let value = String(scalars[first...last])
        return value.utf8.count > 200 && value.count > 200 ? String(value.prefix(200)) + "…" : value
    }
}

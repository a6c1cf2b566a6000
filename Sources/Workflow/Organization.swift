/// The kind of an organization: a supervising department (主管部门) or a budget unit (预算单位).
public enum OrgKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// 主管部门, e.g. 201 中共保定市徐水区委办公室.
    case department
    /// 预算单位, e.g. 201002 区委办（行政）; belongs to one department.
    case unit
}

/// A department or a budget unit (单位), as in the disclosure's 机构设置 table.
public struct Organization: Sendable, Hashable, Codable {
    /// The organization code, e.g. `"201"` or `"201002"`.
    public var code: String
    /// The name, e.g. `"中共保定市徐水区委办公室"`.
    public var name: String
    public var kind: OrgKind
    /// The supervising department's code; units only.
    public var parentCode: String?
    /// 单位性质, e.g. `"行政"` or `"事业"`.
    public var nature: String?
    /// 单位规格, e.g. `"正科"`.
    public var level: String?
    /// 经费保障形式, e.g. `"财政拨款"`.
    public var funding: String?

    /// An organization; the descriptive fields are optional.
    public init(
        code: String, name: String, kind: OrgKind, parentCode: String? = nil,
        nature: String? = nil, level: String? = nil, funding: String? = nil
    ) {
        self.code = code
        self.name = name
        self.kind = kind
        self.parentCode = parentCode
        self.nature = nature
        self.level = level
        self.funding = funding
    }

    enum CodingKeys: String, CodingKey {
        case code, name, kind, nature, level, funding
        case parentCode = "parent"
    }
}

extension Organization {
    /// What is wrong with the organization's own values, one detail per field, before the
    /// database sees them: the code `^[0-9A-Za-z][0-9A-Za-z_.-]{0,31}$`, a non-blank one-line name
    /// within ``TextLimits/organizationName``, a parent only for units, and one-line descriptive
    /// fields within ``TextLimits/organizationAttribute``. Whether the parent exists is the
    /// store's to check.
    public var problems: [ErrorDetail] {
        var details: [ErrorDetail] = []
        if !TextLimits.isOrganizationCode(code) {
            details.append(ErrorDetail(field: "code", message: """
                code must be 1 to \(TextLimits.organizationCodeLength) letters, digits, '.', '_' or '-', \
                starting with a letter or digit
                """))
        }
        if Validator.isBlank(name) {
            details.append(ErrorDetail(field: "name", message: "name is required"))
        } else if let problem = TextLimits.problem(name, field: "name", TextLimits.organizationName) {
            details.append(ErrorDetail(field: "name", message: problem))
        } else if name.unicodeScalars.contains(where: Validator.isInvisibleControl) {
            details.append(ErrorDetail(field: "name", message: "name contains invisible formatting characters"))
        }
        switch kind {
        case .unit where parentCode == nil:
            details.append(ErrorDetail(field: "parent", message: "a unit needs a parent department"))
        case .department where parentCode != nil:
            details.append(ErrorDetail(field: "parent", message: "a department has no parent"))
        case .unit, .department:
            break
        }
        if let parentCode, !TextLimits.isOrganizationCode(parentCode) {
            details.append(ErrorDetail(field: "parent", message: "parent must be an organization code"))
        }
        for (field, value) in [("nature", nature), ("level", level), ("funding", funding)] {
            if let value, let problem = TextLimits.problem(value, field: field, TextLimits.organizationAttribute) {
                details.append(ErrorDetail(field: field, message: problem))
            }
        }
        return details
    }
}

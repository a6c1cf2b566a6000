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

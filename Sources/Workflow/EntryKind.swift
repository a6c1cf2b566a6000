/// The kind of a budget entry; personnel and operation together are 基本支出 (basic expenditure).
public enum EntryKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// 人员经费.
    case personnel
    /// 日常公用经费; the disclosure's 机关运行经费 is the sum of these.
    case operation
    /// 项目支出; needs a spending plan, goals and indicators (rules V3, V4).
    case project
}

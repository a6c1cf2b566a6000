/// An action on a budget entry (SPEC §3); the raw value is the API path segment and the audit action.
public enum EntryAction: String, Sendable, Hashable, Codable, CaseIterable {
    /// 提交: draft → department_review, by the unit's officer; rules must pass.
    case submit
    /// 撤回: department_review → draft, by the unit's officer.
    case withdraw
    /// 审核通过: department_review → finance_review (department reviewer) or
    /// finance_review → approved (finance reviewer); rules must pass.
    case approve
    /// 退回: department_review or finance_review → draft, with a reason.
    case reject
    /// 公开: approved → published, by the finance reviewer.
    case publish
    /// 作废: draft → discarded, by the unit's officer.
    case discard
    /// 调整: approved or published → a new draft revision, by the unit's officer, with a reason.
    case revise
}

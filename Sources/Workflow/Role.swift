/// What an authenticated user is allowed to be (SPEC §1).
public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
    /// 单位财务人员: bound to one unit; creates, edits, submits, withdraws, discards and revises its entries.
    case officer
    /// 主管部门审核人: bound to one department; approves or rejects its units' entries at department review.
    case departmentReviewer = "department_reviewer"
    /// 财政局审核人: reads everything; approves or rejects at finance review; publishes.
    case financeReviewer = "finance_reviewer"
    /// 内部审计: reads everything, including the audit log; changes nothing.
    case auditor
    /// 系统管理员: organizations, users and tokens only; never acts on (or reads) entries.
    case admin

    /// Whether this role may perform `action` on some entry in some state.
    ///
    /// Independent of any entry, so an endpoint may answer 403 before looking anything up
    /// without revealing whether an entry exists.
    public func mayPerform(_ action: EntryAction) -> Bool {
        EntryState.allCases.contains { state in
            switch Transition.rule(for: self, action, from: state) {
            case .forbidden: return false
            case .illegal, .allowed: return true
            }
        }
    }
}

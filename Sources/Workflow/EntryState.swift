/// Where a budget entry revision stands in the workflow (SPEC §3).
///
///     draft ─submit→ department_review ─approve→ finance_review ─approve→ approved ─publish→ published
///       ↑ └discard→ discarded      │ withdraw/reject          │ reject
///       └──────────────────────────┴──────────────────────────┘
///     approved/published ─revise→ (new draft revision; this one becomes superseded when that is published)
public enum EntryState: String, Sendable, Hashable, Codable, CaseIterable {
    /// 草稿: the only editable state.
    case draft
    /// 主管部门审核中.
    case departmentReview = "department_review"
    /// 财政审核中.
    case financeReview = "finance_review"
    /// 已批复, not yet published; counts against the control figure.
    case approved
    /// 已公开; counts against the control figure.
    case published
    /// 已作废: an abandoned draft, kept (nothing is deleted). Terminal.
    case discarded
    /// 已被替代: an approved or published revision replaced when its newer revision was published.
    /// Terminal, still readable.
    case superseded

    /// Whether the content may be edited (only drafts).
    public var isEditable: Bool {
        switch self {
        case .draft: return true
        case .departmentReview, .financeReview, .approved, .published, .discarded, .superseded: return false
        }
    }

    /// Whether no action leads out of this state.
    public var isTerminal: Bool {
        switch self {
        case .discarded, .superseded: return true
        case .draft, .departmentReview, .financeReview, .approved, .published: return false
        }
    }

    /// Whether the entry's amount is committed against the unit-year's control figure (rule V7).
    public var countsAgainstControlFigure: Bool {
        switch self {
        case .approved, .published: return true
        case .draft, .departmentReview, .financeReview, .discarded, .superseded: return false
        }
    }
}

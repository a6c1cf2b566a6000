/// The legal clocks of 二下 (财预〔2016〕143号), in days of Asia/Shanghai:
/// - the finance bureau's 批复 of each department within 20 days of the people's congress;
/// - the department's 批复 to its units within 15 days of the finance 批复;
/// - publication (公开) within 20 days of the finance 批复.
///
/// In a year run without rounds ("unmanaged"), publication keeps its earlier clock: 20 days from
/// the first approval of an entry not yet published, and needs no 批复.
public enum BudgetClocks {
    /// Publication is due this many days after its start.
    public static let publicationDueDays = 20

    /// What a department-year's clocks depend on.
    public struct Facts: Sendable, Hashable {
        public var department: String
        public var year: Int
        /// Whether the year runs in rounds (any row in budget_rounds).
        public var managed: Bool
        /// The day the congress approved the year's budget, as any 批复 of the year says.
        public var congressDate: CalendarDate?
        /// The department-year's 批复, if given.
        public var approval: BudgetApprovalRecord?
        /// Whether the department-year was published on or after the day of its 批复.
        public var publishedSinceApproval: Bool
        /// Whether the department-year has entries at all (not discarded).
        public var hasEntries: Bool
        /// The day of the earliest approval among entries approved and not yet published (unmanaged clock).
        public var oldestUnpublishedApproval: CalendarDate?

        public init(department: String, year: Int, managed: Bool, congressDate: CalendarDate? = nil, approval: BudgetApprovalRecord? = nil,
                    publishedSinceApproval: Bool = false, hasEntries: Bool = true, oldestUnpublishedApproval: CalendarDate? = nil) {
            self.department = department
            self.year = year
            self.managed = managed
            self.congressDate = congressDate
            self.approval = approval
            self.publishedSinceApproval = publishedSinceApproval
            self.hasEntries = hasEntries
            self.oldestUnpublishedApproval = oldestUnpublishedApproval
        }
    }

    /// Which act a clock waits for.
    public enum Clock: String, Sendable, Hashable, Codable, CaseIterable {
        /// The finance bureau's 批复 of the department.
        case budgetApproval = "budget_approval"
        /// The department's 批复 to its units.
        case unitsApproval = "units_approval"
        /// Publication of the department-year.
        case publication
    }

    /// One running clock.
    public struct Deadline: Sendable, Hashable, Codable {
        public var clock: Clock
        public var department: String
        public var year: Int
        /// The day the clock started (the congress, the 批复, or the first approval).
        public var startedOn: CalendarDate
        public var dueOn: CalendarDate
        /// Days from today to the due day; negative when overdue.
        public var daysLeft: Int

        enum CodingKeys: String, CodingKey {
            case clock, department, year
            case startedOn = "started_on"
            case dueOn = "due_on"
            case daysLeft = "days_left"
        }

        /// "5 days left", "due today", "overdue by 3 days".
        public var standing: String {
            daysLeft > 0 ? "\(daysLeft) day\(daysLeft == 1 ? "" : "s") left"
                : daysLeft == 0 ? "due today" : "overdue by \(-daysLeft) day\(daysLeft == -1 ? "" : "s")"
        }
    }

    /// The clocks running for `facts` on `today`.
    public static func running(_ facts: Facts, today: CalendarDate) -> [Deadline] {
        func deadline(_ clock: Clock, from start: CalendarDate, days: Int) -> Deadline {
            let due = start.adding(days: days)
            return Deadline(clock: clock, department: facts.department, year: facts.year, startedOn: start, dueOn: due,
                            daysLeft: today.days(to: due))
        }
        var clocks: [Deadline] = []
        if let approval = facts.approval {
            if !approval.unitsApproved {
                clocks.append(deadline(.unitsApproval, from: approval.approvedOn, days: ApproveUnitsCommand.dueDays))
            }
            if facts.managed, !facts.publishedSinceApproval {
                clocks.append(deadline(.publication, from: approval.approvedOn, days: publicationDueDays))
            }
        } else if let congress = facts.congressDate, facts.hasEntries {
            clocks.append(deadline(.budgetApproval, from: congress, days: ApproveBudgetCommand.dueDays))
        }
        if !facts.managed, let since = facts.oldestUnpublishedApproval {
            clocks.append(deadline(.publication, from: since, days: publicationDueDays))
        }
        return clocks
    }

    /// Every running clock of `facts`, overdue first, then the soonest due.
    public static func running(_ facts: [Facts], today: CalendarDate) -> [Deadline] {
        facts.flatMap { running($0, today: today) }.sorted {
            ($0.daysLeft, $0.department, $0.year, $0.clock.rawValue) < ($1.daysLeft, $1.department, $1.year, $1.clock.rawValue)
        }
    }
}

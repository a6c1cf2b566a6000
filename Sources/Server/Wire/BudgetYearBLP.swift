import Foundation
import Persistence
import Workflow

/// The BLP answers of the budget-year views (SPEC §5, `BLPSchema.budgetYear`): the same figures as
/// their JSON, one record a line. Values go through `BLPWriter`, which quotes and escapes every
/// user text (quotes, backslashes, new lines, control characters), so a name stays one value of
/// one record. A key whose JSON value is null is left out.
enum BudgetYearBLP {
    /// `year …` then a `round …` line per round.
    static func calendar(_ document: YearDocument) throws -> String {
        var records = [record("year", [
            ("year", String(document.year)),
            ("managed", String(document.managed)),
            ("today", document.today.description),
            ("entry_round", document.entryRound?.rawValue),
        ])]
        for round in document.rounds {
            records.append(record("round", [
                ("year", String(document.year)),
                ("round", round.round.rawValue),
                ("opens_on", round.opensOn.description),
                ("closes_on", round.closesOn.description),
                ("closed_at", round.closedAt?.description),
                ("state", round.state.rawValue),
                ("opened_by", round.openedBy),
                ("opened_at", round.openedAt.description),
                ("version", String(round.version)),
            ]))
        }
        return try BLPWriter.document(records)
    }

    /// A `control …` line per cell of the sheet.
    static func sheet(_ sheet: ControlSheet) throws -> String {
        try BLPWriter.document(sheet.cells.map { row in
            record("control", [
                ("level", sheet.level.rawValue),
                ("holder", sheet.holder),
                ("year", String(sheet.year)),
                ("cell", row.cell.rawValue),
                ("ceiling", row.ceiling?.description),
                ("allocated", row.allocated?.description),
                ("used", row.used.description),
                ("remaining", row.remaining?.description),
            ])
        })
    }

    /// The funding sources in the entries' column order.
    static let fundingOrder = ["general", "fund", "state_capital", "special", "other"]

    /// `approval …`, then `approval_total` lines: by unit (with its kinds), kind, funding and project.
    static func approval(_ document: BudgetApprovalDocument) throws -> String {
        var records = [record("approval", [
            ("department", document.department.code),
            ("department_name", document.department.name),
            ("year", String(document.year)),
            ("number", document.number),
            ("congress_date", document.congressDate.description),
            ("approved_at", document.approvedAt),
            ("approved_by", document.approvedBy),
            ("total", document.total.description),
            ("units_number", document.unitsApproval?.number),
            ("units_approved_at", document.unitsApproval?.approvedAt),
            ("units_approved_by", document.unitsApproval?.approvedBy),
        ])]
        for unit in document.byUnit {
            records.append(record("approval_total", [
                ("by", "unit"), ("key", unit.code), ("name", unit.name), ("amount", unit.total.description),
                ("personnel", unit.personnel.description), ("operation", unit.operation.description),
                ("project", unit.project.description),
            ]))
        }
        for kind in EntryKind.allCases {
            records.append(record("approval_total", [
                ("by", "kind"), ("key", kind.rawValue), ("amount", (document.byKind[kind.rawValue] ?? .zero).description),
            ]))
        }
        for source in fundingOrder {
            records.append(record("approval_total", [
                ("by", "funding"), ("key", source), ("amount", (document.bySource[source] ?? .zero).description),
            ]))
        }
        for project in document.projects {
            records.append(record("approval_total", [
                ("by", "project"), ("key", project.code), ("name", project.name), ("unit", project.unit),
                ("amount", project.amount.description),
            ]))
        }
        return try BLPWriter.document(records)
    }

    /// A `deadline …` line per running clock, in the JSON's order (overdue first).
    static func deadlines(_ deadlines: [BudgetClocks.Deadline]) throws -> String {
        try BLPWriter.document(deadlines.map { deadline in
            record("deadline", [
                ("clock", deadline.clock.rawValue),
                ("department", deadline.department),
                ("year", String(deadline.year)),
                ("started_on", deadline.startedOn.description),
                ("due_on", deadline.dueOn.description),
                ("days_left", String(deadline.daysLeft)),
            ])
        })
    }

    private static func record(_ type: String, _ fields: [(String, String?)]) -> BLPRecord {
        BLPRecord(type: type, fields: fields.compactMap { key, value in value.map { BLPField(key, $0) } })
    }
}

import ArgumentParser
import Foundation
import Persistence
import Workflow

/// `budgetctl approve`: one entry, several, or every entry of a department-year awaiting the caller.
struct Approve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Approve entries: one, several, or all of a department-year awaiting your review.",
        discussion: """
            A department reviewer approves entries in department_review (→ finance_review), the finance \
            bureau entries in finance_review (→ approved; the unit-year's control figure applies, V7). \
            Several entries, or --all, are approved all or nothing: when any fails, none is changed \
            and every failing entry is listed with its reasons.

            Example:
              budgetctl approve --as finance 201-0502-JBN-E5EL --year 2020
              budgetctl approve --as finance --department 201 --year 2020 --all
              budgetctl approve --as reviewer-201 --department 201 --year 2020 --all
            """
    )

    @Argument(help: "Entry ids or codes.") var entries: [String] = []
    @Option(help: "The fiscal year (of the codes; required with --all).", transform: FiscalYearArgument.parse) var year: Int?
    @Option(help: "With --all: the department whose entries to approve.") var department: String?
    @Flag(help: "Approve every entry of --department and --year awaiting your review.") var all = false

    @OptionGroup var db: DatabaseOptions
    @OptionGroup var identity: IdentityOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        try output.require([.table, .json])
        if all {
            guard entries.isEmpty else { throw ValidationError("give entries or --all, not both") }
            guard department != nil, year != nil else { throw ValidationError("--all needs --department and --year") }
        } else {
            guard !entries.isEmpty else {
                throw ValidationError("name the entries to approve, or use --department D --year Y --all")
            }
            guard department == nil else { throw ValidationError("--department goes with --all") }
        }
    }

    func run() async throws {
        try await reportingFailures {
            let results = try await db.withSession(identity) { session -> [EntryService.ActionResult] in
                let caller = try await session.caller(for: "approve")
                if all, let department, let year {
                    return try await approveAll(department: department, year: year, by: caller, in: session)
                }
                let targets = try await Transitions.resolve(entries, year: year, for: caller, in: session)
                return try await Transitions.act(.approve, on: targets, by: caller, in: session)
            }
            try Transitions.print(results, verb: "approved", format: output.format)
        }
    }

    /// Everything in the department-year that waits for the caller's kind of review.
    func approveAll(department: String, year: Int, by caller: Caller, in session: Session) async throws -> [EntryService.ActionResult] {
        guard caller.actor.role.mayPerform(.approve) else {
            throw WorkflowError.forbidden("role \(caller.actor.role.rawValue) may not approve entries")
        }
        let state: EntryState = caller.actor.role == .departmentReviewer ? .departmentReview : .financeReview
        let targets = try await session.allEntries(.init(year: year, department: department, state: state), for: caller)
        guard !targets.isEmpty else {
            throw CLIError.conflict("department \(department) has no entries in \(state.rawValue) in \(year) to approve")
        }
        return try await ProgressLine.ticking("approving \(targets.count) entries…") {
            try await Transitions.act(.approve, on: targets, by: caller, in: session)
        }
    }
}

/// `budgetctl reject`: back to draft, with a reason.
struct Reject: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reject an entry under review back to its unit's draft, with a reason.",
        discussion: """
            Example:
              budgetctl reject --as finance 201-0502-JBN-E5EL --year 2020 \\
                  --reason "调研次数与经费测算不符"
            """
    )

    @Argument(help: "The entry's id or code.") var entry: String
    @Option(help: "The fiscal year of the code.", transform: FiscalYearArgument.parse) var year: Int?
    @Option(help: "Why (required, recorded in the audit log).") var reason: String

    @OptionGroup var db: DatabaseOptions
    @OptionGroup var identity: IdentityOptions
    @OptionGroup var output: OutputOptions

    func validate() throws { try output.require([.table, .json]) }

    func run() async throws {
        try await reportingFailures {
            let results = try await db.withSession(identity) { session in
                let caller = try await session.caller(for: "reject")
                let target = try await session.entry(entry, year: year, for: caller)
                return [try await session.entries.act(.reject, on: target.id, reason: reason, by: caller)]
            }
            try Transitions.print(results, verb: "rejected", format: output.format)
        }
    }
}

/// `budgetctl submit`: the officer submits every draft of a unit-year (not in SPEC §7; for scripts).
struct Submit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Submit every draft of a unit-year for department review (officer of the unit).",
        discussion: """
            All or nothing: every draft must pass the rules (V1–V6), otherwise none is submitted and each \
            failing entry is listed. The same as POST /v1/units/{unit}/years/{year}/actions/submit.

            Example:
              budgetctl submit --as officer-201002 --unit 201002 --year 2020
            """
    )

    @Option(help: "The unit.") var unit: String
    @Option(help: "The fiscal year.", transform: FiscalYearArgument.parse) var year: Int

    @OptionGroup var db: DatabaseOptions
    @OptionGroup var identity: IdentityOptions
    @OptionGroup var output: OutputOptions

    func validate() throws { try output.require([.table, .json]) }

    func run() async throws {
        try await reportingFailures {
            let results = try await db.withSession(identity) { session in
                let caller = try await session.caller(for: "submit")
                let drafts = try await session.allEntries(.init(year: year, unit: unit, state: .draft), for: caller)
                let codes = Dictionary(drafts.map { ($0.id.uuidString.lowercased(), $0.content.code) }, uniquingKeysWith: { a, _ in a })
                return try await Transitions.naming(codesOf: codes) {
                    try await session.entries.submitAll(unit: unit, year: year, by: caller)
                }
            }
            try Transitions.print(results, verb: "submitted", format: output.format)
        }
    }
}

/// What the transition commands share.
enum Transitions {
    /// Resolves every reference, reporting all that are not found at once.
    static func resolve(_ references: [String], year: Int?, for caller: Caller, in session: Session) async throws -> [BudgetEntry] {
        var found: [BudgetEntry] = []
        var missing: [String] = []
        for reference in references {
            do {
                let entry = try await session.entry(reference, year: year, for: caller)
                if !found.contains(where: { $0.id == entry.id }) { found.append(entry) }
            } catch let error as CLIError where error.kind == .notFound {
                missing.append(reference)
            }
        }
        guard missing.isEmpty else {
            throw CLIError.notFound(missing.count == 1
                ? "entry \(missing[0])\(year.map { " in \($0)" } ?? "") not found"
                : "\(missing.count) entries not found\(year.map { " in \($0)" } ?? ""): \(missing.joined(separator: ", "))")
        }
        return found
    }

    /// One entry alone (its own error), or several all or nothing (a per-entry report).
    static func act(_ action: EntryAction, on targets: [BudgetEntry], by caller: Caller, in session: Session) async throws -> [EntryService.ActionResult] {
        if targets.count == 1 {
            return [try await session.entries.act(action, on: targets[0].id, by: caller)]
        }
        let codes = Dictionary(targets.map { ($0.id.uuidString.lowercased(), $0.content.code) }, uniquingKeysWith: { a, _ in a })
        return try await naming(codesOf: codes) {
            try await session.entries.actOnAll(action, on: targets.map(\.id), by: caller)
        }
    }

    /// Runs a batch action; its per-entry failures are reported by entry code (or id when unknown).
    static func naming<T>(codesOf codes: [String: String], _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch WorkflowError.batchFailed(let message, let details, let category) {
            let lines = details.map { detail -> String in
                let who = detail.field.map { codes[$0] ?? $0 } ?? "?"
                return "\(who): " + (detail.rule.map { "\($0.rawValue): " } ?? "") + detail.message
            }
            throw CLIError(kind: CLIError.kind(of: category), message: message, details: lines)
        }
    }

    static func print(_ results: [EntryService.ActionResult], verb: String, format: OutputFormat) throws {
        switch format {
        case .json:
            try Output.printJSON(results.map(EntryDocument.Changed.init))
        case .table, .blp:
            Swift.print("\(verb) \(results.count) \(results.count == 1 ? "entry" : "entries")")
            Swift.print(EntryPresentation.table(results.map(\.entry)))
        }
    }
}

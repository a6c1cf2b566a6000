import Disclosure
import Foundation
import Workflow

extension EntryService {
    public struct Publication: Sendable, Hashable {
        public var department: String
        public var year: Int
        public var published: [BudgetEntry]
        /// The disclosure inputs that differ from what the previous publication froze
        /// (`baseline.total`, `narrative.change_reason`…); all of them at the first publication.
        public var inputsChanged: [String] = []
    }

    /// Publishes every approved entry of a department-year at once, atomically; a new revision
    /// supersedes the published one it revises. The disclosure inputs (baseline, narrative) as
    /// they now stand are cross-checked with the entries and frozen with the publication: the
    /// public disclosure shows them until the next publication. With no approved entries, a
    /// publication of changed inputs alone; nothing changed at all is a conflict.
    public func publish(department: String, year: Int, by caller: Caller, overrideReason: String? = nil) async throws -> Publication {
        let publication = try await publishInTransaction(department: department, year: year, by: caller, overrideReason: overrideReason)
        WorkflowMetrics.transitioned("publish", count: publication.published.count)
        return publication
    }

    private func publishInTransaction(department: String, year: Int, by caller: Caller, overrideReason: String?) async throws -> Publication {
        let command = try PublishCommand(actor: caller.actor, department: department, year: year, overrideReason: overrideReason)
        return try await transaction { connection in
            let exists = try connection.query("""
                SELECT 1 AS x FROM organizations WHERE code = \(department) AND kind = 'department'
                """).count == 1
            var snapshot = PublishCommand.Snapshot(departmentExists: exists)
            // Read once: these are the inputs cross-checked below and frozen with the publication.
            var inputs = DisclosureService.Inputs()
            if exists {
                // One publication of a department-year at a time, so that "what changed since the
                // last publication" stays true until this one commits.
                let lock = "publication:\(department):\(year)"
                try connection.query("SELECT pg_advisory_xact_lock(hashtext(\(lock))) IS NULL AS locked")
                let standing = try connection.query("""
                    SELECT EXISTS (SELECT 1 FROM budget_rounds WHERE year = \(year)) AS managed,
                           EXISTS (SELECT 1 FROM budget_approvals WHERE department_code = \(department) AND year = \(year)) AS approved
                    """).first!
                snapshot.managedYear = try standing.decode("managed")
                snapshot.budgetApproved = try standing.decode("approved")
                snapshot.approved = try connection.query("""
                    SELECT \(EntryRows.columns) FROM entries e
                    WHERE e.department_code = \(department) AND e.year = \(year) AND e.state = 'approved'
                    ORDER BY e.code FOR UPDATE OF e
                    """).map(EntryRows.decode)
                if !snapshot.approved.isEmpty {
                    for row in try connection.query("""
                        SELECT id, code, revision FROM entries
                        WHERE year = \(year) AND state = 'published'
                          AND code = ANY(\(PostgresArray(snapshot.approved.map(\.content.code)))::text[])
                        ORDER BY code, revision FOR UPDATE
                        """) {
                        let code: String = try row.decode("code")
                        let revision = RevisionReference(
                            id: try row.decode("id", as: UUID.self), revision: try row.decode("revision", as: Int.self))
                        snapshot.published[code, default: []].append(revision)
                    }
                }
                inputs = try DisclosureService.stagedInputs(department: department, year: year, on: connection)
                let previous = try DisclosureService.publishedInputs(department: department, year: year, on: connection)
                snapshot.previousPublication = previous?.publication
                snapshot.inputsChanged = inputs.changed(from: previous?.inputs ?? .init())
            }
            let (plan, published) = try command.decide(snapshot)
            try PlanWriter.apply(plan, by: caller, on: connection)
            // Cross-check the disclosure as it now stands; a failure blocks unless overridden.
            let checks = try DisclosureService.input(department: department, year: year, inputs: inputs, on: connection)
                .map { try Disclosure($0).checks() } ?? []
            let frozen = BLPEntryMapping.DisclosureInputs(
                baseline: Dictionary(uniqueKeysWithValues: inputs.baseline.map { ($0.key.rawValue, $0.value) }),
                narrative: Dictionary(uniqueKeysWithValues: inputs.narrative.map { ($0.key.rawValue, $0.value) }))
            let closing = try command.finish(
                published: published, inputsChanged: snapshot.inputsChanged,
                failedChecks: checks.map { check in
                    PublishCommand.FailedCheck(code: check.code.rawValue, subject: check.subject, message: check.message)
                },
                frozen: frozen)
            try PlanWriter.apply(closing, by: caller, on: connection)
            return Publication(department: department, year: year, published: published, inputsChanged: snapshot.inputsChanged)
        }
    }
}
